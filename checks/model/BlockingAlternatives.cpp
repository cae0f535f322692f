//===--- BlockingAlternatives.cpp - what to use instead of blocking -------===//
//
// One table per library, each naming its source of truth. A library
// without a table gets the library-neutral one.
//
//===----------------------------------------------------------------------===//

#include "model/AsyncLibrary.h"

namespace clang::tidy::corolint::model {

namespace {

// Indexed by BlockingKind.
using Table = const char *const[8];

// asyncrt: runtime-support/include/asyncrt (time.hpp, spawn.hpp,
// blocking.hpp, mpsc.hpp, semaphore.hpp).
Table Asyncrt = {
    "use 'co_await asyncrt::sleep(...)'",
    "await the task or its join handle instead of a std::future",
    "await a join handle ('co_await asyncrt::spawn(...)') instead",
    "wait on an async primitive (a channel or a semaphore) instead",
    "use asynchronous I/O, or move the call into 'asyncrt::spawn_blocking'",
    ("'co_await' the task instead: blocking on the runtime from one of its "
     "worker threads deadlocks"),
    "move the call into 'asyncrt::spawn_blocking'",
    ("add 'co_await asyncrt::yield_now()' inside it, or move the work to "
     "'asyncrt::spawn_blocking'"),
};

// Boost.Asio 1.81 (Debian's libboost1.81-dev: boost/asio/steady_timer.hpp,
// use_awaitable.hpp, post.hpp, thread_pool.hpp, experimental/channel.hpp).
Table BoostAsio = {
    ("'co_await' a 'boost::asio::steady_timer' "
     "('timer.async_wait(boost::asio::use_awaitable)')"),
    ("'co_await' the asynchronous operation ('boost::asio::use_awaitable') "
     "instead of blocking on a std::future"),
    ("'co_await' the work ('boost::asio::co_spawn(..., "
     "boost::asio::use_awaitable)') instead of joining a thread"),
    ("wait on an asynchronous primitive (a 'boost::asio::steady_timer' the "
     "notifier cancels, or a 'boost::asio::experimental::channel') instead"),
    ("use Boost.Asio's asynchronous I/O ('async_read', 'async_write' with "
     "'boost::asio::use_awaitable'), or switch to a 'boost::asio::thread_pool' "
     "first ('co_await boost::asio::post(pool, boost::asio::use_awaitable)')"),
    ("'co_await' the operation instead: running the 'io_context' from one of "
     "its own threads deadlocks"),
    ("switch to a 'boost::asio::thread_pool' first ('co_await "
     "boost::asio::post(pool, boost::asio::use_awaitable)')"),
    ("yield inside it ('co_await boost::asio::post(co_await "
     "boost::asio::this_coro::executor, boost::asio::use_awaitable)'), or "
     "move the work to a 'boost::asio::thread_pool'"),
};

// Any other library: advice that names no API.
Table Neutral = {
    "'co_await' the runtime's timer instead",
    "'co_await' the operation instead of blocking on a std::future",
    "'co_await' the work (a task or its handle) instead of joining a thread",
    ("wait on an asynchronous primitive (an event, a channel, a semaphore) "
     "instead"),
    ("use asynchronous I/O, or run the call on a thread pool and 'co_await' "
     "its result"),
    ("'co_await' the task instead: blocking on the runtime from one of its "
     "worker threads deadlocks"),
    "run the call on a thread pool and 'co_await' its result",
    ("suspend inside it (yield to the runtime), or run the work on a thread "
     "pool and 'co_await' its result"),
};

} // namespace

llvm::StringRef blockingAlternative(BlockingKind Kind, AsyncLibrary Library) {
  auto Index = static_cast<size_t>(Kind);
  switch (Library) {
  case AsyncLibrary::Asyncrt:
    return Asyncrt[Index];
  case AsyncLibrary::BoostAsio:
    return BoostAsio[Index];
  default:
    return Neutral[Index];
  }
}

} // namespace clang::tidy::corolint::model
