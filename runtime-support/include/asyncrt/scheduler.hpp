// The scheduler behind asyncrt::runtime. Not a public API: use runtime,
// spawn, sleep and yield_now (docs/runtime.md describes the model).
//
// Two flavours share one loop:
//  - multi-thread: N worker threads, each with its own FIFO queue and a
//    LIFO slot; a task spawned or yielding on a worker goes to the back of
//    its queue, a task woken by the running task goes to the LIFO slot and
//    runs next (at most three times in a row), a task woken or spawned from
//    any other thread goes to the global queue; a worker without work takes
//    from the global queue, then steals half of another worker's queue, then
//    fires due timers, then looks again a few times (yielding its core), and
//    only then parks on a condition variable (with the next timer's
//    deadline), so idle workers cost nothing.
//  - current-thread: one worker, which is the thread inside block_on.
// Timers live in a heap guarded by the global lock (rebuilt once most of its
// entries are cancelled ones); a paused clock
// (asyncrt::testing) jumps to the next deadline once every worker is idle
// and no spawn_blocking job is running.
//
// Cancellation protocol, shared by every primitive: a task that suspends on
// a primitive publishes a waiter under the primitive's lock and installs a
// cancel hook in its task_context, both while holding the context's lock
// (suspend_cancellable). abort() sets the flag and runs the hook under the
// same lock; the hook takes the waiter back from the primitive if it is
// still there and wakes it. Whoever removes the waiter (the primitive or the
// hook) wakes it, so a task is woken exactly once. await_resume clears the
// hook under the context's lock, so a hook never runs on a waiter whose task
// has moved on. Lock order: context, then primitive, then scheduler.
#ifndef ASYNCRT_SCHEDULER_HPP
#define ASYNCRT_SCHEDULER_HPP

#include <asyncrt/cancelled.hpp>
#include <asyncrt/debug.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <coroutine>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <source_location>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace asyncrt::detail {

using clock = std::chrono::steady_clock;
class scheduler;

// What a waiting primitive does to let go of an aborted task.
struct cancel_hook {
  void (*fn)(void *) = nullptr;
  void *arg = nullptr;
  explicit operator bool() const noexcept { return fn != nullptr; }
};

struct strand;
struct child_group; // combinators.hpp

// One spawned task (or block_on's): its cancellation state, and its place in
// the scheduler's list of live tasks.
struct task_context {
  std::atomic<bool> cancel_requested{false};
  std::mutex mutex; // guards hook
  cancel_hook hook;
  /// Whether the task installed a hook since it last cleared one. Touched
  /// only by the task itself (never by request_cancel), so clearing after an
  /// await that did not suspend costs no lock.
  bool hook_armed = false;
  std::source_location spawned_at;
  /// Shared by the branches of one select: at most one of them runs at a
  /// time, so that once a branch has won, no sibling can take data before it
  /// is cancelled (tokio polls a select's branches in one task, which gives
  /// the same guarantee). See struct strand.
  std::shared_ptr<detail::strand> strand;
  /// For a select's branch: that select and the branch's index in it.
  std::shared_ptr<child_group> branch_of;
  std::size_t branch_index = 0;
  /// The branch's result is the result of the first select it runs (the
  /// branch is itself a select or a timeout): once that select has a winner,
  /// so has the branch, and it claims the outer select at once, in the same
  /// turn, as an inline poll of nested selects would.
  bool decided_by_first_select = false;
  /// Set while a select runs in this task: cancelling the task cancels that
  /// select's branches in the same call, so that none of them takes data for
  /// a select whose own branch has already lost. Guarded by mutex.
  cancel_hook cancel_children;
  /// Called by shutdown, with \p abandon_target, just before it destroys
  /// the task's suspended frame: marks the task finished as cancelled without
  /// waking anyone (join_state_base, spawn.hpp).
  void (*abandon)(void *target) = nullptr;
  void *abandon_target = nullptr;
  // The scheduler's intrusive list of live root tasks (its roots_mutex_).
  std::coroutine_handle<> root;
  task_context *prev = nullptr;
  task_context *next = nullptr;

