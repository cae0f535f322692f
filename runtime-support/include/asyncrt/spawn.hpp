// asyncrt::spawn and asyncrt::join_handle: run a task concurrently.
//
//   asyncrt::join_handle<int> h = asyncrt::spawn(work(2));
//   int r = co_await std::move(h);   // its result, or its exception
//   h.abort();                       // cooperative cancellation
//
// spawn() must be called on a runtime's thread (inside a task, or in a
// spawn_blocking job); runtime::spawn works from anywhere. The spawned task
// starts when a worker gets to it, not inside spawn(), possibly on another
// thread. Dropping a join handle detaches the task: it keeps running and its
// result is dropped (so corolint's async-unawaited-task does not report it);
// a failure of a detached task (an exception other than cancellation) is
// reported through the runtime's diagnostics sink (runtime_options), not
// lost without a word.
//
// Thread safety: a join_handle may be moved to, awaited from and aborted
// from any thread; one handle is not shared by two threads at once.
// Cancellation: abort() marks the task; it stops at its next suspension on a
// runtime awaitable, where asyncrt::cancelled is thrown and unwinds it, and
// awaiting the handle then throws asyncrt::cancelled. A task aborted before
// it started never runs. A task waiting on a runtime primitive (sleep,
// semaphore, channel, join) is woken at once to be cancelled. A task that
// never suspends cannot be cancelled.
// Awaiting a join handle is cancel-safe: dropping the await loses nothing,
// the task keeps running.
#ifndef ASYNCRT_SPAWN_HPP
#define ASYNCRT_SPAWN_HPP

#include <asyncrt/annotations.hpp>
#include <asyncrt/detail/cancellable_wait.hpp>
#include <asyncrt/detail/scheduler.hpp>
#include <asyncrt/detail/short_mutex.hpp>
#include <asyncrt/task.hpp>

#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <source_location>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

namespace asyncrt {

namespace detail {

template <class T>
using stored_t = std::conditional_t<std::is_void_v<T>, std::monostate, T>;

struct join_state_base;

// What to call once a spawned task has finished (block_on, the
// combinators): a plain function and its target, so that setting it
// allocates nothing; keep_alive owns the target when the one who waits may
// be gone before the call returns.
struct completion_callback {
  void (*fn)(void *target, std::size_t index,
             const join_state_base &finished) = nullptr;
  void *target = nullptr;
  std::size_t index = 0;
  std::shared_ptr<void> keep_alive;
  explicit operator bool() const noexcept { return fn != nullptr; }
};

// What a spawned task (or spawn_blocking job) shares with its handle. For a
// spawned task it also owns the task's frame (task_owner) from the spawn
// until the body has finished.
struct join_state_base : task_owner {
  root_context context;
  short_mutex mutex; // done, awaiting, on_done
  std::atomic<bool> done{false};
  /// Every task waiting for this one: its handle's owner, and a task group's
  /// join_all or scope end, may wait at once.
  waiter_set awaiting;
  /// Called once the work has finished, on the thread that finished it (used
  /// by block_on and the combinators). Set before the work is scheduled.
  completion_callback on_done;
  std::exception_ptr error;
  /// A failure nobody can observe any more is reported (diagnostics sink):
  /// set for the tasks users spawn, not for a combinator's or a group's
  /// children, whose failures those surface themselves.
  bool report_if_lost = false;
  bool handle_alive = true;    // guarded by mutex
  bool error_observed = false; // guarded by mutex: a handle rethrew it
  /// The runtime that runs the task (spawned tasks only).
  scheduler *sched = nullptr;
  /// The runtime's own reference, from the spawn until the task's frame is
  /// gone (finished, dropped unstarted, or destroyed by shutdown).
  std::shared_ptr<join_state_base> running;

  /// The handle is gone: a failure already there is lost now.
  void handle_dropped() {
    bool lost;
    {
      std::lock_guard lock(mutex);
      handle_alive = false;
      lost = report_if_lost && done.load(std::memory_order_relaxed) && error &&
             !error_observed;
    }
    if (lost)
      report_lost();
  }
  /// Someone awaiting the task got its exception.
  void observe_error() {
    std::lock_guard lock(mutex);
    error_observed = true;
  }
  bool error_was_observed() {
    std::lock_guard lock(mutex);
    return error_observed;
  }

