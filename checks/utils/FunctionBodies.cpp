//===--- FunctionBodies.cpp - visit every function body once --------------===//

#include "FunctionBodies.h"

using namespace clang::ast_matchers;

namespace clang::tidy::corolint {

void FunctionBodies::registerMatchers(MatchFinder *Finder,
                                      MatchFinder::MatchCallback *Callback,
                                      bool CoroutinesOnly) {
  auto Body = CoroutinesOnly ? hasBody(coroutineBodyStmt()) : hasBody(stmt());
  // This also reaches lambdas' call operators (the match finder visits the
  // implicit class of every lambda), so lambdas need no matcher of their own.
  Finder->addMatcher(
      functionDecl(isDefinition(), Body, unless(isExpansionInSystemHeader()))
          .bind("corolint-function"),
      Callback);
}

const FunctionDecl *
FunctionBodies::take(const MatchFinder::MatchResult &Result) {
  const FunctionDecl *F =
      Result.Nodes.getNodeAs<FunctionDecl>("corolint-function");
  if (!F || !F->getBody() || !Seen.insert(F).second)
    return nullptr;
  return F;
}

} // namespace clang::tidy::corolint
