// The state the scheduler keeps per task: its cancellation (flag, hook,
// the branches of a select it runs), its place in a select if it is a
// branch of one, and what it takes to wake a task parked on a primitive.
// Not a public API.
//
// Cancellation protocol, shared by every primitive: a task that suspends on
// a primitive publishes a waiter under the primitive's lock and installs a
// cancel hook in its task_context, both while holding the context's lock
// (suspend_cancellable, scheduler.hpp). abort() sets the flag and runs the
// hook under the same lock; the hook takes the waiter back from the
// primitive if it is still there and wakes it. Whoever removes the waiter
// (the primitive or the hook) wakes it, so a task is woken exactly once.
// await_resume clears the hook under the context's lock, so a hook never
// runs on a waiter whose task has moved on. Lock order: context (a select's
// task before its branches), then primitive, then scheduler.
#ifndef ASYNCRT_DETAIL_TASK_CONTEXT_HPP
#define ASYNCRT_DETAIL_TASK_CONTEXT_HPP

#include <asyncrt/detail/scratch_array.hpp>
#include <asyncrt/detail/short_mutex.hpp>
#include <asyncrt/detail/task_owner.hpp>

#include <atomic>
#include <chrono>
#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <source_location>
#include <type_traits>
#include <utility>
#include <vector>

namespace asyncrt::detail {

using clock = std::chrono::steady_clock;
class scheduler;
class task_branches;

// What a waiting primitive does to let go of an aborted task.
struct cancel_hook {
  void (*fn)(void *) = nullptr;
  void *arg = nullptr;
  explicit operator bool() const noexcept { return fn != nullptr; }
};

// One task's cancellation state: a spawned task's (root_context), or a
// select's branch's.
struct task_context {
  std::atomic<bool> cancel_requested{false};
  short_mutex mutex; // guards hook and cancel_children
  cancel_hook hook;
  /// Whether the task installed a hook since it last cleared one. Touched
  /// only by the task itself (never by request_cancel), so clearing after an
  /// await that did not suspend costs no lock.
  bool hook_armed = false;
  std::source_location spawned_at;
  /// For a select's branch: the branch's result is the result of the first
  /// select it runs (the branch is itself a select or a timeout): once that
  /// select has a winner, so has the branch, and it claims the outer select
  /// at once (task_branches::claim).
  bool decided_by_first_select = false;
  /// Set while a select runs in this task: cancelling the task cancels that
  /// select's branches in the same call, so that none of them takes data for
  /// a select whose own branch has already lost. Guarded by mutex.
  cancel_hook cancel_children;
  /// For a branch of an inline select over tasks: that select, which alone
  /// resumes the branch (scheduler::schedule hands it the branch's wake-ups),
  /// and the branch's index in it.
  task_branches *driven_by = nullptr;
  std::size_t driven_index = 0;
  /// Set by a cancellable wait (cancellable_wait.hpp) when the branch parks
  /// on it: destroying the suspended branch then leaves nothing behind (the
  /// wait leaves its primitive and gives back what it was granted), so a
  /// losing branch is dropped there, as tokio drops a losing future.
  bool parked_droppable = false;
  /// Set on a branch that has lost its select: a select running in it takes
  /// nothing more (what it was granted goes back) and ends cancelled.
  bool lost = false;
  /// Set on a spawned task (a root_context) until its first turn; see
  /// task_owner::drop_unstarted.
  bool unstarted = false;

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

// A spawned task's context (join_state_base, spawn.hpp): what the
// scheduler keeps for a task it runs on its own, beside the cancellation
// state. A select's branches use a plain task_context, built per select, so
// they carry none of this.
struct root_context : task_context {
  /// The task's join state, which the scheduler tells when the task is
  /// dropped unstarted (task_context::unstarted) or abandoned at shutdown.
  task_owner *owner = nullptr;
  /// The task's frame, and the scheduler's intrusive list of live root
  /// tasks (its roots_mutex_).
  std::coroutine_handle<> root;
  root_context *prev = nullptr;
  root_context *next = nullptr;
};

// The word a select parks on: what has arrived for it (branch wake-ups, a
// cancellation; the owner says how it counts them) and a parked bit. An
// arrival clears the bit, and the one that found it set resumes the select;
// the select parks only if nothing it waits for has arrived, in the same
// step. So the select is resumed once per park, and never while it runs.
class park_word {
public:
  static constexpr std::uint32_t parked_bit = 1u << 31;

