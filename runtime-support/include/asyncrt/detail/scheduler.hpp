// The scheduler behind asyncrt::runtime. Not a public API: use runtime,
// spawn, sleep and yield_now (docs/runtime.md describes the model).
//
// Two flavours share one loop:
//  - multi-thread: N worker threads, each with its own run queue (a
//    bounded lock-free ring, whose older half goes to the global queue when
//    it is full) and LIFO slot (run_queue.hpp); a task spawned or yielding
//    on a worker goes to the back of its queue, a task woken by the running
//    task goes to the LIFO slot and runs next, a task woken or spawned from
//    any other thread goes to the global queue; a worker without work takes
//    a share of the global queue, then steals half of another worker's
//    queue, then fires due timers (timer_heap.hpp), then looks again a few
//    times (yielding its core), and only then parks (parking.hpp) until the
//    next timer's deadline, so idle workers cost nothing.
//  - current-thread: one worker, which is the thread inside block_on.
// Every event_interval turns a worker fires due timers and takes from the
// global queue first, whatever its own queue holds. A paused clock
// (test_clock.hpp) jumps to the next deadline once every worker is idle and
// no spawn_blocking job (blocking_pool.hpp) is running. task_context.hpp
// describes the cancellation protocol every primitive follows.
#ifndef ASYNCRT_DETAIL_SCHEDULER_HPP
#define ASYNCRT_DETAIL_SCHEDULER_HPP

#include <asyncrt/cancelled.hpp>
#include <asyncrt/debug.hpp>
#include <asyncrt/detail/blocking_pool.hpp>
#include <asyncrt/detail/parking.hpp>
#include <asyncrt/detail/run_queue.hpp>
#include <asyncrt/detail/scratch_array.hpp>
#include <asyncrt/detail/short_mutex.hpp>
#include <asyncrt/detail/task_context.hpp>
#include <asyncrt/detail/test_clock.hpp>
#include <asyncrt/detail/timer_heap.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <coroutine>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <source_location>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace asyncrt::detail {

class scheduler {
public:
  struct options {
    std::size_t workers = 1;
    bool current_thread = false;
    std::size_t max_blocking_threads = 64;
    clock::duration long_poll_threshold{};
    /// Operations a task may complete without suspending in one turn
    /// before it must yield (0: no limit); see spend_budget().
    std::uint32_t coop_budget = 128;
    diagnostics_sink diagnostics;
  };

  explicit scheduler(options opts)
      : options_(std::move(opts)), rng_(0x9e3779b97f4a7c15ULL),
        blocking_(
            options_.max_blocking_threads,
            [this] {
              thread_state() = {this, nullptr, nullptr};
            },
            [this] {
              if (clock_.paused()) // it may advance now
                idle_.notify_one(global_mutex_);
            },
            options_.diagnostics) {
    if (options_.workers == 0)
      options_.workers = 1;
    for (std::size_t i = 0; i < options_.workers; ++i)
      workers_.push_back(std::make_unique<local_queue>(i));
    if (!options_.current_thread)
      for (std::size_t i = 0; i < options_.workers; ++i)
        threads_.emplace_back(
            [this, i] { work(i, [this] { return stopping_.load(); }); });
  }
  scheduler(const scheduler &) = delete;
  scheduler &operator=(const scheduler &) = delete;
  ~scheduler() { shutdown(); }

  /// The scheduler whose worker (or blocking thread) is this thread.
  static scheduler *current() noexcept { return thread_state().sched; }
  /// The task running on this thread, if any.
  static task_context *current_task() noexcept { return thread_state().task; }
  /// Whether this thread runs tasks: a worker, or a current-thread
  /// runtime's block_on (not a blocking thread).
  static bool on_task_thread() noexcept { return thread_state().own; }

  /// The cooperative budget, tokio's coop: an operation that completes
  /// without suspending (a channel with a value, a free permit, a finished
  /// join) spends one unit of the running task's budget for its turn; once
  /// none is left, the operation still completes but the task yields before
  /// it continues, so that a consumer of an always-ready channel cannot hold
  /// its worker (timers, other tasks) for ever. True if the task may go on
  /// without yielding. runtime_options::cooperative_budget sets the size (0
  /// turns it off).
  static bool spend_budget() noexcept {
    per_thread &self = thread_state();
    if (!self.budgeted)
      return true;
    if (self.budget == 0)
      return false;
    --self.budget;
    return true;
  }

