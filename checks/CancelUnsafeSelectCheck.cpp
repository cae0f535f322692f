//===--- CancelUnsafeSelectCheck.cpp - async-cancel-unsafe-select
//----------===//

#include "CancelUnsafeSelectCheck.h"
#include "utils/Annotations.h"
#include "utils/BodyStatements.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang::ast_matchers;

namespace clang::tidy::corolint {

namespace {

// Is \p E an lvalue outside the coroutine's frame: a member of *this, a
// global, or something reached through a reference or a pointer?
bool outsideFrame(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (const auto *Member = dyn_cast<MemberExpr>(E)) {
    const Expr *Base = Member->getBase()->IgnoreParenImpCasts();
    if (isa<CXXThisExpr>(Base) || Member->isArrow())
      return true;
    return outsideFrame(Base);
  }
  if (const auto *Ref = dyn_cast<DeclRefExpr>(E)) {
    const auto *Var = dyn_cast<VarDecl>(Ref->getDecl());
    return Var &&
           (!Var->hasLocalStorage() || Var->getType()->isReferenceType());
  }
  if (const auto *Unary = dyn_cast<UnaryOperator>(E))
    return Unary->getOpcode() == UO_Deref;
  if (const auto *Sub = dyn_cast<ArraySubscriptExpr>(E))
    return Sub->getBase()->getType()->isPointerType() ||
           outsideFrame(Sub->getBase());
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E);
      Op && Op->getNumArgs() >= 1 &&
      (Op->getOperator() == OO_Subscript || Op->getOperator() == OO_Star ||
       Op->getOperator() == OO_Arrow))
    return outsideFrame(Op->getArg(0));
  return false;
}

// A change to state outside the frame made by \p S itself: an assignment,
// an increment, or a non-const member call on such state.
const Expr *externalWrite(const Stmt *S,
                          const llvm::SmallPtrSetImpl<const Expr *> &Awaited) {
  if (const auto *Bin = dyn_cast<BinaryOperator>(S);
      Bin && Bin->isAssignmentOp() && outsideFrame(Bin->getLHS()))
    return Bin;
  if (const auto *Unary = dyn_cast<UnaryOperator>(S);
      Unary && Unary->isIncrementDecrementOp() &&
      outsideFrame(Unary->getSubExpr()))
    return Unary;
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(S);
      Op &&
      (Op->isAssignmentOp() || Op->getOperator() == OO_PlusPlus ||
       Op->getOperator() == OO_MinusMinus) &&
      Op->getNumArgs() >= 1 && outsideFrame(Op->getArg(0)))
    return Op;
  if (const auto *Call = dyn_cast<CXXMemberCallExpr>(S)) {
    const CXXMethodDecl *Method = Call->getMethodDecl();
    if (Method && !Method->isConst() && !Awaited.contains(Call) &&
        outsideFrame(Call->getImplicitObjectArgument()))
      return Call;
  }
  return nullptr;
}

// An await whose result is thrown away (a statement of its own, or void).
bool discarded(const CoroutineSuspendExpr *Await,
               const llvm::SmallPtrSetImpl<const Expr *> &Statements) {
  return Await->getType()->isVoidType() || Statements.contains(Await);
}

} // namespace

CancelUnsafeSelectCheck::CancelUnsafeSelectCheck(StringRef Name,
                                                 ClangTidyContext *Context)
    : CoroutineBodyCheck(Name, Context, BodyKind::Coroutines),
      UnknownIsUnsafe(Options.get("UnknownIsUnsafe", false)),
      Classifier(Model) {
  roleOption(model::Role::Select, "SelectFunctions");
  roleOption(model::Role::CancelSafe, "CancelSafeFunctions");
  roleOption(model::Role::CancelUnsafe, "CancelUnsafeFunctions");
  roleOption(model::Role::TaskType, "TaskTypes");
}

void CancelUnsafeSelectCheck::storeOptions(ClangTidyOptions::OptionMap &Opts) {
  CoroutineBodyCheck::storeOptions(Opts);
  Options.store(Opts, "UnknownIsUnsafe", UnknownIsUnsafe);
}

CancelUnsafeSelectCheck::Verdict
CancelUnsafeSelectCheck::classifyOperation(const Expr *E, ASTContext &Ctx,
                                           unsigned Depth) {
  E = stripWrappers(E);
  if (const auto *Call = dyn_cast<CallExpr>(E))
    if (const FunctionDecl *Callee = Call->getDirectCallee()) {
      Verdict V = classifyCallee(Callee, Ctx, Depth);
      if (V.Kind != Verdict::Unknown)
        return V;
    }
  // An awaitable object: its operator co_await may say.
  if (const CXXRecordDecl *RD = recordForType(E->getType()))
    for (const CXXMethodDecl *Method : RD->methods())
      if (Method->getOverloadedOperator() == OO_Coawait) {
        model::AsyncModel::Safety Safety = Model.cancelSafety(Method);
        if (Safety == model::AsyncModel::Safety::Safe)
          return {Verdict::Safe, "", {}, ""};
        if (Safety == model::AsyncModel::Safety::Unsafe)
          return {Verdict::Unsafe,
                  "awaiting '" + RD->getNameAsString() +
                      "' is cancelled part-way and loses what it had taken",
                  {},
                  ""};
      }
  return {};
}

