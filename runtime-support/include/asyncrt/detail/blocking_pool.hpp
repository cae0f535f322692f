// The threads behind spawn_blocking: started on demand up to a limit, kept
// while there is work. Not a public API.
#ifndef ASYNCRT_DETAIL_BLOCKING_POOL_HPP
#define ASYNCRT_DETAIL_BLOCKING_POOL_HPP

#include <asyncrt/detail/task_context.hpp>

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace asyncrt::detail {

// Thread-safe.
class blocking_pool {
public:
  /// \p on_thread_start runs first on each new thread (the scheduler makes
  /// itself current there); \p on_drained runs when the last job still
  /// queued or running has finished (a paused clock may move again).
  blocking_pool(std::size_t max_threads, std::function<void()> on_thread_start,
                std::function<void()> on_drained)
      : max_threads_(max_threads), on_thread_start_(std::move(on_thread_start)),
        on_drained_(std::move(on_drained)) {}
  blocking_pool(const blocking_pool &) = delete;
  blocking_pool &operator=(const blocking_pool &) = delete;
  ~blocking_pool() { stop(); }

  /// Queues \p function; \p context is its cancellation state, which stop()
  /// sets for a job not yet started (the function then sees it and does not
  /// run the work). False, and nothing queued, once stop() has begun.
  bool submit(std::function<void()> function, task_context *context) {
    std::lock_guard lock(mutex_);
    if (stopping_)
      return false;
    jobs_.push_back({std::move(function), context});
    active_.fetch_add(1);
    if (jobs_.size() > idle_ && threads_.size() < max_threads_)
      threads_.emplace_back([this] { loop(); });
    else
      cv_.notify_one();
    return true;
  }

  /// Jobs queued or running.
  std::size_t active() const noexcept { return active_.load(); }

  /// Cancels the jobs not started (each then finishes at once, as
  /// cancelled, on a pool thread) and waits for the running ones.
  /// Idempotent.
  void stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
      for (queued &job : jobs_)
        if (job.context)
          job.context->request_cancel();
    }
    cv_.notify_all();
    for (std::thread &t : threads_)
      if (t.joinable())
        t.join();
  }

private:
  struct queued {
    std::function<void()> run;
    task_context *context;
  };

  void loop() {
    on_thread_start_();
    std::unique_lock lock(mutex_);
    for (;;) {
      if (jobs_.empty()) {
        if (stopping_)
          return;
        ++idle_;
        cv_.wait(lock);
        --idle_;
        continue;
      }
      std::function<void()> next = std::move(jobs_.front().run);
      jobs_.pop_front();
      lock.unlock();
      next();
      next = nullptr;
      lock.lock();
      if (active_.fetch_sub(1) == 1)
        on_drained_();
    }
  }

  std::size_t max_threads_;
  std::function<void()> on_thread_start_;
  std::function<void()> on_drained_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<queued> jobs_;
  std::vector<std::thread> threads_;
  std::size_t idle_ = 0; // threads waiting for a job
  std::atomic<std::size_t> active_{0};
  bool stopping_ = false;
};

} // namespace asyncrt::detail

#endif // ASYNCRT_DETAIL_BLOCKING_POOL_HPP
