//===--- CancelUnsafeSelectCheck.h - async-cancel-unsafe-select -*- C++ -*-===//

#ifndef COROLINT_CHECKS_CANCELUNSAFESELECTCHECK_H
#define COROLINT_CHECKS_CANCELUNSAFESELECTCHECK_H

#include "CoroutineBodyCheck.h"
#include "utils/Awaitable.h"
#include "llvm/ADT/DenseMap.h"

namespace clang::tidy::corolint {

/// Finds branches of a select-like operation (select, timeout, Boost.Asio's
/// `||` and wait_for_one parallel groups) that are not cancel-safe: when
/// another branch wins, the loser is cancelled and what it had half done is
/// lost. Inside a loop, a branch that creates a fresh cancel-unsafe
/// operation on every iteration is the classic data-loss bug.
///
/// For the user-facing documentation see
/// docs/checks/async-cancel-unsafe-select.md.
class CancelUnsafeSelectCheck : public CoroutineBodyCheck {
public:
  CancelUnsafeSelectCheck(StringRef Name, ClangTidyContext *Context);
  void storeOptions(ClangTidyOptions::OptionMap &Opts) override;

  /// What cancelling an operation can lose, and where that is visible.
  struct Verdict {
    enum Kind { Safe, Unsafe, Unknown } Kind = Unknown;
    /// Why it is unsafe, to follow "when another branch wins, ".
    std::string Reason;
    /// The place that makes it unsafe, for a note (may be invalid).
    SourceLocation Where;
    std::string WhereNote;
  };

private:
  void checkBody(const FunctionDecl *Function, const Stmt *Body,
                 ASTContext &Ctx) override;
  void resetUnit() override {
    Classifier.reset();
    Verdicts.clear();
  }
  Verdict classifyOperation(const Expr *E, ASTContext &Ctx, unsigned Depth);
  Verdict classifyCallee(const FunctionDecl *F, ASTContext &Ctx,
                         unsigned Depth);
  Verdict classifyCoroutine(const FunctionDecl *F, ASTContext &Ctx,
                            unsigned Depth);
  void checkSelect(const Expr *Select, StringRef What,
                   llvm::ArrayRef<const Expr *> Branches,
                   llvm::ArrayRef<const Stmt *> Loops, ASTContext &Ctx);

  const bool UnknownIsUnsafe;
  AwaitableClassifier Classifier;
  llvm::DenseMap<const FunctionDecl *, Verdict> Verdicts;
};

} // namespace clang::tidy::corolint

#endif