  bool is_current_thread() const noexcept { return options_.current_thread; }
  std::size_t worker_count() const noexcept { return workers_.size(); }

  /// Queues \p h at the back of the run queue (a spawn, a yield).
  /// Thread-safe.
  void schedule(std::coroutine_handle<> h, task_context *context) {
    if (context && context->driven_by)
      return context->driven_by->wake(context->driven_index, h);
    per_thread &self = thread_state();
    if (self.sched == this && self.own) {
      push_local(*self.own, {h, context});
      return;
    }
    push_global({h, context});
  }

  /// Queues \p h, a task woken by the running one (a message, a permit, a
  /// finished join): on the waking worker it goes to the LIFO slot and runs
  /// next, while what the waker touched is still in cache, as in tokio; the
  /// task it displaces goes to the back of the queue. Thread-safe.
  void schedule_woken(std::coroutine_handle<> h, task_context *context) {
    if (context && context->driven_by)
      return context->driven_by->wake(context->driven_index, h);
    per_thread &self = thread_state();
    if (self.sched == this && self.own) {
      job displaced = std::exchange(self.own->lifo, job{h, context});
      if (displaced.handle)
        push_local(*self.own, displaced);
      return;
    }
    push_global({h, context});
  }

  /// Runs \p h on this thread now, as the task \p context (a select
  /// resuming one of its branches).
  void run_inline(std::coroutine_handle<> h, task_context *context) {
    per_thread &self = thread_state();
    task_context *outer = std::exchange(self.task, context);
    h.resume();
    thread_state().task = outer;
  }

  /// Wakes \p w at \p when, through \p entry, which must stay where it is
  /// until it has fired or cancel_timer took it back (or, owned_by_heap,
  /// the heap deletes it once it has fired). Thread-safe.
  void add_timer(timer_entry &entry, clock::time_point when, const waiter &w) {
    bool earliest = false;
    {
      std::lock_guard lock(timers_mutex_);
      timers_.add(entry, when, w, earliest);
    }
    // A parked worker may wait for a later deadline. Published, then the
    // idle count read (notify_one): a worker about to park counts itself,
    // then reads the heap, so one of the two sees the other (parking.hpp).
    if (earliest)
      idle_.notify_one(global_mutex_);
  }
  /// Takes a timer back if it has not fired; true if the caller must wake
  /// its waiter. Thread-safe.
  bool cancel_timer(timer_entry &entry) {
    std::lock_guard lock(timers_mutex_);
    return timers_.cancel(entry);
  }
  /// Armed timers (tests).
  std::size_t pending_timers() {
    std::lock_guard lock(timers_mutex_);
    return timers_.size();
  }

  clock::time_point now() const { return clock_.now(); }
  void pause_time() { clock_.pause(); }
  void advance(clock::duration d) { clock_.advance(d); }

  /// A pseudo-random index below \p n, for select's starting branch. The
  /// generator belongs to the runtime (no global state).
  std::size_t random_index(std::size_t n) noexcept {
    std::uint64_t x = rng_.load(std::memory_order_relaxed), next;
    do {
      next = x;
      next ^= next << 13;
      next ^= next >> 7;
      next ^= next << 17;
    } while (!rng_.compare_exchange_weak(x, next, std::memory_order_relaxed));
    return static_cast<std::size_t>(next % n);
  }

  // Live root tasks, destroyed at shutdown if still suspended.
  void add_root(root_context &context) {
    std::lock_guard lock(roots_mutex_);
    context.prev = nullptr;
    context.next = roots_;
    if (roots_)
      roots_->prev = &context;
    roots_ = &context;
  }
  void remove_root(root_context &context) {
    std::lock_guard lock(roots_mutex_);
    if (context.prev)
      context.prev->next = context.next;
    else if (roots_ == &context)
      roots_ = context.next;
    if (context.next)
      context.next->prev = context.prev;
    context.prev = context.next = nullptr;
  }

