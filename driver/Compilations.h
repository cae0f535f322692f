//===--- Compilations.h - where compile commands come from ---*- C++ -*-===//

#ifndef COROLINT_DRIVER_COMPILATIONS_H
#define COROLINT_DRIVER_COMPILATIONS_H

#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <string>
#include <vector>

namespace corolint {

struct LoadedDatabase {
  std::unique_ptr<clang::tooling::CompilationDatabase> Database;
  /// The file it was read from.
  std::string Path;
  /// What was repaired on the way (for --verbose), e.g. relative
  /// "directory" entries resolved against the database's folder.
  std::vector<std::string> Notes;
};

/// Loads the database named by -p: a build directory holding
/// compile_commands.json (or compile_flags.txt), or one of those files
/// itself. Errors name the path and what is wrong with it, with no text from
/// database formats that were not tried.
llvm::Expected<LoadedDatabase> loadBuildDatabase(const std::string &BuildPath);

/// \p Inner with \p Before inserted after each command's program name and
/// \p After appended to it (the "--" arguments and --extra-arg with -p).
std::unique_ptr<clang::tooling::CompilationDatabase>
withExtraArguments(std::unique_ptr<clang::tooling::CompilationDatabase> Inner,
                   std::vector<std::string> Before,
                   std::vector<std::string> After);

} // namespace corolint

#endif
