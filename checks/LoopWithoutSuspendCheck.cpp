//===--- LoopWithoutSuspendCheck.cpp - async-loop-without-suspend ---------===//

#include "LoopWithoutSuspendCheck.h"
#include "utils/Aliasing.h"
#include "utils/BodyStatements.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Analysis/Analyses/ExprMutationAnalyzer.h"
#include <optional>

using namespace clang::ast_matchers;

namespace clang::tidy::corolint {

namespace {

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

// Whether \p Type is std::atomic<T>, std::atomic_ref<T> or std::atomic_flag.
bool isAtomicType(QualType Type) {
  const auto *Record = Type.getNonReferenceType()->getAsCXXRecordDecl();
  if (!Record || !Record->isInStdNamespace())
    return false;
  StringRef Name = Record->getName();
  return Name == "atomic" || Name == "atomic_ref" || Name == "atomic_flag";
}

// The variable or member an atomic operation works on, when it is named
// directly.
const ValueDecl *atomicObject(const Expr *Object) {
  Object = Object->IgnoreParenImpCasts();
  if (!isAtomicType(Object->getType()))
    return nullptr;
  if (const auto *Ref = dyn_cast<DeclRefExpr>(Object))
    return Ref->getDecl();
  if (const auto *Member = dyn_cast<MemberExpr>(Object))
    return Member->getMemberDecl();
  return nullptr;
}

// A read of an atomic object named directly (load, test, the conversion),
// or a read-modify-write whose result is what a spin waits on (a spin lock's
// test_and_set, exchange, compare_exchange).
bool isAtomicRead(const CXXMemberCallExpr *Call) {
  const CXXMethodDecl *Method = Call->getMethodDecl();
  StringRef Name =
      Method && Method->getIdentifier() ? Method->getName() : StringRef();
  bool Reads = isa_and_nonnull<CXXConversionDecl>(Method) || Name == "load" ||
               Name == "test" || Name == "test_and_set" || Name == "exchange" ||
               Name.starts_with("compare_exchange");
  return Reads && atomicObject(Call->getImplicitObjectArgument());
}

// Whether \p E decides only on atomic objects read (or tested and set) with
// constants: such a condition changes only when another thread writes the
// object. \p Flags receives the reads, for the note.
bool readsOnlyAtomics(const Expr *E,
                      llvm::SmallVectorImpl<const Expr *> &Flags) {
  bool Only = true;
  size_t Before = Flags.size();
  forEachStatement(E, [&](const Stmt *S) {
    if (const auto *Call = dyn_cast<CXXMemberCallExpr>(S)) {
      if (isAtomicRead(Call))
        Flags.push_back(Call);
      else
        Only = false;
      return false; // the arguments are memory orders and values
    }
    if (isa<CallExpr, CoroutineSuspendExpr, StmtExpr, LambdaExpr>(S))
      Only = false;
    if (const auto *Ref = dyn_cast<DeclRefExpr>(S))
      // Anything named outside an atomic call must be a constant.
      Only &= isa<EnumConstantDecl>(Ref->getDecl()) ||
              (isa<VarDecl>(Ref->getDecl()) &&
               cast<VarDecl>(Ref->getDecl())->getType().isConstQualified());
    if (isa<MemberExpr, CXXThisExpr>(S))
      Only = false;
    return Only;
  });
  return Only && Flags.size() > Before;
}

// Every way out of \p S that belongs to this loop (break, return, throw,
// goto, a noreturn call; a `break` counts only when it belongs to this loop,
// not to a nested loop or switch), with the condition of the innermost `if`
// inside the loop that guards it (null when none does).
void collectExits(const Stmt *S, const Expr *Guard, bool InNestedBreakable,
                  llvm::SmallVectorImpl<const Expr *> &Guards) {
  if (!S || isa<LambdaExpr>(S))
    return;
  if (isa<BreakStmt>(S)) {
    if (!InNestedBreakable)
      Guards.push_back(Guard);
    return;
  }
  if (isa<ReturnStmt, CoreturnStmt, GotoStmt, IndirectGotoStmt, CXXThrowExpr>(
          S)) {
    Guards.push_back(Guard);
    return;
  }
  if (const auto *Call = dyn_cast<CallExpr>(S))
    if (const FunctionDecl *Callee = Call->getDirectCallee();
        Callee && Callee->isNoReturn())
      Guards.push_back(Guard);
  if (const auto *If = dyn_cast<IfStmt>(S)) {
    collectExits(If->getInit(), Guard, InNestedBreakable, Guards);
    collectExits(If->getConditionVariableDeclStmt(), Guard, InNestedBreakable,
                 Guards);
    collectExits(If->getCond(), Guard, InNestedBreakable, Guards);
    collectExits(If->getThen(), If->getCond(), InNestedBreakable, Guards);
    collectExits(If->getElse(), If->getCond(), InNestedBreakable, Guards);
    return;
  }
  bool Nested = InNestedBreakable ||
                isa<ForStmt, WhileStmt, DoStmt, CXXForRangeStmt, SwitchStmt>(S);
  for (const Stmt *Child : S->children())
    collectExits(Child, Guard, Nested, Guards);
}

// Whether \p S uses one of the objects of \p Flags other than by reading it
// (a store, a reference passed on): then this coroutine may end the wait
// itself.
bool writesFlag(const Stmt *S,
                const llvm::SmallVectorImpl<const Expr *> &Flags) {
  llvm::SmallPtrSet<const ValueDecl *, 4> Objects;
  for (const Expr *Read : Flags)
    Objects.insert(atomicObject(
        cast<CXXMemberCallExpr>(Read)->getImplicitObjectArgument()));
  bool Writes = false;
  forEachStatement(S, [&](const Stmt *Node) {
    if (const auto *Call = dyn_cast<CXXMemberCallExpr>(Node);
        Call && isAtomicRead(Call))
      return false; // a read: its object is not written here
    const ValueDecl *Named = nullptr;
    if (const auto *Ref = dyn_cast<DeclRefExpr>(Node))
      Named = Ref->getDecl();
    else if (const auto *Member = dyn_cast<MemberExpr>(Node))
      Named = Member->getMemberDecl();
    Writes |= Named && Objects.contains(Named);
    return !Writes;
  });
  return Writes;
}

} // namespace

LoopWithoutSuspendCheck::LoopWithoutSuspendCheck(StringRef Name,
                                                 ClangTidyContext *Context)
    : CoroutineBodyCheck(Name, Context, BodyKind::Coroutines) {
  roleOption(model::Role::CancellationCheck, "CancellationChecks");
}

void LoopWithoutSuspendCheck::checkBody(const FunctionDecl *Function,
                                        const Stmt *Body, ASTContext &Ctx) {
  forEachStatement(Body, [&](const Stmt *S) {
    if (const auto *While = dyn_cast<WhileStmt>(S))
      checkLoop(Function, While, While->getCond(), While->getBody(), nullptr,
                Ctx);
    else if (const auto *Do = dyn_cast<DoStmt>(S))
      checkLoop(Function, Do, Do->getCond(), Do->getBody(), nullptr, Ctx);
    else if (const auto *For = dyn_cast<ForStmt>(S))
      checkLoop(Function, For, For->getCond(), For->getBody(), For->getInc(),
                Ctx);
    return true;
  });
}

bool LoopWithoutSuspendCheck::checksCancellation(const Stmt *S) const {
  bool Found = false;
  forEachStatement(S, [&](const Stmt *Node) {
    if (const auto *Call = dyn_cast<CallExpr>(Node))
      Found |= Model.isCall(model::Role::CancellationCheck, Call);
    return !Found;
  });
  return Found;
}

void LoopWithoutSuspendCheck::checkLoop(const FunctionDecl *Function,
                                        const Stmt *Loop, const Expr *Cond,
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
  enum { AlwaysTrue, Unchanged, OtherThread } Why = AlwaysTrue;
  llvm::SmallPtrSet<const VarDecl *, 4> Vars;
  // Atomic reads that decide every way out, when only another thread can
  // make them change: a busy wait.
  llvm::SmallVector<const Expr *, 4> Flags;
  // Every way out of the body (a `break` of a nested loop or switch is not
  // one), with the `if` condition guarding it.
  llvm::SmallVector<const Expr *, 4> ExitGuards;
  collectExits(Body, nullptr, false, ExitGuards);
  if (spinsOnAtomics(Cond, Constant.has_value(), ExitGuards, Body, Inc,
                     Flags)) {
    Why = OtherThread;
  } else if (Constant) {
    if (!ExitGuards.empty())
      return;
  } else {
    if (!conditionVariables(Cond, Vars) || mayModify(Body, Vars) ||
        mayModify(Inc, Vars) || mayModify(Cond, Vars))
      return;
    // Changed through a pointer or reference taken anywhere in the function
    // (upstream bugprone-infinite-loop's test), or through any mutation the
    // analyzer sees in the loop.
    ExprMutationAnalyzer Mutations(*Loop, Ctx);
    for (const VarDecl *Var : Vars)
      if (utils::hasPtrOrReferenceInFunc(Function, Var) ||
          Mutations.isMutated(Var))
        return;
    Why = Unchanged;
  }
  if (containsSuspension(Loop) || checksCancellation(Loop))
    return;
  SourceLocation Loc = loopKeyword(Loop);
  if (!firstReport(Loc))
    return;
  // The advice is in the terms of the coroutine's own library.
  diag(Loc, "loop in a coroutine never suspends or checks for cancellation "
            "and nothing ends it: it holds its worker thread and cannot be "
            "cancelled; %0")
      << Model.advice(model::BlockingKind::Spin,
                      Model.libraryOfCoroutine(Function));
  if (Why == OtherThread)
    diag(Flags.front()->getBeginLoc(),
         "the loop ends only when another thread changes this atomic: "
         "spinning on it holds the worker; wait for an event instead (an "
         "awaitable the writer completes)",
         DiagnosticIDs::Note);
  else if (Why == AlwaysTrue)
    diag(Cond ? Cond->getBeginLoc() : Loc,
         "the condition is always true and the body has no break, return "
         "or throw",
         DiagnosticIDs::Note);
  else
    diag(Cond->getBeginLoc(), "%0 does not change inside the loop",
         DiagnosticIDs::Note)
        << *Vars.begin();
}

bool LoopWithoutSuspendCheck::spinsOnAtomics(
    const Expr *Cond, bool ConstantCondition,
    llvm::ArrayRef<const Expr *> ExitGuards, const Stmt *Body, const Expr *Inc,
    llvm::SmallVectorImpl<const Expr *> &Flags) const {
  // The condition is constant, or decides on atomics alone.
  if (!ConstantCondition && !readsOnlyAtomics(Cond, Flags))
    return false;
  // Every way out of the body is guarded by such a decision (one that is
  // not guarded ends the first iteration: no spin).
  for (const Expr *Guard : ExitGuards)
    if (!Guard || !readsOnlyAtomics(Guard, Flags))
      return false;
  // Something to wait for, that this coroutine does not write itself.
  return !Flags.empty() && !writesFlag(Body, Flags) &&
         (!Inc || !writesFlag(Inc, Flags));
}

} // namespace clang::tidy::corolint
