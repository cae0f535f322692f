//===--- BodyStatements.h - the statements of one function body -*- C++ -*-===//
//
// Visits every statement and expression of a function body that runs as
// part of that function: not the bodies of lambdas or local classes defined
// in it (they run when and where they are called), and not unevaluated
// operands (sizeof, decltype, noexcept, typeid of a type).
//
//===----------------------------------------------------------------------===//

#ifndef COROLINT_CHECKS_UTILS_BODYSTATEMENTS_H
#define COROLINT_CHECKS_UTILS_BODYSTATEMENTS_H

#include "clang/AST/RecursiveASTVisitor.h"
#include "llvm/ADT/STLFunctionalExtras.h"

namespace clang::tidy::corolint {

/// Calls \p Visit for \p Root and each statement below it, parents first.
/// \p Visit returns false to skip the children of the statement it got.
void forEachStatement(const Stmt *Root,
                      llvm::function_ref<bool(const Stmt *)> Visit);

/// True if \p Root contains a co_await or co_yield of its own (not one in a
/// nested lambda).
bool containsSuspension(const Stmt *Root);

/// \p E without what does not change which object it denotes: implicit
/// casts, parentheses, temporaries' materialisation and binding, a copy or
/// move construction, and std::move.
const Expr *stripWrappers(const Expr *E);

/// The keyword that starts a loop statement (while, do, for, range-for).
SourceLocation loopKeyword(const Stmt *Loop);

} // namespace clang::tidy::corolint

#endif
