//===--- UnitRunner.cpp - analyse one translation unit, crash contained ---===//
//
// Crash containment: why in-process recovery and not a worker process.
// clang itself runs its front end in-process under llvm::CrashRecoveryContext
// (the driver's integrated cc1, libclang) and corolint does the same: a unit
// costs one setjmp more, where a worker process per unit would pay a process
// start and re-read the compilation database each time (docs/performance.md
// has the figures). What in-process recovery cannot survive, a crash that
// corrupts the heap shared with other units, is rare enough in the front end
// that clang accepts it too; such a crash ends the run with LLVM's stack dump,
// never silently.
//
// The traversal scope: the match finder (and the parent map that hasParent /
// hasAncestor build) walk ASTContext::getTraversalScope(). By default that is
// the whole translation unit, mostly the standard library's and other system
// headers' declarations, where no check reports anything. Restricting it to
// the top-level declarations outside system headers, as clangd does for the
// main file, finds the same things for less work.
//
//===----------------------------------------------------------------------===//

#include "UnitRunner.h"

#include "ClangTidy.h"
#include "ClangTidyModule.h"
#include "clang/Basic/DiagnosticOptions.h"
#include "clang/Driver/Options.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Frontend/MultiplexConsumer.h"
#include "clang/Lex/Preprocessor.h"
#include "clang/Lex/PreprocessorOptions.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/Option/ArgList.h"
#include "llvm/Option/OptTable.h"
#include "llvm/Support/CrashRecoveryContext.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/MD5.h"
#include "llvm/Support/PrettyStackTrace.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/xxhash.h"

#include <algorithm>
#include <csignal>
#include <cstring>
#include <mutex>

using namespace clang;
using namespace clang::tidy;

