//===--- AsyncLibrary.h - which async library a coroutine uses --*- C++ -*-===//
//
// The start of the shared model of async libraries: which library a
// coroutine belongs to (from its return type), and, per library, what to
// use instead of a call that blocks, in that library's own terms. A check
// asks; the tables (one file per library under model/libraries/) answer. A
// library without a table of its own gets advice that names no API.
//
//===----------------------------------------------------------------------===//

#ifndef COROLINT_CHECKS_MODEL_ASYNCLIBRARY_H
#define COROLINT_CHECKS_MODEL_ASYNCLIBRARY_H

#include "clang/AST/Decl.h"
#include "llvm/ADT/StringRef.h"

namespace clang::tidy::corolint::model {

enum class AsyncLibrary {
  Unknown,
  Asyncrt,
  BoostAsio,
  BoostCobalt,
  Cppcoro,
  Libcoro,
  FollyCoro,
  AsyncSimple,
  Concurrencpp,
  QCoro,
  Stdexec,
};

/// The library of the coroutine \p Coroutine, from the namespace of the
/// class its return type names (boost::asio::awaitable<T> is Boost.Asio's,
/// folly::coro::Task<T> folly's, ...).
AsyncLibrary libraryOfCoroutine(const FunctionDecl *Coroutine);

/// The library a fully qualified name ("boost::asio::co_spawn") belongs to,
/// from its namespace.
AsyncLibrary libraryOfName(llvm::StringRef QualifiedName);

/// The library's name as users write it ("Boost.Asio", "folly::coro").
llvm::StringRef libraryName(AsyncLibrary Library);

/// What a blocking call does, as far as the advice is concerned.
enum class BlockingKind {
  Sleep,   ///< sleeps for or until a time
  Future,  ///< waits for a std::future
  Join,    ///< joins a thread
  Wait,    ///< waits on a condition variable, latch, barrier, semaphore
  IO,      ///< blocking I/O or process wait
  BlockOn, ///< runs the runtime to completion from inside it
  Offload, ///< anything else known to block
  Spin,    ///< a loop that never suspends (the advice is what to add to it)
};

/// Fan-out that nothing bounds, as far as the advice is concerned.
enum class FanoutKind {
  SpawnInLoop, ///< a task spawned on every iteration of a loop over input
  JoinAll,     ///< a join-all over one operation per input item
};

/// How to bound fan-out of kind \p Kind made with \p Library's functions,
/// as the end of a diagnostic; library-neutral without a table.
llvm::StringRef fanoutAlternative(FanoutKind Kind, AsyncLibrary Library);

/// The functions of libraries that do not annotate themselves that start a
/// task running concurrently (asyncrt's carry corolint::spawn_like), as a
/// name-list option's default.
llvm::StringRef knownSpawnFunctions();
/// The functions that run one operation per element of a container at once
/// and wait for all of them, as a name-list option's default.
llvm::StringRef knownJoinAllFunctions();

/// What to do instead of a blocking call of kind \p Kind in a coroutine of
/// \p Library, as the end of a diagnostic ("use ..."): in the library's
/// terms when it has a table, else naming no API.
llvm::StringRef blockingAlternative(BlockingKind Kind, AsyncLibrary Library);

} // namespace clang::tidy::corolint::model

#endif
