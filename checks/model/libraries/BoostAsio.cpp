//===--- BoostAsio.cpp - the model's table for Boost.Asio ----------------===//

#include "model/LibraryTable.h"

namespace clang::tidy::corolint::model {

// Source of truth: Boost.Asio 1.81 (Debian's libboost1.81-dev:
// boost/asio/steady_timer.hpp, use_awaitable.hpp, post.hpp, thread_pool.hpp,
// co_spawn.hpp, experimental/channel.hpp, experimental/parallel_group.hpp).
// Asio has no semaphore: a channel of capacity n serves as one.
const LibraryTable BoostAsioTable = {
    {
        ("'co_await' a 'boost::asio::steady_timer' "
         "('timer.async_wait(boost::asio::use_awaitable)')"),
        ("'co_await' the asynchronous operation ('boost::asio::use_awaitable') "
         "instead of blocking on a std::future"),
        ("'co_await' the work ('boost::asio::co_spawn(..., "
         "boost::asio::use_awaitable)') instead of joining a thread"),
        ("wait on an asynchronous primitive (a 'boost::asio::steady_timer' the "
         "notifier cancels, or a 'boost::asio::experimental::channel') "
         "instead"),
        ("use Boost.Asio's asynchronous I/O ('async_read', 'async_write' with "
         "'boost::asio::use_awaitable'), or switch to a "
         "'boost::asio::thread_pool' "
         "first ('co_await boost::asio::post(pool, "
         "boost::asio::use_awaitable)')"),
        ("'co_await' the operation instead: running the 'io_context' from one "
         "of "
         "its own threads deadlocks"),
        ("switch to a 'boost::asio::thread_pool' first ('co_await "
         "boost::asio::post(pool, boost::asio::use_awaitable)')"),
        ("yield inside it ('co_await boost::asio::post(co_await "
         "boost::asio::this_coro::executor, boost::asio::use_awaitable)'), or "
         "move the work to a 'boost::asio::thread_pool'"),
    },
    {
        ("take a slot from a 'boost::asio::experimental::channel' of capacity "
         "n "
         "before each 'co_spawn' and give it back when the task ends, or spawn "
         "in batches awaited with "
         "'boost::asio::experimental::make_parallel_group'"),
        ("wait on batches of at most n operations (one 'make_parallel_group' "
         "per "
         "batch), or bound them with a 'boost::asio::experimental::channel' of "
         "capacity n"),
    },
};

} // namespace clang::tidy::corolint::model
