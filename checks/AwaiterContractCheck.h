//===--- AwaiterContractCheck.h - async-awaiter-contract --------*- C++ -*-===//

#ifndef COROLINT_CHECKS_AWAITERCONTRACTCHECK_H
#define COROLINT_CHECKS_AWAITERCONTRACTCHECK_H

#include "CoroutineBodyCheck.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace clang::tidy::corolint {

/// Finds hand-written awaiters that break the awaiter protocol:
/// await_suspend resuming the suspending coroutine (or its continuation)
/// inline; await_suspend touching the awaiter, or returning false or the
/// handle, after handing the handle to another thread or queue; a path of
/// await_suspend that neither passes the handle on nor returns it or false
/// (the coroutine is never resumed); a poll that gives the handle straight
/// back to the executor without registering it (a spinning task); and
/// await_ready that always returns true while await_suspend does work
/// (dead suspension logic).
///
/// For the user-facing documentation see
/// docs/checks/async-awaiter-contract.md.
class AwaiterContractCheck : public CoroutineBodyCheck {
public:
  AwaiterContractCheck(StringRef Name, ClangTidyContext *Context);

private:
  void checkBody(const FunctionDecl *Function, const Stmt *Body,
                 ASTContext &Ctx) override;
  void onUnitEnd() override;
  void resetUnit() override {
    PromiseAwaiters.clear();
    Leaks.clear();
  }

  /// \p Copies: the local copies of the handle \p H made in \p Body.
  using HandleCopies = llvm::SmallPtrSetImpl<const VarDecl *>;
  void checkInlineResume(const CXXMethodDecl *Suspend, const ParmVarDecl *H,
                         const HandleCopies &Copies, const Stmt *Body);
  void checkBusyRewake(const CXXMethodDecl *Suspend, const ParmVarDecl *H,
                       const HandleCopies &Copies, const Stmt *Body);
  void checkTouchAfterHandOff(const CXXMethodDecl *Suspend,
                              const ParmVarDecl *H, const Stmt *Body,
                              ASTContext &Ctx);
  void findLeak(const CXXMethodDecl *Suspend, const ParmVarDecl *H,
                const Stmt *Body, ASTContext &Ctx);
  void checkDeadSuspension(const CXXMethodDecl *Ready);
  void noteAwaiter(const CXXRecordDecl *Awaiter);

  /// The awaiter classes a promise returns from initial_suspend,
  /// final_suspend, yield_value or await_transform: the coroutine's owner
  /// holds its handle, so their await_suspend need not pass it on.
  llvm::DenseSet<const CXXRecordDecl *> PromiseAwaiters;
  /// await_suspend bodies with a path that drops the handle, reported at the
  /// end of the unit unless the class turns out to be a promise's awaiter.
  std::vector<const CXXMethodDecl *> Leaks;
};

} // namespace clang::tidy::corolint

#endif