CancelUnsafeSelectCheck::Verdict
CancelUnsafeSelectCheck::classifyCallee(const FunctionDecl *F, ASTContext &Ctx,
                                        unsigned Depth) {
  std::string Name = qualifiedName(F);
  switch (Model.cancelSafety(F)) {
  case model::AsyncModel::Safety::Unsafe:
    return {Verdict::Unsafe,
            "'" + Name +
                "' is cancelled part-way and loses what it had taken (it is "
                "not cancel-safe)",
            {},
            ""};
  case model::AsyncModel::Safety::Safe:
    return {Verdict::Safe, "", {}, ""};
  case model::AsyncModel::Safety::Unknown:
    break;
  }
  // A known library's own coroutines (a nested collectAny, say) are judged
  // by its table, never by their implementation: how a library cancels is
  // its contract, not what its body looks like.
  if (Model.libraryOf(Name))
    return {};
  const FunctionDecl *Definition = nullptr;
  if (Depth < 4 && F->hasBody(Definition) && Definition &&
      coroutineBody(Definition))
    return classifyCoroutine(Definition, Ctx, Depth);
  return {};
}

CancelUnsafeSelectCheck::Verdict
CancelUnsafeSelectCheck::classifyCoroutine(const FunctionDecl *F,
                                           ASTContext &Ctx, unsigned Depth) {
  if (auto It = Verdicts.find(F); It != Verdicts.end())
    return It->second;
  Verdicts[F] = {}; // Unknown while in progress: recursion stops here
  const Stmt *Body = coroutineBody(F);
  const SourceManager &SM = Ctx.getSourceManager();
  std::string Name = "'" + qualifiedName(F) + "'";
  if (isa<CXXMethodDecl>(F) && cast<CXXMethodDecl>(F)->getParent()->isLambda())
    Name = "the lambda";

  llvm::SmallVector<const CoroutineSuspendExpr *, 8> Suspensions;
  llvm::SmallPtrSet<const Expr *, 8> Awaited, Statements;
  forEachStatement(Body, [&](const Stmt *S) {
    if (const auto *Await = dyn_cast<CoroutineSuspendExpr>(S)) {
      if (const auto *Co = dyn_cast<CoawaitExpr>(Await); Co && Co->isImplicit())
        return true;
      Suspensions.push_back(Await);
      Awaited.insert(stripWrappers(Await->getOperand()));
    }
    if (const auto *Compound = dyn_cast<CompoundStmt>(S))
      for (const Stmt *Child : Compound->body())
        if (const auto *E = dyn_cast<Expr>(Child)) {
          const Expr *Inner = E->IgnoreImplicit()->IgnoreParens();
          if (const auto *Cast = dyn_cast<CStyleCastExpr>(Inner);
              Cast && Cast->getType()->isVoidType())
            Inner = Cast->getSubExpr()->IgnoreImplicit()->IgnoreParens();
          Statements.insert(Inner);
        }
    return true;
  });

  auto Finish = [&](Verdict V) { return Verdicts[F] = std::move(V); };
  bool AnyUnknown = false;
  for (const CoroutineSuspendExpr *Await : Suspensions) {
    Verdict Inner = classifyOperation(Await->getOperand(), Ctx, Depth + 1);
    if (Inner.Kind == Verdict::Unsafe)
      return Finish({Verdict::Unsafe,
                     Name + " awaits an operation that is not cancel-safe",
                     Await->getBeginLoc(),
                     "this operation is not cancel-safe: " + Inner.Reason});
    AnyUnknown |= Inner.Kind == Verdict::Unknown;
  }
  if (Suspensions.size() >= 2) {
    const CoroutineSuspendExpr *First = Suspensions.front();
    const CoroutineSuspendExpr *Last = Suspensions.front();
    for (const CoroutineSuspendExpr *S : Suspensions)
      if (SM.isBeforeInTranslationUnit(Last->getBeginLoc(), S->getBeginLoc()))
        Last = S;
    // Data received at one suspension and still held at a later one.
    for (const CoroutineSuspendExpr *S : Suspensions)
      if (S != Last && !discarded(S, Statements))
        return Finish(
            {Verdict::Unsafe,
             Name + " still holds data it received when it suspends again, "
                    "and that data is dropped with it",
             S->getBeginLoc(),
             "data received here is dropped if the operation is cancelled at "
             "a later suspension"});
    // A change outside the frame between two suspensions.
    const Expr *Write = nullptr;
    forEachStatement(Body, [&](const Stmt *S) {
      if (const Expr *W = externalWrite(S, Awaited))
        if (SM.isBeforeInTranslationUnit(First->getEndLoc(),
                                         W->getBeginLoc()) &&
            SM.isBeforeInTranslationUnit(W->getEndLoc(), Last->getBeginLoc()))
          Write = W;
      return !Write;
    });
    if (Write)
      return Finish({Verdict::Unsafe,
                     Name + " changes state outside its frame between two "
                            "suspensions, and cancelling it at the later one "
                            "leaves that change half done",
                     Write->getBeginLoc(),
                     "this change happens between two suspensions"});
  }
  if (AnyUnknown)
    return Finish({});
  return Finish({Verdict::Safe, "", {}, ""});
}

