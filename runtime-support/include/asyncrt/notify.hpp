// asyncrt::notify: wakes a task waiting for an event, with no data
// (tokio's Notify).
//
//   asyncrt::notify ready;
//   co_await ready.notified();   // in the waiter
//   ready.notify_one();          // anywhere, any thread
//
// notify_one wakes the task that has waited longest; when none waits, it
// stores one permit (at most one, however often it is called), which the
// next notified() takes without waiting. notify_waiters wakes every task
// waiting now and stores nothing.
//
// Thread safety: every member function is thread-safe; a notify may be
// shared by tasks on any workers (and runtimes) and notified from any
// thread, inside a runtime or not.
// Cancellation: notified() is cancel-safe and a cancellation point. A task
// cancelled while it waits is woken, removed from the queue, and its
// co_await throws asyncrt::cancelled; it consumes no notification, so a
// later notify_one is not lost. A notification that reached a waiter is
// handed to it even if its task was cancelled meanwhile (its next
// suspension throws); a waiter destroyed after notify_one chose it, before
// it resumed, passes the notification on to the next waiter (or back to
// the stored permit), so none is lost either.
#ifndef ASYNCRT_NOTIFY_HPP
#define ASYNCRT_NOTIFY_HPP

#include <asyncrt/annotations.hpp>
#include <asyncrt/detail/cancellable_wait.hpp>
#include <asyncrt/detail/scheduler.hpp>
#include <asyncrt/detail/short_mutex.hpp>

#include <cstddef>
#include <deque>
#include <mutex>
#include <utility>
#include <vector>

namespace asyncrt {

class notify {
  struct waiter_node {
    detail::waiter *wakeup = nullptr;
    bool notified = false; // guarded by mutex_
    bool by_one = false;   // by notify_one: passed on if never taken
  };

public:
  notify() = default;
  notify(const notify &) = delete;
  notify &operator=(const notify &) = delete;

  /// Wakes the task that has waited longest, or stores the permit.
  void notify_one() {
    detail::waiter served;
    {
      std::lock_guard lock(mutex_);
      if (waiters_.empty()) {
        permit_ = true;
        return;
      }
      waiter_node *next = waiters_.front();
      waiters_.pop_front();
      next->notified = true;
      next->by_one = true;
      served = *next->wakeup;
    }
    served.wake();
  }

  /// Wakes every task waiting now; stores nothing.
  void notify_waiters() {
    detail::wake_list served;
    {
      std::lock_guard lock(mutex_);
      for (waiter_node *node : waiters_) {
        node->notified = true;
        node->by_one = false;
        served.push_back(*node->wakeup);
      }
      waiters_.clear();
    }
    served.wake_all();
  }

  /// How many tasks wait now: a snapshot, for tests and diagnostics.
  std::size_t waiting() const {
    std::lock_guard lock(mutex_);
    return waiters_.size();
  }

  class notified_awaiter : public detail::cancellable_wait<notified_awaiter> {
  public:
    explicit notified_awaiter(notify &n) : notify_(n) {
      node_.wakeup = &node();
    }
    // Copied (moved) only before it is awaited.
    notified_awaiter(const notified_awaiter &other)
        : cancellable_wait(other), notify_(other.notify_) {
      node_.wakeup = &node();
    }
    ~notified_awaiter() { abandon(); }

    bool await_ready() {
      if (detail::self_cancelled())
        return true;
      {
        std::lock_guard lock(notify_.mutex_);
        node_.notified = std::exchange(notify_.permit_, false);
      }
      return node_.notified && completed_now();
    }
    bool await_suspend(std::coroutine_handle<> h) { return park(h); }
    void await_resume() {
      resumed();
      // A notification that arrived is handed out even to a cancelled
      // task: its next suspension throws.
      if (!node_.notified)
        detail::throw_if_cancelled();
      node_.notified = false;
    }

  private:
    friend class detail::cancellable_wait<notified_awaiter>;
    bool publish() {
      std::lock_guard lock(notify_.mutex_);
      if ((node_.notified = std::exchange(notify_.permit_, false)))
        return false;
      notify_.waiters_.push_back(&node_);
      return true;
    }
    bool withdraw() {
      std::lock_guard lock(notify_.mutex_);
      return leave_queue(notify_.waiters_, &node_);
    }
    // Chosen by notify_one and never resumed: the next waiter gets it.
    void give_back() {
      bool pass_on;
      {
        std::lock_guard lock(notify_.mutex_);
        pass_on = std::exchange(node_.notified, false) && node_.by_one;
      }
      if (pass_on)
        notify_.notify_one();
    }

    notify &notify_;
    waiter_node node_{};
  };

  /// Waits for notify_one (or a stored permit) or notify_waiters.
  /// Cancel-safe.
  ASYNCRT_CANCEL_SAFE notified_awaiter notified() {
    return notified_awaiter(*this);
  }

private:
  mutable detail::short_mutex mutex_;
  bool permit_ = false;
  std::deque<waiter_node *> waiters_;
};

} // namespace asyncrt

#endif // ASYNCRT_NOTIFY_HPP
