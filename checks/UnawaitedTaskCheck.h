//===--- UnawaitedTaskCheck.h - async-unawaited-task -----------*- C++ -*-===//

#ifndef COROLINT_CHECKS_UNAWAITEDTASKCHECK_H
#define COROLINT_CHECKS_UNAWAITEDTASKCHECK_H

#include "ClangTidyCheck.h"
#include "utils/Awaitable.h"
#include "utils/FunctionBodies.h"
#include "llvm/ADT/DenseSet.h"

namespace clang::tidy::corolint {

/// Finds a coroutine task or other awaitable that is created by a call and
/// then dropped without being awaited: as an expression statement, or in a
/// local variable that is never used again.
///
/// For the user-facing documentation see docs/checks/async-unawaited-task.md.
class UnawaitedTaskCheck : public ClangTidyCheck {
public:
  UnawaitedTaskCheck(StringRef Name, ClangTidyContext *Context);
  void storeOptions(ClangTidyOptions::OptionMap &Opts) override;
  void registerMatchers(ast_matchers::MatchFinder *Finder) override;
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;
  void onEndOfTranslationUnit() override;
  bool isLanguageVersionSupported(const LangOptions &LangOpts) const override {
    return LangOpts.CPlusPlus20;
  }

private:
  class BodyWalker;

  void checkFunctionBody(const FunctionDecl *Function, ASTContext &Ctx);

  const StringRef RawTaskTypes;
  const bool AllowExplicitDiscard;
  AwaitableClassifier Classifier;
  /// A template's statements are seen once in its pattern and once per
  /// instantiation; one report per source location is enough.
  llvm::DenseSet<SourceLocation> Reported;
  FunctionBodies Bodies;
};

} // namespace clang::tidy::corolint

#endif
