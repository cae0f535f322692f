//===--- Findings.h - what a corolint run found -----------------*- C++ -*-===//
//
// A plain model of one run's results, independent of clang-tidy's types so
// that the output writers can be unit-tested without parsing any C++.
//
//===----------------------------------------------------------------------===//

#ifndef COROLINT_DRIVER_FINDINGS_H
#define COROLINT_DRIVER_FINDINGS_H

#include <string>
#include <vector>

namespace corolint {

struct SourcePosition {
  std::string File;    // absolute path
  unsigned Line = 0;   // 1-based
  unsigned Column = 0; // 1-based, in bytes as clang counts them (SARIF output
                       // converts to UTF-16 code units)
  /// The text of the line, without its newline; empty when unreadable.
  std::string LineText;
  /// Bytes of the highlighted range from Column on this line (0: a caret only).
  unsigned RangeLength = 0;
};

struct Note {
  std::string Message;
  SourcePosition Position;
};

struct Finding {
  std::string Check;
  std::string Severity; // "warning" or "error" (WarningsAsErrors)
  std::string Message;
  SourcePosition Position;
  std::vector<Note> Notes;
  bool HasFix = false;
  /// The file relative to the project root (the absolute path when outside
  /// it) and a fingerprint that survives unrelated edits: see
  /// assignFingerprints (Output.h).
  std::string RelativePath;
  std::string Fingerprint;
  /// Recorded in the --baseline file: reported, but not failing the run.
  bool InBaseline = false;
};

/// Something that stopped (part of) the analysis. Every kind makes the run
/// exit 2.
enum class ErrorKind {
  Compile, ///< the translation unit failed to compile (a compiler error)
  Input,   ///< an input could not be read or has no compile command
  Crash,   ///< the analyser crashed on the unit; its findings are lost
  Config,  ///< the configuration is invalid; nothing was analysed
};

/// One error. Compiler diagnostics are kept as they were.
struct CompileError {
  std::string TranslationUnit; // the unit, or the configuration's source
  std::string Message;
  SourcePosition Position; // may be empty when the error has no location
  ErrorKind Kind = ErrorKind::Compile;
};

/// "compile", "input", "crash", "config": the JSON and SARIF spelling.
const char *kindName(ErrorKind Kind);

struct RunResults {
  std::vector<Finding> Findings;
  std::vector<CompileError> Errors;
  unsigned FilesAnalysed = 0;
  /// A --baseline was given: findings carry InBaseline, and Absent lists
  /// its entries that no longer occur (fixed), with no line.
  bool BaselineApplied = false;
  std::vector<Finding> Absent;
};

/// Orders findings by file, line, column, check, and removes exact
/// duplicates (the same header finding seen from several translation units).
void sortAndDeduplicate(std::vector<Finding> &Findings);

/// One rule per check for SARIF and --list-checks.
struct CheckInfo {
  std::string Name;
  std::string ShortDescription;
  std::string FullDescription;
  std::string Markdown; // the whole doc page
};

} // namespace corolint

#endif