  /// Records an arrival (\p update maps the word, parked bit aside): true
  /// if the select was parked and the caller must resume it.
  template <class Update> bool arrive(Update update) noexcept {
    std::uint32_t s = state_.load(std::memory_order_relaxed);
    while (!state_.compare_exchange_weak(s, update(s) & ~parked_bit,
                                         std::memory_order_acq_rel))
      ;
    return (s & parked_bit) != 0;
  }
  /// The select, about to suspend: false, not parked, if \p ready says
  /// that what it waits for has arrived.
  template <class Ready> bool try_park(Ready ready) noexcept {
    std::uint32_t s = state_.load(std::memory_order_acquire);
    for (;;) {
      if (ready(s))
        return false;
      if (state_.compare_exchange_weak(s, s | parked_bit,
                                       std::memory_order_acq_rel))
        return true;
    }
  }
  std::uint32_t load() const noexcept {
    return state_.load(std::memory_order_acquire);
  }
  /// The select's thread, running: takes what has arrived.
  std::uint32_t take() noexcept {
    return state_.exchange(0, std::memory_order_acquire);
  }

private:
  std::atomic<std::uint32_t> state_{0};
};

// The wake-ups of the operations an inline select parks on at once
// (combinators.hpp), funnelled so that its task is resumed once per park:
// the first wake-up (or the task's cancellation) to find the select parked
// resumes it, the others are only counted. A waker's arrive() is its last
// touch of the select, which waits until every operation it could not
// withdraw has arrived before it lets go of them.
class select_funnel {
public:
  /// A branch's waker: true if it must resume the task.
  bool arrive_woken() noexcept {
    return word_.arrive([](std::uint32_t s) { return s + 1; });
  }
  /// The select's cancel hook: true if it must resume the task.
  bool arrive_cancelled() noexcept {
    return word_.arrive([](std::uint32_t s) { return s | cancelled_bit; });
  }
  /// Branch wake-ups so far.
  std::uint32_t woken() const noexcept { return word_.load() & count_mask; }
  /// The select, about to suspend until \p wakeups branches have arrived
  /// (or, with \p or_cancelled, the cancellation): false, not parked, if
  /// that has happened already.
  bool try_park(std::uint32_t wakeups, bool or_cancelled) noexcept {
    return word_.try_park([&](std::uint32_t s) {
      return (s & count_mask) >= wakeups ||
             (or_cancelled && (s & cancelled_bit));
    });
  }

private:
  static constexpr std::uint32_t cancelled_bit = 1u << 30;
  static constexpr std::uint32_t count_mask = cancelled_bit - 1;

  park_word word_;
};

// A task suspended on a primitive: what it takes to resume it (defined in
// scheduler.hpp).
struct waiter {
  std::coroutine_handle<> handle;
  task_context *context = nullptr;
  scheduler *sched = nullptr;
  /// Set for a branch of an inline select: its wake goes through the
  /// select's funnel.
  select_funnel *funnel = nullptr;

  void capture(std::coroutine_handle<> h);
  void wake() const;
};

// The branches of an inline select over tasks (combinators.hpp): the select
// resumes each branch itself, in its own task and on its own thread; a
// branch's wake-up (scheduler::schedule) only records where the branch
// resumes and marks it woken, and resumes the select if it is parked. So
// no two branches ever run at once, and none runs after the select has
// returned. At most max_branches branches.
class task_branches {
public:
  static constexpr std::size_t max_branches = 30;

  /// \p resume_at: one entry per branch, where it resumes next; \p owner:
  /// the task running the select.
  task_branches(std::coroutine_handle<> *resume_at, task_context *contexts,
                std::size_t count, task_context *owner) noexcept
      : resume_at_(resume_at), contexts_(contexts), count_(count),
        owner_(owner) {}
  task_branches(const task_branches &) = delete;
  task_branches &operator=(const task_branches &) = delete;

  /// Branch \p index is to resume at \p h. Thread-safe; the waker's last
  /// touch of the select.
  void wake(std::size_t index, std::coroutine_handle<> h) noexcept {
    resume_at_[index] = h; // published by the release below
    if (woken_.arrive([&](std::uint32_t s) { return s | (1u << index); }))
      select_.wake(); // the select is parked: nothing else touches it
  }
  /// The select's thread: the branches woken since the last call, one bit
  /// each.
  std::uint32_t take_woken() noexcept { return woken_.take(); }
  bool any_woken() const noexcept { return woken_.load() != 0; }
  /// The select, suspending as \p self: false if a branch was woken
  /// meanwhile.
  bool try_park(const waiter &self) noexcept {
    select_ = self;
    return woken_.try_park([](std::uint32_t s) { return s != 0; });
  }
  std::coroutine_handle<> resume_at(std::size_t index) const noexcept {
    return resume_at_[index];
  }
  /// The select's thread: branch \p index is about to run for the first
  /// time.
  void starting(std::size_t index) noexcept { started_ |= 1u << index; }
  bool started(std::size_t index) const noexcept {
    return (started_ & (1u << index)) != 0;
  }

