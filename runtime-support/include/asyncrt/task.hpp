// asyncrt::task<T>: a lazy, move-only coroutine task.
//
// A task does nothing until it is awaited (or, once the scheduler lands,
// spawned): the body starts at the first co_await. When the body finishes
// without ever suspending, the awaiter simply continues (await_suspend
// returns false); when it finished later, its final suspend transfers to the
// awaiter. Neither path nests a resume per await, so a loop awaiting a
// million synchronously-completing tasks runs in constant stack, with or
// without the compiler turning symmetric transfer into a tail call (g++-12
// does not at -O0).
//
// Thread safety: a task is a unique owner of its coroutine frame; moving or
// awaiting one task from two threads at once is a data race, as with any
// object. Different tasks are independent.
// Cancellation: a task has no cancellation of its own; it is cancelled by the
// runtime operations it awaits. Destroying a task that never started frees
// its frame without running any of the body; debug builds report it
// (<asyncrt/debug.hpp>).
#ifndef ASYNCRT_TASK_HPP
#define ASYNCRT_TASK_HPP

#include <asyncrt/debug.hpp>
#include <asyncrt/detail/block_cache.hpp>
#include <asyncrt/detail/task_owner.hpp>

#include <atomic>
#include <coroutine>
#include <exception>
#include <optional>
#include <type_traits>
#include <utility>

namespace asyncrt {

template <class T = void> class task;

namespace detail {

// Starts a task's body and suspends the caller until it has finished; the
// outcome stays in the promise.
template <class Handle> struct settle_awaiter {
  Handle frame;
  bool await_ready() const noexcept { return frame.done(); }
  bool await_suspend(std::coroutine_handle<> caller) noexcept {
    frame.resume();
    return frame.promise().park(caller);
  }
  void await_resume() const noexcept {}
};

// Lets the runtime take a task over and look inside it.
struct task_access {
  /// The runtime owns the task now (spawned): it is not a forgotten one,
  /// even if the runtime is destroyed before it starts.
  template <class T> static void adopt(task<T> &work) noexcept {
#if ASYNCRT_DEBUG
    if (work.frame_)
      work.frame_.promise().started = true;
#endif
    (void)work;
  }
  /// Marks \p work as a combinator whose result is that of the first select
  /// it runs (task_context::decided_by_first_select).
  template <class T> static void mark_select(task<T> &work) noexcept {
    work.frame_.promise().is_select = true;
  }
  template <class T> static bool is_select(const task<T> &work) noexcept {
    return work.frame_ && work.frame_.promise().is_select;
  }
  template <class T>
  static typename task<T>::handle_type frame(task<T> &work) noexcept {
    return work.frame_;
  }
};

// Whichever of "the body finished" and "the awaiter stored its
// continuation" happens second resumes the awaiter. The flag is atomic
// because, once tasks run on a multi-thread scheduler, the two may happen on
// different threads.
struct final_awaiter {
  bool await_ready() const noexcept { return false; }
  template <class Promise>
  std::coroutine_handle<>
  await_suspend(std::coroutine_handle<Promise> self) noexcept {
    auto &promise = self.promise();
    if (promise.handoff.exchange(true, std::memory_order_acq_rel))
      return promise.continuation; // the awaiter is parked: wake it
    return std::noop_coroutine();  // still inside its await_suspend
  }
  void await_resume() const noexcept {}
};

// A task's final suspend: a spawned task's frame goes to its owner, any
// other wakes its awaiter.
struct task_final_awaiter : final_awaiter {
  template <class Promise>
  std::coroutine_handle<>
  await_suspend(std::coroutine_handle<Promise> self) noexcept {
    if (task_owner *owner = std::exchange(self.promise().owner, nullptr)) {
      owner->body_finished(self); // destroys the frame: touch nothing more
      return std::noop_coroutine();
    }
    return final_awaiter::await_suspend(self);
  }
};

#if ASYNCRT_DEBUG
// Remembers that the body started, so that destroying a task that never ran
// can be reported.
struct initial_awaiter {
  bool *started;
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<>) const noexcept {}
  void await_resume() const noexcept { *started = true; }
};
#endif

struct promise_base : cached_frame {
#if ASYNCRT_DEBUG
  explicit promise_base(std::source_location where) : made_by(where) {}
  initial_awaiter initial_suspend() noexcept { return {&started}; }
  std::source_location made_by;
  bool started = false;
#else
  std::suspend_always initial_suspend() noexcept { return {}; }
#endif
  ~promise_base() {
    if (owner)
      owner->frame_dropped();
  }
  task_final_awaiter final_suspend() noexcept { return {}; }
  void unhandled_exception() noexcept { exception = std::current_exception(); }
  void rethrow_if_failed() {
    if (exception)
      std::rethrow_exception(exception);
  }
  // True if the awaiter must suspend: the body has not finished yet, and will
  // resume \p caller when it does.
  bool park(std::coroutine_handle<> caller) noexcept {
    continuation = caller;
    return !handoff.exchange(true, std::memory_order_acq_rel);
  }

