// asyncrt::spawn and asyncrt::join_handle: run a task concurrently.
//
//   asyncrt::join_handle<int> h = asyncrt::spawn(work(2));
//   int r = co_await std::move(h);   // its result, or its exception
//   h.abort();                       // cooperative cancellation
//
// spawn() must be called inside a runtime (from a task under block_on). The
// spawned task starts when the scheduler gets to it, not inside spawn().
// Dropping a join handle detaches the task: it keeps running, and its result
// is dropped (so corolint's async-unawaited-task does not report it).
//
// Thread safety: join handles belong to the runtime's thread, like the tasks.
// Cancellation: abort() marks the task; it stops at its next suspension on a
// runtime awaitable, where asyncrt::cancelled is thrown and unwinds it, and
// awaiting the handle then throws asyncrt::cancelled. A task aborted before
// it started never runs. A sleeping task is woken at once to be cancelled.
// Awaiting a join handle is cancel-safe: dropping the await loses nothing,
// the task keeps running.
#ifndef ASYNCRT_SPAWN_HPP
#define ASYNCRT_SPAWN_HPP

#include <asyncrt/annotations.hpp>
#include <asyncrt/scheduler.hpp>
#include <asyncrt/task.hpp>

#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <type_traits>
#include <variant>

namespace asyncrt {

namespace detail {

template <class T>
using stored_t = std::conditional_t<std::is_void_v<T>, std::monostate, T>;

template <class T> struct join_state {
  std::optional<stored_t<T>> value;
  std::exception_ptr error;
  bool done = false;
  std::coroutine_handle<> root;
  std::coroutine_handle<> waiter;
  task_context *waiter_context = nullptr;
  task_context context;
  /// Called once the task has finished (used by join and select).
  std::function<void()> on_done;
};

// The frame that owns a spawned task; it frees itself when the task ends.
struct root_task {
  struct promise_type {
    root_task get_return_object() {
      return {std::coroutine_handle<promise_type>::from_promise(*this)};
    }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() noexcept {}
    void unhandled_exception() noexcept { std::terminate(); }
  };
  std::coroutine_handle<promise_type> handle;
};

template <class T>
root_task drive(task<T> work, std::shared_ptr<join_state<T>> state,
                scheduler &sched) {
  if (state->context.cancel_requested) {
    state->error = std::make_exception_ptr(cancelled());
  } else {
    try {
      if constexpr (std::is_void_v<T>) {
        co_await std::move(work);
        state->value.emplace();
      } else {
        state->value.emplace(co_await std::move(work));
      }
    } catch (...) {
      state->error = std::current_exception();
    }
  }
  state->done = true;
  sched.remove_root(state->root);
  if (state->waiter)
    sched.schedule(state->waiter, state->waiter_context);
  if (state->on_done)
    state->on_done();
}

template <class T> class join_awaiter;

// Lets the combinators (<asyncrt/combinators.hpp>) reach a handle's state.
struct handle_access {
  template <class H> static auto &state(H &handle) { return handle.state_; }
};

} // namespace detail

template <class T> class ASYNCRT_DISCARDABLE join_handle {
public:
  join_handle() = default;

  /// Requests cancellation; see the header comment. Idempotent; does nothing
  /// once the task has finished.
  void abort() {
    if (!state_ || state_->done)
      return;
    state_->context.cancel_requested = true;
    if (detail::scheduler *s = detail::scheduler::current())
      s->wake_cancelled(state_->context);
  }

  /// True once the task has finished (value, exception or cancellation).
  bool is_finished() const noexcept { return state_ && state_->done; }

  ASYNCRT_CANCEL_SAFE auto operator co_await() &&noexcept {
    return detail::join_awaiter<T>(state_);
  }
  ASYNCRT_CANCEL_SAFE auto operator co_await() &noexcept {
    return detail::join_awaiter<T>(state_);
  }

private:
  friend struct detail::handle_access;
  template <class U>
  friend join_handle<U> spawn_on(detail::scheduler &, task<U>);
  explicit join_handle(std::shared_ptr<detail::join_state<T>> state)
      : state_(std::move(state)) {}

  std::shared_ptr<detail::join_state<T>> state_;
};

namespace detail {
template <class T> class join_awaiter {
public:
  explicit join_awaiter(std::shared_ptr<join_state<T>> state)
      : state_(std::move(state)) {}
  bool await_ready() const noexcept { return state_->done || self_cancelled(); }
  void await_suspend(std::coroutine_handle<> h) noexcept {
    state_->waiter = h;
    state_->waiter_context = scheduler::current_task();
  }
  T await_resume() {
    throw_if_cancelled();
    if (state_->error)
      std::rethrow_exception(state_->error);
    if constexpr (!std::is_void_v<T>)
      return std::move(*state_->value);
  }

private:
  std::shared_ptr<join_state<T>> state_;
};
} // namespace detail

/// Schedules \p work on \p sched (the runtime's own entry point).
template <class T>
join_handle<T> spawn_on(detail::scheduler &sched, task<T> work) {
  auto state = std::make_shared<detail::join_state<T>>();
  detail::root_task root = detail::drive(std::move(work), state, sched);
  state->root = root.handle;
  sched.add_root(root.handle);
  sched.schedule(root.handle, &state->context);
  return join_handle<T>(std::move(state));
}

/// Runs \p work concurrently on the current runtime. Must be called inside
/// block_on. Thread safety and cancellation: see the header comment.
template <class T> ASYNCRT_SPAWN_LIKE join_handle<T> spawn(task<T> work) {
  return spawn_on(detail::current_scheduler(), std::move(work));
}

} // namespace asyncrt

#endif // ASYNCRT_SPAWN_HPP
