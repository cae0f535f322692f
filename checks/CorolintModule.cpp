//===--- CorolintModule.cpp - the async-* checks --------------------------===//
//
// The one place that names every check. Each front end (corolint, the
// clang-tidy plugin, corolint-tidy, corolint-clangd) links this file and
// finds the module through clang-tidy's module registry.
//
//===----------------------------------------------------------------------===//

#include "ClangTidyModule.h"
#include "ClangTidyModuleRegistry.h"
#include "UnawaitedTaskCheck.h"

namespace clang::tidy::corolint {

class CorolintModule : public ClangTidyModule {
public:
  void addCheckFactories(ClangTidyCheckFactories &CheckFactories) override {
    CheckFactories.registerCheck<UnawaitedTaskCheck>("async-unawaited-task");
  }
};

} // namespace clang::tidy::corolint

namespace clang::tidy {

static ClangTidyModuleRegistry::Add<corolint::CorolintModule>
    CorolintModuleRegistration("corolint-module",
                               "Async correctness checks for C++20 coroutines.");

// Referenced by the executables so that a static link keeps the registration.
volatile int CorolintModuleAnchorSource = 0;

} // namespace clang::tidy