  /// Runs \p function on a blocking thread (spawn_blocking); \p context is
  /// its cancellation state, which shutdown sets for a job not yet started
  /// (the function then sees it and does not run the work). False, and
  /// nothing queued, once the runtime is shutting down. Thread-safe.
  bool run_blocking(std::function<void()> function, task_context *context) {
    return blocking_.submit(std::move(function), context);
  }

  /// True once shutdown has begun: new tasks are dropped unstarted (their
  /// handles report cancellation), see shutdown().
  bool is_shutting_down() const noexcept {
    return shutting_down_.load(std::memory_order_acquire);
  }

  /// The current-thread flavour's loop: runs tasks on this thread until
  /// \p done() holds. The multi-thread flavour's block_on waits instead.
  template <class Done> void run_until(Done done) { work(0, std::move(done)); }

  /// Shuts the runtime down, in this order (docs/runtime.md):
  ///  1. stop accepting: a task spawned from now on is dropped unstarted and
  ///     its handle reports cancellation;
  ///  2. stop the workers;
  ///  3. cancel the spawn_blocking jobs not yet started (their handles report
  ///     cancellation) and wait for the running ones: for at most
  ///     \p blocking_timeout if given, after which the jobs still running
  ///     are left to finish on their own threads;
  ///  4. cancel every task, and run them on this thread to their
  ///     cancellation points (at most shutdown_turns task turns), so that
  ///     they unwind as a cancelled task does, letting go of what they hold;
  ///  5. destroy the frames of the tasks still suspended after that (their
  ///     destructors run on this thread), each first detached from its
  ///     cancel hook and marked finished, so that a later abort() or
  ///     is_finished() through a handle touches no freed frame.
  /// Returns how many spawn_blocking jobs were left running (0 without a
  /// timeout). Only the first call does anything.
  std::size_t shutdown(
      std::optional<std::chrono::nanoseconds> blocking_timeout = {}) noexcept {
    {
      std::lock_guard lock(global_mutex_);
      if (shut_down_)
        return 0;
      shut_down_ = true;
      shutting_down_.store(true, std::memory_order_release);
      stopping_.store(true);
    }
    idle_.cv.notify_all();
    for (std::thread &t : threads_)
      t.join();
    std::size_t left_running = blocking_.stop(blocking_timeout);
    for (root_context *c : live_roots())
      c->request_cancel();
    run_to_cancellation_points();
    std::vector<root_context *> stuck = live_roots();
    {
      std::lock_guard lock(roots_mutex_);
      roots_ = nullptr;
    }
    for (root_context *c : stuck) {
      {
        std::lock_guard lock(c->mutex);
        c->cancel_requested.store(true, std::memory_order_release);
        c->hook = {};
        c->hook_armed = false;
      }
      c->owner->abandon();
    }
    std::vector<std::coroutine_handle<>> frames;
    for (root_context *c : stuck)
      frames.push_back(c->root);
    per_thread saved = thread_state();
    thread_state() = {this, nullptr, nullptr};
    for (std::coroutine_handle<> frame : frames)
      frame.destroy();
    thread_state() = saved;
    {
      std::lock_guard lock(timers_mutex_);
      timers_.clear();
    }
    std::lock_guard lock(global_mutex_);
    global_.clear();
    for (auto &w : workers_)
      w->clear();
    return left_running;
  }

private:
  struct per_thread {
    scheduler *sched = nullptr;
    local_queue *own = nullptr;
    task_context *task = nullptr;
    // The running task's cooperative budget (only while a task runs on a
    // worker with a limit).
    std::uint32_t budget = 0;
    bool budgeted = false;
  };

  // How many task turns shutdown gives cancelled tasks to unwind: enough
  // for any task that ends at its next cancellation point, bounded so that
  // one that catches cancelled and keeps going cannot hold shutdown.
  static constexpr std::size_t shutdown_turns = 1u << 20;

  // tokio's event interval: often enough that a timer is at most this many
  // task turns late, rarely enough that reading the clock costs nothing
  // measurable. Prime, so that it does not beat with the LIFO streak.
  static constexpr std::uint32_t event_interval = 61;

