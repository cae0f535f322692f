// Boost.Asio's awaitable<T> (a promise attached through coroutine_traits) and
// its awaitable operators.
// RUN: not %corolint --checks='-*,async-unawaited-task' %s -- -std=c++20 \
// RUN:   | FileCheck %s --implicit-check-not='{{warning|error}}:'
// RUN: %clang_tidy_plugin --checks='-*,async-unawaited-task' %s -- -std=c++20 \
// RUN:   | FileCheck %s --implicit-check-not='{{warning|error}}:'

#include <boost/asio.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>

namespace asio = boost::asio;
using asio::awaitable;
using asio::use_awaitable;
using namespace asio::experimental::awaitable_operators;

awaitable<void> echo(asio::ip::tcp::socket socket);
awaitable<int> compute();

awaitable<void> positives(asio::ip::tcp::socket socket) {
  auto ex = co_await asio::this_coro::executor;
  echo(std::move(socket));
  // CHECK: :[[@LINE-1]]:3: warning: coroutine task returned by 'echo' is never awaited; the coroutine never runs [async-unawaited-task]
  asio::steady_timer timer(ex);
  timer.async_wait(use_awaitable);
  // CHECK: :[[@LINE-1]]:3: warning: coroutine task returned by 'async_wait' is never awaited; the coroutine never runs [async-unawaited-task]
  asio::co_spawn(ex, compute(), use_awaitable);
  // CHECK: :[[@LINE-1]]:3: warning: coroutine task returned by 'co_spawn' is never awaited; the coroutine never runs [async-unawaited-task]
  compute() || compute();
  // CHECK: :[[@LINE-1]]:3: warning: coroutine task returned by 'operator||' is never awaited; the coroutine never runs [async-unawaited-task]
  auto pending = compute();
  // CHECK: :[[@LINE-1]]:18: warning: coroutine task returned by 'compute' is stored in 'pending' and never awaited; the coroutine never runs [async-unawaited-task]
}

awaitable<int> negatives(asio::ip::tcp::socket socket) {
  auto ex = co_await asio::this_coro::executor;
  co_await echo(std::move(socket));
  asio::steady_timer timer(ex);
  co_await timer.async_wait(use_awaitable);
  asio::co_spawn(ex, compute(), asio::detached);
  int v = co_await asio::co_spawn(ex, compute(), use_awaitable);
  auto either = co_await (compute() || compute());
  (void)either;
  auto later = compute();
  co_return v + co_await std::move(later);
}
