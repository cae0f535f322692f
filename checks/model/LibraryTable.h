//===--- LibraryTable.h - one library's entries in the model ----*- C++ -*-===//
//
// What the model knows of one async library, as data. Each built-in table
// lives in its own file under model/libraries/ and names its source of
// truth (headers and version); a user's library comes from a file in the
// same form (LibraryFile.h). Adding a library is one table and one test:
// docs/architecture.md shows how.
//
//===----------------------------------------------------------------------===//

#ifndef COROLINT_CHECKS_MODEL_LIBRARYTABLE_H
#define COROLINT_CHECKS_MODEL_LIBRARYTABLE_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/SmallVector.h"
#include <array>
#include <optional>
#include <string>
#include <vector>

namespace clang::tidy::corolint::model {

/// What a declaration is to the checks. Each role is a list of patterns
/// matched against fully qualified names (see utils/NameList.h).
enum class Role {
  TaskType,          ///< a coroutine return type that must be awaited
  LazyTaskType,      ///< a task type whose body starts when awaited
  EagerTaskType,     ///< a task type whose body starts at once
  FireAndForgetType, ///< an eager coroutine type made to be dropped
  Spawn,             ///< starts a task running concurrently
  Select,            ///< awaits the first of its operands, cancels the rest
  JoinAll,           ///< runs one operation per element at once, awaits all
  Bounding,          ///< bounds how many operations run at once
  CancelSafe,        ///< loses nothing when cancelled at a suspension
  CancelUnsafe,      ///< loses what it had taken when cancelled part-way
  CancellationCheck, ///< asks whether the task was cancelled
  HandOff,           ///< gives a coroutine handle to another thread or queue
  Reschedule,        ///< a hand-off that runs the handle soon, unconditionally
  LockGuard,         ///< a synchronous lock guard (unsafe across a suspension)
  Mutex,             ///< a synchronous mutex
};
inline constexpr size_t NumRoles = static_cast<size_t>(Role::Mutex) + 1;

/// The name of a role in a library file and in messages ("spawn",
/// "cancel-safe", ...).
llvm::StringRef roleKey(Role R);

/// What a blocking call does, as far as the advice is concerned.
enum class BlockingKind {
  Sleep,   ///< sleeps for or until a time
  Future,  ///< waits for a future or an eager result
  Join,    ///< joins a thread
  Wait,    ///< waits on a condition variable, latch, barrier, semaphore
  IO,      ///< blocking I/O or process wait
  BlockOn, ///< runs an event loop or a task to completion from inside one
  Offload, ///< anything else known to block
  Spin,    ///< a loop that never suspends (the advice is what to add to it)
};
inline constexpr size_t NumBlockingKinds =
    static_cast<size_t>(BlockingKind::Spin) + 1;
/// "sleep", "future", ... as in a library file.
llvm::StringRef blockingKey(BlockingKind K);

/// Fan-out that nothing bounds, as far as the advice is concerned.
enum class FanoutKind {
  SpawnInLoop, ///< a task spawned on every iteration of a loop over input
  JoinAll,     ///< a join-all over one operation per input item
};
inline constexpr size_t NumFanoutKinds =
    static_cast<size_t>(FanoutKind::JoinAll) + 1;
/// "spawn-in-loop", "join-all", as in a library file.
llvm::StringRef fanoutKey(FanoutKind K);

/// A select written in a library's own syntax (Boost.Asio's `a || b`), as
/// recognised by a built-in table's code.
struct SelectForm {
  std::string What; ///< how a diagnostic names it: "'operator||'"
  llvm::SmallVector<const Expr *, 4> Branches;
  /// Calls that are part of this select (the inner `||` of `a || b || c`),
  /// not selects of their own.
  llvm::SmallPtrSet<const Stmt *, 4> Inner;
};

struct LibraryTable {
  /// As users write it: "Boost.Asio", "folly::coro".
  std::string Name;
  /// The headers and version the entries were read from.
  std::string Source;
  /// The namespaces whose names the library owns ("folly::coro::"); its
  /// advice is given to coroutines whose return type is declared there.
  /// Empty: entries apply to names in any namespace, and no advice.
  std::vector<std::string> Namespaces;

  std::array<std::vector<std::string>, NumRoles> Roles;
  std::array<std::vector<std::string>, NumBlockingKinds> Blocking;
  /// What to do instead of a blocking call, in the library's terms ("use
  /// 'co_await folly::coro::sleep(...)'"); empty: the neutral advice.
  std::array<std::string, NumBlockingKinds> BlockingAdvice;
  std::array<std::string, NumFanoutKinds> FanoutAdvice;

  /// Only a built-in table carries code (a library file never loads any):
  /// blocking calls recognised by their shape (the object a method is
  /// called on, an argument's type, how the calling body treats the result)
  /// rather than by name. \p Body is the body the call is in, or null.
  std::optional<BlockingKind> (*BlockingByShape)(const CallExpr *Call,
                                                 const FunctionDecl *Callee,
                                                 const Stmt *Body,
                                                 ASTContext &Ctx) = nullptr;
  /// Selects written in the library's own syntax.
  bool (*SelectByShape)(const CallExpr *Call, SelectForm &Out) = nullptr;

  std::vector<std::string> &role(Role R) {
    return Roles[static_cast<size_t>(R)];
  }
  std::vector<std::string> &blocking(BlockingKind K) {
    return Blocking[static_cast<size_t>(K)];
  }
  std::string &advice(BlockingKind K) {
    return BlockingAdvice[static_cast<size_t>(K)];
  }
  std::string &advice(FanoutKind K) {
    return FanoutAdvice[static_cast<size_t>(K)];
  }
};

// The built-in tables, one file each under model/libraries/.
LibraryTable stdPosixTable();
LibraryTable neutralTable();
LibraryTable asyncrtTable();
LibraryTable boostAsioTable();
LibraryTable boostCobaltTable();
LibraryTable cppcoroTable();
LibraryTable libcoroTable();
LibraryTable follyCoroTable();
LibraryTable asyncSimpleTable();
LibraryTable concurrencppTable();
LibraryTable qcoroTable();
LibraryTable stdexecTable();
LibraryTable cppwinrtTable();

} // namespace clang::tidy::corolint::model

#endif