namespace corolint {

namespace {

// --- crash containment -----------------------------------------------------

/// What a contained crash left behind, filled on the crashing thread.
struct CrashCapture {
  int Signal = 0;
  std::string FatalMessage;
  std::vector<std::string> ClangWasDoing; // outermost first
};

thread_local CrashCapture *CurrentCapture = nullptr;
// The pretty stack as it was when the unit started (on the main thread,
// LLVM's "Program arguments" entry): what lies below is not the unit's.
thread_local const void *UnitStackBase = nullptr;

/// An entry pushed only to read the thread's pretty stack: an entry's next
/// entry is the one that was on top when it was pushed.
class StackReader : public llvm::PrettyStackTraceEntry {
public:
  void print(llvm::raw_ostream &) const override {}
};

void recordPrettyStack(CrashCapture &Capture) {
  if (!Capture.ClangWasDoing.empty())
    return;
  StackReader Reader;
  std::vector<std::string> InnermostFirst;
  for (const llvm::PrettyStackTraceEntry *E = Reader.getNextEntry();
       E && E != UnitStackBase; E = E->getNextEntry()) {
    std::string Text;
    llvm::raw_string_ostream OS(Text);
    E->print(OS);
    OS.flush();
    while (!Text.empty() && (Text.back() == '\n' || Text.back() == ' '))
      Text.pop_back();
    InnermostFirst.push_back(std::move(Text));
  }
  Capture.ClangWasDoing.assign(InnermostFirst.rbegin(), InnermostFirst.rend());
}

const int ContainedSignals[] = {SIGABRT, SIGBUS,  SIGFPE,
                                SIGILL,  SIGSEGV, SIGTRAP};
struct sigaction RecoveryActions[std::size(ContainedSignals)];

// Runs before CrashRecoveryContext's own handler, which it then calls: that
// one jumps back to the unit's RunSafely, or, on a thread with no unit, lets
// the process die with LLVM's stack dump.
void onCrashSignal(int Signal) {
  if (CrashCapture *Capture = CurrentCapture) {
    Capture->Signal = Signal;
    recordPrettyStack(*Capture);
  }
  for (size_t I = 0; I < std::size(ContainedSignals); ++I)
    if (ContainedSignals[I] == Signal) {
      const struct sigaction &Next = RecoveryActions[I];
      if (Next.sa_handler != SIG_DFL && Next.sa_handler != SIG_IGN) {
        Next.sa_handler(Signal);
        return;
      }
    }
  std::signal(Signal, SIG_DFL);
  std::raise(Signal);
}

// report_fatal_error would otherwise exit the whole process.
void onFatalError(void *, const char *Reason, bool) {
  if (CrashCapture *Capture = CurrentCapture)
    if (llvm::CrashRecoveryContext *Recovery =
            llvm::CrashRecoveryContext::GetCurrent()) {
      Capture->FatalMessage = Reason;
      recordPrettyStack(*Capture);
      Recovery->HandleExit(1);
    }
  llvm::errs() << "corolint: fatal error: " << Reason << "\n";
  llvm::errs().flush();
  std::_Exit(2);
}

std::string describeCrash(const CrashCapture &Capture) {
  std::string Text = "the analyser crashed";
  if (Capture.Signal)
    Text += std::string(" (") + strsignal(Capture.Signal) + ")";
  else if (!Capture.FatalMessage.empty())
    Text += " (fatal error: " + Capture.FatalMessage + ")";
  // The innermost entries say most: "parsing function body 'f'".
  constexpr size_t Shown = 5;
  size_t First = Capture.ClangWasDoing.size() > Shown
                     ? Capture.ClangWasDoing.size() - Shown
                     : 0;
  for (size_t I = First; I < Capture.ClangWasDoing.size(); ++I)
    Text += (I == First ? "; clang was at: " : "; then: ") +
            Capture.ClangWasDoing[I];
  return Text;
}

// --- arguments -------------------------------------------------------------

tooling::ArgumentsAdjuster extraArgumentsFromConfig(ClangTidyContext &Context) {
  return [&Context](const tooling::CommandLineArguments &Args,
                    llvm::StringRef File) {
    ClangTidyOptions Options = Context.getOptionsForFile(File);
    tooling::CommandLineArguments Adjusted = Args;
    if (Options.ExtraArgsBefore)
      Adjusted = tooling::getInsertArgumentAdjuster(
          *Options.ExtraArgsBefore,
          tooling::ArgumentInsertPosition::BEGIN)(Adjusted, File);
    if (Options.ExtraArgs)
      Adjusted = tooling::getInsertArgumentAdjuster(
          *Options.ExtraArgs, tooling::ArgumentInsertPosition::END)(Adjusted,
                                                                    File);
    return Adjusted;
  };
}

// The arguments of \p CommandLine (program name first) that clang's driver
// does not know.
std::vector<std::string>
unknownArguments(const std::vector<std::string> &CommandLine) {
  if (CommandLine.size() < 2)
    return {};
  for (const std::string &Arg : CommandLine)
    if (llvm::StringRef(Arg).starts_with("--driver-mode=") &&
        Arg != "--driver-mode=g++" && Arg != "--driver-mode=gcc")
      return {}; // clang-cl and friends parse other options
  std::vector<const char *> Pointers;
  for (size_t I = 1; I < CommandLine.size(); ++I)
    Pointers.push_back(CommandLine[I].c_str());
  unsigned MissingIndex = 0, MissingCount = 0;
  const llvm::opt::OptTable &Table = driver::getDriverOptTable();
  llvm::opt::InputArgList Parsed =
      Table.ParseArgs(Pointers, MissingIndex, MissingCount,
                      llvm::opt::Visibility(driver::options::ClangOption));
  std::vector<std::string> Unknown;
  for (const llvm::opt::Arg *A : Parsed.filtered(driver::options::OPT_UNKNOWN))
    Unknown.push_back(A->getAsString(Parsed));
  return Unknown;
}

// --- the action --------------------------------------------------------------

/// Collects the top-level declarations outside system headers and makes them
/// the traversal scope once the unit is parsed, before clang-tidy's consumer
/// (which comes after it in the multiplexer) runs the matchers.
class UserDeclarationScope : public ASTConsumer {
public:
  explicit UserDeclarationScope(const SourceManager &SM) : SM(SM) {}

