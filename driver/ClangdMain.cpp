//===--- ClangdMain.cpp - corolint-clangd: clangd 19 with the async checks ===//
//
// clangd runs clang-tidy checks from its own registry; linking the corolint
// module in is all it takes for editors to show the async-* diagnostics. A
// project enables them in .clangd (see README: clangd only runs checks whose
// latency it does not know with FastCheckFilter: None or Loose).
//
//===----------------------------------------------------------------------===//

#include "ModuleAnchor.h"
#include "ResourceDir.h"

namespace clang::clangd {
int clangdMain(int argc, char *argv[]);
} // namespace clang::clangd

int main(int argc, char **argv) {
  std::vector<char *> Pointers;
  std::vector<std::string> Storage =
      corolint::withResourceDir(argc, argv, "--resource-dir=", Pointers);
  return clang::clangd::clangdMain(static_cast<int>(Storage.size()),
                                   Pointers.data());
}
