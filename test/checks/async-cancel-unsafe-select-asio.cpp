// Boost.Asio: awaitable operator|| and wait_for_one parallel groups, with
// the built-in table of Asio's cancel safety.
// RUN: not %corolint --checks='-*,async-cancel-unsafe-select' %s -- -std=c++20 \
// RUN:   | FileCheck %s --implicit-check-not='{{warning|error}}:'
// RUN: %clang_tidy_plugin --checks='-*,async-cancel-unsafe-select' %s -- -std=c++20 \
// RUN:   | FileCheck %s --implicit-check-not='{{warning|error}}:'

#include <boost/asio.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/experimental/channel.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <string>

namespace asio = boost::asio;
using asio::awaitable;
using asio::use_awaitable;
using asio::ip::tcp;
using namespace asio::experimental::awaitable_operators;
using channel = asio::experimental::channel<void(boost::system::error_code, int)>;

awaitable<void> tick(asio::steady_timer &t) {
  t.expires_after(std::chrono::seconds(1));
  co_await t.async_wait(use_awaitable);
}
awaitable<std::size_t> read_header(tcp::socket &s, char (&buf)[16]) {
  co_return co_await asio::async_read(s, asio::buffer(buf), use_awaitable);
}
awaitable<std::size_t> echo_once(tcp::socket &s, char (&buf)[64]) {
  std::size_t n = co_await s.async_read_some(asio::buffer(buf), use_awaitable);
  co_return co_await asio::async_write(s, asio::buffer(buf, n), use_awaitable);
}

// ===== Positive cases =====

awaitable<void> p_read_or_timer(tcp::socket &s, asio::steady_timer &t) {
  char buf[16];
  // CHECK: :[[@LINE+2]]:{{[0-9]+}}: warning: this branch of 'operator||' is not cancel-safe: when another branch wins, 'boost::asio::async_read' is cancelled part-way and loses what it had taken (it is not cancel-safe) [async-cancel-unsafe-select]
  // CHECK: :[[@LINE+1]]:{{[0-9]+}}: note: the losing branches are cancelled here
  auto r = co_await (asio::async_read(s, asio::buffer(buf), use_awaitable) ||
                     t.async_wait(use_awaitable));
}

awaitable<void> p_write_or_timer(tcp::socket &s, asio::steady_timer &t) {
  std::string msg = "hello";
  // CHECK: :[[@LINE+2]]:{{[0-9]+}}: warning: this branch of 'operator||' is not cancel-safe: when another branch wins, 'boost::asio::async_write' is cancelled part-way
  // CHECK: :[[@LINE+1]]:{{[0-9]+}}: note: the losing branches are cancelled here
  auto r = co_await (asio::async_write(s, asio::buffer(msg), use_awaitable) ||
                     t.async_wait(use_awaitable));
}

awaitable<void> p_read_until_in_loop(tcp::socket &s, asio::steady_timer &t) {
  std::string line;
  for (;;) {
    // CHECK: :[[@LINE+4]]:{{[0-9]+}}: warning: this branch of 'operator||' is not cancel-safe and is started afresh on every iteration: when another branch wins, 'boost::asio::async_read_until' is cancelled part-way
    // CHECK: :[[@LINE+2]]:{{[0-9]+}}: note: the losing branches are cancelled here
    // CHECK: :[[@LINE-3]]:3: note: inside this loop
    auto r = co_await (t.async_wait(use_awaitable) ||
                       asio::async_read_until(s, asio::dynamic_buffer(line), '\n',
                                              use_awaitable));
    if (r.index() == 0)
      break;
  }
}

awaitable<void> p_user_coroutine(tcp::socket &s, asio::steady_timer &t) {
  char buf[16];
  // CHECK: :[[@LINE+3]]:{{[0-9]+}}: warning: this branch of 'operator||' is not cancel-safe: when another branch wins, 'read_header' awaits an operation that is not cancel-safe
  // CHECK: :26:{{[0-9]+}}: note: this operation is not cancel-safe: 'boost::asio::async_read'
  // CHECK: :[[@LINE+1]]:{{[0-9]+}}: note: the losing branches are cancelled here
  auto r = co_await (read_header(s, buf) || tick(t));
}