  // Before parking, a worker of the multi-thread flavour looks again this
  // many times, spinning spin_pauses pauses in between (about 8 µs in all):
  // work that another worker spawns or wakes in a burst then reaches it
  // without a futex wake-up, which costs more than the look. It spins
  // rather than yields: on a loaded machine a yield gives the core away for
  // a time slice, and a timer due meanwhile fired milliseconds late.
  static constexpr int spin_rounds = 16;
  static constexpr int spin_pauses = 20;

  std::vector<root_context *> live_roots() {
    std::vector<root_context *> found;
    std::lock_guard lock(roots_mutex_);
    for (root_context *c = roots_; c; c = c->next)
      found.push_back(c);
    return found;
  }

  // Runs what is queued on this thread (the workers are stopped), as the
  // first worker, until nothing is left or the turns are spent. Timers do
  // not fire: a cancelled sleep has already been woken by its hook.
  void run_to_cancellation_points() {
    // The stopped workers' LIFO slots are never stolen: their tasks (a
    // select woken by its winner, say) must run too.
    {
      std::lock_guard lock(global_mutex_);
      for (auto &w : workers_)
        if (w->lifo.handle) {
          job stranded = std::exchange(w->lifo, job{});
          global_.push(&stranded, 1);
        }
    }
    per_thread saved = thread_state();
    thread_state() = {this, workers_[0].get(), nullptr};
    const diagnostics_sink *saved_sink =
        std::exchange(current_sink(), &options_.diagnostics);
    job next;
    for (std::size_t turn = 0;
         turn < shutdown_turns && take(*workers_[0], next, false); ++turn)
      run(next);
    thread_state() = saved;
    current_sink() = saved_sink;
  }

  static per_thread &thread_state() noexcept {
    thread_local per_thread state;
    return state;
  }

  template <class Done> void work(std::size_t index, Done done) {
    per_thread saved = thread_state();
    thread_state() = {this, workers_[index].get(), nullptr};
    const diagnostics_sink *saved_sink =
        std::exchange(current_sink(), &options_.diagnostics);
    struct restore {
      per_thread saved;
      const diagnostics_sink *sink;
      ~restore() {
        thread_state() = saved;
        current_sink() = sink;
      }
    } on_exit{saved, saved_sink};
    local_queue &self = *workers_[index];
    while (!done()) {
      // Every event_interval turns, whatever the queues hold, due timers fire
      // and the global queue goes first: a task that keeps yielding (its
      // queue never empties) must not starve sleepers or tasks woken from
      // outside.
      bool maintenance = ++self.tick % event_interval == 0;
      if (maintenance)
        fire_due_timers();
      job next;
      if (take(self, next, maintenance)) {
        run(next);
        continue;
      }
      if (fire_due_timers())
        continue;
      if (searched(self, next)) {
        run(next);
        continue;
      }
      park(done, searches());
    }
  }

  // Whether a worker searches before it parks: only with another worker
  // to find work or to be woken by a push.
  bool searches() const noexcept { return workers_.size() > 1; }

  // Looks again for work; when it finds none, the search stays open for
  // park() to end (searches()).
  bool searched(local_queue &self, job &out) {
    if (!searches())
      return false;
    idle_.begin_search(); // ended here, or by park() when nothing is found
    for (int round = 0; round < spin_rounds; ++round) {
      for (int pause = 0; pause < spin_pauses; ++pause)
        cpu_relax();
      if (take(self, out, false)) {
        idle_.end_search();
        return true;
      }
    }
    return false;
  }

  void run(const job &next) {
    if (next.context && next.context->unstarted) [[unlikely]] {
      next.context->unstarted = false;
      if (next.context->is_cancelled())
        return static_cast<root_context &>(*next.context)
            .owner->drop_unstarted();
    }
    per_thread &self = thread_state();
    self.task = next.context;
    self.budget = options_.coop_budget;
    self.budgeted = options_.coop_budget != 0;
    resume(next);
    self.task = nullptr;
    self.budgeted = false;
  }

