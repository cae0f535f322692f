// asyncrt::detail::cancellable_wait: the cancellation protocol of an awaiter
// that parks its task on a primitive, written once. Not a public API.
//
// The protocol (task_context.hpp explains the locks): the awaiter publishes its
// waiter under the primitive's lock and installs a cancel hook in its task,
// both under the task's lock; abort() runs the hook, which takes the waiter
// back if it is still queued and wakes it; whoever takes the waiter out of
// the queue (the primitive granting, or the hook withdrawing) wakes it, so a
// task is woken exactly once; await_resume clears the hook. On top of that,
// an awaiter destroyed while parked (its frame destroyed by the runtime's
// shutdown, or by a user who destroys a suspended coroutine) leaves the
// primitive: it withdraws its waiter, or gives back what it was granted and
// never took (a permit, a channel slot), so that nothing is left pointing
// into freed memory and nothing granted is lost.
//
// A derived awaiter provides, each called with no lock held:
//   bool publish();     // under the primitive's lock: false if the
//                       // operation can complete now (do not park), else
//                       // queue node() and return true
//   bool withdraw();    // under the primitive's lock: take node() back if
//                       // it is still queued; true if it was. May wake
//                       // others that can now proceed (after unlocking).
//   void give_back();   // return what was granted to node() and not yet
//                       // taken by await_resume; a no-op for a wait that
//                       // is granted nothing
// and calls park(h) from await_suspend, resumed() first in await_resume,
// abandon() from its destructor, and completed_now() from await_ready when
// the operation completed without waiting (the cooperative budget). It must
// derive publicly, so that an inline select (combinators.hpp) can drive the
// same three steps for several operations of one task at once
// (inline_branch below).
#ifndef ASYNCRT_DETAIL_CANCELLABLE_WAIT_HPP
#define ASYNCRT_DETAIL_CANCELLABLE_WAIT_HPP

#include <asyncrt/detail/scheduler.hpp>

#include <algorithm>
#include <coroutine>
#include <deque>
#include <mutex>
#include <vector>

