//===--- FunctionBodies.h - visit every function body once ------*- C++ -*-===//
//
// Checks that analyse whole function bodies (lambdas' included, each as a
// function of its own) register these matchers and take the function from
// the match result; a body is handed out once per translation unit.
// Template instantiations are handed out too: checks that see a template's
// statements in its pattern and in instantiations report each location once.
//
//===----------------------------------------------------------------------===//

#ifndef COROLINT_CHECKS_UTILS_FUNCTIONBODIES_H
#define COROLINT_CHECKS_UTILS_FUNCTIONBODIES_H

#include "clang/AST/StmtCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "llvm/ADT/DenseSet.h"

namespace clang::tidy::corolint {

class FunctionBodies {
public:
  /// \p CoroutinesOnly restricts the matches to coroutine bodies, so that
  /// checks about suspension cost nothing on ordinary functions.
  void registerMatchers(ast_matchers::MatchFinder *Finder,
                        ast_matchers::MatchFinder::MatchCallback *Callback,
                        bool CoroutinesOnly);
  /// The matched function with a body not seen before in this translation
  /// unit, or null.
  const FunctionDecl *
  take(const ast_matchers::MatchFinder::MatchResult &Result);
  void reset() { Seen.clear(); }

private:
  llvm::DenseSet<const FunctionDecl *> Seen;
};

/// The user-written body of a coroutine (inside its CoroutineBodyStmt), or
/// null if \p F is not a coroutine.
inline const Stmt *coroutineBody(const FunctionDecl *F) {
  if (const auto *Body = dyn_cast_or_null<CoroutineBodyStmt>(F->getBody()))
    return Body->getBody();
  return nullptr;
}

} // namespace clang::tidy::corolint

#endif