  void resume(const job &next) {
    if (options_.long_poll_threshold > clock::duration::zero()) {
      std::source_location spawned_at =
          next.context ? next.context->spawned_at : std::source_location();
      clock::time_point start = clock::now();
      next.handle.resume();
      clock::duration held = clock::now() - start;
      if (held > options_.long_poll_threshold)
        report("asyncrt: a task spawned at " + describe(spawned_at) +
               " held its worker for " +
               std::to_string(
                   std::chrono::duration_cast<std::chrono::milliseconds>(held)
                       .count()) +
               " ms without suspending");
    } else {
      next.handle.resume();
    }
  }

  void push_local(local_queue &own, const job &next) {
    own.push_back(next, overflow());
    if (workers_.size() > 1)
      idle_.notify_one(global_mutex_);
  }

  // Where a full local queue sends half of its jobs: the global queue.
  struct to_global {
    scheduler *sched;
    void operator()(const job *first, std::size_t count) const {
      sched->push_global(first, count);
    }
  };
  to_global overflow() noexcept { return {this}; }

  void push_global(const job &next) { push_global(&next, 1); }
  void push_global(const job *first, std::size_t count) {
    {
      std::lock_guard lock(global_mutex_);
      global_.push(first, count);
    }
    idle_.notify_one(global_mutex_);
  }

  // Takes the global queue's front job into \p out and, as in tokio, a
  // share of those behind it (up to half a ring) into \p self's queue,
  // under one lock: what overflowed or was spawned from outside comes back
  // to the workers in batches, not one lock per job.
  bool pop_global(local_queue &self, job &out) {
    if (global_.unlocked_size() == 0)
      return false; // a stale zero is caught by park(), under the lock
    scratch_array<job, local_queue::capacity / 2> batch;
    std::size_t count = 0;
    {
      std::lock_guard lock(global_mutex_);
      if (global_.empty())
        return false;
      global_.pop_front(out);
      count = std::min({global_.size() / workers_.size(), batch.size(),
                        std::size_t{local_queue::capacity} - self.size()});
      global_.pop_front_into(batch.data(), count);
    }
    for (std::size_t i = 0; i < count; ++i)
      self.push_back(batch[i], overflow());
    if (count != 0 && workers_.size() > 1)
      idle_.notify_one(global_mutex_);
    return true;
  }

  bool take(local_queue &self, job &out, bool global_first) {
    bool moved = false;
    if (self.pop_lifo(out, moved, overflow()))
      return true;
    if (moved && workers_.size() > 1)
      idle_.notify_one(global_mutex_);
    if (global_first && pop_global(self, out))
      return true;
    if (self.pop_front(out))
      return true;
    if (pop_global(self, out))
      return true;
    // Steals half of the first non-empty queue of another worker.
    std::size_t n = workers_.size();
    for (std::size_t k = 1; k < n; ++k)
      if (workers_[(self.index() + k) % n]->steal_half_into(self, out))
        return true;
    return false;
  }

  bool any_queued_locked() {
    if (!global_.empty())
      return true;
    for (auto &w : workers_)
      if (!w->empty())
        return true;
    return false;
  }

  // Fires every timer whose deadline has passed; true if any did.
  bool fire_due_timers() {
    clock::time_point deadline = timers_.next_deadline();
    if (deadline == clock::time_point::max() || now() < deadline)
      return false;
    wake_list due;
    {
      std::lock_guard lock(timers_mutex_);
      timers_.collect_due(now(), due);
    }
    due.wake_all();
    return !due.empty();
  }

  // \p searching: the worker has searched (it ends the search here).
  template <class Done> void park(Done &done, bool searching) {
    std::unique_lock lock(global_mutex_);
    idle_workers::entered idle(idle_);
    if (searching)
      idle_.end_search(); // after counting idle, before the last look
    if (done() || stopping_.load() || any_queued_locked())
      return;
    // Counted idle above, then the heap read: a timer armed meanwhile is
    // seen here, or its add_timer sees this worker and wakes it.
    std::unique_lock timers_lock(timers_mutex_);
    if (timers_.empty()) {
      timers_lock.unlock();
      idle_.cv.wait(lock);
    } else if (clock_.paused()) {
      // A deadline at the clock's end (a saturated sleep) is never reached,
      // paused clock or not.
      if (idle_.count() == workers_.size() && blocking_.active() == 0 &&
          timers_.earliest() != clock::time_point::max()) {
        // Every worker waits: the paused clock jumps to the next deadline.
        clock_.jump_to(timers_.earliest());
        wake_list due;
        timers_.collect_due(now(), due);
        // Busy from here on, though what it woke is not queued until after
        // the unlock: still counted idle, it let another worker find every
        // worker idle and nothing queued, and jump the clock again past the
        // next deadline, firing a later timer in the same round.
        idle.leave();
        timers_lock.unlock();
        lock.unlock();
        due.wake_all();
        return;
      }
      timers_lock.unlock();
      idle_.cv.wait(lock);
    } else {
      clock::time_point deadline = timers_.earliest();
      timers_lock.unlock();
      if (deadline == clock::time_point::max())
        idle_.cv.wait(lock); // a sleep "for ever": only a wake-up ends it
      else
        idle_.cv.wait_until(lock, deadline);
    }
  }

