// The advice names the coroutine's own library: Boost.Asio's alternatives
// in a boost::asio::awaitable (its real headers), a library-neutral one in
// a coroutine of a library without a table (a hand-written task type, or an
// unknown library). Each known library's advice is tested in
// test/checks/libraries/. asyncrt's own advice is in
// async-blocking-call.cpp.
// RUN: not %corolint --checks='-*,async-blocking-call' %s -- -std=c++20 -I %S/Inputs \
// RUN:   | FileCheck %s --implicit-check-not='{{warning|error}}:'
// RUN: %clang_tidy_plugin --checks='-*,async-blocking-call' %s -- -std=c++20 -I %S/Inputs \
// RUN:   | FileCheck %s --implicit-check-not='{{warning|error}}:'

#include <boost/asio.hpp>
#include <chrono>
#include "coro.h"
#include <coroutine>
#include <future>
#include <thread>
#include <unistd.h>

using namespace std::chrono_literals;

// ===== Boost.Asio =====

boost::asio::awaitable<void> asio_sleeps() {
  std::this_thread::sleep_for(10ms);
  // CHECK: :[[@LINE-1]]:3: warning: 'sleep_for' blocks the thread that runs this coroutine; 'co_await' a 'boost::asio::steady_timer' ('timer.async_wait(boost::asio::use_awaitable)') [async-blocking-call]
  co_return;
}

boost::asio::awaitable<int> asio_reads(int fd, char *buffer) {
  long n = ::read(fd, buffer, 16);
  // CHECK: :[[@LINE-1]]:12: warning: 'read' blocks the thread that runs this coroutine; use Boost.Asio's asynchronous I/O ('async_read', 'async_write' with 'boost::asio::use_awaitable'), or switch to a 'boost::asio::thread_pool' first ('co_await boost::asio::post(pool, boost::asio::use_awaitable)')
  co_return static_cast<int>(n);
}

boost::asio::awaitable<int> asio_waits_for_a_future(std::future<int> &f) {
  co_return f.get();
  // CHECK: :[[@LINE-1]]:13: warning: 'get' blocks the thread that runs this coroutine; 'co_await' the asynchronous operation ('boost::asio::use_awaitable') instead of blocking on a std::future
}

boost::asio::awaitable<void> asio_joins(std::thread &t) {
  t.join();
  // CHECK: :[[@LINE-1]]:3: warning: 'join' blocks the thread that runs this coroutine; 'co_await' the work ('boost::asio::co_spawn(..., boost::asio::use_awaitable)') instead of joining a thread
  co_return;
}

// Not blocking: Asio's own timer, awaited.
boost::asio::awaitable<void> asio_timer() {
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor,
                                  10ms);
  co_await timer.async_wait(boost::asio::use_awaitable);
}

// A plain function may block.
void not_a_coroutine() { std::this_thread::sleep_for(1ms); }

// ===== A hand-written task type (Inputs/coro.h) =====

lazy_task<int> hand_written_sleeps() {
  std::this_thread::sleep_for(1ms);
  // CHECK: :[[@LINE-1]]:3: warning: 'sleep_for' blocks the thread that runs this coroutine; 'co_await' the runtime's timer instead
  co_return 1;
}

lazy_task<int> hand_written_reads(int fd, char *buffer) {
  co_return static_cast<int>(::read(fd, buffer, 1));
  // CHECK: :[[@LINE-1]]:30: warning: 'read' blocks the thread that runs this coroutine; use asynchronous I/O, or run the call on a thread pool and 'co_await' its result
}

// ===== A library the model does not know =====

namespace acme::coro {
template <class T> struct Task {
  struct promise_type {
    Task get_return_object() { return {}; }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_value(T) {}
    void unhandled_exception() {}
  };
};
} // namespace acme::coro

acme::coro::Task<int> unknown_library_sleeps() {
  ::usleep(100);
  // CHECK: :[[@LINE-1]]:3: warning: 'usleep' blocks the thread that runs this coroutine; 'co_await' the runtime's timer instead
  co_return 1;
}

// ===== Negative cases: what the advice recommends, and code off the
// coroutine's thread =====

boost::asio::awaitable<void> asio_offloads(boost::asio::thread_pool &pool) {
  co_await boost::asio::post(pool, boost::asio::use_awaitable);
  co_return;
}

boost::asio::awaitable<void> asio_posts_a_blocking_lambda(
    boost::asio::thread_pool &pool) {
  // The lambda runs on the pool, not in this coroutine.
  boost::asio::post(pool, [] { std::this_thread::sleep_for(1ms); });
  co_return;
}

boost::asio::awaitable<std::size_t>
asio_reads_asynchronously(boost::asio::ip::tcp::socket &socket, char *data) {
  co_return co_await socket.async_read_some(boost::asio::buffer(data, 16),
                                            boost::asio::use_awaitable);
}

int waits_outside_any_coroutine(std::future<int> &f) { return f.get(); }

lazy_task<int> hand_written_without_blocking(int x) { co_return x + 1; }

acme::coro::Task<int> unknown_library_without_blocking() { co_return 2; }
