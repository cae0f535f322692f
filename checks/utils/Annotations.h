//===--- Annotations.h - corolint annotation names --------------*- C++ -*-===//
//
// The strings that libraries put in [[clang::annotate("corolint::...")]] to
// tell the checks what a declaration does. asyncrt spells them through the
// macros of <asyncrt/annotations.hpp>; docs/annotations.md is the user-facing
// description. test/cli/annotations-agree.test fails when the three differ.
//
//===----------------------------------------------------------------------===//

#ifndef COROLINT_CHECKS_UTILS_ANNOTATIONS_H
#define COROLINT_CHECKS_UTILS_ANNOTATIONS_H

#include "clang/AST/Decl.h"
#include "llvm/ADT/StringRef.h"

namespace clang::tidy::corolint::annotations {

inline constexpr llvm::StringLiteral CancelSafe = "corolint::cancel_safe";
inline constexpr llvm::StringLiteral CancelUnsafe = "corolint::cancel_unsafe";
inline constexpr llvm::StringLiteral SelectLike = "corolint::select_like";
inline constexpr llvm::StringLiteral SpawnLike = "corolint::spawn_like";
inline constexpr llvm::StringLiteral BoundsConcurrency =
    "corolint::bounds_concurrency";
inline constexpr llvm::StringLiteral Blocking = "corolint::blocking";
/// A type whose values may be dropped without awaiting them (a join handle:
/// dropping it detaches the task, which keeps running).
inline constexpr llvm::StringLiteral Discardable = "corolint::discardable";
/// A lock guard that is safe to hold across a suspension (an async mutex's).
inline constexpr llvm::StringLiteral SuspendSafeGuard =
    "corolint::suspend_safe_guard";

/// True if \p D, or for a class template specialization its template, carries
/// [[clang::annotate(Name)]].
bool hasAnnotation(const Decl *D, llvm::StringRef Name);

} // namespace clang::tidy::corolint::annotations

#endif
