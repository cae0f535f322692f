//===--- UnawaitedTaskCheck.cpp - async-unawaited-task --------------------===//

#include "UnawaitedTaskCheck.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/SmallVector.h"

using namespace clang::ast_matchers;

namespace clang::tidy::corolint {

namespace {

const Expr *stripImplicit(const Expr *E) {
  while (true) {
    const Expr *Next = E->IgnoreImplicit()->IgnoreParens();
    if (Next == E)
      return E;
    E = Next;
  }
}

bool isVoidCast(const Expr *E) {
  const auto *Cast = dyn_cast<ExplicitCastExpr>(E);
  return Cast && Cast->getType()->isVoidType();
}

class DeclRefFinder : public RecursiveASTVisitor<DeclRefFinder> {
public:
  explicit DeclRefFinder(const VarDecl *Var) : Var(Var) {}
  bool VisitDeclRefExpr(DeclRefExpr *Ref) {
    if (Ref->getDecl() == Var)
      Found = true;
    return !Found;
  }
  bool Found = false;

private:
  const VarDecl *Var;
};

bool isReferencedIn(const VarDecl *Var, ArrayRef<Stmt *> Stmts) {
  DeclRefFinder Finder(Var);
  for (Stmt *S : Stmts) {
    Finder.TraverseStmt(S);
    if (Finder.Found)
      return true;
  }
  return false;
}

} // namespace

/// Walks one function body (not the bodies of lambdas inside it, which are
/// functions of their own) and inspects every expression in statement
/// position, where its value is discarded.
class UnawaitedTaskCheck::BodyWalker {
public:
  BodyWalker(UnawaitedTaskCheck &Check, ASTContext &Ctx, bool InCoroutine)
      : Check(Check), Ctx(Ctx), InCoroutine(InCoroutine) {}

  void walk(const Stmt *S) {
    if (!S || isa<LambdaExpr>(S))
      return;
    if (const auto *Compound = dyn_cast<CompoundStmt>(S)) {
      walkCompound(Compound);
      return;
    }
    if (const auto *StmtExpression = dyn_cast<StmtExpr>(S))
      ValueCompounds.insert(StmtExpression->getSubStmt());
    for (const Stmt *Child : statementPositions(S))
      checkDiscarded(Child);
    for (const Stmt *Child : S->children())
      walk(Child);
  }

private:
  // Children of \p S that are statements, whose value (if any) is discarded.
  // CompoundStmt is handled separately.
  static SmallVector<const Stmt *, 2> statementPositions(const Stmt *S) {
    if (const auto *If = dyn_cast<IfStmt>(S))
      return {If->getThen(), If->getElse()};
    if (const auto *While = dyn_cast<WhileStmt>(S))
      return {While->getBody()};
    if (const auto *Do = dyn_cast<DoStmt>(S))
      return {Do->getBody()};
    if (const auto *For = dyn_cast<ForStmt>(S))
      return {For->getInit(), For->getInc(), For->getBody()};
    if (const auto *RangeFor = dyn_cast<CXXForRangeStmt>(S))
      return {RangeFor->getBody()};
    if (const auto *Case = dyn_cast<SwitchCase>(S))
      return {Case->getSubStmt()};
    if (const auto *Label = dyn_cast<LabelStmt>(S))
      return {Label->getSubStmt()};
    if (const auto *Attributed = dyn_cast<AttributedStmt>(S))
      return {Attributed->getSubStmt()};
    return {};
  }

  void walkCompound(const CompoundStmt *Compound) {
    bool ProducesValue = ValueCompounds.contains(Compound);
    ArrayRef<Stmt *> Body(Compound->body_begin(), Compound->body_end());
    for (size_t I = 0; I < Body.size(); ++I) {
      const Stmt *Child = Body[I];
      bool IsValue = ProducesValue && I + 1 == Body.size();
      if (!IsValue)
        checkDiscarded(Child);
      if (const auto *Decls = dyn_cast<DeclStmt>(Child))
        checkUnusedVariables(Decls, Body.drop_front(I + 1));
      walk(Child);
    }
  }

  void checkDiscarded(const Stmt *S) {
    if (const auto *E = dyn_cast_or_null<Expr>(S))
      checkDiscardedExpr(E, /*Direct=*/true);
  }

