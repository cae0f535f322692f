// A worker's run queue: a FIFO queue that idle workers steal half of, and a
// LIFO slot for the task the running one just woke. Not a public API.
#ifndef ASYNCRT_DETAIL_RUN_QUEUE_HPP
#define ASYNCRT_DETAIL_RUN_QUEUE_HPP

#include <asyncrt/detail/task_context.hpp>

#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <utility>
#include <vector>

namespace asyncrt::detail {

// A task ready to run: its frame and its context.
struct job {
  std::coroutine_handle<> handle;
  task_context *context = nullptr;
};

// The queue is guarded by its own lock (others push to it and steal from
// it); the LIFO slot and the counters belong to the worker's thread alone.
class local_queue {
public:
  explicit local_queue(std::size_t index) : index_(index) {}
  local_queue(const local_queue &) = delete;
  local_queue &operator=(const local_queue &) = delete;

  std::size_t index() const noexcept { return index_; }

  /// Thread-safe.
  void push_back(const job &next) {
    std::lock_guard lock(mutex_);
    queue_.push_back(next);
  }
  /// Thread-safe.
  bool pop_front(job &out) {
    std::lock_guard lock(mutex_);
    if (queue_.empty())
      return false;
    out = queue_.front();
    queue_.pop_front();
    return true;
  }
  /// Thread-safe.
  bool empty() {
    std::lock_guard lock(mutex_);
    return queue_.empty();
  }
  /// Moves the newer half (rounded up) of this queue to \p thief: the
  /// oldest of what was taken into \p out, the rest to the back of the
  /// thief's queue in their order. False if there was nothing. Thread-safe.
  bool steal_half_into(local_queue &thief, job &out) {
    std::vector<job> taken;
    {
      std::lock_guard lock(mutex_);
      std::size_t count = (queue_.size() + 1) / 2;
      for (std::size_t i = 0; i < count; ++i) {
        taken.push_back(queue_.back());
        queue_.pop_back();
      }
    }
    if (taken.empty())
      return false;
    out = taken.back();
    taken.pop_back();
    if (!taken.empty()) {
      std::lock_guard lock(thief.mutex_);
      for (auto it = taken.rbegin(); it != taken.rend(); ++it)
        thief.queue_.push_back(*it);
    }
    return true;
  }
  /// Drops everything (shutdown, once no thread runs tasks).
  void clear() {
    std::lock_guard lock(mutex_);
    queue_.clear();
    lifo = {};
  }

  /// The LIFO slot's task, unless it has run max_lifo_streak times in a
  /// row: then it is moved to the back of the queue and \p moved says so.
  /// Owner thread only.
  bool pop_lifo(job &out, bool &moved) {
    moved = false;
    if (lifo.handle) {
      job next = std::exchange(lifo, job{});
      if (lifo_streak++ < max_lifo_streak) {
        out = next;
        return true;
      }
      push_back(next);
      moved = true;
    }
    lifo_streak = 0;
    return false;
  }

  // Two tasks that wake each other could hold the LIFO slot for ever; after
  // this many turns in a row the slot's task goes to the back of the queue.
  static constexpr std::uint32_t max_lifo_streak = 3;

  /// Owner thread only: never stolen, so a woken task runs on the worker
  /// that woke it (while what the waker touched is still in its cache).
  job lifo{};
  /// Owner thread only: turns run, for the event interval.
  std::uint32_t tick = 0;

private:
  std::size_t index_;
  std::mutex mutex_;
  std::deque<job> queue_;
  std::uint32_t lifo_streak = 0;
};

} // namespace asyncrt::detail

#endif // ASYNCRT_DETAIL_RUN_QUEUE_HPP
