//===--- CancelUnsafeSelectCheck.h - async-cancel-unsafe-select -*- C++ -*-===//

#ifndef COROLINT_CHECKS_CANCELUNSAFESELECTCHECK_H
#define COROLINT_CHECKS_CANCELUNSAFESELECTCHECK_H

#include "ClangTidyCheck.h"
#include "utils/Awaitable.h"
#include "utils/FunctionBodies.h"
#include "utils/NameList.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

namespace clang::tidy::corolint {

/// Finds branches of a select-like operation (select, timeout, Boost.Asio's
/// `||` and wait_for_one parallel groups) that are not cancel-safe: when
/// another branch wins, the loser is cancelled and what it had half done is
/// lost. Inside a loop, a branch that creates a fresh cancel-unsafe
/// operation on every iteration is the classic data-loss bug.
///
/// For the user-facing documentation see
/// docs/checks/async-cancel-unsafe-select.md.
class CancelUnsafeSelectCheck : public ClangTidyCheck {
public:
  CancelUnsafeSelectCheck(StringRef Name, ClangTidyContext *Context);
  void storeOptions(ClangTidyOptions::OptionMap &Opts) override;
  void registerMatchers(ast_matchers::MatchFinder *Finder) override;
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;
  void onEndOfTranslationUnit() override {
    Bodies.reset();
    Classifier.reset();
    Verdicts.clear();
    Reported.clear();
  }
  bool isLanguageVersionSupported(const LangOptions &LangOpts) const override {
    return LangOpts.CPlusPlus20;
  }

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
  Verdict classifyOperation(const Expr *E, ASTContext &Ctx, unsigned Depth);
  Verdict classifyCallee(const FunctionDecl *F, ASTContext &Ctx,
                         unsigned Depth);
  Verdict classifyCoroutine(const FunctionDecl *F, ASTContext &Ctx,
                            unsigned Depth);
  void checkSelect(const Expr *Select, StringRef What,
                   llvm::ArrayRef<const Expr *> Branches,
                   llvm::ArrayRef<const Stmt *> Loops, ASTContext &Ctx);

  const StringRef RawSelectFunctions;
  const StringRef RawCancelSafeFunctions;
  const StringRef RawCancelUnsafeFunctions;
  const bool UnknownIsUnsafe;
  const StringRef RawTaskTypes;
  const NameList SelectFunctions;
  const NameList CancelSafeFunctions;
  const NameList CancelUnsafeFunctions;
  FunctionBodies Bodies;
  AwaitableClassifier Classifier;
  llvm::DenseMap<const FunctionDecl *, Verdict> Verdicts;
  llvm::DenseSet<SourceLocation> Reported;
};

} // namespace clang::tidy::corolint

#endif
