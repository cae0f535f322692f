//===--- LoopWithoutSuspendCheck.cpp - async-loop-without-suspend ---------===//

#include "LoopWithoutSuspendCheck.h"
#include "utils/BodyStatements.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include <optional>

using namespace clang::ast_matchers;

namespace clang::tidy::corolint {

namespace {

const char DefaultCancellationChecks[] =
    ".*::is_cancelled;.*::is_cancellation_requested;.*::stop_requested;"
    ".*::throw_if_cancelled;.*::cancelled";

// Can control leave the loop from inside its body? `break` counts only when
// it belongs to this loop, not to a nested loop or switch.
bool hasExit(const Stmt *S, bool InNestedBreakable = false) {
  if (!S)
    return false;
  if (isa<BreakStmt>(S))
    return !InNestedBreakable;
  if (isa<ReturnStmt, CoreturnStmt, GotoStmt, IndirectGotoStmt, CXXThrowExpr>(
          S))
    return true;
  if (const auto *Call = dyn_cast<CallExpr>(S))
    if (const FunctionDecl *Callee = Call->getDirectCallee();
        Callee && Callee->isNoReturn())
      return true;
  if (isa<LambdaExpr>(S))
    return false;
  bool Nested = InNestedBreakable ||
                isa<ForStmt, WhileStmt, DoStmt, CXXForRangeStmt, SwitchStmt>(S);
  for (const Stmt *Child : S->children())
    if (hasExit(Child, Nested))
      return true;
  return false;
}

// The local variables (parameters included) a condition reads, when it reads
// nothing else: no calls, no members, no globals, nothing volatile. Returns
// false when the condition depends on anything the analysis cannot follow.
bool conditionVariables(const Expr *Cond,
                        llvm::SmallPtrSetImpl<const VarDecl *> &Vars) {
  bool Simple = true;
  forEachStatement(Cond, [&](const Stmt *S) {
    if (isa<CallExpr, MemberExpr, CXXThisExpr, CoroutineSuspendExpr, StmtExpr,
            UnaryExprOrTypeTraitExpr>(S)) {
      Simple = false;
      return false;
    }
    if (const auto *Ref = dyn_cast<DeclRefExpr>(S)) {
      const auto *Var = dyn_cast<VarDecl>(Ref->getDecl());
      if (!Var) {
        // An enumerator or a function name is a constant.
        Simple &= isa<EnumConstantDecl>(Ref->getDecl());
        return Simple;
      }
      QualType T = Var->getType();
      if (!Var->hasLocalStorage() || T.isVolatileQualified() ||
          T->isReferenceType() || !T->isScalarType())
        Simple = false;
      else
        Vars.insert(Var);
    }
    return Simple;
  });
  return Simple && !Vars.empty();
}

// Whether anything in \p S may change one of \p Vars: any use that is not a
// plain read of its value (an assignment, ++/--, taking its address or a
// reference to it), or a lambda that captures it.
bool mayModify(const Stmt *S,
               const llvm::SmallPtrSetImpl<const VarDecl *> &Vars) {
  if (!S)
    return false;
  llvm::SmallPtrSet<const DeclRefExpr *, 8> Reads;
  bool Modified = false;
  forEachStatement(S, [&](const Stmt *Node) {
    if (const auto *Cast = dyn_cast<ImplicitCastExpr>(Node);
        Cast && Cast->getCastKind() == CK_LValueToRValue)
      if (const auto *Ref =
              dyn_cast<DeclRefExpr>(Cast->getSubExpr()->IgnoreParens()))
        Reads.insert(Ref);
    if (const auto *Ref = dyn_cast<DeclRefExpr>(Node)) {
      const auto *Var = dyn_cast<VarDecl>(Ref->getDecl());
      if (Var && Vars.contains(Var) && !Reads.contains(Ref))
        Modified = true;
    }
    if (const auto *Lambda = dyn_cast<LambdaExpr>(Node))
      for (const LambdaCapture &Capture : Lambda->captures())
        if (Capture.capturesVariable())
          if (const auto *Var = dyn_cast<VarDecl>(Capture.getCapturedVar());
              Var && Vars.contains(Var))
            Modified = true;
    return !Modified;
  });
  return Modified;
}

} // namespace

LoopWithoutSuspendCheck::LoopWithoutSuspendCheck(StringRef Name,
                                                 ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context),
      RawCancellationChecks(
          Options.get("CancellationChecks", DefaultCancellationChecks)),
      CancellationChecks(RawCancellationChecks) {}

void LoopWithoutSuspendCheck::storeOptions(ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "CancellationChecks", RawCancellationChecks);
}