  // The work has stored its value or error: wake whoever waits.
  void finish() {
    wake_list woken;
    completion_callback callback;
    bool lost;
    {
      std::lock_guard lock(mutex);
      lost = report_if_lost && error && !handle_alive && !error_observed;
      done.store(true, std::memory_order_release);
      awaiting.take_all(woken);
      callback = std::move(on_done);
    }
    woken.wake_all();
    if (callback)
      callback.fn(callback.target, callback.index, *this);
    if (lost)
      report_lost();
  }

  // A cancellation is no failure; anything else is said with its what().
  void report_lost() const {
    std::string what = "an exception";
    try {
      std::rethrow_exception(error);
    } catch (const cancelled &) {
      return;
    } catch (const std::exception &e) {
      what = std::string("'") + e.what() + "'";
    } catch (...) {
    }
    report("asyncrt: a task spawned at " + describe(context.spawned_at) +
           " failed with " + what +
           " and nobody awaits its join handle: the exception is lost");
  }

  // The task's frame (its parameters: permits, handles, guards) goes before
  // anyone learns that it has finished, so that nothing of it outlives the
  // scope that waits for it.
  void complete(std::coroutine_handle<> frame) noexcept {
    std::shared_ptr<join_state_base> keep = std::move(running);
    frame.destroy();
    sched->remove_root(context);
    finish();
  }

  // The frame still names this state its owner, so destroying it calls
  // frame_dropped(), which finds the reference already taken by complete().
  void drop_unstarted() noexcept override {
    error = std::make_exception_ptr(cancelled());
    complete(context.root);
  }

  void frame_dropped() noexcept override { running.reset(); }

  // Shutdown is about to destroy the task's frame: it is finished, as
  // cancelled, but nobody is woken or called back (their frames may be gone
  // too, and no worker would run them).
  void abandon() noexcept override {
    completion_callback dropped;
    {
      std::lock_guard lock(mutex);
      if (done.load(std::memory_order_relaxed))
        return;
      if (!error)
        error = std::make_exception_ptr(cancelled());
      awaiting.clear();
      dropped = std::move(on_done);
      done.store(true, std::memory_order_release);
    }
  }

  join_state_base() { context.owner = this; }
  join_state_base(const join_state_base &) = delete;
  join_state_base &operator=(const join_state_base &) = delete;
};

template <class T> struct join_state final : join_state_base {
  std::optional<stored_t<T>> value;

  // User-provided, so that allocate_shared's value-initialization runs the
  // member initializers only: an implicit constructor would have the whole
  // state (some 260 bytes) cleared first, with rep stos under GCC, on every
  // spawn.
  join_state() noexcept {}

  void body_finished(std::coroutine_handle<> frame) noexcept override {
    auto &promise =
        std::coroutine_handle<task_promise<T>>::from_address(frame.address())
            .promise();
    if (promise.exception) {
      error = std::move(promise.exception);
    } else {
      try {
        if constexpr (std::is_void_v<T>)
          value.emplace();
        else
          value.emplace(std::move(*promise.value));
      } catch (...) {
        error = std::current_exception();
      }
    }
    complete(frame);
  }
};

template <class T> class join_awaiter;

// Lets the combinators (<asyncrt/combinators.hpp>) reach a handle's state.
struct handle_access {
  template <class H> static auto &state(H &handle) { return handle.state_; }
  template <class T> static auto make(std::shared_ptr<join_state<T>> state);
};

} // namespace detail

template <class T> class ASYNCRT_DISCARDABLE join_handle {
public:
  join_handle() = default;
  /// Move-only, as tokio's: one owner awaits or aborts it.
  join_handle(join_handle &&) noexcept = default;
  join_handle &operator=(join_handle &&other) noexcept {
    if (this != &other) {
      drop();
      state_ = std::move(other.state_);
    }
    return *this;
  }
  join_handle(const join_handle &) = delete;
  join_handle &operator=(const join_handle &) = delete;
  /// Detaches the task. A failure of a detached task that nobody observed
  /// is reported through the runtime's diagnostics sink, not lost silently.
  ~join_handle() { drop(); }

  /// Requests cancellation; see the header comment. Idempotent; does nothing
  /// once the task has finished. Thread-safe.
  void abort() {
    if (state_ && !is_finished())
      state_->context.request_cancel();
  }

  /// True once the task has finished (value, exception or cancellation).
  bool is_finished() const noexcept {
    return state_ && state_->done.load(std::memory_order_acquire);
  }

  /// Waits for the task; yields its value or rethrows its exception.
  ASYNCRT_CANCEL_SAFE auto operator co_await() &&noexcept {
    return detail::join_awaiter<T>(state_);
  }
  ASYNCRT_CANCEL_SAFE auto operator co_await() &noexcept {
    return detail::join_awaiter<T>(state_);
  }

private:
  friend struct detail::handle_access;
  explicit join_handle(std::shared_ptr<detail::join_state<T>> state)
      : state_(std::move(state)) {}
  void drop() noexcept {
    if (auto state = std::move(state_))
      state->handle_dropped();
  }

  std::shared_ptr<detail::join_state<T>> state_;
};

namespace detail {

template <class T>
auto handle_access::make(std::shared_ptr<join_state<T>> state) {
  return join_handle<T>(std::move(state));
}

// Suspends until a spawned task has finished, whatever its outcome. With
// \p cancellable, the waiting task's cancellation also ends the wait (the
// caller checks); without, it waits regardless (children being cancelled).
class completion_wait : public cancellable_wait<completion_wait> {
public:
  completion_wait(std::shared_ptr<join_state_base> state, bool cancellable)
      : state_(std::move(state)), cancellable_(cancellable) {}
  // Copied (moved) only before it is awaited.
  completion_wait(const completion_wait &other)
      : cancellable_wait(other), state_(other.state_),
        cancellable_(other.cancellable_) {}
  ~completion_wait() { abandon(); }