  bool HandleTopLevelDecl(DeclGroupRef Group) override {
    for (Decl *D : Group)
      if (!SM.isInSystemHeader(SM.getExpansionLoc(D->getLocation())))
        Declarations.push_back(D);
    return true;
  }

  void HandleTranslationUnit(ASTContext &Context) override {
    Context.setTraversalScope(Declarations);
  }

private:
  const SourceManager &SM;
  std::vector<Decl *> Declarations;
};

class TidyAction : public ASTFrontendAction {
public:
  TidyAction(ClangTidyASTConsumerFactory &Factory, bool SkipSystem)
      : Factory(Factory), SkipSystem(SkipSystem) {}

  std::unique_ptr<ASTConsumer>
  CreateASTConsumer(CompilerInstance &Compiler, llvm::StringRef File) override {
    std::unique_ptr<ASTConsumer> Tidy =
        Factory.createASTConsumer(Compiler, File);
    if (!SkipSystem || !Tidy)
      return Tidy;
    std::vector<std::unique_ptr<ASTConsumer>> Consumers;
    Consumers.push_back(
        std::make_unique<UserDeclarationScope>(Compiler.getSourceManager()));
    Consumers.push_back(std::move(Tidy));
    return std::make_unique<MultiplexConsumer>(std::move(Consumers));
  }

private:
  ClangTidyASTConsumerFactory &Factory;
  bool SkipSystem;
};

class TidyActionFactory : public tooling::FrontendActionFactory {
public:
  TidyActionFactory(ClangTidyContext &Context,
                    llvm::IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> FS,
                    bool SkipSystem)
      : ConsumerFactory(Context, std::move(FS)), SkipSystem(SkipSystem) {}

  std::unique_ptr<FrontendAction> create() override {
    return std::make_unique<TidyAction>(ConsumerFactory, SkipSystem);
  }

