//===--- ChangedLines.cpp - what a change touches, for --diff -------------===//

#include "ChangedLines.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"

#include <algorithm>
#include <optional>
#include <utility>

namespace corolint {

std::string realPath(const std::string &Path) {
  llvm::SmallString<256> Real;
  if (llvm::sys::fs::real_path(Path, Real))
    return Path;
  return std::string(Real);
}

static llvm::Error malformed(unsigned LineNumber, llvm::StringRef Line) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "malformed unified diff at line " +
                                     llvm::Twine(LineNumber) + ": '" +
                                     Line.take_front(80) + "'");
}

llvm::Expected<ChangedLines> ChangedLines::parse(llvm::StringRef Diff,
                                                 const std::string &Root) {
  ChangedLines Changed;
  std::optional<std::string> Current; // the new file's real path
  // Inside a hunk: the new file's next line, and the old and new lines the
  // hunk still has to show (context lines count in both).
  unsigned NewLine = 0, OldLeft = 0, NewLeft = 0;
  unsigned LineNumber = 0;
  auto Mark = [&](unsigned First, unsigned Last) {
    Changed.Ranges[*Current].emplace_back(std::max(First, 1u), Last);
  };
  // Lines removed and not replaced (no '+' line follows them): the lines
  // on both sides of the gap count as changed.
  bool Removed = false;
  auto EndOfChange = [&] {
    if (std::exchange(Removed, false))
      Mark(NewLine - 1, NewLine);
  };
  while (!Diff.empty()) {
    auto [Line, Rest] = Diff.split('\n');
    Diff = Rest;
    ++LineNumber;
    Line = Line.rtrim('\r');
    if (OldLeft + NewLeft == 0)
      EndOfChange();
    if (OldLeft + NewLeft > 0) {
      // A hunk's body: ' ' context, '+' added, '-' removed.
      if (Line.starts_with("\\"))
        continue; // "\ No newline at end of file"
      char Kind = Line.empty() ? ' ' : Line.front();
      if (Kind == ' ' && OldLeft > 0 && NewLeft > 0) {
        EndOfChange();
        --OldLeft, --NewLeft, ++NewLine;
      } else if (Kind == '+' && NewLeft > 0) {
        Removed = false; // replaced, not only removed
        Mark(NewLine, NewLine);
        --NewLeft, ++NewLine;
      } else if (Kind == '-' && OldLeft > 0) {
        Removed = true;
        --OldLeft;
      } else {
        return malformed(LineNumber, Line);
      }
      continue;
    }
    if (Line.starts_with("+++ ")) {
      llvm::StringRef Name = Line.drop_front(4);
      Name = Name.split('\t').first; // diff -u adds a date after a tab
      if (Name == "/dev/null") {
        Current.reset(); // deleted: nothing to report in it
        continue;
      }
      Name.consume_front("b/");
      llvm::SmallString<256> Path(Name);
      if (!llvm::sys::path::is_absolute(Path)) {
        Path = Root;
        llvm::sys::path::append(Path, Name);
      }
      Current = realPath(std::string(Path));
      Changed.Ranges[*Current]; // touched, even with no line (a mode change)
      continue;
    }
    if (!Line.starts_with("@@ "))
      continue;
    // @@ -old[,count] +new[,count] @@
    llvm::StringRef Spec = Line.drop_front(3);
    if (!Spec.consume_front("-"))
      return malformed(LineNumber, Line);
    auto [OldSpec, AfterOld] = Spec.split(" +");
    llvm::StringRef NewSpec = AfterOld.split(' ').first;
    auto [OldStart, OldCount] = OldSpec.split(',');
    auto [NewStart, NewCount] = NewSpec.split(',');
    unsigned Ignored;
    OldLeft = NewLeft = 1;
    if (AfterOld.empty() || OldStart.getAsInteger(10, Ignored) ||
        (!OldCount.empty() && OldCount.getAsInteger(10, OldLeft)) ||
        NewStart.getAsInteger(10, NewLine) ||
        (!NewCount.empty() && NewCount.getAsInteger(10, NewLeft)))
      return malformed(LineNumber, Line);
    if (!Current) { // a deleted file's hunk: skip its body
      OldLeft = NewLeft = 0;
      continue;
    }
    if (NewLeft == 0)
      ++NewLine; // "+N,0": the removal comes after line N
  }
  if (Current)
    EndOfChange();
  if (OldLeft + NewLeft > 0)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "malformed unified diff: the last hunk "
                                   "ends early");
  return Changed;
}