void CancelUnsafeSelectCheck::checkBody(const FunctionDecl *, const Stmt *Body,
                                        ASTContext &Ctx) {
  llvm::SmallVector<const Stmt *, 8> Loops;
  forEachStatement(Body, [&](const Stmt *S) {
    if (isa<WhileStmt, DoStmt, ForStmt, CXXForRangeStmt>(S))
      Loops.push_back(S);
    return true;
  });
  llvm::SmallPtrSet<const Stmt *, 4> InnerOr;
  forEachStatement(Body, [&](const Stmt *S) {
    const auto *Call = dyn_cast<CallExpr>(S);
    if (!Call || InnerOr.contains(Call))
      return true;
    const FunctionDecl *Callee = Call->getDirectCallee();
    if (!Callee)
      return true;
    model::SelectForm Form;
    if (Model.selectByShape(Call, Form)) {
      InnerOr.insert(Form.Inner.begin(), Form.Inner.end());
      checkSelect(Call, Form.What, Form.Branches, Loops, Ctx);
      return true;
    }
    if (Model.isCall(model::Role::Select, Call)) {
      llvm::SmallVector<const Expr *, 4> Branches;
      for (const Expr *Arg : Call->arguments())
        if (Classifier.classify(Arg->getType(), Ctx) != AwaitableKind::None)
          Branches.push_back(Arg);
      checkSelect(Call, "'" + model::calledName(Call) + "'", Branches, Loops,
                  Ctx);
    }
    return true;
  });
}

void CancelUnsafeSelectCheck::checkSelect(const Expr *Select, StringRef What,
                                          llvm::ArrayRef<const Expr *> Branches,
                                          llvm::ArrayRef<const Stmt *> Loops,
                                          ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  // The innermost loop around the select (the loops are in pre-order).
  const Stmt *Loop = nullptr;
  for (const Stmt *L : Loops)
    if (SM.isBeforeInTranslationUnit(L->getBeginLoc(), Select->getBeginLoc()) &&
        SM.isBeforeInTranslationUnit(Select->getEndLoc(), L->getEndLoc()))
      Loop = L;
  for (const Expr *Branch : Branches) {
    Verdict V = classifyOperation(Branch, Ctx, 0);
    if (V.Kind == Verdict::Safe ||
        (V.Kind == Verdict::Unknown && !UnknownIsUnsafe))
      continue;
    SourceLocation At = Branch->getBeginLoc();
    if (!firstReport(At))
      continue;
    // Made by a call right here: a fresh operation on every iteration.
    bool Fresh = isa<CallExpr>(stripWrappers(Branch));
    if (V.Kind == Verdict::Unknown)
      diag(At, "this branch of %0 may not be cancel-safe: corolint cannot "
               "tell what cancelling it loses")
          << What << Branch->getSourceRange();
    else if (Loop && Fresh)
      diag(At, "this branch of %0 is not cancel-safe and is started afresh on "
               "every iteration: when another branch wins, %1; create the "
               "operation once outside the loop and keep awaiting it, or "
               "move the work behind a channel")
          << What << V.Reason << Branch->getSourceRange();
    else
      diag(At, "this branch of %0 is not cancel-safe: when another branch "
               "wins, %1")
          << What << V.Reason << Branch->getSourceRange();
    if (V.Where.isValid())
      diag(V.Where, "%0", DiagnosticIDs::Note) << V.WhereNote;
    diag(Select->getBeginLoc(), "the losing branches are cancelled here",
         DiagnosticIDs::Note);
    if (Loop && Fresh)
      diag(Loop->getBeginLoc(), "inside this loop", DiagnosticIDs::Note);
  }
}

} // namespace clang::tidy::corolint
