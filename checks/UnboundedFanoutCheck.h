//===--- UnboundedFanoutCheck.h - async-unbounded-fanout --------*- C++ -*-===//

#ifndef COROLINT_CHECKS_UNBOUNDEDFANOUTCHECK_H
#define COROLINT_CHECKS_UNBOUNDEDFANOUTCHECK_H

#include "ClangTidyCheck.h"
#include "utils/FunctionBodies.h"
#include "utils/NameList.h"
#include "llvm/ADT/DenseSet.h"

namespace clang::tidy::corolint {

/// Finds fan-out with nothing to bound it: a spawn-like call on every
/// iteration of a loop whose trip count comes from data, with no concurrency
/// bound taken in the iteration before it; and a join-all over a container
/// filled with one operation per input item in such a loop.
///
/// For the user-facing documentation see
/// docs/checks/async-unbounded-fanout.md.
class UnboundedFanoutCheck : public ClangTidyCheck {
public:
  UnboundedFanoutCheck(StringRef Name, ClangTidyContext *Context);
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

  /// Whether a loop's trip count comes from data (or is a constant above the
  /// limit); what the note at the loop says.
  enum class TripCount { Small, FromData, LargeConstant, Endless };

private:
  TripCount tripCount(const Stmt *Loop, const FunctionDecl *F,
                      ASTContext &Ctx) const;
  bool isSpawn(const FunctionDecl *Callee) const;
  bool isBounding(const FunctionDecl *Callee) const;
  void checkLoop(const Stmt *Loop, TripCount Count, ASTContext &Ctx);
  using LoopList = llvm::ArrayRef<std::pair<const Stmt *, TripCount>>;
  void checkJoinAll(const CallExpr *Call, LoopList Loops, ASTContext &Ctx);
  void noteLoop(const Stmt *Loop, TripCount Count);

  const StringRef RawSpawnFunctions;
  const StringRef RawJoinAllFunctions;
  const StringRef RawBoundingFunctions;
  const unsigned MaxStaticFanout;
  const NameList SpawnFunctions;
  const NameList JoinAllFunctions;
  const NameList BoundingFunctions;
  FunctionBodies Bodies;
  llvm::DenseSet<SourceLocation> Reported;
};

} // namespace clang::tidy::corolint

#endif