const std::vector<std::pair<unsigned, unsigned>> *
ChangedLines::linesOf(const std::string &File) const {
  // The keys are real paths; so are the files the preprocessor pass lists,
  // hundreds per unit: resolving those again would only cost system calls.
  auto It = Ranges.find(File);
  if (It == Ranges.end())
    It = Ranges.find(realPath(File));
  return It == Ranges.end() ? nullptr : &It->second;
}

bool ChangedLines::touchesFile(const std::string &File) const {
  return linesOf(File) != nullptr;
}

bool ChangedLines::touches(const std::string &File, unsigned Line) const {
  const auto *Lines = linesOf(File);
  if (!Lines)
    return false;
  for (const auto &[First, Last] : *Lines)
    if (Line >= First && Line <= Last)
      return true;
  return false;
}

bool ChangedLines::touches(const Finding &F) const {
  if (touches(F.Position.File, F.Position.Line))
    return true;
  for (const Note &N : F.Notes)
    if (touches(N.Position.File, N.Position.Line))
      return true;
  return false;
}

std::vector<std::string> ChangedLines::files() const {
  std::vector<std::string> Files;
  for (const auto &[File, Lines] : Ranges)
    Files.push_back(File);
  return Files;
}

// Runs git with \p Args in \p Directory; its standard output, or an error
// with what it printed on standard error.
static llvm::Expected<std::string> runGit(llvm::ArrayRef<llvm::StringRef> Args,
                                          const std::string &Directory) {
  llvm::ErrorOr<std::string> Git = llvm::sys::findProgramByName("git");
  if (!Git)
    return llvm::createStringError(Git.getError(),
                                   "--diff needs git, which is not on PATH");
  llvm::SmallString<128> Out, Err;
  for (auto [Path, Suffix] : {std::pair{&Out, "out"}, std::pair{&Err, "err"}})
    if (std::error_code EC =
            llvm::sys::fs::createTemporaryFile("corolint-git", Suffix, *Path))
      return llvm::createStringError(EC, "cannot run git: " + EC.message());
  std::vector<llvm::StringRef> Argv{*Git, "-C", Directory};
  Argv.insert(Argv.end(), Args.begin(), Args.end());
  std::optional<llvm::StringRef> Redirects[] = {std::nullopt, Out.str(),
                                                Err.str()};
  std::string Failure;
  int Status = llvm::sys::ExecuteAndWait(*Git, Argv, std::nullopt, Redirects, 0,
                                         0, &Failure);
  auto Read = [](llvm::StringRef Path) {
    auto Buffer = llvm::MemoryBuffer::getFile(Path);
    return Buffer ? (*Buffer)->getBuffer().str() : std::string();
  };
  std::string Output = Read(Out), Errors = Read(Err);
  llvm::sys::fs::remove(Out);
  llvm::sys::fs::remove(Err);
  if (Status != 0)
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        "git " + llvm::join(Args, " ") + " failed: " +
            llvm::StringRef(Errors.empty() ? Failure : Errors).trim());
  return Output;
}

llvm::Expected<std::pair<std::string, std::string>>
gitDiff(const std::string &Revision, const std::string &Directory) {
  llvm::Expected<std::string> TopLevel =
      runGit({"rev-parse", "--show-toplevel"}, Directory);
  if (!TopLevel)
    return TopLevel.takeError();
  llvm::Expected<std::string> Diff =
      runGit({"diff", "-U0", "--no-color", "--no-ext-diff", "--no-renames",
              Revision, "--"},
             Directory);
  if (!Diff)
    return Diff.takeError();
  return std::pair{std::move(*Diff), llvm::StringRef(*TopLevel).trim().str()};
}

} // namespace corolint