awaitable<void> p_echo_holds_data(tcp::socket &s, asio::steady_timer &t) {
  char buf[64];
  while (s.is_open()) {
    // CHECK: :[[@LINE+4]]:{{[0-9]+}}: warning: this branch of 'operator||' is not cancel-safe and is started afresh on every iteration: when another branch wins, 'echo_once' awaits an operation that is not cancel-safe
    // CHECK: :30:{{[0-9]+}}: note: this operation is not cancel-safe: 'boost::asio::async_write'
    // CHECK: :[[@LINE+2]]:{{[0-9]+}}: note: the losing branches are cancelled here
    // CHECK: :[[@LINE-4]]:3: note: inside this loop
    auto r = co_await (echo_once(s, buf) || tick(t));
  }
}

awaitable<void> p_three_way(tcp::socket &s, asio::steady_timer &t, channel &ch) {
  char buf[16];
  // CHECK: :[[@LINE+2]]:{{[0-9]+}}: warning: this branch of 'operator||' is not cancel-safe: when another branch wins, 'boost::asio::async_read' is cancelled part-way
  // CHECK: :[[@LINE+1]]:{{[0-9]+}}: note: the losing branches are cancelled here
  auto r = co_await (asio::async_read(s, asio::buffer(buf), use_awaitable) ||
                     t.async_wait(use_awaitable) || ch.async_receive(use_awaitable));
}

awaitable<void> p_channel_send(asio::steady_timer &t, channel &ch) {
  // CHECK: :[[@LINE+2]]:{{[0-9]+}}: warning: this branch of 'operator||' is not cancel-safe: when another branch wins, 'boost::asio::experimental::detail::channel_send_functions::async_send' is cancelled part-way
  // CHECK: :[[@LINE+1]]:{{[0-9]+}}: note: the losing branches are cancelled here
  auto r = co_await (ch.async_send(boost::system::error_code{}, 42, use_awaitable) ||
                     t.async_wait(use_awaitable));
}

awaitable<void> p_parallel_group(tcp::socket &s, asio::steady_timer &t) {
  char buf[16];
  // CHECK: :[[@LINE+3]]:{{[0-9]+}}: warning: this branch of 'make_parallel_group(...).async_wait' is not cancel-safe: when another branch wins, 'boost::asio::async_read' is cancelled part-way
  // CHECK: :[[@LINE+1]]:{{[0-9]+}}: note: the losing branches are cancelled here
  auto [order, e1, n1, e2] = co_await asio::experimental::make_parallel_group(
      asio::async_read(s, asio::buffer(buf), asio::deferred),
      t.async_wait(asio::deferred))
      .async_wait(asio::experimental::wait_for_one(), use_awaitable);
}

// ===== Negative cases =====

awaitable<void> n_read_some_or_timer(tcp::socket &s, asio::steady_timer &t) {
  char buf[16];
  for (;;) {
    auto r = co_await (s.async_read_some(asio::buffer(buf), use_awaitable) ||
                       t.async_wait(use_awaitable));
    if (r.index() == 1)
      co_return;
  }
}

awaitable<void> n_receive_or_timer(channel &ch, asio::steady_timer &t) {
  for (;;)
    auto r = co_await (ch.async_receive(use_awaitable) || t.async_wait(use_awaitable));
}

awaitable<void> n_and_is_not_select(tcp::socket &s, asio::steady_timer &t) {
  char buf[16];
  co_await (asio::async_read(s, asio::buffer(buf), use_awaitable) &&
            t.async_wait(use_awaitable));
}

awaitable<void> n_accept_or_signal(tcp::acceptor &a, asio::signal_set &sig) {
  auto r = co_await (a.async_accept(use_awaitable) || sig.async_wait(use_awaitable));
}

awaitable<void> n_wait_for_all(tcp::socket &s, asio::steady_timer &t) {
  char buf[16];
  auto [order, e1, n1, e2] = co_await asio::experimental::make_parallel_group(
      asio::async_read(s, asio::buffer(buf), asio::deferred),
      t.async_wait(asio::deferred))
      .async_wait(asio::experimental::wait_for_all(), use_awaitable);
}

awaitable<void> n_plain_read(tcp::socket &s) {
  char buf[16];
  co_await asio::async_read(s, asio::buffer(buf), use_awaitable);
}

awaitable<void> n_tick_or_tick(asio::steady_timer &a, asio::steady_timer &b) {
  auto r = co_await (tick(a) || tick(b));
}

awaitable<void> n_receive_group(channel &ch, asio::steady_timer &t) {
  auto [order, e1, v, e2] = co_await asio::experimental::make_parallel_group(
      ch.async_receive(asio::deferred), t.async_wait(asio::deferred))
      .async_wait(asio::experimental::wait_for_one(), use_awaitable);
}
