//===--- ResultCache.h - the findings of units already analysed -*- C++ -*-===//
//
// --cache-dir: a unit whose sources, command, configuration and corolint
// are all unchanged since a run that analysed it is not analysed again; its
// findings and errors come from the cache. The key hashes the unit after
// the preprocessor (preprocessUnit), the effective configuration for
// the file (check options included), the line filter, the settings that
// change what is reported, and corolint's identity. Several processes may
// share one directory: each entry is written to a temporary file and
// renamed, so a reader sees a whole entry or none; an entry that cannot be
// read is a miss and is written again.
//
//===----------------------------------------------------------------------===//

#ifndef COROLINT_DRIVER_RESULTCACHE_H
#define COROLINT_DRIVER_RESULTCACHE_H

#include "UnitRunner.h"

#include "llvm/Support/Error.h"

#include <atomic>
#include <optional>
#include <string>

namespace corolint {

class ResultCache {
public:
  /// Creates \p Directory if needed; an error names it and what is wrong
  /// when it cannot be used.
  static llvm::Expected<std::unique_ptr<ResultCache>>
  open(const std::string &Directory);

  /// The key of a unit: \p SourceHash from preprocessUnit, the rest
  /// as described at the top of this file.
  static std::string key(const std::string &SourceHash,
                         const std::string &ConfigText,
                         const std::string &Settings,
                         const std::string &ToolIdentity);

  /// The outcome stored under \p Key, if any. Thread-safe.
  std::optional<UnitOutcome> lookup(const std::string &Key);
  /// Stores \p Outcome (never a crash) under \p Key. Thread-safe.
  llvm::Error store(const std::string &Key, const UnitOutcome &Outcome);

  std::atomic<unsigned> Hits{0}, Misses{0}, Stored{0};

private:
  explicit ResultCache(std::string Directory)
      : Directory(std::move(Directory)) {}
  std::string entryPath(const std::string &Key) const;
  std::string Directory;
};

/// What identifies this corolint build: its version, LLVM's, and the size
/// and modification time of the executable (a rebuilt or reinstalled
/// corolint never reuses another's results).
std::string toolIdentity(const char *Argv0, void *MainAddress);

} // namespace corolint

#endif
