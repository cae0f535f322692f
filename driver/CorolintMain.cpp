//===--- CorolintMain.cpp - the corolint command line
//-----------------------===//
//
// The CI gate. Configuration, check selection, check options, NOLINT and
// fix-its all go through clang-tidy's own library (runClangTidy and its
// options providers); this file adds what a CI gate needs on top: several
// translation units in parallel, machine-readable output, and exit codes that
// separate "findings" from "could not analyse".
//
//===----------------------------------------------------------------------===//

#include "CheckDocs.h"
#include "Config.h"
#include "Findings.h"
#include "ModuleAnchor.h"
#include "Output.h"

#include "ClangTidy.h"
#include "ClangTidyDiagnosticConsumer.h"
#include "ClangTidyOptions.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "clang/Tooling/Core/Replacement.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/ThreadPool.h"
#include "llvm/Support/Threading.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <sstream>

using namespace clang;
using namespace clang::tidy;
namespace cl = llvm::cl;

namespace {

enum ExitStatus { ExitClean = 0, ExitFindings = 1, ExitError = 2 };

cl::OptionCategory Category("corolint options");

cl::list<std::string> SourcePaths(cl::Positional, cl::desc("<source files>"),
                                  cl::cat(Category));
cl::opt<std::string> BuildPath("p",
                               cl::desc("Build directory containing "
                                        "compile_commands.json; with no source "
                                        "files, every file in it is analysed"),
                               cl::cat(Category));
cl::opt<std::string> ChecksGlob(
    "checks",
    cl::desc("Comma-separated globs of checks to enable or (with a leading "
             "'-') disable, applied after the configuration files, exactly as "
             "in clang-tidy. Default: async-*"),
    cl::cat(Category));
cl::opt<std::string> ConfigFile(
    "config-file",
    cl::desc("Read the configuration from this file (.clang-tidy format) "
             "instead of looking for .clang-tidy files"),
    cl::cat(Category));
cl::opt<std::string>
    InlineConfig("config",
                 cl::desc("Configuration in YAML, as clang-tidy's --config"),
                 cl::cat(Category));
cl::opt<std::string> HeaderFilter(
    "header-filter",
    cl::desc("Regular expression of headers whose findings are reported, as "
             "in clang-tidy (default: none, only the main files)"),
    cl::cat(Category));
enum class Format { Text, Json, Sarif };
cl::opt<Format> OutputFormat(
    "format", cl::desc("Output format"),
    cl::values(clEnumValN(Format::Text, "text", "clang-style diagnostics"),
               clEnumValN(Format::Json, "json", "one JSON object"),
               clEnumValN(Format::Sarif, "sarif", "SARIF 2.1.0")),
    cl::init(Format::Text), cl::cat(Category));
cl::opt<std::string> OutputFile("output",
                                cl::desc("Write the report to this file "
                                         "instead of standard output"),
                                cl::cat(Category));
cl::opt<std::string>
    SarifRoot("sarif-root",
              cl::desc("Directory that SARIF result paths are relative to "
                       "(default: the current directory)"),
              cl::cat(Category));
cl::opt<unsigned> Jobs("j",
                       cl::desc("Translation units analysed in parallel "
                                "(default: the number of cores)"),
                       cl::init(0), cl::cat(Category));
cl::opt<bool> ListChecks("list-checks",
                         cl::desc("List the enabled checks and exit"),
                         cl::cat(Category));
cl::opt<std::string> Explain("explain",
                             cl::desc("Print the documentation of a check"),
                             cl::value_desc("check"), cl::cat(Category));
cl::opt<bool> Fix("fix", cl::desc("Apply the suggested fixes"),
                  cl::cat(Category));
cl::opt<bool> EnableCheckProfile(
    "enable-check-profile",
    cl::desc("Print the time each check takes, through clang-tidy's profiler"),
    cl::cat(Category));
cl::opt<std::string> StoreCheckProfile(
    "store-check-profile",
    cl::desc("With --enable-check-profile, write each file's check timings "
             "as JSON into this directory instead of printing them"),
    cl::value_desc("dir"), cl::cat(Category));
cl::opt<bool> Quiet("quiet", cl::desc("No summary line on standard error"),
                    cl::cat(Category));

std::string currentDirectory() {
  llvm::SmallString<256> Cwd;
  llvm::sys::fs::current_path(Cwd);
  return std::string(Cwd);
}

std::string absolutePath(llvm::StringRef Path, llvm::StringRef Base) {
  llvm::SmallString<256> Abs(Path);
  if (!llvm::sys::path::is_absolute(Abs)) {
    llvm::SmallString<256> Joined(Base);
    llvm::sys::path::append(Joined, Path);
    Abs = Joined;
  }
  llvm::sys::path::remove_dots(Abs, /*remove_dot_dot=*/true);
  return std::string(Abs);
}

// --- configuration -------------------------------------------------------

struct ConfigError {
  std::string Message;
};

ClangTidyOptions defaultOptions() {
  ClangTidyOptions Defaults = ClangTidyOptions::getDefaults();
  Defaults.Checks = "-*,async-*";
  Defaults.User = "corolint";
  return Defaults;
}

ClangTidyOptions overrideOptions() {
  ClangTidyOptions Overrides;
  if (ChecksGlob.getNumOccurrences())
    Overrides.Checks = ChecksGlob;
  if (HeaderFilter.getNumOccurrences())
    Overrides.HeaderFilterRegex = HeaderFilter;
  // Clang's builtin headers: the tool does not live in LLVM's prefix, so it
  // cannot find them next to itself. A -resource-dir from the compile command
  // comes later on the command line and wins.
  // clang prints "N warnings generated." to stderr unless carets are off;
  // corolint formats every diagnostic itself.
  Overrides.ExtraArgs = std::vector<std::string>{"-fno-caret-diagnostics"};
  if (llvm::sys::fs::is_directory(COROLINT_CLANG_RESOURCE_DIR))
    Overrides.ExtraArgsBefore = std::vector<std::string>{
        std::string("-resource-dir=") + COROLINT_CLANG_RESOURCE_DIR};
  return Overrides;
}

// Built once per translation unit: a ClangTidyContext owns its provider.
std::unique_ptr<ClangTidyOptionsProvider>
makeOptionsProvider(const std::optional<ClangTidyOptions> &ExplicitConfig) {
  if (ExplicitConfig)
    return std::make_unique<ConfigOptionsProvider>(
        ClangTidyGlobalOptions(), defaultOptions(), *ExplicitConfig,
        overrideOptions());
  return std::make_unique<FileOptionsProvider>(
      ClangTidyGlobalOptions(), defaultOptions(), overrideOptions(),
      llvm::vfs::getRealFileSystem());
}

// Reads --config-file or --config; nullopt when neither is given.
llvm::Expected<std::optional<ClangTidyOptions>> explicitConfig() {
  std::string Text, Source;
  if (ConfigFile.getNumOccurrences()) {
    auto Buffer = llvm::MemoryBuffer::getFile(ConfigFile);
    if (!Buffer)
      return llvm::createStringError(Buffer.getError(),
                                     "cannot read config file '" + ConfigFile +
                                         "': " + Buffer.getError().message());
    Text = (*Buffer)->getBuffer().str();
    Source = ConfigFile;
  } else if (InlineConfig.getNumOccurrences()) {
    Text = InlineConfig;
    Source = "--config";
  } else {
    return std::nullopt;
  }
  auto Parsed = parseConfiguration(llvm::MemoryBufferRef(Text, Source));
  if (!Parsed)
    return llvm::createStringError(Parsed.getError(),
                                   "invalid configuration in '" + Source +
                                       "': " + Parsed.getError().message());
  return std::optional<ClangTidyOptions>(std::move(*Parsed));
}

// --- compilation database --------------------------------------------------

// "-- <compiler args>": must run before option parsing, which it shortens.
std::unique_ptr<tooling::CompilationDatabase>
loadFixedCompilations(int &Argc, const char **Argv, std::string &Error) {
  return tooling::FixedCompilationDatabase::loadFromCommandLine(Argc, Argv,
                                                                Error);
}

// -p <build dir>: after option parsing.
std::unique_ptr<tooling::CompilationDatabase>
loadBuildCompilations(std::string &Error) {
  std::unique_ptr<tooling::CompilationDatabase> Compilations;
  if (!BuildPath.empty()) {
    std::string LoadError;
    // Exactly this directory: a parent's database would analyse the wrong
    // build without saying so.
    Compilations =
        tooling::CompilationDatabase::loadFromDirectory(BuildPath, LoadError);
    if (!Compilations) {
      Error = "cannot load a compilation database from '" + BuildPath +
              "': " + LoadError;
      return nullptr;
    }
    return tooling::inferMissingCompileCommands(std::move(Compilations));
  }
  return nullptr;
}

// Without -p or "--", look for compile_commands.json above each file, like
// clang-tidy; failing that, analyse as C++20, the language coroutines need.
std::unique_ptr<tooling::CompilationDatabase>
defaultCompilations(llvm::StringRef FirstSource) {
  std::string Ignored;
  if (auto Detected = tooling::CompilationDatabase::autoDetectFromSource(
          FirstSource, Ignored))
    return tooling::inferMissingCompileCommands(std::move(Detected));
  return std::make_unique<tooling::FixedCompilationDatabase>(
      ".", std::vector<std::string>{"-std=c++20"});
}

// --- running ---------------------------------------------------------------

struct UnitResult {
  std::string File;
  std::vector<ClangTidyError> Errors;
};

bool isCompilerError(const ClangTidyError &E) {
  return E.DiagLevel == tooling::Diagnostic::Error &&
         llvm::StringRef(E.DiagnosticName).starts_with("clang-diagnostic-");
}

class ProgressLine {
public:
  explicit ProgressLine(size_t Total)
      : Total(Total),
        Enabled(Total > 1 && llvm::sys::Process::StandardErrIsDisplayed()) {}
  void done(llvm::StringRef File) {
    if (!Enabled)
      return;
    std::lock_guard<std::mutex> Lock(Mutex);
    ++Finished;
    llvm::errs() << "\r\033[K[" << Finished << "/" << Total << "] "
                 << llvm::sys::path::filename(File);
    llvm::errs().flush();
  }
  ~ProgressLine() {
    if (Enabled)
      llvm::errs() << "\r\033[K";
  }

private:
  std::mutex Mutex;
  size_t Total;
  size_t Finished = 0;
  bool Enabled;
};

std::vector<UnitResult>
analyse(const std::vector<std::string> &Files,
        const tooling::CompilationDatabase &Compilations,
        const std::optional<ClangTidyOptions> &Config) {
  std::vector<UnitResult> Results(Files.size());
  ProgressLine Progress(Files.size());
  auto AnalyseOne = [&](size_t Index) {
    ClangTidyContext Context(makeOptionsProvider(Config));
    // Each unit gets its own file system object: the physical one keeps a
    // working directory per instance, so parallel units with different
    // build directories do not race on the process's.
    auto FS = llvm::makeIntrusiveRefCnt<llvm::vfs::OverlayFileSystem>(
        llvm::vfs::createPhysicalFileSystem());
    Results[Index].File = Files[Index];
    Results[Index].Errors = runClangTidy(
        Context, Compilations, {Files[Index]}, FS,
        /*ApplyAnyFix=*/false, EnableCheckProfile, StoreCheckProfile);
    Progress.done(Files[Index]);
  };
  unsigned Threads =
      Jobs ? Jobs : llvm::hardware_concurrency().compute_thread_count();
  if (Threads <= 1 || Files.size() == 1) {
    for (size_t I = 0; I < Files.size(); ++I)
      AnalyseOne(I);
    return Results;
  }
  llvm::DefaultThreadPool Pool(llvm::hardware_concurrency(Threads));
  for (size_t I = 0; I < Files.size(); ++I)
    Pool.async([&, I] { AnalyseOne(I); });
  Pool.wait();
  return Results;
}

// --- turning clang-tidy's errors into findings ----------------------------

class SourceFiles {
public:
  corolint::SourcePosition position(llvm::StringRef File, unsigned Offset) {
    corolint::SourcePosition Pos;
    Pos.File = File.str();
    const Entry &E = load(File);
    if (!E.Loaded)
      return Pos;
    auto Line =
        std::upper_bound(E.LineStarts.begin(), E.LineStarts.end(), Offset);
    size_t LineIndex = Line - E.LineStarts.begin() - 1;
    size_t Start = E.LineStarts[LineIndex];
    size_t End = E.Text.find('\n', Start);
    Pos.Line = LineIndex + 1;
    Pos.Column = Offset - Start + 1;
    Pos.LineText = E.Text.substr(
        Start, End == std::string::npos ? std::string::npos : End - Start);
    if (!Pos.LineText.empty() && Pos.LineText.back() == '\r')
      Pos.LineText.pop_back();
    return Pos;
  }

private:
  struct Entry {
    bool Loaded = false;
    std::string Text;
    std::vector<size_t> LineStarts;
  };
  const Entry &load(llvm::StringRef File) {
    auto [It, Inserted] = Cache.try_emplace(File);
    if (!Inserted)
      return It->second;
    Entry &E = It->second;
    if (auto Buffer = llvm::MemoryBuffer::getFile(File)) {
      E.Loaded = true;
      E.Text = (*Buffer)->getBuffer().str();
      E.LineStarts.push_back(0);
      for (size_t I = 0; I < E.Text.size(); ++I)
        if (E.Text[I] == '\n')
          E.LineStarts.push_back(I + 1);
    }
    return E;
  }
  llvm::StringMap<Entry> Cache;
};

std::string diagnosticFile(const ClangTidyError &E,
                           const tooling::DiagnosticMessage &M) {
  if (M.FilePath.empty())
    return "";
  return absolutePath(M.FilePath, E.BuildDirectory);
}

corolint::SourcePosition positionOf(SourceFiles &Sources,
                                    const ClangTidyError &E,
                                    const tooling::DiagnosticMessage &M) {
  std::string File = diagnosticFile(E, M);
  if (File.empty())
    return {};
  corolint::SourcePosition Pos = Sources.position(File, M.FileOffset);
  for (const tooling::FileByteRange &Range : M.Ranges)
    if (Range.FileOffset == M.FileOffset &&
        absolutePath(Range.FilePath, E.BuildDirectory) == File) {
      Pos.RangeLength = Range.Length;
      break;
    }
  return Pos;
}

struct Collected {
  corolint::RunResults Results;
  // Fixes of the findings that were kept, keyed by absolute file.
  std::vector<llvm::StringMap<tooling::Replacements>> Fixes;
};

Collected collect(const std::vector<UnitResult> &Units) {
  Collected Out;
  SourceFiles Sources;
  std::set<std::tuple<std::string, unsigned, std::string, std::string>> Seen;
  for (const UnitResult &Unit : Units) {
    ++Out.Results.FilesAnalysed;
    for (const ClangTidyError &E : Unit.Errors) {
      if (isCompilerError(E)) {
        corolint::CompileError CE;
        CE.TranslationUnit = Unit.File;
        CE.Message = E.Message.Message;
        CE.Position = positionOf(Sources, E, E.Message);
        Out.Results.Errors.push_back(std::move(CE));
        continue;
      }
      std::string File = diagnosticFile(E, E.Message);
      // The same header finding arrives once per translation unit.
      if (!Seen.emplace(File, E.Message.FileOffset, E.DiagnosticName,
                        E.Message.Message)
               .second)
        continue;
      corolint::Finding F;
      F.Check = E.DiagnosticName;
      F.Severity =
          (E.IsWarningAsError || E.DiagLevel == tooling::Diagnostic::Error)
              ? "error"
              : "warning";
      F.Message = E.Message.Message;
      F.Position = positionOf(Sources, E, E.Message);
      for (const tooling::DiagnosticMessage &N : E.Notes)
        F.Notes.push_back({N.Message, positionOf(Sources, E, N)});
      llvm::StringMap<tooling::Replacements> Fix;
      for (const auto &[Path, Replacements] : E.Message.Fix)
        Fix[absolutePath(Path, E.BuildDirectory)] = Replacements;
      F.HasFix = !Fix.empty();
      Out.Results.Findings.push_back(std::move(F));
      Out.Fixes.push_back(std::move(Fix));
    }
  }
  return Out;
}

// Applies each finding's fix whole or not at all: a fix that overlaps one
// already taken is skipped and reported.
unsigned
applyFixes(const std::vector<llvm::StringMap<tooling::Replacements>> &Fixes,
           bool &Failed) {
  llvm::StringMap<tooling::Replacements> PerFile;
  unsigned Applied = 0;
  for (const auto &Fix : Fixes) {
    if (Fix.empty())
      continue;
    llvm::StringMap<tooling::Replacements> Trial = PerFile;
    bool Conflict = false;
    for (const auto &[Path, Replacements] : Fix)
      for (const tooling::Replacement &R : Replacements) {
        tooling::Replacement Abs(Path, R.getOffset(), R.getLength(),
                                 R.getReplacementText());
        if (auto Err = Trial[Path].add(Abs)) {
          llvm::consumeError(std::move(Err));
          Conflict = true;
        }
      }
    if (Conflict) {
      llvm::errs() << "corolint: skipped a fix that conflicts with another\n";
      continue;
    }
    PerFile = std::move(Trial);
    ++Applied;
  }
  for (const auto &[Path, Replacements] : PerFile) {
    auto Buffer = llvm::MemoryBuffer::getFile(Path);
    if (!Buffer) {
      llvm::errs() << "corolint: error: cannot read '" << Path
                   << "' to fix it: " << Buffer.getError().message() << "\n";
      Failed = true;
      continue;
    }
    auto NewText =
        tooling::applyAllReplacements((*Buffer)->getBuffer(), Replacements);
    if (!NewText) {
      llvm::errs() << "corolint: error: cannot apply fixes to '" << Path
                   << "': " << llvm::toString(NewText.takeError()) << "\n";
      Failed = true;
      continue;
    }
    std::error_code EC;
    llvm::raw_fd_ostream Out(Path, EC);
    if (EC) {
      llvm::errs() << "corolint: error: cannot write '" << Path
                   << "': " << EC.message() << "\n";
      Failed = true;
      continue;
    }
    Out << *NewText;
  }
  return Applied;
}

int usageError(const llvm::Twine &Message) {
  llvm::errs() << "corolint: error: " << Message << "\n";
  return ExitError;
}

void printVersion(llvm::raw_ostream &OS) {
  OS << "corolint " << COROLINT_VERSION << " (LLVM " << LLVM_VERSION_STRING
     << ")\n";
}

} // namespace

