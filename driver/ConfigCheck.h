//===--- ConfigCheck.h - configuration problems, up front ---*- C++ -*-===//
//
// clang-tidy reports a configuration problem late and in the wrong place: a
// .clang-tidy it cannot parse is printed to stderr once per translation unit
// and then ignored; an option value it cannot read becomes a "warning" of
// every unit. corolint looks for both before it analyses anything, so that
// each problem is reported once, naming its file and key, as an error.
//
//===----------------------------------------------------------------------===//

#ifndef COROLINT_DRIVER_CONFIGCHECK_H
#define COROLINT_DRIVER_CONFIGCHECK_H

#include "ClangTidyOptions.h"

#include <string>
#include <vector>

namespace corolint {

struct ConfigProblem {
  /// The configuration file, or "--config" / the --config-file path.
  std::string Source;
  std::string Message;
  bool operator<(const ConfigProblem &O) const {
    return std::tie(Source, Message) < std::tie(O.Source, O.Message);
  }
  bool operator==(const ConfigProblem &O) const {
    return Source == O.Source && Message == O.Message;
  }
};

/// The .clang-tidy files that apply to \p Files (each one's folder and the
/// folders above, as far as clang-tidy reads them) that cannot be read or
/// parsed; each file is read once. \p Warnings receives what parses but is
/// suspicious (unknown keys).
std::vector<ConfigProblem>
unreadableConfigFiles(const std::vector<std::string> &Files,
                      std::vector<ConfigProblem> &Warnings);

/// Option values the enabled checks cannot use in \p File's effective
/// configuration (e.g. a number that is not one), each attributed to the
/// source that set it. \p ExplicitSource names the --config/--config-file
/// source, if one is used.
std::vector<ConfigProblem>
invalidOptionValues(clang::tidy::ClangTidyOptionsProvider &Provider,
                    const std::string &File, const std::string &ExplicitSource);

/// --verify-config: check globs that match no check and option keys no
/// check reads.
std::vector<ConfigProblem>
unknownChecksAndOptions(clang::tidy::ClangTidyOptionsProvider &Provider,
                        const std::string &File,
                        const std::string &ExplicitSource);

} // namespace corolint

#endif
