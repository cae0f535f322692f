//===--- BlockingCallCheck.h - async-blocking-call --------------*- C++ -*-===//

#ifndef COROLINT_CHECKS_BLOCKINGCALLCHECK_H
#define COROLINT_CHECKS_BLOCKINGCALLCHECK_H

#include "ClangTidyCheck.h"
#include "utils/FunctionBodies.h"
#include "utils/NameList.h"
#include "llvm/ADT/DenseSet.h"

namespace clang::tidy::corolint {

/// Finds calls, in a coroutine's own body, to functions that block the
/// thread: sleeps, waits on futures, threads and condition variables,
/// blocking POSIX and stdio I/O, and a runtime's block_on/sync_wait.
///
/// For the user-facing documentation see docs/checks/async-blocking-call.md.
class BlockingCallCheck : public ClangTidyCheck {
public:
  BlockingCallCheck(StringRef Name, ClangTidyContext *Context);
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
  const StringRef RawBlockingFunctions;
  const StringRef RawAllowedFunctions;
  const NameList BlockingFunctions;
  const NameList AllowedFunctions;
  FunctionBodies Bodies;
  llvm::DenseSet<SourceLocation> Reported;
};

} // namespace clang::tidy::corolint

#endif