namespace asyncrt::detail {

/// For a primitive that wakes every waiter at once (a watch or broadcast
/// send): moves the waiters out of \p queue into \p woken under the
/// primitive's lock, to wake (wake_list::wake_all) once it is unlocked.
inline void take_all_waiters(std::deque<waiter *> &queue, wake_list &woken) {
  for (waiter *w : queue)
    woken.push_back(*w);
  queue.clear();
}

/// What every cancellable_wait derives from: how select recognises an
/// operation it can poll inline.
struct cancellable_wait_tag {};

struct inline_branch;

template <class Derived> class cancellable_wait : public cancellable_wait_tag {
public:
  cancellable_wait() = default;
  // A parked awaiter is pointed to by its primitive: it never moves. Moving
  // one that has not parked (co_await on a returned awaiter) is fine.
  cancellable_wait(const cancellable_wait &) noexcept {}
  cancellable_wait &operator=(const cancellable_wait &) = delete;

protected:
  ~cancellable_wait() = default;

  /// From await_suspend: publishes the waiter and parks the task. With
  /// \p cancellable, aborting the task withdraws it; without (a wait for
  /// children being cancelled), only the primitive wakes it. Returns whether
  /// the task suspends (false: the operation completed, or the task is
  /// already cancelled and await_resume throws).
  bool park(std::coroutine_handle<> h, bool cancellable = true) {
    // Read before publishing: once published, a waker on another thread may
    // resume the task (and end it), unless it is a branch of an inline select,
    // which only that select resumes.
    task_context *branch = scheduler::current_task();
    if (branch && !branch->driven_by)
      branch = nullptr;
    if (yield_first_) {
      // The operation completed in await_ready, but the task's budget is
      // spent: it yields, and await_resume hands out the result. Destroyed
      // before that, give_back() returns what it got.
      yield_first_ = false;
      parked_ = true;
      yield_task(h);
      if (branch)
        branch->parked_droppable = Derived::drops_cleanly;
      return true;
    }
    wakeup_.capture(h);
    // Before publishing: once published, a waker on another thread may
    // resume the task, whose await_resume must find the state settled.
    parked_ = true;
    bool suspended =
        cancellable ? suspend_cancellable({&on_cancel, this},
                                          [this] { return self().publish(); })
                    : self().publish();
    if (!suspended)
      parked_ = false;
    else if (branch)
      branch->parked_droppable = Derived::drops_cleanly;
    return suspended;
  }

  /// Whether destroying the suspended task leaves nothing behind: the
  /// destructor's abandon() is all it takes. A derived wait whose task owns
  /// running work (a join of child tasks) says false, and a select's losing
  /// branch parked on it is cancelled and resumed instead of destroyed.
  static constexpr bool drops_cleanly = true;

  /// From await_ready, when the operation has just completed without
  /// waiting: true to go on at once; false when the task's cooperative
  /// budget is spent (scheduler::spend_budget), and park() then yields.
  bool completed_now() noexcept {
    if (unbudgeted_ || scheduler::spend_budget())
      return true;
    yield_first_ = true;
    return false;
  }

  /// First thing in await_resume: the hook must not outlive the wait.
  void resumed() noexcept {
    clear_cancel_hook();
    parked_ = false;
  }

  /// From the derived destructor: leave the primitive if still parked.
  void abandon() noexcept {
    if (!parked_)
      return;
    parked_ = false;
    if (!self().withdraw())
      self().give_back();
  }

  /// withdraw() for a primitive with one waiter slot (a single receiver),
  /// guarded by \p mutex.
  template <class Mutex> bool leave_slot(Mutex &mutex, waiter *&slot) {
    std::lock_guard lock(mutex);
    if (slot != &wakeup_)
      return false; // served: already being woken
    slot = nullptr;
    return true;
  }

  /// withdraw() for a primitive with a queue of waiters, whose lock the
  /// caller holds: takes \p entry out of \p queue if it is still there.
  template <class Queue, class Entry>
  static bool leave_queue(Queue &queue, const Entry &entry) {
    auto it = std::find(queue.begin(), queue.end(), entry);
    if (it == queue.end())
      return false; // served: already being woken
    queue.erase(it);
    return true;
  }

  waiter &node() noexcept { return wakeup_; }
  const waiter &node() const noexcept { return wakeup_; }

private:
  friend struct inline_branch;

  Derived &self() noexcept { return static_cast<Derived &>(*this); }
  // The derived steps, for inline_branch (a friend of this base only).
  bool do_publish() { return self().publish(); }
  bool do_withdraw() { return self().withdraw(); }
  void do_give_back() { self().give_back(); }

  static void on_cancel(void *me) {
    auto *wait = static_cast<cancellable_wait *>(me);
    if (wait->self().withdraw()) {
      // Left the primitive: a select dropping the task need not again.
      // Written before the wake that lets anyone touch the task.
      wait->parked_ = false;
      wait->wakeup_.wake();
    }
  }

  waiter wakeup_;
  bool parked_ = false;
  bool yield_first_ = false;
  bool unbudgeted_ = false; // polled by an inline select, which budgets
};

/// An inline select's side of the protocol, for each of its operations:
/// poll (await_ready, without the budget: the select spends it once); if
/// none is ready, publish every one with the select's funnel, then
/// withdraw each, giving back what a loser was granted.
struct inline_branch {
  template <class Awaiter> static bool poll(Awaiter &operation) {
    auto &wait = base(operation);
    wait.unbudgeted_ = true;
    bool ready = operation.await_ready();
    wait.unbudgeted_ = false;
    return ready;
  }
  /// Queues \p operation on its primitive for the task \p h, whose wakes
  /// go through \p funnel; false if it completed instead (it is then the
  /// select's to take or give back, as one that was woken).
  template <class Awaiter>
  static bool publish(Awaiter &operation, std::coroutine_handle<> h,
                      select_funnel &funnel) {
    auto &wait = base(operation);
    wait.wakeup_.capture(h);
    wait.wakeup_.funnel = &funnel;
    wait.parked_ = true;
    return wait.do_publish();
  }
  /// Takes a published operation back; false if it had been woken (or had
  /// completed in publish) and so holds its outcome.
  template <class Awaiter> static bool withdraw(Awaiter &operation) {
    auto &wait = base(operation);
    if (!wait.do_withdraw())
      return false;
    wait.parked_ = false;
    return true;
  }
  /// Gives back what a losing operation was granted (polled ready, woken,
  /// or completed in publish) and never handed out.
  template <class Awaiter> static void give_back(Awaiter &operation) {
    auto &wait = base(operation);
    wait.parked_ = false;
    wait.do_give_back();
  }

private:
  template <class D>
  static cancellable_wait<D> &base(cancellable_wait<D> &wait) noexcept {
    return wait;
  }
};

} // namespace asyncrt::detail

#endif // ASYNCRT_DETAIL_CANCELLABLE_WAIT_HPP