  options options_;
  std::vector<std::unique_ptr<local_queue>> workers_;
  std::vector<std::thread> threads_;

  std::mutex global_mutex_; // global_, parking
  idle_workers idle_;
  global_queue global_;
  // Its own lock, so that arming and cancelling a sleep does not contend
  // with parking and the global queue. Taken after global_mutex_ (park).
  short_mutex timers_mutex_;
  timer_heap timers_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> shutting_down_{false};
  bool shut_down_ = false;

  runtime_clock clock_;
  std::atomic<std::uint64_t> rng_;

  // Taken twice per spawn (add_root, remove_root), often on two workers.
  short_mutex roots_mutex_;
  root_context *roots_ = nullptr;

  blocking_pool blocking_;
};

inline void waiter::capture(std::coroutine_handle<> h) {
  handle = h;
  context = scheduler::current_task();
  sched = scheduler::current();
  funnel = nullptr;
}
inline void waiter::wake() const {
  if (funnel && !funnel->arrive_woken())
    return; // counted; the select's task is resumed by another
  sched->schedule_woken(handle, context);
}

inline scheduler &current_scheduler() {
  scheduler *s = scheduler::current();
  if (!s)
    throw std::logic_error(
        "asyncrt: this operation must run inside a runtime (block_on)");
  return *s;
}

// Puts the running task, suspended at \p h, at the back of the queue: it
// goes on once the others ready now have had their turn (yield_now, a spent
// budget, a select letting its task yield). For a select's branch, the
// select is told instead (scheduler::schedule).
inline void yield_task(std::coroutine_handle<> h) {
  current_scheduler().schedule(h, scheduler::current_task());
}

// Whether the running task has been aborted.
inline bool self_cancelled() noexcept {
  task_context *t = scheduler::current_task();
  return t && t->is_cancelled();
}

// Throws asyncrt::cancelled if the running task has been aborted.
inline void throw_if_cancelled() {
  if (self_cancelled())
    throw cancelled();
}

// The suspension half of the cancellation protocol (task_context.hpp).
// \p enqueue publishes the waiter under the primitive's lock and returns
// false when the primitive turned out ready (do not suspend). Returns
// whether the caller suspends; false also when the task is already
// cancelled, so that await_resume throws.
template <class Enqueue>
bool suspend_cancellable(cancel_hook hook, Enqueue &&enqueue) {
  task_context *self = scheduler::current_task();
  if (!self)
    return enqueue();
  std::lock_guard lock(self->mutex);
  if (self->is_cancelled())
    return false;
  // Armed before the waiter is published: once it is, a waker on another
  // thread may resume the task at once, and its clear_cancel_hook must see
  // the flag (the primitive's lock orders the two). The hook itself is set
  // under the context's lock, which that clear_cancel_hook waits for.
  self->hook_armed = true;
  if (!enqueue()) {
    self->hook_armed = false;
    return false;
  }
  self->hook = hook;
  return true;
}

// The resumption half: the hook must not outlive the wait.
inline void clear_cancel_hook() noexcept {
  task_context *self = scheduler::current_task();
  if (self && self->hook_armed) {
    std::lock_guard lock(self->mutex);
    self->hook = {};
    self->hook_armed = false;
  }
}

} // namespace asyncrt::detail

#endif // ASYNCRT_DETAIL_SCHEDULER_HPP
