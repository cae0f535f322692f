//===--- CheckDocs.h - the check pages built into the binary ----*- C++ -*-===//
//
// docs/checks/<name>.md is compiled into the front ends so that --explain and
// the SARIF rule descriptions work wherever the binary is installed.
//
//===----------------------------------------------------------------------===//

#ifndef COROLINT_DRIVER_CHECKDOCS_H
#define COROLINT_DRIVER_CHECKDOCS_H

#include "Findings.h"
#include <optional>
#include <string>
#include <vector>

namespace corolint {

/// Every documented check, in name order.
std::vector<CheckInfo> documentedChecks();
std::optional<CheckInfo> findCheckDoc(const std::string &Name);

/// Splits a doc page into its short (first sentence of the first paragraph)
/// and full (first paragraph) descriptions.
CheckInfo describeCheck(const std::string &Name, const std::string &Markdown);

} // namespace corolint

#endif
