//===--- ResourceDir.h - point clang at its builtin headers -----*- C++ -*-===//
//
// Installed outside LLVM's prefix, clang-tidy and clangd look for Clang's
// resource directory (stddef.h, the intrinsics headers) next to their own
// executable and do not find it. The wrappers add the directory recorded at
// configure time unless the user names one.
//
//===----------------------------------------------------------------------===//

#ifndef COROLINT_DRIVER_RESOURCEDIR_H
#define COROLINT_DRIVER_RESOURCEDIR_H

#include "Config.h"
#include <string>
#include <sys/stat.h>
#include <vector>

namespace corolint {

/// argv with \p Flag (e.g. "--resource-dir=") + the recorded directory
/// inserted after the program name, unless an argument already mentions
/// "resource-dir" or the directory does not exist. The returned strings own
/// the storage that \p Pointers refers to.
inline std::vector<std::string> withResourceDir(int Argc, char **Argv,
                                                const std::string &Flag,
                                                std::vector<char *> &Pointers) {
  std::vector<std::string> Args(Argv, Argv + Argc);
  bool Mentioned = false;
  for (const std::string &Arg : Args)
    Mentioned |= Arg.find("resource-dir") != std::string::npos;
  struct stat Info;
  if (!Mentioned && stat(COROLINT_CLANG_RESOURCE_DIR, &Info) == 0 &&
      Args.size() >= 1)
    Args.insert(Args.begin() + 1, Flag + COROLINT_CLANG_RESOURCE_DIR);
  Pointers.clear();
  for (std::string &Arg : Args)
    Pointers.push_back(Arg.data());
  Pointers.push_back(nullptr);
  return Args;
}

} // namespace corolint

#endif
