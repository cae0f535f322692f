//===--- LockAcrossSuspendCheck.h - async-lock-across-suspend ---*- C++ -*-===//

#ifndef COROLINT_CHECKS_LOCKACROSSSUSPENDCHECK_H
#define COROLINT_CHECKS_LOCKACROSSSUSPENDCHECK_H

#include "CoroutineBodyCheck.h"
#include "llvm/ADT/DenseMap.h"

namespace clang::tidy::corolint {

/// Finds suspension points (co_await, co_yield) in a coroutine reached on
/// some path while a synchronous lock is held: a lock guard that still owns
/// its lock, or a mutex locked with lock()/lock_shared()/a successful
/// try_lock() and not unlocked since. A dataflow over the coroutine body's
/// CFG, so unlock(), release(), moving the guard away and the end of its
/// scope all end the hold.
///
/// For the user-facing documentation see
/// docs/checks/async-lock-across-suspend.md.
class LockAcrossSuspendCheck : public CoroutineBodyCheck {
public:
  LockAcrossSuspendCheck(StringRef Name, ClangTidyContext *Context);

  bool isLockGuardType(QualType T) const;
  bool isMutexType(QualType T) const;
  bool isAllowedAwaitable(QualType T) const;

private:
  enum class LockKind { None, Guard, Mutex };
  LockKind classify(QualType T) const;
  void checkBody(const FunctionDecl *Function, const Stmt *Body,
                 ASTContext &Ctx) override;
  void resetUnit() override { KindCache.clear(); }

  const NameList AllowedAwaitables;
  mutable llvm::DenseMap<const Type *, LockKind> KindCache;
};

} // namespace clang::tidy::corolint

#endif
