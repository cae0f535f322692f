//===--- LoopWithoutSuspendCheck.h - async-loop-without-suspend -*- C++ -*-===//

#ifndef COROLINT_CHECKS_LOOPWITHOUTSUSPENDCHECK_H
#define COROLINT_CHECKS_LOOPWITHOUTSUSPENDCHECK_H

#include "ClangTidyCheck.h"
#include "utils/FunctionBodies.h"
#include "utils/NameList.h"
#include "llvm/ADT/DenseSet.h"

namespace clang::tidy::corolint {

/// Finds loops in a coroutine body that never suspend, never check for
/// cancellation, and have no end the analysis can see: a constant-true
/// condition with no way out of the body, or a condition on local variables
/// that nothing in the loop changes. Cancellation is cooperative, so such a
/// loop holds its worker thread and cannot be aborted.
///
/// For the user-facing documentation see
/// docs/checks/async-loop-without-suspend.md.
class LoopWithoutSuspendCheck : public ClangTidyCheck {
public:
  LoopWithoutSuspendCheck(StringRef Name, ClangTidyContext *Context);
  void storeOptions(ClangTidyOptions::OptionMap &Opts) override;
  void registerMatchers(ast_matchers::MatchFinder *Finder) override;
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;
  void onEndOfTranslationUnit() override {
    Bodies.reset();
    Reported.clear();
  }
  bool isLanguageVersionSupported(const LangOptions &LangOpts) const override {
    return LangOpts.CPlusPlus20;
  }

private:
  void checkLoop(const FunctionDecl *Function, const Stmt *Loop,
                 const Expr *Cond, const Stmt *Body, const Expr *Inc,
                 ASTContext &Ctx);
  bool spinsOnAtomics(const Expr *Cond, bool ConstantCondition,
                      llvm::ArrayRef<const Expr *> ExitGuards, const Stmt *Body,
                      const Expr *Inc,
                      llvm::SmallVectorImpl<const Expr *> &Flags) const;
  bool checksCancellation(const Stmt *S) const;

  const StringRef RawCancellationChecks;
  const NameList CancellationChecks;
  FunctionBodies Bodies;
  llvm::DenseSet<SourceLocation> Reported;
};

} // namespace clang::tidy::corolint

#endif
