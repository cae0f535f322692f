//===--- Baseline.h - findings recorded for gradual adoption -*- C++ -*-===//
//
// A baseline file records the findings a codebase already has, so that a
// CI gate fails only on new ones. Entries are matched by check, path
// relative to the project root and fingerprint, never by line, so that
// edits elsewhere, re-indentation and moving code within its file keep the
// match. The file is JSON, sorted, with no absolute paths and no
// timestamps: it diffs well in review.
//
//===----------------------------------------------------------------------===//

#ifndef COROLINT_DRIVER_BASELINE_H
#define COROLINT_DRIVER_BASELINE_H

#include "Findings.h"

#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace corolint {

struct BaselineEntry {
  std::string Check;
  std::string File; // relative to the project root
  std::string Fingerprint;
  std::string Message; // for the reader; not used to match
};

/// Reads a baseline file; the error names the file and what is wrong.
llvm::Expected<std::vector<BaselineEntry>>
readBaseline(const std::string &Path);

/// The text of a baseline that records \p Findings (fingerprints assigned).
std::string renderBaseline(const std::vector<Finding> &Findings);

/// Marks the findings of \p Results found in \p Baseline (each entry absorbs
/// one finding) and lists the entries that matched none in Results.Absent,
/// located at \p Root / their file.
void applyBaseline(RunResults &Results,
                   const std::vector<BaselineEntry> &Baseline,
                   const std::string &Root);

} // namespace corolint

#endif
