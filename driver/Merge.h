//===--- Merge.h - one report from several shards' reports --*- C++ -*-===//

#ifndef COROLINT_DRIVER_MERGE_H
#define COROLINT_DRIVER_MERGE_H

#include <string>
#include <vector>

namespace corolint {

/// GitHub code scanning takes at most this many results per SARIF run.
constexpr size_t MaxSarifResults = 25000;

struct MergeOutcome {
  std::string Report;  // empty on error
  std::string Error;   // names the report and what is wrong
  bool Failed = false; // some shard's units could not be analysed
  size_t NewFindings = 0;
  size_t DroppedForLimit = 0; // SARIF results beyond MaxSarifResults
};

/// Combines corolint reports of one format (all JSON or all SARIF, each
/// read from the file named beside it): a finding several shards report (a
/// header's) once; a baseline entry absent only if no shard found it; errors
/// and notifications of every shard. \p Limit caps SARIF results, keeping
/// errors before warnings.
MergeOutcome
mergeReports(const std::vector<std::pair<std::string, std::string>> &Reports,
             size_t Limit = MaxSarifResults);

} // namespace corolint

#endif
