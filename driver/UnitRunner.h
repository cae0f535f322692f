//===--- UnitRunner.h - one translation unit, crash contained -*- C++ -*-===//
//
// corolint's replacement for clang-tidy's runClangTidy: the same checks,
// configuration, NOLINT handling and header filter (it drives clang-tidy's
// own AST consumer factory and diagnostic consumer), plus what a CI gate
// needs around one unit:
//  - a crash of the front end or of a check is contained to its unit and
//    described (signal, and what clang was doing), instead of killing the
//    whole run;
//  - compiler arguments that clang does not know (GCC-only flags from a
//    compilation database) are dropped instead of failing the unit;
//  - the match finder walks only declarations outside system headers, as
//    clangd does, unless the configuration asks for system-header findings.
//
//===----------------------------------------------------------------------===//

#ifndef COROLINT_DRIVER_UNITRUNNER_H
#define COROLINT_DRIVER_UNITRUNNER_H

#include "ClangTidyDiagnosticConsumer.h"
#include "ClangTidyOptions.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/CompilationDatabase.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace corolint {

struct UnitSettings {
  bool EnableCheckProfile = false;
  std::string StoreCheckProfile;
  /// Walk only declarations outside system headers (see UnitRunner.cpp).
  bool SkipSystemDeclarations = true;
};

struct UnitOutcome {
  std::vector<clang::tidy::ClangTidyError> Errors;
  /// Set when the unit crashed the front end or a check: the signal and
  /// what clang was doing. Errors is then empty: what the unit had reported
  /// before the crash may be incomplete and is not trusted.
  std::optional<std::string> Crash;
  /// Arguments removed from the unit's command because clang does not know
  /// them.
  std::vector<std::string> DroppedArguments;
};

/// Installs the signal and fatal-error handlers that confine a crash to the
/// unit being analysed. Call once, from main, after llvm::InitLLVM (whose
/// stack dump still reports crashes outside any unit).
void enableCrashContainment();

/// Analyses \p File with the command \p Compilations gives it. Thread-safe:
/// units may be analysed in parallel.
UnitOutcome
analyseUnit(std::unique_ptr<clang::tidy::ClangTidyOptionsProvider> Options,
            const clang::tooling::CompilationDatabase &Compilations,
            const std::string &File, const UnitSettings &Settings);

/// What the preprocessor says of a unit.
struct PreprocessedUnit {
  /// A hash of everything in the sources that the analysis depends on: the
  /// unit after the preprocessor (every token), the name and contents of
  /// every file it read (positions in the report depend on them) and its
  /// compile command after corolint's adjustments. A change in any header
  /// the unit includes changes it.
  std::string Hash;
  /// Every file the unit read, the main file included, as clang named them.
  std::vector<std::string> Files;
};

/// Runs the preprocessor over \p File with the command analyseUnit would
/// use. nullopt if preprocessing fails (the analysis then reports why) or
/// crashes. Thread-safe.
std::optional<PreprocessedUnit>
preprocessUnit(std::unique_ptr<clang::tidy::ClangTidyOptionsProvider> Options,
               const clang::tooling::CompilationDatabase &Compilations,
               const std::string &File);

/// An adjuster that removes from a compiler invocation (program name first)
/// the arguments clang's driver does not know, such as GCC-only flags, and
/// adds each to \p Dropped, which must outlive it.
clang::tooling::ArgumentsAdjuster
dropUnknownArguments(std::vector<std::string> &Dropped);

} // namespace corolint

#endif
