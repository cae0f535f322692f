// The scheduler behind asyncrt::runtime. Not a public API: use runtime,
// spawn, sleep and yield_now.
//
// Today's scheduler is the current-thread one: every task of a runtime runs
// on the thread that called block_on, in FIFO order, with timers in a heap
// driven by the loop's idle wait. The multi-thread work-stealing scheduler is
// not written yet (docs/runtime.md).
#ifndef ASYNCRT_SCHEDULER_HPP
#define ASYNCRT_SCHEDULER_HPP

#include <asyncrt/cancelled.hpp>

#include <chrono>
#include <coroutine>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <queue>
#include <stdexcept>
#include <thread>
#include <unordered_set>
#include <utility>
#include <vector>

namespace asyncrt::detail {

using clock = std::chrono::steady_clock;

// A parked timer entry; shared with the task's context so that abort() can
// wake a sleeping task early and the heap entry is then skipped.
struct timer_entry {
  std::coroutine_handle<> waiter;
  struct task_context *context;
  bool done = false;
};

// One spawned (or block_on's) task: its cancellation state.
struct task_context {
  bool cancel_requested = false;
  std::shared_ptr<timer_entry> parked_timer;
  /// Set while the task waits on a group of children (join, select): wakes
  /// that wait so the task can cancel its children.
  std::function<void()> on_cancel;
};

class scheduler {
public:
  scheduler() = default;
  scheduler(const scheduler &) = delete;
  scheduler &operator=(const scheduler &) = delete;
  ~scheduler() { shutdown(); }

  /// The scheduler of the runtime whose block_on is running on this thread.
  static scheduler *current() noexcept { return current_ref(); }
  static task_context *current_task() noexcept { return current_task_ref(); }

  void schedule(std::coroutine_handle<> h, task_context *context) {
    ready_.push_back({h, context});
  }

  std::shared_ptr<timer_entry> add_timer(clock::time_point when,
                                         std::coroutine_handle<> h,
                                         task_context *context) {
    auto entry = std::make_shared<timer_entry>(timer_entry{h, context});
    timers_.push({when, next_sequence_++, entry});
    return entry;
  }

  /// Wakes a cancelled task parked on a timer now instead of at its deadline.
  void wake_cancelled(task_context &context) {
    if (auto hook = std::exchange(context.on_cancel, nullptr))
      hook();
    if (auto entry = std::exchange(context.parked_timer, nullptr);
        entry && !entry->done) {
      entry->done = true;
      schedule(entry->waiter, entry->context);
    }
  }

  clock::time_point now() const { return paused_ ? paused_now_ : clock::now(); }
  void pause_time() {
    if (!paused_) {
      paused_now_ = clock::now();
      paused_ = true;
    }
  }
  void advance(clock::duration d) {
    pause_time();
    paused_now_ += d;
  }

  /// A pseudo-random index below \p n, for select's starting branch; the
  /// generator is the runtime's own (no global state).
  std::size_t random_index(std::size_t n) noexcept {
    rng_state_ ^= rng_state_ << 13;
    rng_state_ ^= rng_state_ >> 7;
    rng_state_ ^= rng_state_ << 17;
    return static_cast<std::size_t>(rng_state_ % n);
  }

  void add_root(std::coroutine_handle<> root) { roots_.insert(root); }
  void remove_root(std::coroutine_handle<> root) { roots_.erase(root); }

  /// Runs tasks until \p done() holds. Throws std::logic_error when nothing
  /// is runnable, no timer is pending, and done() still does not hold: the
  /// awaited task waits for something that can never happen.
  template <class Done> void run_until(Done done) {
    struct enter {
      scheduler *previous;
      explicit enter(scheduler *s) : previous(current_ref()) {
        current_ref() = s;
      }
      ~enter() {
        current_ref() = previous;
        current_task_ref() = nullptr;
      }
    } guard(this);
    while (!done()) {
      if (!ready_.empty()) {
        job next = ready_.front();
        ready_.pop_front();
        current_task_ref() = next.context;
        next.handle.resume();
        continue;
      }
      if (!timers_.empty()) {
        fire_timers();
        continue;
      }
      throw std::logic_error(
          "asyncrt: block_on: the task waits for something that nothing "
          "can wake (deadlock)");
    }
  }

  /// Destroys every task still alive (their frames, and through them the
  /// tasks they await). Called when the runtime is destroyed.
  void shutdown() noexcept {
    ready_.clear();
    timers_ = {};
    auto roots = std::move(roots_);
    roots_.clear();
    for (std::coroutine_handle<> root : roots)
      root.destroy();
  }

private:
  struct job {
    std::coroutine_handle<> handle;
    task_context *context;
  };
  struct timer {
    clock::time_point when;
    std::uint64_t sequence; // FIFO among equal deadlines
    std::shared_ptr<timer_entry> entry;
    bool operator>(const timer &other) const {
      return when != other.when ? when > other.when : sequence > other.sequence;
    }
  };

  void fire_timers() {
    clock::time_point deadline = timers_.top().when;
    if (paused_) {
      // A paused clock jumps to the next deadline: tests with long sleeps
      // run instantly and in a deterministic order.
      if (paused_now_ < deadline)
        paused_now_ = deadline;
    } else if (clock::now() < deadline) {
      std::this_thread::sleep_until(deadline);
    }
    clock::time_point reached = now();
    while (!timers_.empty() && timers_.top().when <= reached) {
      std::shared_ptr<timer_entry> entry = timers_.top().entry;
      timers_.pop();
      if (entry->done)
        continue;
      entry->done = true;
      if (entry->context && entry->context->parked_timer == entry)
        entry->context->parked_timer = nullptr;
      schedule(entry->waiter, entry->context);
    }
  }

  static scheduler *&current_ref() noexcept {
    thread_local scheduler *current = nullptr;
    return current;
  }
  static task_context *&current_task_ref() noexcept {
    thread_local task_context *task = nullptr;
    return task;
  }

  std::deque<job> ready_;
  std::priority_queue<timer, std::vector<timer>, std::greater<>> timers_;
  std::uint64_t next_sequence_ = 0;
  // Hashes the frame address: libstdc++ 12's std::hash<coroutine_handle>
  // cannot be called on a const hasher.
  struct frame_hash {
    std::size_t operator()(std::coroutine_handle<> h) const noexcept {
      return std::hash<void *>()(h.address());
    }
  };
  std::unordered_set<std::coroutine_handle<>, frame_hash> roots_;
  std::uint64_t rng_state_ = 0x9e3779b97f4a7c15ULL;
  bool paused_ = false;
  clock::time_point paused_now_{};
};

inline scheduler &current_scheduler() {
  scheduler *s = scheduler::current();
  if (!s)
    throw std::logic_error(
        "asyncrt: this operation must run inside a runtime (block_on)");
  return *s;
}

// Whether the running task has been aborted.
inline bool self_cancelled() noexcept {
  task_context *t = scheduler::current_task();
  return t && t->cancel_requested;
}

// Throws asyncrt::cancelled if the running task has been aborted.
inline void throw_if_cancelled() {
  if (self_cancelled())
    throw cancelled();
}

} // namespace asyncrt::detail

#endif // ASYNCRT_SCHEDULER_HPP