int main(int argc, const char **argv) {
  cl::HideUnrelatedOptions(Category);
  cl::SetVersionPrinter(printVersion);
  std::string DatabaseError;
  // Strips everything after "--" from argc/argv.
  auto FixedCompilations = loadFixedCompilations(argc, argv, DatabaseError);
  if (!cl::ParseCommandLineOptions(
          argc, argv,
          "corolint: async correctness checks for C++20 coroutines\n\n"
          "  corolint [options] <source files> [-- <compiler args>]\n"
          "  corolint -p <build dir> [<source files>]\n\n"
          "Exit status: 0 no findings, 1 findings, 2 bad usage, unreadable "
          "input or a translation unit that failed to compile.\n",
          &llvm::errs()))
    return ExitError;
  if (!DatabaseError.empty())
    return usageError(DatabaseError);

  if (Explain.getNumOccurrences()) {
    std::optional<corolint::CheckInfo> Doc = corolint::findCheckDoc(Explain);
    if (!Doc)
      return usageError("no check named '" + Explain + "' (see --list-checks)");
    llvm::outs() << Doc->Markdown;
    return ExitClean;
  }

  auto Config = explicitConfig();
  if (!Config)
    return usageError(llvm::toString(Config.takeError()));

  std::string Cwd = currentDirectory();
  {
    // .clang-tidy files apply per directory: ask for the first input's.
    auto Provider = makeOptionsProvider(*Config);
    ClangTidyOptions Effective = Provider->getOptions(absolutePath(
        SourcePaths.empty() ? "corolint-probe.cpp" : SourcePaths.front(), Cwd));
    std::vector<std::string> Enabled = getCheckNames(Effective, false);
    if (ListChecks) {
      for (const std::string &Name : Enabled) {
        llvm::outs() << Name;
        if (auto Doc = corolint::findCheckDoc(Name))
          llvm::outs() << "  " << Doc->ShortDescription;
        llvm::outs() << "\n";
      }
      return ExitClean;
    }
    if (Enabled.empty())
      return usageError("no check is enabled (effective Checks: '" +
                        Effective.Checks.value_or("") +
                        "'); enable them with --checks=async-* or in "
                        ".clang-tidy");
  }

  std::unique_ptr<tooling::CompilationDatabase> Compilations =
      std::move(FixedCompilations);
  if (!Compilations && !BuildPath.empty()) {
    Compilations = loadBuildCompilations(DatabaseError);
    if (!Compilations)
      return usageError(DatabaseError);
  }
  std::vector<std::string> Files;
  for (const std::string &Path : SourcePaths)
    Files.push_back(absolutePath(Path, Cwd));
  if (Files.empty()) {
    if (!Compilations || BuildPath.empty())
      return usageError("no source files given (pass files, or -p <build "
                        "dir> to analyse everything in compile_commands.json)");
    for (const std::string &File : Compilations->getAllFiles())
      Files.push_back(absolutePath(File, Cwd));
    if (Files.empty())
      return usageError("the compilation database in '" + BuildPath +
                        "' lists no files");
  }

  corolint::RunResults Unreadable;
  std::vector<std::string> Readable;
  for (const std::string &File : Files) {
    if (!llvm::sys::fs::is_regular_file(File) ||
        llvm::sys::fs::access(File, llvm::sys::fs::AccessMode::Exist)) {
      Unreadable.Errors.push_back(
          {File, "cannot read '" + File + "': no such file", {}});
      continue;
    }
    // Clang reads the file itself; here only whether it may be opened.
    int FD = -1;
    if (std::error_code EC = llvm::sys::fs::openFileForRead(File, FD)) {
      Unreadable.Errors.push_back(
          {File, "cannot read '" + File + "': " + EC.message(), {}});
      continue;
    }
    llvm::sys::Process::SafelyCloseFileDescriptor(FD);
    Readable.push_back(File);
  }
  if (!Compilations && !Readable.empty())
    Compilations = defaultCompilations(Readable.front());
  std::vector<std::string> ToAnalyse;
  for (const std::string &File : Readable) {
    if (Compilations->getCompileCommands(File).empty()) {
      Unreadable.Errors.push_back({File,
                                   "no compile command for '" + File +
                                       "' in the compilation "
                                       "database",
                                   {}});
      continue;
    }
    ToAnalyse.push_back(File);
  }

  Collected Out = collect(analyse(ToAnalyse, *Compilations, *Config));
  corolint::RunResults &Results = Out.Results;
  Results.Errors.insert(Results.Errors.begin(), Unreadable.Errors.begin(),
                        Unreadable.Errors.end());

  bool FixFailed = false;
  unsigned FixesApplied = Fix ? applyFixes(Out.Fixes, FixFailed) : 0;
  corolint::sortAndDeduplicate(Results.Findings);

  std::ofstream FileStream;
  std::ostream *OS = &std::cout;
  if (!OutputFile.empty()) {
    FileStream.open(OutputFile);
    if (!FileStream)
      return usageError("cannot write '" + OutputFile + "'");
    OS = &FileStream;
  }
  switch (OutputFormat) {
  case Format::Text:
    corolint::writeText(Results, *OS);
    break;
  case Format::Json:
    corolint::writeJson(Results, *OS);
    break;
  case Format::Sarif: {
    corolint::SarifOptions Sarif;
    Sarif.ToolVersion = COROLINT_VERSION;
    Sarif.InformationUri = COROLINT_HOMEPAGE;
    Sarif.HelpUriBase = COROLINT_DOCS_URL;
    Sarif.SourceRoot = absolutePath(SarifRoot.empty() ? Cwd : SarifRoot, Cwd);
    Sarif.Rules = corolint::documentedChecks();
    corolint::writeSarif(Results, Sarif, *OS);
    break;
  }
  }
  OS->flush();

  std::set<std::string> FailedUnits;
  for (const corolint::CompileError &E : Results.Errors)
    FailedUnits.insert(E.TranslationUnit);
  if (!Quiet) {
    llvm::errs() << "corolint: " << Results.Findings.size() << " finding"
                 << (Results.Findings.size() == 1 ? "" : "s") << " in "
                 << Files.size() << " file" << (Files.size() == 1 ? "" : "s");
    if (!FailedUnits.empty())
      llvm::errs() << "; " << FailedUnits.size() << " could not be analysed";
    if (Fix)
      llvm::errs() << "; " << FixesApplied << " fix"
                   << (FixesApplied == 1 ? "" : "es") << " applied";
    llvm::errs() << "\n";
  }
  if (!FailedUnits.empty() || FixFailed)
    return ExitError;
  return Results.Findings.empty() ? ExitClean : ExitFindings;
}
