//===--- Output.h - text, JSON and SARIF writers ----------------*- C++ -*-===//

#ifndef COROLINT_DRIVER_OUTPUT_H
#define COROLINT_DRIVER_OUTPUT_H

#include "Findings.h"
#include <cstdint>
#include <ostream>
#include <string>

namespace corolint {

struct SarifOptions {
  std::string ToolVersion;
  std::string InformationUri;
  std::string HelpUriBase; // a check's doc page is HelpUriBase + name + ".md"
  std::string SourceRoot;  // absolute directory; result URIs are relative to it
  std::vector<CheckInfo> Rules;
  /// Results kept at most (GitHub's per-run limit); errors go first.
  size_t MaxResults = 25000;
};

/// clang's format: file:line:col: warning: message [check], the source line,
/// a caret, then each note the same way.
void writeText(const RunResults &Results, std::ostream &OS);

/// {"version": 1, "diagnostics": [...], "errors": [...]}
void writeJson(const RunResults &Results, std::ostream &OS);

/// SARIF 2.1.0 as GitHub code scanning accepts it. Returns how many results
/// were left out to stay within Options.MaxResults.
size_t writeSarif(const RunResults &Results, const SarifOptions &Options,
                  std::ostream &OS);

/// FNV-1a of \p Data, continuing from \p Hash: the same on every machine and
/// build (fingerprints, shards).
uint64_t fnv1a(const std::string &Data,
               uint64_t Hash = 14695981039346656037ULL);

/// A fingerprint that survives unrelated edits: it depends on the check, the
/// file's path relative to the source root, the message, the text of the
/// flagged line (trimmed) and how many identical findings precede it in the
/// file, never on line numbers.
std::string fingerprint(const Finding &F, const std::string &RelativePath,
                        unsigned Occurrence);

/// Sets RelativePath (to \p Root) and Fingerprint of every finding;
/// identical findings in one file are numbered in their order. \p Findings
/// must be sorted (sortAndDeduplicate).
void assignFingerprints(std::vector<Finding> &Findings,
                        const std::string &Root);

/// The 1-based column of 1-based byte column \p ByteColumn of \p LineText
/// in UTF-16 code units, as SARIF's utf16CodeUnits columnKind counts (a byte
/// that is not UTF-8 counts one). 0 stays 0.
unsigned utf16Column(const std::string &LineText, unsigned ByteColumn);

/// \p Path relative to \p Root when it lies under it; empty otherwise.
std::string relativeTo(const std::string &Path, const std::string &Root);

} // namespace corolint

#endif
