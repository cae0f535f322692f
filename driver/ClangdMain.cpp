//===--- ClangdMain.cpp - corolint-clangd: clangd 19 with the async checks ===//
//
// clangd runs clang-tidy checks from its own registry; linking the corolint
// module in is all it takes for editors to show the async-* diagnostics.
//
// clangd 19 also runs only the checks its table of measured latencies lists
// as fast, unless the project's .clangd sets FastCheckFilter to Loose or
// None; the async-* checks are not in that table, so a user who only added
// them would see nothing and no reason. They are ours and measured (all six
// together add about 1 % to a parse, docs/performance.md), so this binary
// answers "fast" for them: the link wraps clangd's isFastTidyCheck
// (driver/CMakeLists.txt) and every other check name still gets clangd's own
// answer.
//
//===----------------------------------------------------------------------===//

#include "ModuleAnchor.h"
#include "ResourceDir.h"

#include "llvm/ADT/StringRef.h"

#include <optional>

namespace clang::clangd {
int clangdMain(int argc, char *argv[]);
} // namespace clang::clangd

// The linker's --wrap names: the real clang::clangd::isFastTidyCheck, and our
// stand-in for it.
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wreturn-type-c-linkage"
extern "C" std::optional<bool>
__real__ZN5clang6clangd15isFastTidyCheckEN4llvm9StringRefE(
    llvm::StringRef Check);

extern "C" std::optional<bool>
__wrap__ZN5clang6clangd15isFastTidyCheckEN4llvm9StringRefE(
    llvm::StringRef Check) {
  if (Check.starts_with("async-"))
    return true;
  return __real__ZN5clang6clangd15isFastTidyCheckEN4llvm9StringRefE(Check);
}
#pragma clang diagnostic pop

int main(int argc, char **argv) {
  std::vector<char *> Pointers;
  std::vector<std::string> Storage =
      corolint::withResourceDir(argc, argv, "--resource-dir=", Pointers);
  return clang::clangd::clangdMain(static_cast<int>(Storage.size()),
                                   Pointers.data());
}
