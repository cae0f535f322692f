// asyncrt::runtime: owns the scheduler and runs tasks to completion.
//
//   asyncrt::runtime rt;              // multi-thread, a worker per core
//   int v = rt.block_on(work(1));
//   asyncrt::runtime one{{.worker_threads = 1}};
//   asyncrt::runtime local{{.flavor = asyncrt::flavor::current_thread}};
//
// The multi-thread flavour runs tasks on its worker threads (work stealing,
// see detail/scheduler.hpp); block_on's thread only waits. The current-thread
// flavour runs every task on the thread inside block_on, one at a time, as
// tokio's current_thread runtime: spawned and yielding tasks in FIFO order,
// a task woken by the running one next (the LIFO slot, detail/run_queue.hpp);
// tasks spawned between two block_on calls run in the next one.
//
// Thread safety: block_on and spawn may be called from any thread that is
// not one of a runtime's own; several threads may block_on one multi-thread
// runtime at once, a current-thread runtime allows one block_on at a time.
// A runtime_handle (rt.handle(), or runtime_handle::current() inside a task
// or a spawn_blocking job) spawns onto the runtime and blocks on a task from
// any thread that does not run tasks: a spawn_blocking job may wait for
// async work with it (tokio's Handle::block_on), on either flavour. The
// runtime must outlive its handles' calls.
// Destroying the runtime stops accepting work (a later spawn is dropped
// unstarted, its handle reports cancellation), stops its workers, drops the
// spawn_blocking jobs not yet started and waits for the running ones,
// cancels every task and runs them on the destroying thread to their
// cancellation points, then destroys the frames still suspended, detached
// from their cancel hooks (scheduler::shutdown, docs/runtime.md).
// shutdown_timeout does the same at once, but gives the spawn_blocking jobs
// already running only so long before leaving them to finish on their own
// threads (tokio's Runtime::shutdown_timeout); shutdown_background does not
// wait for them at all.
#ifndef ASYNCRT_RUNTIME_HPP
#define ASYNCRT_RUNTIME_HPP

#include <asyncrt/debug.hpp>
#include <asyncrt/detail/scheduler.hpp>
#include <asyncrt/spawn.hpp>
#include <asyncrt/task.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <source_location>
#include <stdexcept>
#include <thread>

namespace asyncrt {

enum class flavor { multi_thread, current_thread };

struct runtime_options {
  asyncrt::flavor flavor = asyncrt::flavor::multi_thread;
  /// Worker threads of the multi-thread flavour; 0 means one per core.
  std::size_t worker_threads = 0;
  /// Upper bound on spawn_blocking's threads (created on demand, kept until
  /// the runtime is destroyed); jobs beyond it queue.
  std::size_t max_blocking_threads = 64;
  /// A task that runs this long without suspending is reported (0: never).
  /// On by default in debug builds (ASYNCRT_DEBUG).
  std::chrono::milliseconds long_poll_threshold{ASYNCRT_DEBUG ? 100 : 0};
  /// The cooperative budget, as tokio's: how many operations a task may
  /// complete without suspending (a channel that has a value, a free permit,
  /// a finished join, a stream item ready) in one turn before it yields to
  /// the other tasks and the timers; the operation still completes. 0 turns
  /// it off (a task then keeps its worker as long as it never waits).
  std::uint32_t cooperative_budget = 128;
  /// Where the debug reports go; stderr when empty.
  std::function<void(std::string_view)> diagnostics;
};

namespace detail {

// The handle's awaiter hands out the value or the exception.
template <class T> T result_of(join_handle<T> &handle) {
  auto awaiter = std::move(handle).operator co_await();
  return awaiter.await_resume();
}

// Runs \p work on \p sched and blocks this thread, which runs no tasks,
// until it has finished.
template <class T>
T wait_for(scheduler &sched, task<T> work, std::source_location where) {
  struct finished_signal {
    std::mutex mutex;
    std::condition_variable finished;
    bool done = false;
  } signal;
  auto notify = [](void *target, std::size_t, const join_state_base &) {
    auto &s = *static_cast<finished_signal *>(target);
    std::lock_guard lock(s.mutex);
    s.done = true;
    s.finished.notify_one(); // under the lock: `s` lives on our stack
  };
  join_handle<T> handle =
      spawn_on(sched, std::move(work), {where, {notify, &signal, 0, nullptr}});
  std::unique_lock lock(signal.mutex);
  signal.finished.wait(lock, [&] { return signal.done; });
  return result_of(handle);
}

} // namespace detail

/// A runtime, seen from a thread that is not running its tasks (tokio's
/// Handle). Copyable; the runtime must outlive every call.
class runtime_handle {
public:
  /// The runtime of this thread: inside a task or a spawn_blocking job.
  /// Throws std::logic_error elsewhere.
  static runtime_handle current() {
    return runtime_handle(detail::current_scheduler());
  }

  /// Spawns \p work onto the runtime, from any thread.
  template <class T>
  ASYNCRT_SPAWN_LIKE join_handle<T>
  spawn(task<T> work,
        std::source_location where = std::source_location::current()) {
    return detail::spawn_on(*sched_, std::move(work), {where, {}, true});
  }

