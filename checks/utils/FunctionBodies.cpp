//===--- FunctionBodies.cpp - visit every function body once --------------===//

#include "FunctionBodies.h"
#include "clang/AST/ExprCXX.h"

using namespace clang::ast_matchers;

namespace clang::tidy::corolint {

void FunctionBodies::registerMatchers(MatchFinder *Finder,
                                      MatchFinder::MatchCallback *Callback,
                                      bool CoroutinesOnly) {
  auto Body = CoroutinesOnly ? hasBody(coroutineBodyStmt()) : hasBody(stmt());
  Finder->addMatcher(functionDecl(isDefinition(), Body,
                                  unless(isExpansionInSystemHeader()))
                         .bind("corolint-function"),
                     Callback);
  // A lambda's call operator is reached through the lambda expression.
  Finder->addMatcher(
      lambdaExpr(unless(isExpansionInSystemHeader())).bind("corolint-lambda"),
      Callback);
}

const FunctionDecl *
FunctionBodies::take(const MatchFinder::MatchResult &Result) {
  const FunctionDecl *F =
      Result.Nodes.getNodeAs<FunctionDecl>("corolint-function");
  if (const auto *Lambda = Result.Nodes.getNodeAs<LambdaExpr>("corolint-lambda"))
    F = Lambda->getCallOperator();
  if (!F || !F->getBody() || !Seen.insert(F).second)
    return nullptr;
  return F;
}

} // namespace clang::tidy::corolint
