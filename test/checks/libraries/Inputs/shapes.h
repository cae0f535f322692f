// The coroutine machinery the library stand-ins below share: a promise
// whose initial suspension makes a task lazy or eager, and an awaiter that
// is always ready. Each stand-in header declares the names and signatures
// of one library's API as the model's table lists them (the table names
// the real headers), with bodies only where a coroutine needs them.
#pragma once
#include <chrono>
#include <coroutine>
#include <vector>

namespace shapes {

struct ready {
  bool await_ready() const noexcept { return true; }
  void await_suspend(std::coroutine_handle<>) const noexcept {}
  void await_resume() const noexcept {}
};

template <class Task, class Initial, class T> struct promise {
  Task get_return_object() { return {}; }
  Initial initial_suspend() noexcept { return {}; }
  std::suspend_always final_suspend() noexcept { return {}; }
  void return_value(T) {}
  void unhandled_exception() {}
};
template <class Task, class Initial> struct promise<Task, Initial, void> {
  Task get_return_object() { return {}; }
  Initial initial_suspend() noexcept { return {}; }
  std::suspend_always final_suspend() noexcept { return {}; }
  void return_void() {}
  void unhandled_exception() {}
};

// A queue whose pop suspends: a branch that pops twice holds the first
// item when it suspends the second time.
struct item_awaiter {
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<>) const noexcept {}
  int await_resume() const noexcept { return 0; }
};
struct queue {
  item_awaiter pop();
};

} // namespace shapes
