//===--- TidyMain.cpp - corolint-tidy: clang-tidy 19 with the async checks ===//
//
// For users whose own clang-tidy is another version and so cannot load the
// plugin: the whole of clang-tidy 19, every upstream module included, plus
// the corolint module.
//
//===----------------------------------------------------------------------===//

#include "ModuleAnchor.h"
#include "ResourceDir.h"

namespace clang::tidy {
int clangTidyMain(int argc, const char **argv);
} // namespace clang::tidy

int main(int argc, char **argv) {
  std::vector<char *> Pointers;
  std::vector<std::string> Storage = corolint::withResourceDir(
      argc, argv, "--extra-arg-before=-resource-dir=", Pointers);
  return clang::tidy::clangTidyMain(static_cast<int>(Storage.size()),
                                    const_cast<const char **>(Pointers.data()));
}