  /// Marks the task cancelled and wakes it if it waits on a primitive.
  /// Thread-safe; idempotent.
  void request_cancel() {
    cancel_requested.store(true, std::memory_order_release);
    std::lock_guard lock(mutex);
    if (cancel_hook h = std::exchange(hook, {}))
      h.fn(h.arg);
    if (cancel_children)
      cancel_children.fn(cancel_children.arg);
  }
  bool is_cancelled() const noexcept {
    return cancel_requested.load(std::memory_order_acquire);
  }
};

// The tasks of one select: at most one of them runs at a time, so that once
// a branch has won, no sibling can take data before it is cancelled. Never
// blocks a thread: a task that finds its strand taken waits in it (off the
// run queues), and whoever releases the strand puts one waiting task back
// in a run queue.
struct strand {
  std::mutex mutex;
  bool busy = false;
  std::deque<std::pair<std::coroutine_handle<>, task_context *>> waiting;

  /// Takes the strand, or parks \p h (the task \p context) in it and
  /// returns false.
  bool acquire_or_wait(std::coroutine_handle<> h, task_context *context) {
    std::lock_guard lock(mutex);
    if (busy) {
      waiting.emplace_back(h, context);
      return false;
    }
    busy = true;
    return true;
  }
  /// Takes the strand, which nobody holds yet (select's first round).
  void hold() {
    std::lock_guard lock(mutex);
    busy = true;
  }
  /// Releases the strand; the task to put back in a run queue, if any.
  std::pair<std::coroutine_handle<>, task_context *> release() {
    std::lock_guard lock(mutex);
    busy = false;
    if (waiting.empty())
      return {};
    auto next = waiting.front();
    waiting.pop_front();
    return next;
  }
};

// A task suspended on a primitive: what it takes to resume it.
struct waiter {
  std::coroutine_handle<> handle;
  task_context *context = nullptr;
  scheduler *sched = nullptr;

