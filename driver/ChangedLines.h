//===--- ChangedLines.h - what a change touches, for --diff -----*- C++ -*-===//
//
// --diff analyses only the units a change touches and reports only the
// findings on the lines it changed, as clang-tidy-diff does. The change is
// a unified diff: from `git diff -U0 <revision>`, or read from standard
// input.
//
//===----------------------------------------------------------------------===//

#ifndef COROLINT_DRIVER_CHANGEDLINES_H
#define COROLINT_DRIVER_CHANGEDLINES_H

#include "Findings.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace corolint {

/// The lines of each file that a change added or modified, in the new
/// version, by real path. Where lines were only removed, the lines on both
/// sides of the removal count as changed (removing a `co_await` changes
/// what the code around it does).
class ChangedLines {
public:
  /// Parses a unified diff whose paths are relative to \p Root (git's
  /// "a/" and "b/" prefixes are dropped). The error says what line is
  /// malformed.
  static llvm::Expected<ChangedLines> parse(llvm::StringRef Diff,
                                            const std::string &Root);

  /// Whether \p File (any spelling of the path) is one the change touches.
  bool touchesFile(const std::string &File) const;
  /// Whether the change touches line \p Line of \p File.
  bool touches(const std::string &File, unsigned Line) const;
  /// Whether \p F, or one of its notes, is on a changed line.
  bool touches(const Finding &F) const;
  /// The files the change touches (real paths).
  std::vector<std::string> files() const;

private:
  /// The changed lines of \p File (any spelling), or null.
  const std::vector<std::pair<unsigned, unsigned>> *
  linesOf(const std::string &File) const;

  std::map<std::string, std::vector<std::pair<unsigned, unsigned>>> Ranges;
};

/// `git diff -U0 <Revision>` run in \p Directory, and the repository's top
/// level (which the diff's paths are relative to). The error carries git's
/// own message.
llvm::Expected<std::pair<std::string, std::string>>
gitDiff(const std::string &Revision, const std::string &Directory);

/// \p Path with symbolic links and ".." resolved, or as given if it does not
/// exist.
std::string realPath(const std::string &Path);

} // namespace corolint

#endif
