// The advice names the coroutine's own library: how to yield in a
// boost::asio::awaitable (its real headers), and advice that names no API
// in a coroutine of a library without a table. asyncrt's own advice is in
// async-loop-without-suspend.cpp.
// RUN: not %corolint --checks='-*,async-loop-without-suspend' %s -- -std=c++20 -I %S/Inputs \
// RUN:   | FileCheck %s --implicit-check-not='{{warning|error}}:'
// RUN: %clang_tidy_plugin --checks='-*,async-loop-without-suspend' %s -- -std=c++20 -I %S/Inputs \
// RUN:   | FileCheck %s --implicit-check-not='{{warning|error}}:'

#include <atomic>
#include <boost/asio.hpp>
#include "coro.h"
#include <coroutine>

void work();

boost::asio::awaitable<void> asio_spins() {
  // CHECK: :[[@LINE+1]]:3: warning: loop in a coroutine never suspends or checks for cancellation and nothing ends it: it holds its worker thread and cannot be cancelled; yield inside it ('co_await boost::asio::post(co_await boost::asio::this_coro::executor, boost::asio::use_awaitable)'), or move the work to a 'boost::asio::thread_pool' [async-loop-without-suspend]
  while (true)
    work();
  // CHECK: :[[@LINE-2]]:10: note: the condition is always true
  co_return;
}

boost::asio::awaitable<void> asio_busy_waits(std::atomic<bool> &ready) {
  // CHECK: :[[@LINE+1]]:3: warning: loop in a coroutine never suspends {{.*}}; yield inside it
  while (!ready.load()) {
    // CHECK: :[[@LINE-1]]:11: note: the loop ends only when another thread changes this atomic
  }
  co_return;
}

// What the advice says: the loop suspends.
boost::asio::awaitable<void> asio_yields() {
  while (true) {
    work();
    co_await boost::asio::post(co_await boost::asio::this_coro::executor,
                               boost::asio::use_awaitable);
  }
}

// Waits on a timer between checks.
boost::asio::awaitable<void> asio_polls(std::atomic<bool> &ready) {
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
  while (!ready.load()) {
    timer.expires_after(std::chrono::milliseconds(1));
    co_await timer.async_wait(boost::asio::use_awaitable);
  }
}

lazy_task<int> hand_written_spins() {
  // CHECK: :[[@LINE+1]]:3: warning: loop in a coroutine never suspends or checks for cancellation and nothing ends it: it holds its worker thread and cannot be cancelled; suspend inside it (yield to the runtime), or run the work on a thread pool and 'co_await' its result [async-loop-without-suspend]
  for (;;)
    work();
  co_return 0;
}

lazy_task<int> hand_written_counts(int n) {
  for (int i = 0; i < n; ++i)
    work();
  co_return n;
}
