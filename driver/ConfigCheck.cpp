//===--- ConfigCheck.cpp - configuration problems, found before analysis --===//

#include "ConfigCheck.h"

#include "ClangTidy.h"
#include "ClangTidyDiagnosticConsumer.h"
#include "ClangTidyModule.h"
#include "GlobList.h"
#include "clang/Basic/DiagnosticOptions.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"

using namespace clang;
using namespace clang::tidy;

namespace corolint {

namespace {

// The name a user knows a configuration source by.
std::string sourceName(const std::string &RawSource,
                       const std::string &ExplicitSource) {
  if (RawSource ==
      ClangTidyOptionsProvider::OptionsSourceTypeConfigCommandLineOption)
    return ExplicitSource.empty() ? "--config" : ExplicitSource;
  if (RawSource ==
      ClangTidyOptionsProvider::OptionsSourceTypeCheckCommandLineOption)
    return "--checks";
  if (RawSource == ClangTidyOptionsProvider::OptionsSourceTypeDefaultBinary)
    return "corolint's defaults";
  return RawSource;
}

// The last source that sets \p Key wins, as in clang-tidy's merge.
std::string sourceOfOption(ClangTidyOptionsProvider &Provider,
                           const std::string &File, llvm::StringRef Key,
                           const std::string &ExplicitSource) {
  std::string Found;
  for (const auto &[Options, Source] : Provider.getRawOptions(File))
    if (Options.CheckOptions.count(Key))
      Found = sourceName(Source, ExplicitSource);
  // The one option the command line sets besides --checks.
  if (Key == "LibraryModels" && Found == "--checks")
    Found = "--library-model";
  return Found.empty() ? "the configuration" : Found;
}

// "... for option 'check.Name'; expected ..." -> "check.Name".
llvm::StringRef optionNamedIn(llvm::StringRef Message) {
  size_t Start = Message.find("option '");
  if (Start == llvm::StringRef::npos)
    return "";
  Start += 8;
  size_t End = Message.find('\'', Start);
  return End == llvm::StringRef::npos ? "" : Message.slice(Start, End);
}

std::string closest(llvm::StringRef Name, const llvm::StringSet<> &Known) {
  std::string Best;
  unsigned BestDistance = 4; // farther than this is no suggestion
  for (const auto &Entry : Known) {
    unsigned Distance = Name.edit_distance(Entry.getKey(), true, BestDistance);
    if (Distance < BestDistance) {
      BestDistance = Distance;
      Best = Entry.getKey().str();
    }
  }
  return Best;
}

} // namespace

std::vector<ConfigProblem>
unreadableConfigFiles(const std::vector<std::string> &Files,
                      std::vector<ConfigProblem> &Warnings) {
  std::vector<ConfigProblem> Problems;
  // A file met before was examined with everything it lets clang-tidy read
  // above it: a walk that reaches one stops there.
  llvm::StringSet<> Seen;
  // Reads one file; true if clang-tidy would read on above it.
  auto Examine = [&](const std::string &Path) {
    auto Buffer = llvm::MemoryBuffer::getFile(Path);
    if (!Buffer) {
      Problems.push_back(
          {Path, "cannot read it: " + Buffer.getError().message()});
      return false;
    }
    bool Failed = false;
    auto Parsed = parseConfigurationWithDiags(
        (*Buffer)->getMemBufferRef(), [&](const llvm::SMDiagnostic &D) {
          std::string Where = Path + ":" + std::to_string(D.getLineNo()) + ":" +
                              std::to_string(D.getColumnNo() + 1);
          ConfigProblem P{Where, D.getMessage().str()};
          if (D.getKind() == llvm::SourceMgr::DK_Error) {
            Problems.push_back(std::move(P));
            Failed = true;
          } else {
            Warnings.push_back(std::move(P));
          }
        });
    if (!Parsed) {
      if (!Failed)
        Problems.push_back(
            {Path, "cannot parse it: " + Parsed.getError().message()});
      return false;
    }
    return Parsed->InheritParentConfig.value_or(false);
  };
  for (const std::string &File : Files) {
    llvm::SmallString<256> Folder(File);
    llvm::sys::path::remove_filename(Folder);
    while (!Folder.empty()) {
      llvm::SmallString<256> Candidate(Folder);
      llvm::sys::path::append(Candidate, ".clang-tidy");
      if (llvm::sys::fs::is_regular_file(Candidate)) {
        std::string Path(Candidate);
        // clang-tidy reads no further up unless told to.
        if (!Seen.insert(Path).second || !Examine(Path))
          break;
      }
      llvm::StringRef Parent = llvm::sys::path::parent_path(Folder);
      if (Parent == Folder)
        break;
      Folder = Parent;
    }
  }
  return Problems;
}

std::vector<ConfigProblem>
invalidOptionValues(ClangTidyOptionsProvider &Provider, const std::string &File,
                    const std::string &ExplicitSource) {
  // A context that owns a copy of the provider's answer for File: creating
  // the checks makes them read (and diagnose) their options.
  ClangTidyContext Context(std::make_unique<DefaultOptionsProvider>(
      ClangTidyGlobalOptions(), Provider.getOptions(File)));
  // Relative library files (LibraryModels) are found from the unit's folder.
  Context.setCurrentFile(File);
  ClangTidyDiagnosticConsumer Consumer(Context);
  DiagnosticsEngine Engine(llvm::makeIntrusiveRefCnt<DiagnosticIDs>(),
                           llvm::makeIntrusiveRefCnt<DiagnosticOptions>(),
                           &Consumer, /*ShouldOwnClient=*/false);
  Context.setDiagnosticsEngine(&Engine);
  Context.setCurrentFile(File);
  ClangTidyASTConsumerFactory Factory(Context);
  (void)Factory.getCheckOptions();
  std::vector<ConfigProblem> Problems;
  for (const ClangTidyError &E : Consumer.take()) {
    llvm::StringRef Key = optionNamedIn(E.Message.Message);
    Problems.push_back({sourceOfOption(Provider, File, Key, ExplicitSource),
                        E.Message.Message});
  }
  return Problems;
}

std::vector<ConfigProblem>
unknownChecksAndOptions(ClangTidyOptionsProvider &Provider,
                        const std::string &File,
                        const std::string &ExplicitSource) {
  NamesAndOptions Known = getAllChecksAndOptions();
  std::vector<ConfigProblem> Problems;
  for (const auto &[Options, RawSource] : Provider.getRawOptions(File)) {
    std::string Source = sourceName(RawSource, ExplicitSource);
    if (Options.Checks) {
      llvm::SmallVector<llvm::StringRef> Globs;
      llvm::StringRef(*Options.Checks).split(Globs, ',', -1, false);
      for (llvm::StringRef Glob : Globs) {
        Glob = Glob.trim();
        if (Glob.empty() || Glob.starts_with("-") ||
            Glob.starts_with("clang-diagnostic-"))
          continue;
        GlobList Matcher(Glob);
        bool Matches = false;
        for (const auto &Name : Known.Names)
          if (Matcher.contains(Name.getKey())) {
            Matches = true;
            break;
          }
        if (Matches)
          continue;
        std::string Message = "unknown check '" + Glob.str() + "'";
        if (std::string Guess = closest(Glob, Known.Names); !Guess.empty())
          Message += "; did you mean '" + Guess + "'?";
        Problems.push_back({Source, Message});
      }
    }
    for (const auto &Option : Options.CheckOptions) {
      llvm::StringRef Key = Option.getKey();
      if (Known.Options.contains(Key))
        continue;
      std::string Message = "unknown check option '" + Key.str() + "'";
      if (std::string Guess = closest(Key, Known.Options); !Guess.empty())
        Message += "; did you mean '" + Guess + "'?";
      Problems.push_back({Source, Message});
    }
  }
  return Problems;
}

} // namespace corolint
