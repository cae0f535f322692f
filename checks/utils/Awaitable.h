//===--- Awaitable.h - classify coroutine task and awaitable types -*- C++
//-*-===//
//
// Decides whether a type is something that must be co_awaited: a coroutine
// return type (it has a promise), or an awaiter/awaitable. Shared by every
// check that needs to know "is this a task".
//
//===----------------------------------------------------------------------===//

#ifndef COROLINT_CHECKS_UTILS_AWAITABLE_H
#define COROLINT_CHECKS_UTILS_AWAITABLE_H

#include "NameList.h"
#include "model/LibraryModel.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "llvm/ADT/DenseMap.h"
#include <optional>
#include <string>
#include <vector>

namespace clang::tidy::corolint {

enum class AwaitableKind {
  None,
  /// A coroutine return type whose promise suspends initially: the body does
  /// not start until the task is awaited or spawned.
  LazyTask,
  /// A coroutine return type whose body starts at once.
  EagerTask,
  /// A coroutine return type whose laziness could not be determined.
  Task,
  /// Not a coroutine return type, but it has await_* members or an
  /// operator co_await.
  Awaitable,
};

inline bool isTask(AwaitableKind K) {
  return K == AwaitableKind::LazyTask || K == AwaitableKind::EagerTask ||
         K == AwaitableKind::Task;
}

/// The record a type names: the definition for a complete class, the
/// template's pattern for a specialization that is only declared or for a
/// dependent template-id. Null when the type names no class.
const CXXRecordDecl *recordForType(QualType T);

/// The class template's pattern for a specialization; \p RD otherwise.
const CXXRecordDecl *patternOf(const CXXRecordDecl *RD);

/// Whether \p RD, or the template it specializes, carries
/// [[clang::coro_return_type]]: every function returning it is a coroutine.
bool hasCoroReturnTypeAttr(const CXXRecordDecl *RD);

/// Whether an object of type \p T can be awaited (it has the await_*
/// members or an operator co_await), whatever the model says about it: a
/// join handle that may also be dropped can.
bool canBeAwaited(QualType T, const ASTContext &Ctx);

/// The value a function always returns when its body is exactly
/// `return true;` or `return false;` (an awaiter's await_ready, say);
/// nullopt otherwise.
std::optional<bool> constantBoolResult(const FunctionDecl *F);

/// Classifies types, caching the answer per canonical type. One instance per
/// check; call reset() between translation units.
class AwaitableClassifier {
public:
  /// Classes the model calls task types are tasks whatever they look like;
  /// those it calls fire-and-forget types are never tasks.
  explicit AwaitableClassifier(const model::AsyncModel &Model) : Model(Model) {}

  AwaitableKind classify(QualType T, const ASTContext &Ctx);
  void reset() { Cache.clear(); }

private:
  AwaitableKind classifyRecord(const CXXRecordDecl *RD, const ASTContext &Ctx);

  const model::AsyncModel &Model;
  llvm::DenseMap<const Type *, AwaitableKind> Cache;
};

} // namespace clang::tidy::corolint

#endif
