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

#include "Baseline.h"
#include "ChangedLines.h"
#include "CheckDocs.h"
#include "Compilations.h"
#include "Config.h"
#include "ConfigCheck.h"
#include "FileWrite.h"
#include "Findings.h"
#include "Merge.h"
#include "ModuleAnchor.h"
#include "Output.h"
#include "ResultCache.h"
#include "UnitRunner.h"

#include "ClangTidy.h"
#include "ClangTidyDiagnosticConsumer.h"
#include "ClangTidyOptions.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "clang/Tooling/Core/Replacement.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/ThreadPool.h"
#include "llvm/Support/Threading.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <functional>
#include <iostream>
#include <map>
#include <mutex>
#include <set>
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
cl::opt<std::string> ProjectRoot(
    "project-root",
    cl::desc("Directory that SARIF result paths and baseline entries are "
             "relative to (default: the current directory)"),
    cl::cat(Category));
cl::alias SarifRoot("sarif-root", cl::desc("Alias for --project-root"),
                    cl::aliasopt(ProjectRoot), cl::cat(Category));
cl::opt<std::string> BaselineFile(
    "baseline",
    cl::desc("Findings recorded in this file (by --write-baseline) are "
             "reported as baseline findings and do not fail the run: only "
             "new findings exit 1; recorded ones no longer found are "
             "reported as absent"),
    cl::cat(Category));
cl::opt<std::string> Shard(
    "shard",
    cl::desc("K/N: analyse only the K-th of N equal parts of the units (1 "
             "<= K <= N), cut from their order by a hash of each unit's path "
             "relative to the project root, so that adding a unit moves at "
             "most N - 1 others; combine the reports with 'corolint merge'"),
    cl::value_desc("K/N"), cl::cat(Category));
cl::opt<std::string> WarningsAsErrors(
    "warnings-as-errors",
    cl::desc("Checks whose findings are reported as errors, as clang-tidy's "
             "option (globs, added to the configuration's)"),
    cl::cat(Category));
cl::opt<std::string> LineFilter(
    "line-filter",
    cl::desc("Report findings only on these lines, clang-tidy's JSON form: "
             "[{\"name\":\"file.cpp\",\"lines\":[[1,3],[5,7]]},...]"),
    cl::cat(Category));
cl::opt<bool> DumpConfig(
    "dump-config",
    cl::desc("Print the configuration that applies to the first input (or "
             "the current directory) as .clang-tidy YAML, and exit"),
    cl::cat(Category));
cl::opt<std::string> ExportFixes(
    "export-fixes",
    cl::desc("Write the findings and their fixes to this file in "
             "clang-tidy's YAML format, which clang-apply-replacements reads"),
    cl::value_desc("file"), cl::cat(Category));
cl::opt<std::string> CacheDir(
    "cache-dir",
    cl::desc("Keep each unit's results in this directory and reuse them "
             "while the unit after the preprocessor, its command, the "
             "configuration and corolint are unchanged (default: "
             "$COROLINT_CACHE_DIR, else no cache); safe to share between "
             "concurrent runs"),
    cl::value_desc("dir"), cl::cat(Category));
cl::opt<std::string> DiffSpec(
    "diff",
    cl::desc("Analyse only the units a change touches (changed themselves, "
             "or including a changed file) and report only the findings on "
             "changed lines: the change is 'git diff <revision>' of the "
             "working tree, or with '-' a unified diff on standard input "
             "(paths relative to the project root)"),
    cl::value_desc("revision|-"), cl::cat(Category));
cl::opt<std::string> WriteBaselineFile(
    "write-baseline",
    cl::desc("Record this run's findings in this file, for --baseline"),
    cl::cat(Category));
cl::list<std::string> LibraryModels(
    "library-model",
    cl::desc("A library file describing an async library the built-in "
             "tables do not know (docs/library-models.md); may be repeated. "
             "Replaces the LibraryModels option of the configuration"),
    cl::value_desc("file"), cl::cat(Category));
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
cl::opt<bool> Verbose(
    "verbose",
    cl::desc("Also say what was repaired on the way: compiler arguments "
             "clang does not know (dropped), relative directories in the "
             "compilation database"),
    cl::cat(Category));
cl::opt<bool> VerifyConfig(
    "verify-config",
    cl::desc("Check the configuration that applies to the inputs (or to the "
             "current directory) and exit: unreadable .clang-tidy files, "
             "option values the checks cannot use, unknown checks and "
             "options. Exit 0 when it is valid, 2 otherwise"),
    cl::cat(Category));
cl::list<std::string>
    ExtraArgs("extra-arg",
              cl::desc("An argument to append to every compile command (as in "
                       "clang-tidy)"),
              cl::cat(Category));
cl::list<std::string> ExtraArgsBefore(
    "extra-arg-before",
    cl::desc("An argument to insert before every compile command's other "
             "arguments (as in clang-tidy)"),
    cl::cat(Category));
