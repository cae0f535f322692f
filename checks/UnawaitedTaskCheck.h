//===--- UnawaitedTaskCheck.h - async-unawaited-task -----------*- C++ -*-===//

#ifndef COROLINT_CHECKS_UNAWAITEDTASKCHECK_H
#define COROLINT_CHECKS_UNAWAITEDTASKCHECK_H

#include "CoroutineBodyCheck.h"
#include "utils/Awaitable.h"

namespace clang::tidy::corolint {

/// Finds a coroutine task or other awaitable that is created by a call and
/// then dropped without being awaited: as an expression statement, or in a
/// local variable that is never used again.
///
/// For the user-facing documentation see docs/checks/async-unawaited-task.md.
class UnawaitedTaskCheck : public CoroutineBodyCheck {
public:
  UnawaitedTaskCheck(StringRef Name, ClangTidyContext *Context);
  void storeOptions(ClangTidyOptions::OptionMap &Opts) override;

private:
  class BodyWalker;

  void checkBody(const FunctionDecl *Function, const Stmt *Body,
                 ASTContext &Ctx) override;
  void resetUnit() override { Classifier.reset(); }

  const bool AllowExplicitDiscard;
  AwaitableClassifier Classifier;
};

} // namespace clang::tidy::corolint

#endif
