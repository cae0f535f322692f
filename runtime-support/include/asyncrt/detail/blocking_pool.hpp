// The threads behind spawn_blocking: started on demand up to a limit, kept
// while there is work. Not a public API.
//
// What the threads use lives in a state they share with the pool, so that
// stop() may give up waiting for a job that runs too long
// (runtime::shutdown_timeout): its thread is detached and finishes the job
// on its own, touching only that state, never the pool or the scheduler.
#ifndef ASYNCRT_DETAIL_BLOCKING_POOL_HPP
#define ASYNCRT_DETAIL_BLOCKING_POOL_HPP

#include <asyncrt/debug.hpp>
#include <asyncrt/detail/task_context.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

namespace asyncrt::detail {

// Thread-safe.
class blocking_pool {
public:
  /// \p on_thread_start runs first on each new thread (the scheduler makes
  /// itself current there); \p on_drained runs when the last job still
  /// queued or running has finished (a paused clock may move again). Both
  /// run under the pool's lock and never once stop() has given up on a
  /// job. \p diagnostics is where the threads report (a copy: an abandoned
  /// thread may still report through it).
  blocking_pool(std::size_t max_threads, std::function<void()> on_thread_start,
                std::function<void()> on_drained, diagnostics_sink diagnostics)
      : max_threads_(max_threads), shared_(std::make_shared<shared_state>()) {
    shared_->on_thread_start = std::move(on_thread_start);
    shared_->on_drained = std::move(on_drained);
    shared_->diagnostics = std::move(diagnostics);
  }
  blocking_pool(const blocking_pool &) = delete;
  blocking_pool &operator=(const blocking_pool &) = delete;
  ~blocking_pool() { stop(); }

  /// Queues \p function; \p context is its cancellation state, which stop()
  /// sets for a job not yet started (the function then sees it and does not
  /// run the work). False, and nothing queued, once stop() has begun.
  bool submit(std::function<void()> function, task_context *context) {
    shared_state &s = *shared_;
    std::lock_guard lock(s.mutex);
    if (s.stopping)
      return false;
    s.jobs.push_back({std::move(function), context});
    s.active.fetch_add(1);
    if (s.jobs.size() > s.idle && threads_.size() < max_threads_) {
      ++s.live_threads;
      threads_.emplace_back([state = shared_] { loop(state); });
    } else {
      s.cv.notify_one();
    }
    return true;
  }

  /// Jobs queued or running.
  std::size_t active() const noexcept { return shared_->active.load(); }

  /// Cancels the jobs not started and finishes them, as cancelled, on this
  /// thread; then waits for the running ones, for at most \p timeout if
  /// given. Returns how many were still running when it gave up: their
  /// threads are detached and finish them alone (the pool's callbacks are
  /// not called any more). Only the first call does anything.
  std::size_t stop(std::optional<std::chrono::nanoseconds> timeout = {}) {
    if (stopped_)
      return 0;
    stopped_ = true;
    shared_state &s = *shared_;
    std::deque<queued> dropped;
    {
      std::lock_guard lock(s.mutex);
      s.stopping = true;
      dropped.swap(s.jobs);
    }
    s.cv.notify_all();
    for (queued &job : dropped) {
      if (job.context)
        job.context->request_cancel();
      job.run(); // sees the cancellation: reports it, runs no work
      job.run = nullptr;
      std::lock_guard lock(s.mutex);
      finished_one_locked(s);
    }
    std::size_t left = 0;
    {
      std::unique_lock lock(s.mutex);
      auto all_exited = [&] { return s.live_threads == 0; };
      if (timeout)
        s.exited.wait_for(lock, *timeout, all_exited);
      else
        s.exited.wait(lock, all_exited);
      if (!all_exited()) {
        s.abandoned = true;
        left = s.active.load();
      }
    }
    for (std::thread &t : threads_) {
      if (left != 0)
        t.detach();
      else
        t.join();
    }
    threads_.clear();
    return left;
  }

private:
  struct queued {
    std::function<void()> run;
    task_context *context;
  };

  struct shared_state {
    std::mutex mutex;
    std::condition_variable cv;     // a job queued, or stopping
    std::condition_variable exited; // a thread has left its loop
    std::deque<queued> jobs;
    std::size_t idle = 0; // threads waiting for a job
    std::size_t live_threads = 0;
    std::atomic<std::size_t> active{0};
    bool stopping = false;
    bool abandoned = false; // stop() gave up waiting: no more callbacks
    std::function<void()> on_thread_start;
    std::function<void()> on_drained;
    diagnostics_sink diagnostics;
  };

  static void finished_one_locked(shared_state &s) {
    if (s.active.fetch_sub(1) == 1 && !s.abandoned && s.on_drained)
      s.on_drained();
  }

  static void loop(std::shared_ptr<shared_state> state) {
    shared_state &s = *state;
    current_sink() = &s.diagnostics;
    std::unique_lock lock(s.mutex);
    if (!s.abandoned && s.on_thread_start)
      s.on_thread_start();
    for (;;) {
      if (s.jobs.empty()) {
        if (s.stopping)
          break;
        ++s.idle;
        s.cv.wait(lock);
        --s.idle;
        continue;
      }
      std::function<void()> next = std::move(s.jobs.front().run);
      s.jobs.pop_front();
      lock.unlock();
      next();
      next = nullptr;
      lock.lock();
      finished_one_locked(s);
    }
    --s.live_threads;
    s.exited.notify_all();
  }

  std::size_t max_threads_;
  std::shared_ptr<shared_state> shared_;
  std::vector<std::thread> threads_; // only the owner touches it
  bool stopped_ = false;
};

} // namespace asyncrt::detail

#endif // ASYNCRT_DETAIL_BLOCKING_POOL_HPP