  bool runInvocation(std::shared_ptr<CompilerInvocation> Invocation,
                     FileManager *Files,
                     std::shared_ptr<PCHContainerOperations> PCHContainerOps,
                     DiagnosticConsumer *DiagConsumer) override {
    // Code may test __clang_analyzer__ to hide things from analysers;
    // clang-tidy defines it, and so does corolint, so that both see the same
    // code.
    Invocation->getPreprocessorOpts().SetUpStaticAnalyzer = true;
    return FrontendActionFactory::runInvocation(
        std::move(Invocation), Files, std::move(PCHContainerOps), DiagConsumer);
  }

private:
  ClangTidyASTConsumerFactory ConsumerFactory;
  bool SkipSystem;
};

} // namespace

void enableCrashContainment() {
  static std::once_flag Once;
  std::call_once(Once, [] {
    llvm::CrashRecoveryContext::Enable();
    struct sigaction Ours;
    std::memset(&Ours, 0, sizeof(Ours));
    Ours.sa_handler = onCrashSignal;
    sigemptyset(&Ours.sa_mask);
    for (size_t I = 0; I < std::size(ContainedSignals); ++I)
      sigaction(ContainedSignals[I], &Ours, &RecoveryActions[I]);
    llvm::install_fatal_error_handler(onFatalError);
  });
}

tooling::ArgumentsAdjuster
dropUnknownArguments(std::vector<std::string> &Dropped) {
  return
      [&Dropped](const tooling::CommandLineArguments &Args, llvm::StringRef) {
        std::vector<std::string> Unknown = unknownArguments(Args);
        if (Unknown.empty())
          return Args;
        tooling::CommandLineArguments Kept;
        for (const std::string &Arg : Args) {
          auto It = std::find(Unknown.begin(), Unknown.end(), Arg);
          if (It != Unknown.end() && !Kept.empty()) {
            Dropped.push_back(Arg);
            continue;
          }
          Kept.push_back(Arg);
        }
        return Kept;
      };
}

namespace {

// The tool that runs one unit, with corolint's adjustments of its command:
// the configuration's extra arguments, plugins stripped, arguments clang
// does not know dropped (into \p Dropped, which must outlive the tool).
struct UnitTool {
  llvm::IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> FS;
  std::unique_ptr<tooling::ClangTool> Tool;
};

UnitTool makeUnitTool(const tooling::CompilationDatabase &Compilations,
                      const std::string &File, ClangTidyContext &Context,
                      std::vector<std::string> &Dropped) {
  UnitTool Unit;
  // Each unit gets its own file system object: the physical one keeps a
  // working directory per instance, so parallel units with different build
  // directories do not race on the process's.
  Unit.FS = llvm::makeIntrusiveRefCnt<llvm::vfs::OverlayFileSystem>(
      llvm::vfs::createPhysicalFileSystem());
  Unit.Tool = std::make_unique<tooling::ClangTool>(
      Compilations, std::vector<std::string>{File},
      std::make_shared<PCHContainerOperations>(), Unit.FS);
  // Compile errors reach the report through the diagnostic consumer; the
  // tool's own "Error while processing" line would only repeat them.
  Unit.Tool->setPrintErrorMessage(false);
  Unit.Tool->appendArgumentsAdjuster(extraArgumentsFromConfig(Context));
  Unit.Tool->appendArgumentsAdjuster(tooling::getStripPluginsAdjuster());
  Unit.Tool->appendArgumentsAdjuster(dropUnknownArguments(Dropped));
  return Unit;
}

// Runs the preprocessor over the unit and hashes what comes out: each
// token's spelling, then each file read with its contents.
class HashingAction : public PreprocessorFrontendAction {
public:
  HashingAction(llvm::MD5 &Hash, std::vector<std::string> &Read)
      : Hash(Hash), Read(Read) {}

protected:
  void ExecuteAction() override {
    Preprocessor &PP = getCompilerInstance().getPreprocessor();
    PP.EnterMainSourceFile();
    llvm::SmallString<64> Buffer;
    Token Tok;
    do {
      PP.Lex(Tok);
      Hash.update(PP.getSpelling(Tok, Buffer));
      Hash.update(llvm::ArrayRef<uint8_t>{0});
    } while (Tok.isNot(tok::eof));
    SourceManager &SM = getCompilerInstance().getSourceManager();
    std::vector<std::pair<std::string, uint64_t>> Files;
    for (auto It = SM.fileinfo_begin(); It != SM.fileinfo_end(); ++It)
      if (auto Buffer = SM.getMemoryBufferForFileOrNone(It->first)) {
        Files.emplace_back(It->first.getName().str(),
                           llvm::xxh3_64bits(Buffer->getBuffer()));
        llvm::StringRef Real = It->first.getFileEntry().tryGetRealPathName();
        Read.push_back(Real.empty() ? It->first.getName().str() : Real.str());
      }
    std::sort(Files.begin(), Files.end()); // the map's order is not stable
    for (const auto &[Name, Contents] : Files) {
      Hash.update(Name);
      Hash.update(llvm::ArrayRef<uint8_t>(
          reinterpret_cast<const uint8_t *>(&Contents), sizeof Contents));
    }
  }

private:
  llvm::MD5 &Hash;
  std::vector<std::string> &Read;
};

class HashingActionFactory : public tooling::FrontendActionFactory {
public:
  HashingActionFactory(llvm::MD5 &Hash, std::vector<std::string> &Read)
      : Hash(Hash), Read(Read) {}
  std::unique_ptr<FrontendAction> create() override {
    return std::make_unique<HashingAction>(Hash, Read);
  }

private:
  llvm::MD5 &Hash;
  std::vector<std::string> &Read;
};

} // namespace

std::optional<PreprocessedUnit>
preprocessUnit(std::unique_ptr<ClangTidyOptionsProvider> OptionsProvider,
               const tooling::CompilationDatabase &Compilations,
               const std::string &File) {
  PreprocessedUnit Unit;
  // The same command as analyseUnit's: its adjusters, then one that records
  // the result into the hash.
  ClangTidyContext Context(std::move(OptionsProvider));
  llvm::MD5 Hash;
  std::vector<std::string> Dropped;
  UnitTool Tools = makeUnitTool(Compilations, File, Context, Dropped);
  std::unique_ptr<tooling::ClangTool> &Tool = Tools.Tool;
  IgnoringDiagConsumer Quiet;
  Tool->setDiagnosticConsumer(&Quiet);
  Tool->appendArgumentsAdjuster(
      [&Hash](const tooling::CommandLineArguments &Args, llvm::StringRef) {
        for (const std::string &Arg : Args) {
          Hash.update(Arg);
          Hash.update(llvm::ArrayRef<uint8_t>{0});
        }
        return Args;
      });
  for (const tooling::CompileCommand &Command :
       Compilations.getCompileCommands(File))
    Hash.update(Command.Directory);
  HashingActionFactory Factory(Hash, Unit.Files);
  int Status = 1;
  llvm::CrashRecoveryContext Recovery;
  if (!Recovery.RunSafely([&] { Status = Tool->run(&Factory); })) {
    (void)Tool.release(); // half-updated: not destroyed (see analyseUnit)
    return std::nullopt;
  }
  if (Status != 0)
    return std::nullopt;
  llvm::MD5::MD5Result Result;
  Hash.final(Result);
  Unit.Hash = std::string(Result.digest());
  return Unit;
}

UnitOutcome
analyseUnit(std::unique_ptr<ClangTidyOptionsProvider> OptionsProvider,
            const tooling::CompilationDatabase &Compilations,
            const std::string &File, const UnitSettings &Settings) {
  UnitOutcome Outcome;
  auto Context = std::make_unique<ClangTidyContext>(std::move(OptionsProvider));
  Context->setEnableProfiling(Settings.EnableCheckProfile);
  Context->setProfileStoragePrefix(Settings.StoreCheckProfile);
  auto Consumer = std::make_unique<ClangTidyDiagnosticConsumer>(
      *Context, /*ExternalDiagEngine=*/nullptr,
      /*RemoveIncompatibleErrors=*/true, /*GetFixesFromNotes=*/false);
  auto Engine = std::make_unique<DiagnosticsEngine>(
      llvm::makeIntrusiveRefCnt<DiagnosticIDs>(),
      llvm::makeIntrusiveRefCnt<DiagnosticOptions>(), Consumer.get(),
      /*ShouldOwnClient=*/false);
  Context->setDiagnosticsEngine(Engine.get());

  UnitTool Unit =
      makeUnitTool(Compilations, File, *Context, Outcome.DroppedArguments);
  std::unique_ptr<tooling::ClangTool> &Tool = Unit.Tool;
  auto &FS = Unit.FS;
  Tool->setDiagnosticConsumer(Consumer.get());

  bool SkipSystem =
      Settings.SkipSystemDeclarations &&
      !Context->getOptionsForFile(File).SystemHeaders.value_or(false);
  auto Factory = std::make_unique<TidyActionFactory>(*Context, FS, SkipSystem);

  CrashCapture Capture;
  llvm::CrashRecoveryContext Recovery;
  const void *PrettyStack = llvm::SavePrettyStackState();
  CurrentCapture = &Capture;
  UnitStackBase = PrettyStack;
  bool Survived = Recovery.RunSafely([&] { Tool->run(Factory.get()); });
  CurrentCapture = nullptr;
  if (!Survived) {
    llvm::RestorePrettyStackState(PrettyStack);
    // Everything the unit built may be half-updated; destroying it could
    // crash again outside any recovery. Leak it instead.
    (void)Factory.release();
    (void)Tool.release();
    (void)Engine.release();
    (void)Consumer.release();
    (void)Context.release();
    Outcome.Crash = describeCrash(Capture);
    return Outcome;
  }
  Outcome.Errors = Consumer->take();
  return Outcome;
}

} // namespace corolint