cl::opt<bool> FullTraversal(
    "full-traversal", cl::Hidden,
    cl::desc("Let the checks walk system headers' declarations too (slower; "
             "for comparing)"),
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
  if (WarningsAsErrors.getNumOccurrences())
    Overrides.WarningsAsErrors = WarningsAsErrors;
  if (LibraryModels.getNumOccurrences()) {
    // Absolute, so that every unit finds them whatever its folder.
    std::vector<std::string> Files;
    for (const std::string &File : LibraryModels) {
      llvm::SmallString<256> Path(File);
      llvm::sys::fs::make_absolute(Path);
      llvm::sys::path::remove_dots(Path, /*remove_dot_dot=*/true);
      Files.push_back(std::string(Path));
    }
    Overrides.CheckOptions["LibraryModels"] = ClangTidyOptions::ClangTidyValue(
        llvm::join(Files, ";"), /*Priority=*/1);
  }
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

// --line-filter, parsed once in main (clang-tidy's parser and form).
ClangTidyGlobalOptions GlobalOptions;

// Built once per translation unit: a ClangTidyContext owns its provider.
std::unique_ptr<ClangTidyOptionsProvider>
makeOptionsProvider(const std::optional<ClangTidyOptions> &ExplicitConfig) {
  if (ExplicitConfig)
    return std::make_unique<ConfigOptionsProvider>(
        GlobalOptions, defaultOptions(), *ExplicitConfig, overrideOptions());
  return std::make_unique<FileOptionsProvider>(GlobalOptions, defaultOptions(),
                                               overrideOptions(),
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

// Everything after "--" on the command line.
struct DoubleDash {
  bool Present = false;
  std::vector<std::string> Args;
};

// Removes "--" and what follows from argc/argv: before option parsing.
DoubleDash splitAtDoubleDash(int &Argc, const char **Argv) {
  DoubleDash Split;
  for (int I = 1; I < Argc; ++I)
    if (llvm::StringRef(Argv[I]) == "--") {
      Split.Present = true;
      Split.Args.assign(Argv + I + 1, Argv + Argc);
      Argc = I;
      break;
    }
  return Split;
}

// "corolint a.cpp -- <args>": one command for every file. Arguments clang
// does not know are dropped (a GCC flag must not fail the run) and listed.
llvm::Expected<std::unique_ptr<tooling::CompilationDatabase>>
commandLineDatabase(std::vector<std::string> Args,
                    std::vector<std::string> &Dropped) {
  Args.insert(Args.begin(), "clang++");
  Args = corolint::dropUnknownArguments(Dropped)(Args, "");
  std::vector<const char *> Argv{"corolint", "--"};
  for (size_t I = 1; I < Args.size(); ++I)
    Argv.push_back(Args[I].c_str());
  int Argc = static_cast<int>(Argv.size());
  std::string Error;
  auto Database = tooling::FixedCompilationDatabase::loadFromCommandLine(
      Argc, Argv.data(), Error);
  if (!Database) {
    llvm::StringRef Message(Error);
    Message.consume_front("error: ");
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "invalid compiler arguments after '--': " +
                                       Message.trim());
  }
  return std::move(Database);
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
  corolint::UnitOutcome Outcome;
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

// Calls \p Work(I) for each I below \p Count, on -j threads (default: the
// number of cores) when \p Parallel and there is more than one.
void forEachUnit(size_t Count, const std::function<void(size_t)> &Work,
                 bool Parallel = true) {
  unsigned Threads =
      Jobs ? Jobs : llvm::hardware_concurrency().compute_thread_count();
  if (!Parallel || Threads <= 1 || Count <= 1) {
    for (size_t I = 0; I < Count; ++I)
      Work(I);
    return;
  }
  llvm::DefaultThreadPool Pool(llvm::hardware_concurrency(Threads));
  for (size_t I = 0; I < Count; ++I)
    Pool.async([&Work, I] { Work(I); });
  Pool.wait();
}

// The units of \p Units that \p Change touches: changed themselves, or
// reading a changed file (found by a preprocessor pass, run only when a
// changed file is not itself a unit). A unit that cannot be preprocessed is
// kept: its analysis reports why.
std::vector<std::string>
touchedUnits(const std::vector<std::string> &Units,
             const corolint::ChangedLines &Change,
             const tooling::CompilationDatabase &Compilations,
             const std::optional<ClangTidyOptions> &Config) {
  std::set<std::string> UnitPaths;
  for (const std::string &Unit : Units)
    UnitPaths.insert(corolint::realPath(Unit));
  bool OtherFilesChanged = false;
  for (const std::string &File : Change.files())
    OtherFilesChanged |= !UnitPaths.count(File);
  std::vector<char> Keep(Units.size(), 0);
  auto Decide = [&](size_t I) {
    if (Change.touchesFile(Units[I])) {
      Keep[I] = 1;
      return;
    }
    if (!OtherFilesChanged)
      return;
    std::optional<corolint::PreprocessedUnit> Unit = corolint::preprocessUnit(
        makeOptionsProvider(Config), Compilations, Units[I]);
    Keep[I] = !Unit || llvm::any_of(Unit->Files, [&](const std::string &F) {
      return Change.touchesFile(F);
    });
  };
  // Without a changed header, Decide only looks up names: no threads.
  forEachUnit(Units.size(), Decide, /*Parallel=*/OtherFilesChanged);
  std::vector<std::string> Touched;
  for (size_t I = 0; I < Units.size(); ++I)
    if (Keep[I])
      Touched.push_back(Units[I]);
  return Touched;
}

// --stats (see main).
bool PrintStats = false;

// --cache-dir: the cache, and what every key shares.
struct CacheUse {
  corolint::ResultCache *Cache = nullptr;
  std::string ToolIdentity;
};

std::vector<UnitResult>
analyse(const std::vector<std::string> &Files,
        const tooling::CompilationDatabase &Compilations,
        const std::optional<ClangTidyOptions> &Config, const CacheUse &Cached) {
  std::vector<UnitResult> Results(Files.size());
  ProgressLine Progress(Files.size());
  corolint::UnitSettings Settings;
  Settings.EnableCheckProfile = EnableCheckProfile;
  Settings.StoreCheckProfile = StoreCheckProfile;
  Settings.SkipSystemDeclarations = !FullTraversal;
  // What changes the report besides the sources and the configuration.
  std::string SettingsText = "line-filter=" + LineFilter +
                             ";full-traversal=" + (FullTraversal ? "1" : "0");
  std::mutex CacheErrorMutex;
  bool CacheErrorShown = false;
  auto AnalyseOne = [&](size_t Index) {
    const std::string &File = Files[Index];
    Results[Index].File = File;
    std::optional<std::string> Key;
    // A profile wants the checks to run.
    if (Cached.Cache && !EnableCheckProfile) {
      // One provider: its answer for the file goes into the key, then it
      // configures the preprocessor pass.
      auto Provider = makeOptionsProvider(Config);
      std::string ConfigText = configurationAsText(Provider->getOptions(File));
      if (std::optional<corolint::PreprocessedUnit> Source =
              corolint::preprocessUnit(std::move(Provider), Compilations,
                                       File)) {
        Key = corolint::ResultCache::key(Source->Hash, ConfigText, SettingsText,
                                         Cached.ToolIdentity);
        if (std::optional<corolint::UnitOutcome> Hit =
                Cached.Cache->lookup(*Key)) {
          Results[Index].Outcome = std::move(*Hit);
          Progress.done(File);
          return;
        }
      }
    }
    Results[Index].Outcome = corolint::analyseUnit(
        makeOptionsProvider(Config), Compilations, File, Settings);
    if (Key && !Results[Index].Outcome.Crash)
      if (llvm::Error E = Cached.Cache->store(*Key, Results[Index].Outcome)) {
        // The run's results do not depend on the cache: say it once.
        std::lock_guard<std::mutex> Lock(CacheErrorMutex);
        if (!std::exchange(CacheErrorShown, true))
          llvm::errs() << "corolint: warning: " << llvm::toString(std::move(E))
                       << "\n";
        else
          llvm::consumeError(std::move(E));
      }
    Progress.done(File);
  };
  forEachUnit(Files.size(), AnalyseOne);
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
  // The findings as clang-tidy has them, for --export-fixes.
  std::vector<ClangTidyError> Diagnostics;
};

Collected collect(const std::vector<UnitResult> &Units) {
  Collected Out;
  SourceFiles Sources;
  std::set<std::tuple<std::string, unsigned, std::string, std::string>> Seen;
  std::set<std::string> ConfigMessages;
  for (const UnitResult &Unit : Units) {
    ++Out.Results.FilesAnalysed;
    if (Unit.Outcome.Crash) {
      corolint::CompileError CE;
      CE.TranslationUnit = Unit.File;
      CE.Kind = corolint::ErrorKind::Crash;
      CE.Message = "cannot analyse '" + Unit.File + "': " + *Unit.Outcome.Crash;
      Out.Results.Errors.push_back(std::move(CE));
      continue;
    }
    for (const ClangTidyError &E : Unit.Outcome.Errors) {
      // Checked before the run; one that depends on the unit (an option read
      // late) is still an error of the configuration, once, not a finding.
      if (E.DiagnosticName == "clang-tidy-config") {
        if (ConfigMessages.insert(E.Message.Message).second)
          Out.Results.Errors.push_back(
              {"", E.Message.Message, {}, corolint::ErrorKind::Config});
        continue;
      }
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
      Out.Diagnostics.push_back(E);
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
    if (llvm::Error E = corolint::writeFileAtomically(Path.str(), *NewText)) {
      llvm::errs() << "corolint: error: " << llvm::toString(std::move(E))
                   << "\n";
      Failed = true;
    }
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

// --- reporting -------------------------------------------------------------

std::string projectRoot(const std::string &Cwd) {
  return absolutePath(ProjectRoot.empty() ? Cwd : ProjectRoot, Cwd);
}

std::string renderReport(const corolint::RunResults &Results,
                         const std::string &Cwd) {
  std::ostringstream OS;
  switch (OutputFormat) {
  case Format::Text:
    corolint::writeText(Results, OS);
    break;
  case Format::Json:
    corolint::writeJson(Results, OS);
    break;
  case Format::Sarif: {
    corolint::SarifOptions Sarif;
    Sarif.ToolVersion = COROLINT_VERSION;
    Sarif.InformationUri = COROLINT_HOMEPAGE;
    Sarif.HelpUriBase = COROLINT_DOCS_URL;
    Sarif.SourceRoot = projectRoot(Cwd);
    Sarif.Rules = corolint::documentedChecks();
    if (size_t Dropped = corolint::writeSarif(Results, Sarif, OS))
      llvm::errs() << "corolint: warning: SARIF keeps " << Sarif.MaxResults
                   << " results (GitHub's limit per run), errors first; "
                   << Dropped << " left out (the JSON format has them all)\n";
    break;
  }
  }
  return OS.str();
}

// The report goes to --output whole or not at all, or to standard output.
bool emitReport(const corolint::RunResults &Results, const std::string &Cwd) {
  std::string Report = renderReport(Results, Cwd);
  if (OutputFile.empty()) {
    std::cout << Report;
    std::cout.flush();
    return true;
  }
  if (llvm::Error E = corolint::writeFileAtomically(OutputFile, Report)) {
    llvm::errs() << "corolint: error: " << llvm::toString(std::move(E)) << "\n";
    return false;
  }
  return true;
}

// Configuration problems stop the run before anything is analysed: they are
// reported (in the chosen format too, so that a CI upload still happens) and
// the exit status is 2.
int reportConfigProblems(const std::vector<corolint::ConfigProblem> &Problems,
                         const std::string &Cwd) {
  corolint::RunResults Results;
  for (const corolint::ConfigProblem &P : Problems)
    Results.Errors.push_back({P.Source,
                              P.Source + ": " + P.Message,
                              {},
                              corolint::ErrorKind::Config});
  if (OutputFormat != Format::Text || !OutputFile.empty())
    emitReport(Results, Cwd);
  for (const corolint::ConfigProblem &P : Problems)
    llvm::errs() << "corolint: error: " << P.Source << ": " << P.Message
                 << "\n";
  if (!Quiet)
    llvm::errs() << "corolint: the configuration is invalid; nothing was "
                    "analysed\n";
  return ExitError;
}

struct ShardSpec {
  unsigned Index = 0; // 0-based
  unsigned Count = 1;
};

std::optional<ShardSpec> parseShard(llvm::StringRef Text) {
  auto [K, N] = Text.split('/');
  ShardSpec Spec;
  unsigned One;
  if (K.getAsInteger(10, One) || N.getAsInteger(10, Spec.Count) || One < 1 ||
      One > Spec.Count)
    return std::nullopt;
  Spec.Index = One - 1;
  return Spec;
}

// The units of shard \p Spec: ordered by a hash (FNV-1a) of each unit's
// path relative to the project root, the same on every machine whatever the
// checkout's location, and cut into N runs of equal length. Balanced by
// count, and stable: adding or removing a unit moves at most one unit
// across each of the N - 1 cuts.
std::vector<std::string> shardOf(const std::vector<std::string> &Files,
                                 const ShardSpec &Spec,
                                 const std::string &Root) {
  std::vector<std::pair<uint64_t, const std::string *>> Ordered;
  for (const std::string &File : Files) {
    std::string Relative = corolint::relativeTo(File, Root);
    Ordered.emplace_back(corolint::fnv1a(Relative.empty() ? File : Relative),
                         &File);
  }
  std::sort(Ordered.begin(), Ordered.end(), [](const auto &A, const auto &B) {
    return std::tie(A.first, *A.second) < std::tie(B.first, *B.second);
  });
  std::set<const std::string *> Mine;
  for (size_t Rank = 0; Rank < Ordered.size(); ++Rank)
    if (Rank * Spec.Count / Ordered.size() == Spec.Index)
      Mine.insert(Ordered[Rank].second);
  std::vector<std::string> Kept; // in the order given
  for (const std::string &File : Files)
    if (Mine.count(&File))
      Kept.push_back(File);
  return Kept;
}

// One representative file per folder: .clang-tidy files apply per folder.
std::vector<std::string> oneFilePerFolder(const std::vector<std::string> &Files,
                                          const std::string &Cwd) {
  std::vector<std::string> Probes;
  llvm::StringSet<> Folders;
  for (const std::string &File : Files)
    if (Folders.insert(llvm::sys::path::parent_path(File)).second)
      Probes.push_back(File);
  if (Probes.empty())
    Probes.push_back(absolutePath("corolint-probe.cpp", Cwd));
  return Probes;
}

template <typename T> void sortUnique(std::vector<T> &Items) {
  std::sort(Items.begin(), Items.end());
  Items.erase(std::unique(Items.begin(), Items.end()), Items.end());
}

// The .clang-tidy files that apply to \p Probes must parse (an explicit
// configuration replaces them): an exit status when they do not, after
// reporting them; their warnings go to stderr.
std::optional<int>
unreadableConfigStatus(const std::vector<std::string> &Probes,
                       const std::optional<ClangTidyOptions> &ExplicitConfig,
                       const std::string &Cwd) {
  if (ExplicitConfig)
    return std::nullopt;
  std::vector<corolint::ConfigProblem> Warnings;
  std::vector<corolint::ConfigProblem> Problems =
      corolint::unreadableConfigFiles(Probes, Warnings);
  sortUnique(Problems);
  if (!Problems.empty())
    return reportConfigProblems(Problems, Cwd);
  sortUnique(Warnings);
  for (const corolint::ConfigProblem &W : Warnings)
    llvm::errs() << "corolint: warning: " << W.Source << ": " << W.Message
                 << "\n";
  return std::nullopt;
}

// Input files that cannot be analysed at all, with why.
std::optional<std::string> unreadable(const std::string &File) {
  llvm::sys::fs::file_status Status;
  if (llvm::sys::fs::status(File, Status))
    return "cannot read '" + File + "': no such file";
  if (llvm::sys::fs::is_directory(Status))
    return "cannot analyse '" + File +
           "': it is a directory (name the files, or use -p <build dir>)";
  if (!llvm::sys::fs::is_regular_file(Status))
    return "cannot analyse '" + File + "': not a regular file";
  // Clang reads the file itself; here only whether it may be opened.
  int FD = -1;
  if (std::error_code EC = llvm::sys::fs::openFileForRead(File, FD))
    return "cannot read '" + File + "': " + EC.message();
  llvm::sys::Process::SafelyCloseFileDescriptor(FD);
  return std::nullopt;
}

// corolint merge <report>... [--output=<file>] [--quiet]: the reports of
// several shards as one. Exit status as for a run: 2 if a report cannot be
// merged or a shard could not analyse a unit, 1 if there are new findings.
int mergeMain(int Argc, const char **Argv) {
  std::vector<std::string> Inputs;
  std::string Output;
  bool QuietMerge = false;
  for (int I = 2; I < Argc; ++I) {
    llvm::StringRef Arg(Argv[I]);
    if (Arg.consume_front("--output=") || Arg.consume_front("-output="))
      Output = Arg.str();
    else if ((Arg == "--output" || Arg == "-o") && I + 1 < Argc)
      Output = Argv[++I];
    else if (Arg == "--quiet" || Arg == "-quiet")
      QuietMerge = true;
    else if (Arg.starts_with("-"))
      return usageError("merge: unknown option '" + Arg +
                        "' (usage: corolint merge <report>... "
                        "[--output=<file>] [--quiet])");
    else
      Inputs.push_back(Arg.str());
  }
  if (Inputs.empty())
    return usageError("merge: no reports given (usage: corolint merge "
                      "<report>... [--output=<file>])");
  std::vector<std::pair<std::string, std::string>> Reports;
  for (const std::string &Input : Inputs) {
    if (!Output.empty() && llvm::sys::fs::equivalent(Output, Input))
      return usageError("merge: --output '" + Output +
                        "' is one of the reports; refusing to overwrite it");
    auto Buffer = llvm::MemoryBuffer::getFile(Input);
    if (!Buffer)
      return usageError("merge: cannot read '" + Input +
                        "': " + Buffer.getError().message());
    Reports.emplace_back(Input, (*Buffer)->getBuffer().str());
  }
  corolint::MergeOutcome Merged = corolint::mergeReports(Reports);
  if (!Merged.Error.empty())
    return usageError("merge: " + Merged.Error);
  if (Merged.DroppedForLimit)
    llvm::errs() << "corolint: warning: SARIF keeps "
                 << corolint::MaxSarifResults
                 << " results (GitHub's limit per run), errors first; "
                 << Merged.DroppedForLimit << " left out\n";
  if (Output.empty()) {
    std::cout << Merged.Report;
    std::cout.flush();
  } else if (llvm::Error E =
                 corolint::writeFileAtomically(Output, Merged.Report)) {
    return usageError(llvm::toString(std::move(E)));
  }
  if (!QuietMerge)
    llvm::errs() << "corolint: merged " << Reports.size() << " report"
                 << (Reports.size() == 1 ? "" : "s") << "; "
                 << Merged.NewFindings << " new finding"
                 << (Merged.NewFindings == 1 ? "" : "s") << "\n";
  if (Merged.Failed)
    return ExitError;
  return Merged.NewFindings ? ExitFindings : ExitClean;
}

} // namespace

int main(int argc, const char **argv) {
  llvm::InitLLVM InitLLVM(argc, argv);
  if (argc > 1 && llvm::StringRef(argv[1]) == "merge")
    return mergeMain(argc, argv);
  corolint::enableCrashContainment();
  cl::HideUnrelatedOptions(Category);
  cl::SetVersionPrinter(printVersion);
  // Response files first, so that a "--" inside one splits as on the
  // command line (clang-tidy's own parser would take what follows it for
  // source files).
  llvm::BumpPtrAllocator Allocator;
  llvm::SmallVector<const char *, 64> Expanded(argv, argv + argc);
  cl::ExpansionContext Expansion(Allocator, cl::TokenizeGNUCommandLine);
  if (llvm::Error E = Expansion.expandResponseFiles(Expanded)) {
    llvm::errs() << "corolint: error: " << llvm::toString(std::move(E)) << "\n";
    return ExitError;
  }
  argc = static_cast<int>(Expanded.size());
  argv = Expanded.data();
  DoubleDash CompilerArgs = splitAtDoubleDash(argc, argv);
  // --stats is taken here: LLVM registers an option of that name for its
  // own statistics, which this build does not collect.
  argc =
      static_cast<int>(std::remove_if(argv + 1, argv + argc,
                                      [](llvm::StringRef Arg) {
                                        if (Arg != "--stats" && Arg != "-stats")
                                          return false;
                                        PrintStats = true;
                                        return true;
                                      }) -
                       argv);
  if (!cl::ParseCommandLineOptions(
          argc, argv,
          "corolint: async correctness checks for C++20 coroutines\n\n"
          "  corolint [options] <source files> [-- <compiler args>]\n"
          "  corolint -p <build dir> [<source files>] [-- <extra args>]\n\n"
          "--stats prints the units analysed and the cache's hits and "
          "misses.\n\n"
          "Exit status: 0 no findings, 1 findings, 2 bad usage, an invalid "
          "configuration, unreadable input, a translation unit that failed "
          "to compile or crashed the analyser.\n",
          &llvm::errs()))
    return ExitError;

  if (Explain.getNumOccurrences()) {
    std::optional<corolint::CheckInfo> Doc = corolint::findCheckDoc(Explain);
    if (!Doc)
      return usageError("no check named '" + Explain + "' (see --list-checks)");
    llvm::outs() << Doc->Markdown;
    return ExitClean;
  }

  if (LineFilter.getNumOccurrences()) {
    // Checked as JSON first: clang-tidy's parser reads it as YAML and
    // answers only "Invalid argument".
    if (llvm::Expected<llvm::json::Value> Parsed =
            llvm::json::parse(LineFilter);
        !Parsed)
      return usageError("invalid --line-filter '" + LineFilter +
                        "': " + llvm::toString(Parsed.takeError()));
    if (std::error_code EC = parseLineFilter(LineFilter, GlobalOptions))
      return usageError("invalid --line-filter '" + LineFilter +
                        "': expected [{\"name\": \"file\", \"lines\": "
                        "[[first, last], ...]}, ...] (" +
                        EC.message() + ")");
  }

  std::string Cwd = currentDirectory();
  std::vector<std::string> Files;
  for (const std::string &Path : SourcePaths)
    Files.push_back(absolutePath(Path, Cwd));
  std::string ExplicitSource = ConfigFile.getNumOccurrences()
                                   ? absolutePath(ConfigFile, Cwd)
                               : InlineConfig.getNumOccurrences() ? "--config"
                                                                  : "";
  auto Config = explicitConfig();
  if (!Config)
    return usageError(llvm::toString(Config.takeError()));

  if (DumpConfig) {
    std::vector<std::string> Probes = oneFilePerFolder(Files, Cwd);
    if (std::optional<int> Status =
            unreadableConfigStatus(Probes, *Config, Cwd))
      return *Status;
    llvm::outs() << configurationAsText(
                        makeOptionsProvider(*Config)->getOptions(
                            Probes.front()))
                 << "\n";
    return ExitClean;
  }

  if (ListChecks) {
    std::vector<std::string> Probes = oneFilePerFolder(Files, Cwd);
    if (std::optional<int> Status =
            unreadableConfigStatus(Probes, *Config, Cwd))
      return *Status;
    auto Provider = makeOptionsProvider(*Config);
    for (const std::string &Name :
         getCheckNames(Provider->getOptions(Probes.front()), false)) {
      llvm::outs() << Name;
      if (auto Doc = corolint::findCheckDoc(Name))
        llvm::outs() << "  " << Doc->ShortDescription;
      llvm::outs() << "\n";
    }
    return ExitClean;
  }

  // --- compile commands, and with -p alone the files they list
  std::vector<std::string> Notes;
  std::unique_ptr<tooling::CompilationDatabase> Compilations;
  std::string DatabaseName;
  std::vector<std::string> Appended(ExtraArgs.begin(), ExtraArgs.end());
  if (!BuildPath.empty()) {
    auto Loaded = corolint::loadBuildDatabase(BuildPath);
    if (!Loaded)
      return usageError(llvm::toString(Loaded.takeError()));
    DatabaseName = Loaded->Path;
    Notes = std::move(Loaded->Notes);
    // With -p, "--" adds to each command, as --extra-arg does.
    Appended.insert(Appended.end(), CompilerArgs.Args.begin(),
                    CompilerArgs.Args.end());
    Compilations = std::move(Loaded->Database);
    if (Files.empty()) {
      for (const std::string &File : Compilations->getAllFiles())
        Files.push_back(absolutePath(File, Cwd));
      if (Files.empty())
        return usageError("the compilation database '" + DatabaseName +
                          "' lists no files");
    }
  } else if (CompilerArgs.Present) {
    std::vector<std::string> Dropped;
    auto Fixed = commandLineDatabase(CompilerArgs.Args, Dropped);
    if (!Fixed)
      return usageError(llvm::toString(Fixed.takeError()));
    if (!Dropped.empty())
      Notes.push_back("dropped compiler arguments clang does not know: " +
                      llvm::join(Dropped, " "));
    Compilations = std::move(*Fixed);
  }

  // --shard keeps its part of the units; the others' files still decide
  // which baseline entries this shard may call absent.
  std::vector<std::string> AllUnits = Files;
  if (Shard.getNumOccurrences()) {
    std::optional<ShardSpec> Spec = parseShard(Shard);
    if (!Spec)
      return usageError("invalid --shard '" + Shard +
                        "': expected K/N with 1 <= K <= N");
    std::vector<std::string> Mine = shardOf(Files, *Spec, projectRoot(Cwd));
    if (Verbose)
      llvm::errs() << "corolint: note: shard " << Shard << ": " << Mine.size()
                   << " of " << Files.size() << " units\n";
    Files = std::move(Mine);
  }

  // Never overwrite what is being analysed (all of it: with -p alone, the
  // database's files).
  for (const auto &[Option, Target] :
       {std::pair{"--output", &OutputFile},
        std::pair{"--write-baseline", &WriteBaselineFile},
        std::pair{"--export-fixes", &ExportFixes}})
    if (!Target->empty())
      for (const std::string &File : Files)
        if (llvm::sys::fs::equivalent(*Target, File))
          return usageError(std::string(Option) + " '" + *Target +
                            "' is one of the input files; refusing to "
                            "overwrite it");
  // A cache directory that cannot be used stops the run before anything is
  // analysed (the option wins over the environment).
  std::unique_ptr<corolint::ResultCache> Cache;
  CacheUse Cached;
  std::string CachePath = CacheDir;
  if (!CacheDir.getNumOccurrences())
    if (std::optional<std::string> FromEnv =
            llvm::sys::Process::GetEnv("COROLINT_CACHE_DIR"))
      CachePath = *FromEnv;
  if (!CachePath.empty()) {
    auto Opened = corolint::ResultCache::open(absolutePath(CachePath, Cwd));
    if (!Opened)
      return usageError(llvm::toString(Opened.takeError()));
    Cache = std::move(*Opened);
    Cached.Cache = Cache.get();
    Cached.ToolIdentity =
        corolint::toolIdentity(argv[0], reinterpret_cast<void *>(&usageError));
  }
  // The change of --diff, read before anything is analysed.
  std::optional<corolint::ChangedLines> Change;
  if (DiffSpec.getNumOccurrences()) {
    std::string DiffText, DiffRoot = projectRoot(Cwd);
    if (DiffSpec == "-") {
      llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> Input =
          llvm::MemoryBuffer::getSTDIN();
      if (!Input)
        return usageError("--diff=-: cannot read standard input: " +
                          Input.getError().message());
      DiffText = (*Input)->getBuffer().str();
    } else {
      auto Git = corolint::gitDiff(DiffSpec, Cwd);
      if (!Git)
        return usageError("--diff=" + DiffSpec + ": " +
                          llvm::toString(Git.takeError()));
      DiffText = std::move(Git->first);
      DiffRoot = std::move(Git->second);
    }
    auto Parsed = corolint::ChangedLines::parse(DiffText, DiffRoot);
    if (!Parsed)
      return usageError("--diff=" + DiffSpec + ": " +
                        llvm::toString(Parsed.takeError()));
    Change = std::move(*Parsed);
  }
  // A baseline that cannot be used stops the run before anything is
  // analysed.
  std::optional<std::vector<corolint::BaselineEntry>> Baseline;
  if (!BaselineFile.empty()) {
    auto Read = corolint::readBaseline(BaselineFile);
    if (!Read)
      return usageError(llvm::toString(Read.takeError()));
    Baseline = std::move(*Read);
  }

  // --- configuration, for every folder of the inputs, before anything runs
  std::vector<std::string> Probes = oneFilePerFolder(Files, Cwd);
  if (std::optional<int> Status = unreadableConfigStatus(Probes, *Config, Cwd))
    return *Status;
  auto Provider = makeOptionsProvider(*Config);
  ClangTidyOptions Effective = Provider->getOptions(Probes.front());
  std::vector<std::string> Enabled = getCheckNames(Effective, false);
  std::vector<corolint::ConfigProblem> Problems;
  for (const std::string &Probe : Probes) {
    auto Found =
        corolint::invalidOptionValues(*Provider, Probe, ExplicitSource);
    Problems.insert(Problems.end(), Found.begin(), Found.end());
    if (VerifyConfig) {
      auto Unknown =
          corolint::unknownChecksAndOptions(*Provider, Probe, ExplicitSource);
      Problems.insert(Problems.end(), Unknown.begin(), Unknown.end());
    }
  }
  sortUnique(Problems);
  if (VerifyConfig) {
    if (Enabled.empty())
      Problems.push_back(
          {ExplicitSource.empty() ? "the configuration" : ExplicitSource,
           "no check is enabled"});
    for (const corolint::ConfigProblem &P : Problems)
      llvm::errs() << "corolint: error: " << P.Source << ": " << P.Message
                   << "\n";
    if (Problems.empty())
      llvm::outs() << "No config errors detected.\n";
    return Problems.empty() ? ExitClean : ExitError;
  }
  if (!Problems.empty())
    return reportConfigProblems(Problems, Cwd);
  if (Enabled.empty())
    return usageError("no check is enabled (effective Checks: '" +
                      Effective.Checks.value_or("") +
                      "'); enable them with --checks=async-* or in "
                      ".clang-tidy");
  if (Files.empty() && !Shard.getNumOccurrences())
    return usageError("no source files given (pass files, or -p <build "
                      "dir> to analyse everything in compile_commands.json)");

  corolint::RunResults Unreadable;
  std::vector<std::string> Readable;
  for (const std::string &File : Files) {
    if (std::optional<std::string> Why = unreadable(File)) {
      Unreadable.Errors.push_back({File, *Why, {}, corolint::ErrorKind::Input});
      continue;
    }
    Readable.push_back(File);
  }
  if (!Compilations && !Readable.empty())
    Compilations = defaultCompilations(Readable.front());
  if (Compilations)
    Compilations = corolint::withExtraArguments(
        std::move(Compilations),
        std::vector<std::string>(ExtraArgsBefore.begin(),
                                 ExtraArgsBefore.end()),
        Appended);
  std::vector<std::string> ToAnalyse;
  for (const std::string &File : Readable) {
    if (Compilations->getCompileCommands(File).empty()) {
      Unreadable.Errors.push_back(
          {File,
           "no compile command for '" + File + "' in " +
               (DatabaseName.empty() ? "the compilation database"
                                     : "'" + DatabaseName + "'"),
           {},
           corolint::ErrorKind::Input});
      continue;
    }
    ToAnalyse.push_back(File);
  }

  size_t Candidates = ToAnalyse.size();
  if (Change && !ToAnalyse.empty())
    ToAnalyse = touchedUnits(ToAnalyse, *Change, *Compilations, *Config);
  std::vector<UnitResult> Units;
  if (!ToAnalyse.empty())
    Units = analyse(ToAnalyse, *Compilations, *Config, Cached);
  if (PrintStats) {
    llvm::errs() << "corolint: stats: " << ToAnalyse.size() << " unit"
                 << (ToAnalyse.size() == 1 ? "" : "s");
    if (Change)
      llvm::errs() << " of " << Candidates << " touched by the change";
    if (Cache)
      llvm::errs() << "; cache: " << Cache->Hits << " hits, " << Cache->Misses
                   << " misses, " << Cache->Stored << " stored";
    llvm::errs() << "\n";
  }
  if (Verbose) {
    for (const std::string &Note : Notes)
      llvm::errs() << "corolint: note: " << Note << "\n";
    for (const UnitResult &Unit : Units)
      if (!Unit.Outcome.DroppedArguments.empty()) {
        std::vector<std::string> Dropped = Unit.Outcome.DroppedArguments;
        sortUnique(Dropped);
        llvm::errs() << "corolint: note: " << Unit.File
                     << ": dropped compiler arguments clang does not know: "
                     << llvm::join(Dropped, " ") << "\n";
      }
  }
  Collected Out = collect(Units);
  if (Change) {
    // clang-tidy-diff's rule (notes count too), applied to what is fixed
    // and exported as well as to what is reported.
    Collected Kept;
    for (size_t I = 0; I < Out.Results.Findings.size(); ++I)
      if (Change->touches(Out.Results.Findings[I])) {
        Kept.Results.Findings.push_back(std::move(Out.Results.Findings[I]));
        Kept.Fixes.push_back(std::move(Out.Fixes[I]));
        Kept.Diagnostics.push_back(std::move(Out.Diagnostics[I]));
      }
    Out.Results.Findings = std::move(Kept.Results.Findings);
    Out.Fixes = std::move(Kept.Fixes);
    Out.Diagnostics = std::move(Kept.Diagnostics);
  }
  corolint::RunResults &Results = Out.Results;
  Results.Errors.insert(Results.Errors.begin(), Unreadable.Errors.begin(),
                        Unreadable.Errors.end());

  bool FixFailed = false;
  unsigned FixesApplied = Fix ? applyFixes(Out.Fixes, FixFailed) : 0;
  corolint::sortAndDeduplicate(Results.Findings);
  corolint::assignFingerprints(Results.Findings, projectRoot(Cwd));
  if (Baseline) {
    // A shard calls absent only what it could have found: entries of its own
    // units, and of files that are no unit (headers, which another shard may
    // still find: 'corolint merge' settles those).
    std::set<std::string> OtherUnits(AllUnits.begin(), AllUnits.end());
    for (const std::string &File : Files)
      OtherUnits.erase(File);
    corolint::applyBaseline(Results, *Baseline, projectRoot(Cwd));
    llvm::erase_if(Results.Absent, [&](const corolint::Finding &F) {
      return OtherUnits.count(F.Position.File) != 0;
    });
    // What a partial run did not find is not known to be fixed.
    if (Change)
      Results.Absent.clear();
  }
  if (!emitReport(Results, Cwd))
    return ExitError;
  if (!ExportFixes.empty()) {
    std::string Yaml;
    llvm::raw_string_ostream YamlStream(Yaml);
    exportReplacements(Files.empty() ? "" : Files.front(), Out.Diagnostics,
                       YamlStream);
    YamlStream.flush();
    if (llvm::Error E = corolint::writeFileAtomically(ExportFixes, Yaml)) {
      llvm::errs() << "corolint: error: " << llvm::toString(std::move(E))
                   << "\n";
      return ExitError;
    }
  }
  if (!WriteBaselineFile.empty())
    if (llvm::Error E = corolint::writeFileAtomically(
            WriteBaselineFile, corolint::renderBaseline(Results.Findings))) {
      llvm::errs() << "corolint: error: " << llvm::toString(std::move(E))
                   << "\n";
      return ExitError;
    }
  size_t NewFindings = 0;
  for (const corolint::Finding &F : Results.Findings)
    NewFindings += !F.InBaseline;

  std::set<std::string> FailedUnits;
  unsigned Crashed = 0;
  for (const corolint::CompileError &E : Results.Errors) {
    FailedUnits.insert(E.TranslationUnit);
    Crashed += E.Kind == corolint::ErrorKind::Crash;
  }
  if (!Quiet) {
    llvm::errs() << "corolint: " << Results.Findings.size() << " finding"
                 << (Results.Findings.size() == 1 ? "" : "s");
    if (Results.BaselineApplied)
      llvm::errs() << " (" << NewFindings << " new, "
                   << Results.Findings.size() - NewFindings
                   << " in the baseline, " << Results.Absent.size()
                   << " fixed since it)";
    llvm::errs() << " in " << Files.size() << " file"
                 << (Files.size() == 1 ? "" : "s");
    if (!FailedUnits.empty())
      llvm::errs() << "; " << FailedUnits.size() << " could not be analysed";
    if (Crashed)
      llvm::errs() << " (" << Crashed << " crashed the analyser)";
    if (Fix)
      llvm::errs() << "; " << FixesApplied << " fix"
                   << (FixesApplied == 1 ? "" : "es") << " applied";
    llvm::errs() << "\n";
  }
  if (!FailedUnits.empty() || FixFailed)
    return ExitError;
  return NewFindings == 0 ? ExitClean : ExitFindings;
}
