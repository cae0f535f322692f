//===--- UnboundedFanoutCheck.h - async-unbounded-fanout --------*- C++ -*-===//

#ifndef COROLINT_CHECKS_UNBOUNDEDFANOUTCHECK_H
#define COROLINT_CHECKS_UNBOUNDEDFANOUTCHECK_H

#include "CoroutineBodyCheck.h"

namespace clang::tidy::corolint {

/// Finds fan-out with nothing to bound it: a spawn-like call on every
/// iteration of a loop whose trip count comes from data, with no concurrency
/// bound taken in the iteration before it; and a join-all over a container
/// filled with one operation per input item in such a loop.
///
/// For the user-facing documentation see
/// docs/checks/async-unbounded-fanout.md.
class UnboundedFanoutCheck : public CoroutineBodyCheck {
public:
  UnboundedFanoutCheck(StringRef Name, ClangTidyContext *Context);
  void storeOptions(ClangTidyOptions::OptionMap &Opts) override;

  /// Whether a loop's trip count comes from data (or is a constant above the
  /// limit); what the note at the loop says.
  enum class TripCount { Small, FromData, LargeConstant, Endless };

private:
  void checkBody(const FunctionDecl *Function, const Stmt *Body,
                 ASTContext &Ctx) override;
  TripCount tripCount(const Stmt *Loop, const FunctionDecl *F,
                      ASTContext &Ctx) const;
  void checkLoop(const Stmt *Loop, TripCount Count, ASTContext &Ctx);
  using LoopList = llvm::ArrayRef<std::pair<const Stmt *, TripCount>>;
  void checkJoinAll(const CallExpr *Call, LoopList Loops, ASTContext &Ctx);
  void noteLoop(const Stmt *Loop, TripCount Count);

  const unsigned MaxStaticFanout;
};

} // namespace clang::tidy::corolint

#endif
