//===--- LoopWithoutSuspendCheck.h - async-loop-without-suspend -*- C++ -*-===//

#ifndef COROLINT_CHECKS_LOOPWITHOUTSUSPENDCHECK_H
#define COROLINT_CHECKS_LOOPWITHOUTSUSPENDCHECK_H

#include "CoroutineBodyCheck.h"

namespace clang::tidy::corolint {

/// Finds loops in a coroutine body that never suspend, never check for
/// cancellation, and have no end the analysis can see: a constant-true
/// condition with no way out of the body, or a condition on local variables
/// that nothing in the loop changes. Cancellation is cooperative, so such a
/// loop holds its worker thread and cannot be aborted.
///
/// For the user-facing documentation see
/// docs/checks/async-loop-without-suspend.md.
class LoopWithoutSuspendCheck : public CoroutineBodyCheck {
public:
  LoopWithoutSuspendCheck(StringRef Name, ClangTidyContext *Context);

private:
  void checkBody(const FunctionDecl *Function, const Stmt *Body,
                 ASTContext &Ctx) override;
  void checkLoop(const FunctionDecl *Function, const Stmt *Loop,
                 const Expr *Cond, const Stmt *Body, const Expr *Inc,
                 ASTContext &Ctx);
  bool spinsOnAtomics(const Expr *Cond, bool ConstantCondition,
                      llvm::ArrayRef<const Expr *> ExitGuards, const Stmt *Body,
                      const Expr *Inc,
                      llvm::SmallVectorImpl<const Expr *> &Flags) const;
  bool checksCancellation(const Stmt *S) const;
};

} // namespace clang::tidy::corolint

#endif
