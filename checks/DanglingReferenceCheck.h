//===--- DanglingReferenceCheck.h - async-dangling-reference ----*- C++ -*-===//

#ifndef COROLINT_CHECKS_DANGLINGREFERENCECHECK_H
#define COROLINT_CHECKS_DANGLINGREFERENCECHECK_H

#include "CoroutineBodyCheck.h"
#include "utils/Awaitable.h"

namespace clang::tidy::corolint {

/// Finds, at the call site, a coroutine whose frame keeps a reference to
/// something that dies before the coroutine does: a temporary bound to a
/// reference or view parameter, a temporary lambda's captures, or a
/// temporary object a member coroutine is called on, when the task is not
/// awaited in the same full-expression; and a reference to a local of the
/// caller given to a coroutine that is spawned and never joined.
///
/// For the user-facing documentation see
/// docs/checks/async-dangling-reference.md.
class DanglingReferenceCheck : public CoroutineBodyCheck {
public:
  DanglingReferenceCheck(StringRef Name, ClangTidyContext *Context);

private:
  void checkBody(const FunctionDecl *Function, const Stmt *Body,
                 ASTContext &Ctx) override;
  void resetUnit() override { Classifier.reset(); }

  bool isCoroutineCall(const CallExpr *Call);
  /// Does \p Call start the tasks it is given (a spawn, a bounded spawn)?
  bool spawns(const CallExpr *Call);
  /// What happens to the task \p E makes by the end of its
  /// full-expression: awaited (or run to completion), kept beyond it
  /// (stored, returned, spawned, put in a container; an eager task dropped
  /// runs on), or given to a function that may do either.
  enum class Fate { Awaited, Stored, Unknown };
  /// Where a Stored task went, when it is one of these.
  struct Destination {
    const VarDecl *Variable = nullptr; ///< initialises this variable
    const Expr *Target = nullptr;      ///< assigned to or put into this
    bool Returned = false;
  };
  Fate fateOf(const Expr *E, bool Eager, ASTContext &Ctx,
              Destination *Where = nullptr);
  void checkTemporaries(const CallExpr *Call, ASTContext &Ctx);
  void checkSpawnedLocals(const FunctionDecl *Function, const Stmt *Body,
                          const CallExpr *Spawn, ASTContext &Ctx);
  void checkEscapingLocals(const FunctionDecl *Function, const Stmt *Body,
                           const CallExpr *Call, ASTContext &Ctx);
  /// The first await or blocking call of \p Region after \p Spawn (one
  /// that names \p Handle, when given), or null.
  const Stmt *firstWaitAfter(const Stmt *Spawn, const Stmt *Region,
                             const VarDecl *Handle, const Stmt *Body,
                             ASTContext &Ctx);
  /// Where \p Local is changed while the task spawned by \p Spawn may
  /// still read it (At is null if nowhere), and whether that is in a loop
  /// the local outlives, whose next iteration comes after the spawn.
  struct Change {
    const Stmt *At = nullptr;
    bool NextIteration = false;
  };
  Change changedWhileSpawned(const VarDecl *Local, const Stmt *Spawn,
                             const Stmt *Scope, const VarDecl *Handle,
                             const Stmt *Body, ASTContext &Ctx);

  AwaitableClassifier Classifier;
};

} // namespace clang::tidy::corolint

#endif