  // \p Direct is false once the expression is nested in a comma, a
  // conditional or a cast: a `co_await ` inserted there would not parse the
  // way the user means, so no fix-it is offered.
  void checkDiscardedExpr(const Expr *E, bool Direct) {
    E = stripImplicit(E);
    if (const auto *BinOp = dyn_cast<BinaryOperator>(E);
        BinOp && BinOp->isCommaOp()) {
      checkDiscardedExpr(BinOp->getLHS(), false);
      checkDiscardedExpr(BinOp->getRHS(), false);
      return;
    }
    if (const auto *Cond = dyn_cast<AbstractConditionalOperator>(E)) {
      checkDiscardedExpr(Cond->getTrueExpr(), false);
      checkDiscardedExpr(Cond->getFalseExpr(), false);
      return;
    }
    if (isVoidCast(E)) {
      if (!Check.AllowExplicitDiscard)
        checkDiscardedExpr(cast<ExplicitCastExpr>(E)->getSubExpr(), false);
      return;
    }
    const auto *Call = dyn_cast<CallExpr>(E);
    if (!Call || !Call->isPRValue())
      return;
    AwaitableKind Kind = Check.Classifier.classify(Call->getType(), Ctx);
    if (Kind == AwaitableKind::None)
      return;
    report(Call, Kind, /*Variable=*/nullptr, Direct && InCoroutine);
  }

  void checkUnusedVariables(const DeclStmt *Decls, ArrayRef<Stmt *> Rest) {
    for (const Decl *D : Decls->decls()) {
      const auto *Var = dyn_cast<VarDecl>(D);
      if (!Var || !Var->hasLocalStorage() || Var->hasAttr<UnusedAttr>() ||
          !Var->getInit())
        continue;
      const auto *Call = dyn_cast<CallExpr>(stripImplicit(Var->getInit()));
      if (!Call)
        continue;
      AwaitableKind Kind = Check.Classifier.classify(Var->getType(), Ctx);
      if (Kind == AwaitableKind::None || isReferencedIn(Var, Rest))
        continue;
      report(Call, Kind, Var, /*OfferFix=*/false);
    }
  }

  void report(const CallExpr *Call, AwaitableKind Kind, const VarDecl *Var,
              bool OfferFix) {
    SourceLocation Loc = Call->getBeginLoc();
    if (Loc.isInvalid() || !Check.firstReport(Loc))
      return;

    enum { NamedCallee, LambdaCall, OtherCall } CalleeKind = OtherCall;
    const FunctionDecl *Callee = Call->getDirectCallee();
    if (const auto *Method = dyn_cast_or_null<CXXMethodDecl>(Callee);
        Method && Method->getParent()->isLambda())
      CalleeKind = LambdaCall;
    else if (Callee)
      CalleeKind = NamedCallee;

    enum { Never, Detached, Unknown } Consequence = Unknown;
    if (Kind == AwaitableKind::LazyTask)
      Consequence = Never;
    else if (Kind == AwaitableKind::EagerTask)
      Consequence = Detached;

    auto Diag =
        Check.diag(Loc, "%select{coroutine task|awaitable}0 returned by "
                        "%select{%2|the lambda|this call}1 is "
                        "%select{never awaited|stored in %3 and never "
                        "awaited}4%select{; the coroutine never runs|; it "
                        "runs detached and its result and exceptions are "
                        "lost|}5")
        << (isTask(Kind) ? 0 : 1)
        << static_cast<int>(CalleeKind)
        // The plain name: a template's arguments would only add noise.
        << (Callee ? Callee->getDeclName() : DeclarationName()) << Var
        << (Var ? 1 : 0) << static_cast<int>(Consequence)
        << Call->getSourceRange();
    if (OfferFix && !Loc.isMacroID())
      Diag << FixItHint::CreateInsertion(Loc, "co_await ");
  }

  UnawaitedTaskCheck &Check;
  ASTContext &Ctx;
  const bool InCoroutine;
  llvm::DenseSet<const CompoundStmt *> ValueCompounds;
};

UnawaitedTaskCheck::UnawaitedTaskCheck(StringRef Name,
                                       ClangTidyContext *Context)
    : CoroutineBodyCheck(Name, Context, BodyKind::AllFunctions),
      AllowExplicitDiscard(Options.get("AllowExplicitDiscard", false)),
      Classifier(Model) {
  roleOption(model::Role::TaskType, "TaskTypes");
}

void UnawaitedTaskCheck::storeOptions(ClangTidyOptions::OptionMap &Opts) {
  CoroutineBodyCheck::storeOptions(Opts);
  Options.store(Opts, "AllowExplicitDiscard", AllowExplicitDiscard);
}

void UnawaitedTaskCheck::checkBody(const FunctionDecl *Function,
                                   const Stmt *Body, ASTContext &Ctx) {
  BodyWalker(*this, Ctx, isa<CoroutineBodyStmt>(Function->getBody()))
      .walk(Body);
}

} // namespace clang::tidy::corolint
