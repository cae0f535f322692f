// Lock types of every shape async-lock-across-suspend must recognise.
#pragma once
#include <asyncrt/task.hpp>
#include <coroutine>
#include <mutex>
#include <shared_mutex>

template <class T> using task = asyncrt::task<T>;
task<int> fetch(int);
bool flag();

// Clang thread-safety annotations: a capability and a scoped guard for it.
class __attribute__((capability("mutex"))) annotated_mutex {
public:
  void lock() __attribute__((acquire_capability()));
  void unlock() __attribute__((release_capability()));
};
class __attribute__((scoped_lockable)) annotated_guard {
public:
  explicit annotated_guard(annotated_mutex &m) __attribute__((acquire_capability(m)));
  ~annotated_guard() __attribute__((release_capability()));
};

// A lock with a lock() member but neither a known name nor an annotation.
struct spin_flag {
  void lock();
  void unlock();
};

// Named in the options tests only.
struct legacy_mutex {
  void lock();
  void unlock();
};
struct legacy_guard {
  explicit legacy_guard(legacy_mutex &);
  ~legacy_guard();
};

// An async mutex: its guard may be held across co_await.
struct async_mutex {
  struct [[clang::annotate("corolint::suspend_safe_guard")]] guard {
    explicit guard(async_mutex &);
    ~guard();
  };
};

// An awaitable that never suspends (await_ready is `return true;`).
struct already_done {
  bool await_ready() const noexcept { return true; }
  void await_suspend(std::coroutine_handle<>) const noexcept {}
  int await_resume() const noexcept { return 0; }
};
// An awaitable listed in AllowedAwaitablesList in the options test.
struct instant_op {
  bool await_ready() const noexcept;
  void await_suspend(std::coroutine_handle<>) const noexcept {}
  void await_resume() const noexcept {}
};

template <class T> struct generator {
  struct promise_type {
    generator get_return_object() { return {}; }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    std::suspend_always yield_value(T) noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
};

void consume(std::unique_lock<std::mutex>);