  void capture(std::coroutine_handle<> h);
  void wake() const;
};

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
      : options_(std::move(opts)), rng_(0x9e3779b97f4a7c15ULL) {
    if (options_.workers == 0)
      options_.workers = 1;
    for (std::size_t i = 0; i < options_.workers; ++i)
      workers_.push_back(std::make_unique<worker>(i));
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
    per_thread &self = thread_state();
    if (self.sched == this && self.own) {
      job displaced = std::exchange(self.own->lifo, job{h, context});
      if (displaced.handle)
        push_local(*self.own, displaced);
      return;
    }
    push_global({h, context});
  }

  /// Runs \p h on this thread now, as the task \p context (select's first
  /// round over its branches).
  void run_inline(std::coroutine_handle<> h, task_context *context) {
    per_thread &self = thread_state();
    task_context *outer = std::exchange(self.task, context);
    h.resume();
    thread_state().task = outer;
  }

  // Timers.
  struct timer_entry {
    waiter parked;
    bool fired = false; // guarded by the global lock
  };
  std::shared_ptr<timer_entry> add_timer(clock::time_point when,
                                         const waiter &w) {
    auto entry = std::make_shared<timer_entry>(timer_entry{w});
    std::lock_guard lock(global_mutex_);
    bool earliest = timers_.empty() || when < timers_.front().when;
    timers_.push_back({when, next_sequence_++, entry});
    std::push_heap(timers_.begin(), timers_.end(), std::greater<>());
    next_deadline_.store(timers_.front().when.time_since_epoch().count());
    if (earliest)
      idle_cv_.notify_one(); // a parked worker waits for a later deadline
    return entry;
  }
  /// Takes a timer back if it has not fired; true if the caller must wake
  /// its waiter.
  bool cancel_timer(timer_entry &entry) {
    std::lock_guard lock(global_mutex_);
    if (std::exchange(entry.fired, true))
      return false;
    // A cancelled timer stays in the heap until its deadline; a loop that
    // times out short operations against a long timer would grow the heap
    // without bound, so it is rebuilt once most of it is dead.
    if (++cancelled_timers_ > compact_after &&
        2 * cancelled_timers_ > timers_.size())
      compact_timers_locked();
    return true;
  }

  // The heap is rebuilt without its cancelled entries once there are more
  // of them than this and they are most of it: rarely enough that the
  // O(n) rebuild is paid for by the cancellations it clears, often enough
  // that a loop timing out short operations against long timers keeps the
  // heap (and its memory) bounded.
  static constexpr std::size_t compact_after = 1024;

  /// Timers in the heap, cancelled ones not yet dropped included (tests).
  std::size_t pending_timers() {
    std::lock_guard lock(global_mutex_);
    return timers_.size();
  }

  clock::time_point now() const {
    if (paused_.load(std::memory_order_acquire))
      return clock::time_point(clock::duration(paused_now_.load()));
    return clock::now();
  }
  void pause_time() {
    std::lock_guard lock(global_mutex_);
    if (!paused_.load()) {
      paused_now_.store(clock::now().time_since_epoch().count());
      paused_.store(true);
    }
  }
  void advance(clock::duration d) {
    pause_time();
    paused_now_.fetch_add(d.count());
  }

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
  void add_root(task_context &context) {
    std::lock_guard lock(roots_mutex_);
    context.prev = nullptr;
    context.next = roots_;
    if (roots_)
      roots_->prev = &context;
    roots_ = &context;
  }
  void remove_root(task_context &context) {
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
    std::unique_lock lock(blocking_mutex_);
    if (blocking_stopping_)
      return false;
    blocking_jobs_.push_back({std::move(function), context});
    blocking_active_.fetch_add(1);
    if (blocking_jobs_.size() > blocking_idle_ &&
        blocking_threads_.size() < options_.max_blocking_threads)
      blocking_threads_.emplace_back([this] { blocking_loop(); });
    else
      blocking_cv_.notify_one();
    return true;
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
  ///     cancellation) and wait for the running ones;
  ///  4. cancel every task, and run them on this thread to their
  ///     cancellation points (at most shutdown_turns task turns), so that
  ///     they unwind as a cancelled task does, letting go of what they hold;
  ///  5. destroy the frames of the tasks still suspended after that (their
  ///     destructors run on this thread), each first detached from its
  ///     cancel hook and marked finished, so that a later abort() or
  ///     is_finished() through a handle touches no freed frame.
  void shutdown() noexcept {
    {
      std::lock_guard lock(global_mutex_);
      if (shut_down_)
        return;
      shut_down_ = true;
      shutting_down_.store(true, std::memory_order_release);
      stopping_.store(true);
    }
    idle_cv_.notify_all();
    for (std::thread &t : threads_)
      t.join();
    stop_blocking_pool();
    for (task_context *c : live_roots())
      c->request_cancel();
    run_to_cancellation_points();
    std::vector<task_context *> stuck = live_roots();
    {
      std::lock_guard lock(roots_mutex_);
      roots_ = nullptr;
    }
    for (task_context *c : stuck) {
      {
        std::lock_guard lock(c->mutex);
        c->cancel_requested.store(true, std::memory_order_release);
        c->hook = {};
        c->hook_armed = false;
      }
      if (c->abandon)
        c->abandon(c->abandon_target);
    }
    std::vector<std::coroutine_handle<>> frames;
    for (task_context *c : stuck)
      frames.push_back(c->root);
    per_thread saved = thread_state();
    thread_state() = {this, nullptr, nullptr};
    for (std::coroutine_handle<> frame : frames)
      frame.destroy();
    thread_state() = saved;
    std::lock_guard lock(global_mutex_);
    global_.clear();
    timers_.clear();
    cancelled_timers_ = 0;
    for (auto &w : workers_) {
      w->queue.clear();
      w->lifo = {};
    }
  }

private:
  struct job {
    std::coroutine_handle<> handle;
    task_context *context = nullptr;
  };
  struct worker {
    explicit worker(std::size_t i) : index(i) {}
    std::size_t index;
    std::mutex mutex;
    std::deque<job> queue;
    std::uint32_t tick = 0;
    // Touched only by the worker's own thread: never stolen, so a woken task
    // runs on the worker that woke it.
    job lifo{};
    std::uint32_t lifo_streak = 0;
  };
  struct per_thread {
    scheduler *sched = nullptr;
    struct worker *own = nullptr;
    task_context *task = nullptr;
    // The running task's cooperative budget (only while a task runs on a
    // worker with a limit).
    std::uint32_t budget = 0;
    bool budgeted = false;
  };
  struct timer {
    clock::time_point when;
    std::uint64_t sequence; // FIFO among equal deadlines
    std::shared_ptr<timer_entry> entry;
    bool operator>(const timer &other) const {
      return when != other.when ? when > other.when : sequence > other.sequence;
    }
  };

  // How many task turns shutdown gives cancelled tasks to unwind: enough
  // for any task that ends at its next cancellation point, bounded so that
  // one that catches cancelled and keeps going cannot hold shutdown.
  static constexpr std::size_t shutdown_turns = 1u << 20;

  std::vector<task_context *> live_roots() {
    std::vector<task_context *> found;
    std::lock_guard lock(roots_mutex_);
    for (task_context *c = roots_; c; c = c->next)
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
        if (w->lifo.handle)
          global_.push_back(std::exchange(w->lifo, job{}));
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

  // Jobs not started are cancelled (each then finishes at once, as
  // cancelled, on its blocking thread); running ones are waited for.
  void stop_blocking_pool() {
    {
      std::lock_guard lock(blocking_mutex_);
      blocking_stopping_ = true;
      for (blocking_job &queued : blocking_jobs_)
        if (queued.context)
          queued.context->request_cancel();
    }
    blocking_cv_.notify_all();
    for (std::thread &t : blocking_threads_)
      t.join();
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
    worker &self = *workers_[index];
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
      park(done);
    }
  }

  // Before parking, a worker of the multi-thread flavour looks again a few
  // times, yielding its core in between: work that another worker spawns or
  // wakes in a burst then reaches it without a futex wake-up, which costs
  // more than the look.
  bool searched(worker &self, job &out) {
    if (workers_.size() < 2)
      return false;
    for (int round = 0; round < spin_rounds; ++round) {
      std::this_thread::yield();
      if (take(self, out, false))
        return true;
    }
    return false;
  }
  static constexpr int spin_rounds = 16;

  void run(const job &next) {
    // A copy: once the task has finished, its select may end and free the
    // strand while this thread still has to release it.
    std::shared_ptr<detail::strand> serial =
        next.context ? next.context->strand : nullptr;
    if (serial && !serial->acquire_or_wait(next.handle, next.context))
      return; // it runs once the strand is released
    per_thread &self = thread_state();
    self.task = next.context;
    self.budget = options_.coop_budget;
    self.budgeted = options_.coop_budget != 0;
    resume(next);
    self.task = nullptr;
    self.budgeted = false;
    if (serial)
      if (auto [handle, context] = serial->release(); handle)
        schedule(handle, context);
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

  void push_local(worker &own, job next) {
    {
      std::lock_guard lock(own.mutex);
      own.queue.push_back(next);
    }
    if (workers_.size() > 1)
      notify_one_idle();
  }

  void push_global(job next) {
    {
      std::lock_guard lock(global_mutex_);
      global_.push_back(next);
    }
    notify_one_idle();
  }

  bool pop_global(job &out) {
    std::lock_guard lock(global_mutex_);
    if (global_.empty())
      return false;
    out = global_.front();
    global_.pop_front();
    return true;
  }

  // Two tasks that wake each other could hold the LIFO slot for ever; after
  // this many turns in a row the slot's task goes to the back of the queue.
  static constexpr std::uint32_t max_lifo_streak = 3;

  // tokio's event interval: often enough that a timer is at most this many
  // task turns late, rarely enough that reading the clock costs nothing
  // measurable. Prime, so that it does not beat with the LIFO streak.
  static constexpr std::uint32_t event_interval = 61;

  bool take(worker &self, job &out, bool global_first) {
    if (self.lifo.handle) {
      job next = std::exchange(self.lifo, job{});
      if (self.lifo_streak++ < max_lifo_streak) {
        out = next;
        return true;
      }
      push_local(self, next);
    }
    self.lifo_streak = 0;
    if (global_first && pop_global(out))
      return true;
    {
      std::lock_guard lock(self.mutex);
      if (!self.queue.empty()) {
        out = self.queue.front();
        self.queue.pop_front();
        return true;
      }
    }
    if (pop_global(out))
      return true;
    return steal(self, out);
  }

  // Takes half of the first non-empty queue of another worker.
  bool steal(worker &self, job &out) {
    std::size_t n = workers_.size();
    for (std::size_t k = 1; k < n; ++k) {
      worker &victim = *workers_[(self.index + k) % n];
      std::vector<job> taken;
      {
        std::lock_guard lock(victim.mutex);
        std::size_t count = (victim.queue.size() + 1) / 2;
        for (std::size_t i = 0; i < count; ++i) {
          taken.push_back(victim.queue.back());
          victim.queue.pop_back();
        }
      }
      if (taken.empty())
        continue;
      out = taken.back();
      taken.pop_back();
      if (!taken.empty()) {
        std::lock_guard lock(self.mutex);
        for (auto it = taken.rbegin(); it != taken.rend(); ++it)
          self.queue.push_back(*it);
      }
      return true;
    }
    return false;
  }

  bool any_queued_locked() {
    if (!global_.empty())
      return true;
    for (auto &w : workers_) {
      std::lock_guard lock(w->mutex);
      if (!w->queue.empty())
        return true;
    }
    return false;
  }

  // Fires every timer whose deadline has passed; true if any did.
  bool fire_due_timers() {
    auto deadline = clock::time_point(clock::duration(next_deadline_.load()));
    if (deadline == clock::time_point::max() || now() < deadline)
      return false;
    std::vector<waiter> due;
    {
      std::lock_guard lock(global_mutex_);
      collect_due_locked(now(), due);
    }
    for (const waiter &w : due)
      w.wake();
    return !due.empty();
  }

  void collect_due_locked(clock::time_point reached, std::vector<waiter> &due) {
    while (!timers_.empty() && timers_.front().when <= reached) {
      std::pop_heap(timers_.begin(), timers_.end(), std::greater<>());
      std::shared_ptr<timer_entry> entry = std::move(timers_.back().entry);
      timers_.pop_back();
      if (!std::exchange(entry->fired, true))
        due.push_back(entry->parked);
      else
        --cancelled_timers_;
    }
    update_next_deadline_locked();
  }

  void compact_timers_locked() {
    std::erase_if(timers_, [](const timer &t) { return t.entry->fired; });
    std::make_heap(timers_.begin(), timers_.end(), std::greater<>());
    cancelled_timers_ = 0;
    update_next_deadline_locked();
  }

  void update_next_deadline_locked() {
    next_deadline_.store(
        timers_.empty() ? clock::time_point::max().time_since_epoch().count()
                        : timers_.front().when.time_since_epoch().count());
  }

  // Pairs with park(): a pusher publishes its job, then reads idle_; a parker
  // raises idle_, then looks at the queues. Both sequentially consistent, so
  // one of them sees the other.
  void notify_one_idle() {
    if (idle_.load(std::memory_order_seq_cst) == 0)
      return;
    std::lock_guard lock(global_mutex_);
    idle_cv_.notify_one();
  }

  template <class Done> void park(Done &done) {
    std::unique_lock lock(global_mutex_);
    idle_.fetch_add(1, std::memory_order_seq_cst);
    struct leave {
      std::atomic<std::size_t> &idle;
      ~leave() { idle.fetch_sub(1, std::memory_order_seq_cst); }
    } on_exit{idle_};
    if (done() || stopping_.load() || any_queued_locked())
      return;
    if (timers_.empty()) {
      idle_cv_.wait(lock);
    } else if (paused_.load()) {
      // A deadline at the clock's end (a saturated sleep) is never reached,
      // paused clock or not.
      if (idle_.load() == workers_.size() && blocking_active_.load() == 0 &&
          timers_.front().when != clock::time_point::max()) {
        // Every worker waits: the paused clock jumps to the next deadline.
        clock::time_point next = timers_.front().when;
        if (now() < next)
          paused_now_.store(next.time_since_epoch().count());
        std::vector<waiter> due;
        collect_due_locked(now(), due);
        lock.unlock();
        for (const waiter &w : due)
          w.wake();
        return;
      }
      idle_cv_.wait(lock);
    } else {
      // A copy: the heap may reallocate while this thread waits.
      clock::time_point deadline = timers_.front().when;
      if (deadline == clock::time_point::max())
        idle_cv_.wait(lock); // a sleep "for ever": only a wake-up ends it
      else
        idle_cv_.wait_until(lock, deadline);
    }
  }

  void blocking_loop() {
    thread_state() = {this, nullptr, nullptr};
    current_sink() = &options_.diagnostics;
    std::unique_lock lock(blocking_mutex_);
    for (;;) {
      if (blocking_jobs_.empty()) {
        if (blocking_stopping_)
          return;
        ++blocking_idle_;
        blocking_cv_.wait(lock);
        --blocking_idle_;
        continue;
      }
      std::function<void()> next = std::move(blocking_jobs_.front().run);
      blocking_jobs_.pop_front();
      lock.unlock();
      next();
      next = nullptr;
      lock.lock();
      if (blocking_active_.fetch_sub(1) == 1 && paused_.load()) {
        // The paused clock may advance now that no blocking job runs.
        std::lock_guard global(global_mutex_);
        idle_cv_.notify_one();
      }
    }
  }

  options options_;
  std::vector<std::unique_ptr<worker>> workers_;
  std::vector<std::thread> threads_;

  std::mutex global_mutex_; // global_, timers_, parking
  std::condition_variable idle_cv_;
  std::deque<job> global_;
  std::vector<timer> timers_;        // a min-heap on (when, sequence)
  std::size_t cancelled_timers_ = 0; // entries of timers_ already cancelled
  std::uint64_t next_sequence_ = 0;
  std::atomic<clock::rep> next_deadline_{
      clock::time_point::max().time_since_epoch().count()};
  std::atomic<std::size_t> idle_{0};
  std::atomic<bool> stopping_{false};
  std::atomic<bool> shutting_down_{false};
  bool shut_down_ = false;

  std::atomic<bool> paused_{false};
  std::atomic<clock::rep> paused_now_{0};
  std::atomic<std::uint64_t> rng_;

  std::mutex roots_mutex_;
  task_context *roots_ = nullptr;

  std::mutex blocking_mutex_;
  std::condition_variable blocking_cv_;
  struct blocking_job {
    std::function<void()> run;
    task_context *context;
  };
  std::deque<blocking_job> blocking_jobs_;
  std::vector<std::thread> blocking_threads_;
  std::size_t blocking_idle_ = 0; // threads waiting for a job
  std::atomic<std::size_t> blocking_active_{0};
  bool blocking_stopping_ = false;
};

inline void waiter::capture(std::coroutine_handle<> h) {
  handle = h;
  context = scheduler::current_task();
  sched = scheduler::current();
}
inline void waiter::wake() const { sched->schedule_woken(handle, context); }

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
  return t && t->is_cancelled();
}

// Throws asyncrt::cancelled if the running task has been aborted.
inline void throw_if_cancelled() {
  if (self_cancelled())
    throw cancelled();
}

// The suspension half of the cancellation protocol (see the top of this
// file). \p enqueue publishes the waiter under the primitive's lock and
// returns false when the primitive turned out ready (do not suspend). Returns
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

#endif // ASYNCRT_SCHEDULER_HPP
