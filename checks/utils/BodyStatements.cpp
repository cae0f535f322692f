//===--- BodyStatements.cpp - the statements of one function body ---------===//

#include "BodyStatements.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"

namespace clang::tidy::corolint {

namespace {
class Walker : public RecursiveASTVisitor<Walker> {
public:
  explicit Walker(llvm::function_ref<bool(const Stmt *)> Visit)
      : Visit(Visit) {}

  bool TraverseStmt(Stmt *S, DataRecursionQueue * = nullptr) {
    if (!S)
      return true;
    if (!Visit(S))
      return true;
    return RecursiveASTVisitor::TraverseStmt(S);
  }
  // Nested functions run on their own.
  bool TraverseLambdaExpr(LambdaExpr *) { return true; }
  bool TraverseBlockExpr(BlockExpr *) { return true; }
  bool TraverseCXXRecordDecl(CXXRecordDecl *) { return true; }
  // Unevaluated operands never run.
  bool TraverseUnaryExprOrTypeTraitExpr(UnaryExprOrTypeTraitExpr *) {
    return true;
  }
  bool TraverseCXXNoexceptExpr(CXXNoexceptExpr *) { return true; }
  bool TraverseDecltypeTypeLoc(DecltypeTypeLoc) { return true; }
  bool TraverseTypeOfExprTypeLoc(TypeOfExprTypeLoc) { return true; }
  bool TraverseCXXTypeidExpr(CXXTypeidExpr *E) {
    return E->isPotentiallyEvaluated()
               ? RecursiveASTVisitor::TraverseCXXTypeidExpr(E)
               : true;
  }
  bool shouldVisitTemplateInstantiations() const { return false; }
  bool shouldVisitImplicitCode() const { return false; }

private:
  llvm::function_ref<bool(const Stmt *)> Visit;
};
} // namespace

void forEachStatement(const Stmt *Root,
                      llvm::function_ref<bool(const Stmt *)> Visit) {
  // The visitor's interface takes non-const nodes; it only reads them.
  Walker(Visit).TraverseStmt(const_cast<Stmt *>(Root));
}

bool containsSuspension(const Stmt *Root) {
  bool Found = false;
  forEachStatement(Root, [&](const Stmt *S) {
    if (isa<CoroutineSuspendExpr>(S) &&
        !(isa<CoawaitExpr>(S) && cast<CoawaitExpr>(S)->isImplicit()))
      Found = true;
    return !Found;
  });
  return Found;
}

const Expr *stripWrappers(const Expr *E) {
  while (E) {
    E = E->IgnoreImplicit()->IgnoreParens();
    if (const auto *M = dyn_cast<MaterializeTemporaryExpr>(E))
      E = M->getSubExpr();
    else if (const auto *B = dyn_cast<CXXBindTemporaryExpr>(E))
      E = B->getSubExpr();
    else if (const auto *C = dyn_cast<CXXConstructExpr>(E);
             C && C->getNumArgs() == 1 && !isa<CXXTemporaryObjectExpr>(C))
      E = C->getArg(0);
    else if (const auto *Call = dyn_cast<CallExpr>(E);
             Call && Call->isCallToStdMove())
      E = Call->getArg(0);
    else
      return E;
  }
  return E;
}

SourceLocation loopKeyword(const Stmt *Loop) {
  if (const auto *While = dyn_cast<WhileStmt>(Loop))
    return While->getWhileLoc();
  if (const auto *Do = dyn_cast<DoStmt>(Loop))
    return Do->getDoLoc();
  if (const auto *Range = dyn_cast<CXXForRangeStmt>(Loop))
    return Range->getForLoc();
  return cast<ForStmt>(Loop)->getForLoc();
}

} // namespace clang::tidy::corolint