  bool await_ready() noexcept {
    if (cancellable_ && self_cancelled())
      return true;
    return state_->done.load(std::memory_order_acquire) && completed_now();
  }
  bool await_suspend(std::coroutine_handle<> h) {
    return park(h, cancellable_);
  }
  void await_resume() noexcept { resumed(); }

protected:
  join_state_base &state() const noexcept { return *state_; }

private:
  friend class cancellable_wait<completion_wait>;
  bool publish() {
    std::lock_guard lock(state_->mutex);
    if (state_->done.load(std::memory_order_relaxed))
      return false;
    state_->awaiting.push_back(&node());
    return true;
  }
  bool withdraw() {
    std::lock_guard lock(state_->mutex);
    return state_->awaiting.remove(&node());
  }
  void give_back() {}

  std::shared_ptr<join_state_base> state_;
  bool cancellable_;
};

// Awaiting a join handle: the cancellable wait, then the value or error.
template <class T> class join_awaiter : public completion_wait {
public:
  explicit join_awaiter(std::shared_ptr<join_state<T>> state)
      : completion_wait(std::move(state), true) {}
  T await_resume() {
    completion_wait::await_resume();
    throw_if_cancelled();
    auto &done = static_cast<join_state<T> &>(state());
    if (done.error) {
      done.observe_error();
      std::rethrow_exception(done.error);
    }
    if constexpr (!std::is_void_v<T>)
      return std::move(*done.value);
  }
};

// How the runtime's own code spawns: where from, and what to call at the
// end.
struct spawn_options {
  std::source_location where;
  completion_callback on_done;
  /// Report a failure nobody observes (join_state_base::report_if_lost).
  bool report_if_lost = false;
};

/// Schedules \p work on \p sched. On a runtime that is shutting down the
/// task is dropped unstarted (its frame destroyed here) and the handle
/// reports cancellation, as tokio's does.
template <class T>
join_handle<T> spawn_on(scheduler &sched, task<T> work, spawn_options opts) {
  auto state =
      std::allocate_shared<join_state<T>>(cached_allocator<join_state<T>>());
  state->context.spawned_at = opts.where;
  state->on_done = std::move(opts.on_done);
  state->report_if_lost = opts.report_if_lost;
  task_access::adopt(work);
  if (sched.is_shutting_down()) {
    { task<T> dropped = std::move(work); }
    state->context.request_cancel();
    state->error = std::make_exception_ptr(cancelled());
    state->finish();
    return handle_access::make(std::move(state));
  }
  state->sched = &sched;
  state->running = state;
  task_access::frame(work).promise().owner = state.get();
  state->context.root = work.release();
  state->context.unstarted = true;
  sched.add_root(state->context);
  sched.schedule(state->context.root, &state->context);
  return handle_access::make(std::move(state));
}

} // namespace detail

/// Runs \p work concurrently on the current runtime. Must be called on one
/// of its threads. Thread safety and cancellation: see the header comment.
template <class T>
ASYNCRT_SPAWN_LIKE join_handle<T>
spawn(task<T> work,
      std::source_location where = std::source_location::current()) {
  return detail::spawn_on(detail::current_scheduler(), std::move(work),
                          {where, {}, true});
}

} // namespace asyncrt

#endif // ASYNCRT_SPAWN_HPP