  /// Whether the select is decided: a branch has won, or the select's own
  /// branch of an outer select has lost (no branch wins).
  bool decided() const noexcept { return winner_ != undecided; }
  /// The winner, if decided by one.
  std::optional<std::size_t> winner() const noexcept {
    if (winner_ == undecided || winner_ == nobody)
      return std::nullopt;
    return winner_;
  }
  /// The select's thread: branch \p index wins unless the select is
  /// decided; every other branch is then marked lost and cancelled. A
  /// select nested in branch \p index claims it as soon as it has its own
  /// winner, and a select whose result is its task's (task_context::
  /// decided_by_first_select) claims the outer select in turn, in the same
  /// call, as tokio's nested select! completes within one poll. True if
  /// \p index is the winner.
  bool claim(std::size_t index) {
    if (winner_ != undecided)
      return winner_ == index;
    winner_ = index;
    lose_all_but(index);
    if (owner_ && owner_->driven_by &&
        std::exchange(owner_->decided_by_first_select, false) &&
        !owner_->driven_by->claim(owner_->driven_index))
      give_up();
    return winner_ == index;
  }
  /// No branch wins (the select's own branch has lost): each is marked lost
  /// and cancelled.
  void give_up() {
    winner_ = nobody;
    lose_all_but(nobody);
  }
  /// task_context::cancel_children for the task running the select.
  static void cancel_all(void *me) {
    auto *branches = static_cast<task_branches *>(me);
    for (std::size_t k = 0; k < branches->count_; ++k)
      branches->contexts_[k].request_cancel();
  }

private:
  static constexpr std::size_t undecided = ~std::size_t{0};
  static constexpr std::size_t nobody = undecided - 1;

  void lose_all_but(std::size_t index) {
    for (std::size_t k = 0; k < count_; ++k)
      if (k != index) {
        contexts_[k].lost = true;
        if (started_ & (1u << k)) // one not started is only dropped
          contexts_[k].request_cancel();
      }
  }

  park_word woken_; // one bit per branch woken
  waiter select_;
  std::coroutine_handle<> *resume_at_;
  task_context *contexts_;
  std::size_t count_;
  task_context *owner_;
  std::size_t winner_ = undecided;
  std::uint32_t started_ = 0;
};

// The contexts of a select's \p N task branches, each made by its own
// constructor call. A std::array of them is made in a loop, which GCC turns
// into one clear of the whole block with rep stos: a fifth of a two-branch
// select's own time.
template <std::size_t N> class branch_contexts {
  static_assert(std::is_trivially_destructible_v<task_context>,
                "the contexts are never destroyed one by one");

public:
  branch_contexts() noexcept { make(std::make_index_sequence<N>{}); }
  branch_contexts(const branch_contexts &) = delete;
  branch_contexts &operator=(const branch_contexts &) = delete;

  task_context &operator[](std::size_t index) noexcept {
    return storage_.items[index];
  }
  task_context *data() noexcept { return storage_.items; }

private:
  template <std::size_t... I> void make(std::index_sequence<I...>) noexcept {
    (::new (static_cast<void *>(&storage_.items[I])) task_context, ...);
  }

  // A union member is not initialized unless the union's constructor says
  // so; make() constructs each.
  union storage {
    storage() noexcept {}
    task_context items[N];
  } storage_;
};

// The waiters parked on one primitive that may have several but most often
// has one (a join state: the handle's owner, now and then a group's wait):
// the first is kept inline. Guarded by the primitive's lock.
class waiter_set {
public:
  void push_back(waiter *w) {
    if (!first_)
      first_ = w;
    else
      rest_.push_back(w);
  }
  /// Takes \p w out; false if it is not there (already being woken).
  bool remove(waiter *w) {
    if (first_ == w) {
      first_ = nullptr;
      return true;
    }
    for (auto it = rest_.begin(); it != rest_.end(); ++it)
      if (*it == w) {
        rest_.erase(it);
        return true;
      }
    return false;
  }
  void clear() noexcept {
    first_ = nullptr;
    rest_.clear();
  }
  /// Moves every waiter into \p woken (copies: the waker wakes those).
  template <class List> void take_all(List &woken) {
    if (first_)
      woken.push_back(*first_);
    for (waiter *w : rest_)
      woken.push_back(*w);
    clear();
  }

private:
  waiter *first_ = nullptr;
  std::vector<waiter *> rest_;
};

// The waiters a primitive takes out under its lock, to wake once it has
// unlocked. A wake-up most often wakes one task or two: those are kept
// inline, so that a send, a release or a finished join allocates nothing.
class wake_list {
public:
  void push_back(const waiter &w) {
    if (inline_count_ < inline_capacity)
      inline_.put(inline_count_++, w);
    else
      overflow_.push_back(w);
  }
  bool empty() const noexcept { return inline_count_ == 0; }
  /// Calls \p visit with each waiter, in the order they were added (tests).
  template <class Visit> void for_each(Visit visit) const {
    for (std::size_t i = 0; i < inline_count_; ++i)
      visit(inline_[i]);
    for (const waiter &w : overflow_)
      visit(w);
  }
  /// Wakes every one, in the order they were added.
  void wake_all() const {
    for (std::size_t i = 0; i < inline_count_; ++i)
      inline_[i].wake();
    for (const waiter &w : overflow_)
      w.wake();
  }

private:
  static constexpr std::size_t inline_capacity = 2;
  scratch_array<waiter, inline_capacity> inline_;
  std::size_t inline_count_ = 0;
  std::vector<waiter> overflow_;
};

} // namespace asyncrt::detail

#endif // ASYNCRT_DETAIL_TASK_CONTEXT_HPP