  /// Runs \p work on the runtime and blocks this thread until it has
  /// finished: its value, or its exception. For threads that run no tasks
  /// (a spawn_blocking job, a thread of one's own); on a worker, or inside
  /// a current-thread runtime's block_on, it would wait for work that only
  /// this thread can run, and throws std::logic_error instead.
  template <class T>
  ASYNCRT_BLOCKING T
  block_on(task<T> work,
           std::source_location where = std::source_location::current()) {
    if (detail::scheduler::on_task_thread())
      throw std::logic_error("asyncrt: runtime_handle::block_on called on a "
                             "thread that runs tasks; co_await the task "
                             "instead");
    return detail::wait_for(*sched_, std::move(work), where);
  }

private:
  friend class runtime;
  explicit runtime_handle(detail::scheduler &sched) noexcept : sched_(&sched) {}
  detail::scheduler *sched_;
};

class runtime {
public:
  runtime() : runtime(runtime_options{}) {}
  explicit runtime(runtime_options options)
      : current_thread_(options.flavor == flavor::current_thread),
        scheduler_(make_scheduler_options(std::move(options))) {}
  runtime(const runtime &) = delete;
  runtime &operator=(const runtime &) = delete;

  /// Runs \p work, and whatever it spawns, until \p work finishes; returns
  /// its value or rethrows its exception. Blocks the calling thread, so it
  /// must not be called from inside a task (corolint's async-blocking-call
  /// reports it); calling it on a runtime's thread throws std::logic_error.
  /// A task that waits for something nothing will ever wake blocks it for
  /// good, as in tokio.
  template <class T>
  ASYNCRT_BLOCKING T
  block_on(task<T> work,
           std::source_location where = std::source_location::current()) {
    if (detail::scheduler::current())
      throw std::logic_error(
          "asyncrt: block_on called from inside a runtime; co_await the "
          "task instead");
    if (current_thread_) {
      if (in_block_on_.exchange(true))
        throw std::logic_error("asyncrt: a current-thread runtime runs one "
                               "block_on at a time");
      block_on_flag_release on_exit{in_block_on_};
      join_handle<T> handle =
          detail::spawn_on(scheduler_, std::move(work), {where, {}});
      scheduler_.run_until([&] { return handle.is_finished(); });
      return detail::result_of(handle);
    }
    return detail::wait_for(scheduler_, std::move(work), where);
  }

  /// Spawns \p work from outside the runtime (any thread). With the
  /// current-thread flavour it runs during the next block_on.
  template <class T>
  ASYNCRT_SPAWN_LIKE join_handle<T>
  spawn(task<T> work,
        std::source_location where = std::source_location::current()) {
    return detail::spawn_on(scheduler_, std::move(work), {where, {}, true});
  }

  /// Worker threads that run tasks (1 for the current-thread flavour).
  std::size_t worker_threads() const noexcept {
    return scheduler_.worker_count();
  }

  /// A handle to spawn onto this runtime and block on its tasks from
  /// other threads; see the header comment.
  runtime_handle handle() noexcept { return runtime_handle(scheduler_); }

  /// Shuts the runtime down now, as destroying it does (header comment),
  /// but waits at most \p timeout for the spawn_blocking jobs that are
  /// running: those still running then are left to finish on their own
  /// threads, detached. Such a job must not use the runtime any more
  /// (spawn, runtime_handle::current()): it is gone once the runtime object
  /// is; its handle reports its outcome when it finishes, and a failure
  /// nobody observes still goes to runtime_options::diagnostics (a copy of
  /// it, which must stay callable). Returns true if no job was left
  /// running. From then on the runtime runs nothing: block_on throws
  /// asyncrt::cancelled, spawn returns a handle that reports cancellation;
  /// a second shutdown, or the destructor, does nothing. Thread-safe
  /// against spawn and handles; throws std::logic_error on one of a
  /// runtime's own threads (it would wait for itself), and on a
  /// current-thread runtime while another thread is inside its block_on
  /// (that thread runs its tasks; shutting down would run them on this one
  /// too): end that block_on's work instead, e.g. with a cancellation token.
  ASYNCRT_BLOCKING bool shutdown_timeout(std::chrono::nanoseconds timeout) {
    if (detail::scheduler::current())
      throw std::logic_error("asyncrt: a runtime cannot be shut down from "
                             "one of a runtime's own threads");
    if (!current_thread_)
      return scheduler_.shutdown(timeout) == 0;
    // Held for the shutdown, so that no block_on starts meanwhile.
    if (in_block_on_.exchange(true))
      throw std::logic_error(
          "asyncrt: a current-thread runtime cannot be shut down while "
          "another thread is inside its block_on");
    block_on_flag_release on_exit{in_block_on_};
    return scheduler_.shutdown(timeout) == 0;
  }

  /// shutdown_timeout without waiting for any spawn_blocking job (tokio's
  /// shutdown_background).
  ASYNCRT_BLOCKING bool shutdown_background() {
    return shutdown_timeout(std::chrono::nanoseconds::zero());
  }

private:
  static detail::scheduler::options
  make_scheduler_options(runtime_options options) {
    detail::scheduler::options result;
    result.current_thread = options.flavor == flavor::current_thread;
    result.workers = result.current_thread ? 1 : options.worker_threads;
    if (result.workers == 0)
      result.workers = std::max(1u, std::thread::hardware_concurrency());
    result.max_blocking_threads =
        std::max<std::size_t>(1, options.max_blocking_threads);
    result.long_poll_threshold = options.long_poll_threshold;
    result.coop_budget = options.cooperative_budget;
    result.diagnostics = std::move(options.diagnostics);
    return result;
  }

  bool current_thread_;
  std::atomic<bool> in_block_on_{false};
  // Clears in_block_on_ when the block_on (or shutdown) that set it ends.
  struct block_on_flag_release {
    std::atomic<bool> &flag;
    ~block_on_flag_release() { flag.store(false); }
  };
  detail::scheduler scheduler_;
};

} // namespace asyncrt

#endif // ASYNCRT_RUNTIME_HPP
