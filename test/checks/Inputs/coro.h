// Task and awaitable types of every shape that async-unawaited-task must
// recognise, written the way hand-made task types are in real code.
#pragma once
#include <coroutine>
#include <utility>

// An awaiter shared by the task types so that `co_await` works in the tests.
struct ready_awaiter {
  bool await_ready() const noexcept { return true; }
  void await_suspend(std::coroutine_handle<>) const noexcept {}
  int await_resume() const noexcept { return 0; }
};

template <class T> struct lazy_task {
  struct promise_type {
    lazy_task get_return_object() { return {}; }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_value(T) {}
    void unhandled_exception() {}
  };
  ready_awaiter operator co_await() const noexcept { return {}; }
  void start() {}
};

template <class T> struct eager_task {
  struct promise_type {
    eager_task get_return_object() { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_value(T) {}
    void unhandled_exception() {}
  };
  ready_awaiter operator co_await() const noexcept { return {}; }
};

// Laziness decided by a hand-written initial awaiter.
struct start_later {
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<>) const noexcept {}
  void await_resume() const noexcept {}
};
struct custom_task {
  struct promise_type {
    custom_task get_return_object() { return {}; }
    start_later initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
  ready_awaiter operator co_await() const noexcept { return {}; }
};

// The promise's initial awaiter decides at run time: laziness unknown.
struct maybe_start {
  bool now;
  bool await_ready() const noexcept { return now; }
  void await_suspend(std::coroutine_handle<>) const noexcept {}
  void await_resume() const noexcept {}
};
struct opaque_task {
  struct promise_type {
    opaque_task get_return_object() { return {}; }
    maybe_start initial_suspend() noexcept { return {true}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
  ready_awaiter operator co_await() const noexcept { return {}; }
};

// Not coroutine return types, but awaitable.
struct timer_awaiter {
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<>) const noexcept {}
  void await_resume() const noexcept {}
};
struct member_op_awaitable {
  ready_awaiter operator co_await() const noexcept { return {}; }
};
namespace net {
struct free_op_awaitable {};
inline ready_awaiter operator co_await(free_op_awaitable) noexcept { return {}; }
template <class T> struct future {};
template <class T> ready_awaiter operator co_await(future<T>) noexcept { return {}; }
struct friend_awaitable {
  friend ready_awaiter operator co_await(friend_awaitable) noexcept { return {}; }
};
} // namespace net

// A promise attached through std::coroutine_traits, as Boost.Asio does.
namespace lib {
template <class T> struct traits_task {
  ready_awaiter operator co_await() const noexcept { return {}; }
};
template <class T> struct traits_promise {
  traits_task<T> get_return_object() { return {}; }
  auto initial_suspend() noexcept { return std::suspend_always(); }
  std::suspend_always final_suspend() noexcept { return {}; }
  void return_value(T) {}
  void unhandled_exception() {}
};
} // namespace lib
namespace std {
template <class T, class... Args>
struct coroutine_traits<lib::traits_task<T>, Args...> {
  using promise_type = lib::traits_promise<T>;
};
} // namespace std

// A type marked as a coroutine return type with clang's attribute only.
template <class T> struct [[clang::coro_return_type]] attr_task {
  ready_awaiter operator co_await() const noexcept { return {}; }
};

// A handle whose dropping is harmless: it detaches a task that already runs.
struct [[clang::annotate("corolint::discardable")]] detach_handle {
  bool await_ready() const noexcept { return true; }
  void await_suspend(std::coroutine_handle<>) const noexcept {}
  void await_resume() const noexcept {}
};

struct plain_value {
  int x;
};

// Helpers used by the negative cases.
template <class T> void spawn(T &&) {}
template <class T> struct vec {
  void push_back(T &&) {}
};
