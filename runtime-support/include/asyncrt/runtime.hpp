// asyncrt::runtime: owns the scheduler and runs tasks to completion.
//
//   asyncrt::runtime rt;
//   int v = rt.block_on(work(1));
//
// Today a runtime runs all of its tasks on the thread that calls block_on
// (tokio's current_thread flavour). runtime_options::worker_threads must be
// 1: the multi-thread scheduler is not written yet, and asking for it is an
// error rather than a silent single thread.
//
// Thread safety: one block_on at a time per runtime; a runtime and its tasks
// are used from the thread running block_on.
// Destroying the runtime destroys every task that is still alive (spawned and
// detached ones included), running their destructors.
#ifndef ASYNCRT_RUNTIME_HPP
#define ASYNCRT_RUNTIME_HPP

#include <asyncrt/scheduler.hpp>
#include <asyncrt/spawn.hpp>
#include <asyncrt/task.hpp>

#include <cstddef>
#include <stdexcept>

namespace asyncrt {

struct runtime_options {
  /// Threads that run tasks. Only 1 is supported today.
  std::size_t worker_threads = 1;
};

class runtime {
public:
  runtime() : runtime(runtime_options{}) {}
  explicit runtime(runtime_options options) {
    if (options.worker_threads != 1)
      throw std::invalid_argument(
          "asyncrt: runtime_options::worker_threads must be 1: the "
          "multi-thread scheduler is not implemented yet");
  }
  runtime(const runtime &) = delete;
  runtime &operator=(const runtime &) = delete;

  /// Runs \p work, and whatever it spawns, until \p work finishes; returns
  /// its value or rethrows its exception. Blocks the calling thread, so it
  /// must not be called from inside a task (that deadlocks: corolint's
  /// async-blocking-call reports it); calling it there throws
  /// std::logic_error instead. Also throws std::logic_error when \p work
  /// waits for something that nothing can wake.
  template <class T> ASYNCRT_BLOCKING T block_on(task<T> work) {
    if (detail::scheduler::current())
      throw std::logic_error(
          "asyncrt: block_on called from inside a runtime; co_await the "
          "task instead");
    join_handle<T> handle = spawn_on(scheduler_, std::move(work));
    scheduler_.run_until([&] { return handle.is_finished(); });
    // The handle's awaiter hands out the value or the exception.
    auto awaiter = std::move(handle).operator co_await();
    return awaiter.await_resume();
  }

private:
  detail::scheduler scheduler_;
};

} // namespace asyncrt

#endif // ASYNCRT_RUNTIME_HPP