void LoopWithoutSuspendCheck::registerMatchers(MatchFinder *Finder) {
  Bodies.registerMatchers(Finder, this, /*CoroutinesOnly=*/true);
}

void LoopWithoutSuspendCheck::check(const MatchFinder::MatchResult &Result) {
  const FunctionDecl *Function = Bodies.take(Result);
  const Stmt *Body = Function ? coroutineBody(Function) : nullptr;
  if (!Body)
    return;
  forEachStatement(Body, [&](const Stmt *S) {
    if (const auto *While = dyn_cast<WhileStmt>(S))
      checkLoop(While, While->getCond(), While->getBody(), nullptr,
                *Result.Context);
    else if (const auto *Do = dyn_cast<DoStmt>(S))
      checkLoop(Do, Do->getCond(), Do->getBody(), nullptr, *Result.Context);
    else if (const auto *For = dyn_cast<ForStmt>(S))
      checkLoop(For, For->getCond(), For->getBody(), For->getInc(),
                *Result.Context);
    return true;
  });
}

bool LoopWithoutSuspendCheck::checksCancellation(const Stmt *S) const {
  bool Found = false;
  forEachStatement(S, [&](const Stmt *Node) {
    if (const auto *Call = dyn_cast<CallExpr>(Node))
      if (const FunctionDecl *Callee = Call->getDirectCallee())
        Found |= CancellationChecks.matches(Callee);
    return !Found;
  });
  return Found;
}

void LoopWithoutSuspendCheck::checkLoop(const Stmt *Loop, const Expr *Cond,
                                        const Stmt *Body, const Expr *Inc,
                                        ASTContext &Ctx) {
  if (Cond && Cond->isValueDependent())
    return;
  // A missing condition is always true; a constant one is evaluated once.
  std::optional<bool> Constant = true;
  if (bool Value; Cond)
    Constant = Cond->EvaluateAsBooleanCondition(Value, Ctx)
                   ? std::optional<bool>(Value)
                   : std::nullopt;
  if (Constant == false)
    return; // runs at most once
  enum { AlwaysTrue, Unchanged } Why = AlwaysTrue;
  llvm::SmallPtrSet<const VarDecl *, 4> Vars;
  if (Constant) {
    if (hasExit(Body))
      return;
  } else {
    if (!conditionVariables(Cond, Vars) || mayModify(Body, Vars) ||
        mayModify(Inc, Vars) || mayModify(Cond, Vars))
      return;
    Why = Unchanged;
  }
  if (containsSuspension(Loop) || checksCancellation(Loop))
    return;
  SourceLocation Loc = loopKeyword(Loop);
  if (!Reported.insert(Loc).second)
    return;
  diag(Loc, "loop in a coroutine never suspends or checks for cancellation "
            "and nothing ends it: it holds its worker thread and cannot be "
            "cancelled; add 'co_await asyncrt::yield_now()' inside it, or "
            "move the work to 'asyncrt::spawn_blocking'");
  if (Why == AlwaysTrue)
    diag(Cond ? Cond->getBeginLoc() : Loc,
         "the condition is always true and the body has no break, return "
         "or throw",
         DiagnosticIDs::Note);
  else
    diag(Cond->getBeginLoc(), "%0 does not change inside the loop",
         DiagnosticIDs::Note)
        << *Vars.begin();
}

} // namespace clang::tidy::corolint
