//===--- CorolintModule.cpp - the async-* checks --------------------------===//
//
// The one place that names every check. Each front end (corolint, the
// clang-tidy plugin, corolint-tidy, corolint-clangd) links this file and
// finds the module through clang-tidy's module registry.
//
//===----------------------------------------------------------------------===//

#include "AwaiterContractCheck.h"
#include "BlockingCallCheck.h"
#include "CancelUnsafeSelectCheck.h"
#include "ClangTidyModule.h"
#include "ClangTidyModuleRegistry.h"
#include "DanglingReferenceCheck.h"
#include "LockAcrossSuspendCheck.h"
#include "LoopWithoutSuspendCheck.h"
#include "UnawaitedTaskCheck.h"
#include "UnboundedFanoutCheck.h"

namespace clang::tidy::corolint {

class CorolintModule : public ClangTidyModule {
public:
  void addCheckFactories(ClangTidyCheckFactories &CheckFactories) override {
    // One line per check, in name order.
    // clang-format off
    CheckFactories.registerCheck<AwaiterContractCheck>("async-awaiter-contract");
    CheckFactories.registerCheck<BlockingCallCheck>("async-blocking-call");
    CheckFactories.registerCheck<CancelUnsafeSelectCheck>("async-cancel-unsafe-select");
    CheckFactories.registerCheck<DanglingReferenceCheck>("async-dangling-reference");
    CheckFactories.registerCheck<LockAcrossSuspendCheck>("async-lock-across-suspend");
    CheckFactories.registerCheck<LoopWithoutSuspendCheck>("async-loop-without-suspend");
    CheckFactories.registerCheck<UnawaitedTaskCheck>("async-unawaited-task");
    CheckFactories.registerCheck<UnboundedFanoutCheck>("async-unbounded-fanout");
    // clang-format on
  }
};

} // namespace clang::tidy::corolint

namespace clang::tidy {

static ClangTidyModuleRegistry::Add<corolint::CorolintModule>
    CorolintModuleRegistration(
        "corolint-module", "Async correctness checks for C++20 coroutines.");

// Referenced by the executables so that a static link keeps the registration.
volatile int CorolintModuleAnchorSource = 0;

} // namespace clang::tidy