  std::coroutine_handle<> continuation;
  std::exception_ptr exception;
  std::atomic<bool> handoff{false};
  bool is_select = false; // see task_access::mark_select
  /// Set while the task is spawned and unfinished (task_owner).
  task_owner *owner = nullptr;
};

// The constructors' default argument is evaluated in the coroutine, so it
// names the coroutine that made the task.
#if ASYNCRT_DEBUG
#define ASYNCRT_PROMISE_CONSTRUCTOR(name)                                      \
  name(std::source_location where = std::source_location::current())           \
      : promise_base(where) {}
#else
#define ASYNCRT_PROMISE_CONSTRUCTOR(name)
#endif

template <class T> struct task_promise : promise_base {
  ASYNCRT_PROMISE_CONSTRUCTOR(task_promise)
  task<T> get_return_object() noexcept;
  template <class U>
  requires std::is_convertible_v<U &&, T>
  void return_value(U &&v) noexcept(std::is_nothrow_constructible_v<T, U &&>) {
    value.emplace(std::forward<U>(v));
  }
  T take() {
    rethrow_if_failed();
    return std::move(*value);
  }
  std::optional<T> value;
};

template <> struct task_promise<void> : promise_base {
  ASYNCRT_PROMISE_CONSTRUCTOR(task_promise)
  task<void> get_return_object() noexcept;
  void return_void() noexcept {}
  void take() { rethrow_if_failed(); }
};

} // namespace detail

template <class T> class [[nodiscard]] task {
public:
  using promise_type = detail::task_promise<T>;
  using handle_type = std::coroutine_handle<promise_type>;
  using value_type = T;

  task() noexcept = default;
  task(task &&other) noexcept : frame_(std::exchange(other.frame_, {})) {}
  task &operator=(task &&other) noexcept {
    if (this != &other) {
      reset();
      frame_ = std::exchange(other.frame_, {});
    }
    return *this;
  }
  task(const task &) = delete;
  task &operator=(const task &) = delete;
  ~task() { reset(); }

  /// True once the body has run to completion (value or exception).
  bool is_ready() const noexcept { return !frame_ || frame_.done(); }
  /// False for a moved-from or default-constructed task.
  explicit operator bool() const noexcept { return static_cast<bool>(frame_); }

  /// Starts the body and suspends the caller until it finishes; yields the
  /// value or rethrows the exception. Awaiting a moved-from task is a
  /// precondition violation.
  auto operator co_await() &&noexcept { return awaiter{{frame_}}; }
  auto operator co_await() &noexcept { return awaiter{{frame_}}; }

  /// Gives up ownership of the frame (for runtimes that drive tasks).
  handle_type release() noexcept { return std::exchange(frame_, {}); }

private:
  friend promise_type;
  friend struct detail::task_access;
  explicit task(handle_type frame) noexcept : frame_(frame) {}

  void reset() noexcept {
    if (!frame_)
      return;
#if ASYNCRT_DEBUG
    if (!frame_.promise().started)
      detail::report("asyncrt: a task made by " +
                     detail::describe(frame_.promise().made_by) +
                     " was destroyed without ever being started: co_await it "
                     "or spawn it");
#endif
    std::exchange(frame_, {}).destroy();
  }

  struct awaiter : detail::settle_awaiter<handle_type> {
    T await_resume() { return this->frame.promise().take(); }
  };

  handle_type frame_;
};

namespace detail {
template <class T> task<T> task_promise<T>::get_return_object() noexcept {
  return task<T>(std::coroutine_handle<task_promise<T>>::from_promise(*this));
}
inline task<void> task_promise<void>::get_return_object() noexcept {
  return task<void>(
      std::coroutine_handle<task_promise<void>>::from_promise(*this));
}

/// Whether T is an asyncrt::task, and its value type if it is.
template <class T> struct is_task : std::false_type {};
template <class T> struct is_task<task<T>> : std::true_type {
  using value_type = T;
};
} // namespace detail

#undef ASYNCRT_PROMISE_CONSTRUCTOR

} // namespace asyncrt

#endif // ASYNCRT_TASK_HPP
