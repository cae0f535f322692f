// How idle workers sleep and are woken. Not a public API.
#ifndef ASYNCRT_DETAIL_PARKING_HPP
#define ASYNCRT_DETAIL_PARKING_HPP

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <utility>

namespace asyncrt::detail {

// The workers that are parked or about to park, and their condition
// variable, which waits on the scheduler's global lock. Pairs a pusher with
// a parker: the pusher publishes its job, then reads the count (notify_one);
// the parker raises the count (an entered scope), then looks at the queues.
// Both sequentially consistent, so one of them sees the other and no job
// waits beside a sleeping worker.
//
// A worker that has run out of work looks again for a while before it
// parks (searching); while one does, a pusher wakes nobody, as in tokio:
// the searcher will find the job, and a futex wake-up for a worker that
// then finds nothing costs more than the job. The searcher stops counting
// itself only in park(), after it has counted itself idle and before it
// looks at the queues a last time, so a pusher that saw it searching is
// seen by that look, and one that did not sees it idle and wakes it.
class idle_workers {
public:
  /// Counts the calling worker idle for its lifetime.
  class entered {
  public:
    explicit entered(idle_workers &set) : set_(set) {
      set_.count_.fetch_add(1, std::memory_order_seq_cst);
    }
    entered(const entered &) = delete;
    entered &operator=(const entered &) = delete;
    ~entered() { leave(); }

    /// Stops counting the worker idle before its scope ends. Idempotent.
    void leave() noexcept {
      if (std::exchange(counted_, false))
        set_.count_.fetch_sub(1, std::memory_order_seq_cst);
    }

  private:
    idle_workers &set_;
    bool counted_ = true;
  };

  std::size_t count() const noexcept {
    return count_.load(std::memory_order_seq_cst);
  }
  /// The calling worker starts looking for work before it parks; it must
  /// call end_search() once it has found some or has counted itself idle.
  void begin_search() noexcept {
    searching_.fetch_add(1, std::memory_order_seq_cst);
  }
  void end_search() noexcept {
    searching_.fetch_sub(1, std::memory_order_seq_cst);
  }

  /// Wakes one parked worker, if any and if no worker is searching;
  /// \p global is the lock parkers wait on.
  void notify_one(std::mutex &global) {
    if (searching_.load(std::memory_order_seq_cst) != 0 || count() == 0)
      return;
    std::lock_guard lock(global);
    cv.notify_one();
  }

  std::condition_variable cv;

private:
  std::atomic<std::size_t> count_{0};
  std::atomic<std::size_t> searching_{0};
};

} // namespace asyncrt::detail

#endif // ASYNCRT_DETAIL_PARKING_HPP
