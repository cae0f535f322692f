// Boost.Asio: co_spawn per item, and ranged parallel groups.
// RUN: not %corolint --checks='-*,async-unbounded-fanout' %s -- -std=c++20 \
// RUN:   | FileCheck %s --implicit-check-not='{{warning|error}}:'
// RUN: %clang_tidy_plugin --checks='-*,async-unbounded-fanout' %s -- -std=c++20 \
// RUN:   | FileCheck %s --implicit-check-not='{{warning|error}}:'

#include <boost/asio.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <string>
#include <vector>

namespace asio = boost::asio;
using asio::awaitable;
using asio::detached;
using asio::use_awaitable;

awaitable<void> fetch(std::string url);
awaitable<void> session(asio::ip::tcp::socket s);

// ===== Positive cases =====

awaitable<void> p_spawn_per_url(std::vector<std::string> urls) {
  auto ex = co_await asio::this_coro::executor;
  for (const auto &url : urls)
    // CHECK: :[[@LINE+2]]:{{[0-9]+}}: warning: 'boost::asio::co_spawn' starts a task on every iteration of a loop over input data and nothing bounds how many run at once; take a slot from a 'boost::asio::experimental::channel' of capacity n before each 'co_spawn' and give it back when the task ends, or spawn in batches awaited with 'boost::asio::experimental::make_parallel_group' [async-unbounded-fanout]
    // CHECK: :[[@LINE-2]]:3: note: the loop runs once per input item
    asio::co_spawn(ex, fetch(url), detached);
}

void p_spawn_from_main_loop(asio::io_context &ctx, std::vector<std::string> urls) {
  for (std::size_t i = 0; i < urls.size(); ++i)
    // CHECK: :[[@LINE+2]]:{{[0-9]+}}: warning: 'boost::asio::co_spawn' starts a task
    // CHECK: :[[@LINE-2]]:3: note: the loop runs once per input item
    asio::co_spawn(ctx, fetch(urls[i]), detached);
}

awaitable<void> p_spawn_per_item_with_future(std::vector<std::string> urls) {
  auto ex = co_await asio::this_coro::executor;
  std::vector<std::future<void>> done;
  for (const auto &url : urls)
    // CHECK: :[[@LINE+2]]:{{[0-9]+}}: warning: 'boost::asio::co_spawn' starts a task
    // CHECK: :[[@LINE-2]]:3: note: the loop runs once per input item
    done.push_back(asio::co_spawn(ex, fetch(url), asio::use_future));
}

awaitable<void> p_ranged_group(asio::steady_timer &timer,
                               std::vector<std::chrono::milliseconds> delays) {
  using op_type = decltype(timer.async_wait(asio::deferred));
  std::vector<op_type> ops;
  for (auto d : delays) {
    timer.expires_after(d);
    ops.push_back(timer.async_wait(asio::deferred));
  }
  // CHECK: :[[@LINE+2]]:{{[0-9]+}}: warning: 'boost::asio::experimental::make_parallel_group' runs one operation per input item at once and nothing bounds how many run together; wait on batches of at most n operations (one 'make_parallel_group' per batch), or bound them with a 'boost::asio::experimental::channel' of capacity n [async-unbounded-fanout]
  // CHECK: :[[@LINE-5]]:3: note: the operations are added here, once per input item
  auto [order, errors] = co_await asio::experimental::make_parallel_group(std::move(ops))
                             .async_wait(asio::experimental::wait_for_all(), use_awaitable);
}

// ===== Negative cases =====

awaitable<void> n_accept_loop(asio::ip::tcp::acceptor &acceptor) {
  for (;;) {
    auto socket = co_await acceptor.async_accept(use_awaitable);
    asio::co_spawn(acceptor.get_executor(), session(std::move(socket)), detached);
  }
}

awaitable<void> n_spawn_awaited(std::vector<std::string> urls) {
  auto ex = co_await asio::this_coro::executor;
  for (const auto &url : urls)
    co_await asio::co_spawn(ex, fetch(url), use_awaitable);
}

awaitable<void> n_sequential(std::vector<std::string> urls) {
  for (const auto &url : urls)
    co_await fetch(url);
}

awaitable<void> n_fixed_group(asio::steady_timer &a, asio::steady_timer &b) {
  auto [order, e1, e2] = co_await asio::experimental::make_parallel_group(
                             a.async_wait(asio::deferred), b.async_wait(asio::deferred))
                             .async_wait(asio::experimental::wait_for_all(), use_awaitable);
}

void n_listeners_per_port(asio::io_context &ctx, int argc, char **argv);
int main(int argc, char **argv) {
  asio::io_context ctx;
  for (int i = 1; i < argc; ++i)
    asio::co_spawn(ctx, fetch(argv[i]), detached);
  ctx.run();
}

void n_two_spawns(asio::io_context &ctx) {
  for (int i = 0; i < 2; ++i)
    asio::co_spawn(ctx, fetch("x"), detached);
}
