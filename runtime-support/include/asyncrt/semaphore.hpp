// asyncrt::semaphore: bounds how many holders run at once.
//
//   asyncrt::semaphore sem{10};
//   auto permit = co_await sem.acquire();   // RAII: released when dropped
//
// Fair: waiters are served in arrival order, and a waiter that needs more
// permits than are free holds back those behind it; try_acquire does not
// jump the queue either. It never admits more holders than permits.
//
// Thread safety: every member function is thread-safe; a semaphore may be
// shared by tasks on any workers (and runtimes). Permits may be dropped on
// any thread.
// Cancellation: acquire() is cancel-safe. A task cancelled while it waits is
// woken, removed from the queue without taking anything, and its co_await
// throws asyncrt::cancelled; dropping the wait loses no permit, and neither
// does destroying a frame suspended in it (a permit granted and not taken
// goes back).
#ifndef ASYNCRT_SEMAPHORE_HPP
#define ASYNCRT_SEMAPHORE_HPP

#include <asyncrt/annotations.hpp>
#include <asyncrt/detail/cancellable_wait.hpp>
#include <asyncrt/detail/scheduler.hpp>

#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

namespace asyncrt {

class semaphore {
public:
  /// Holds \p count permits until destroyed or forget() is called.
  class permit {
  public:
    permit(permit &&other) noexcept
        : owner_(std::exchange(other.owner_, nullptr)), count_(other.count_) {}
    permit &operator=(permit &&other) noexcept {
      if (this != &other) {
        release();
        owner_ = std::exchange(other.owner_, nullptr);
        count_ = other.count_;
      }
      return *this;
    }
    permit(const permit &) = delete;
    permit &operator=(const permit &) = delete;
    ~permit() { release(); }

    /// Keeps the permits taken for good (tokio's forget).
    void forget() noexcept { owner_ = nullptr; }
    std::size_t count() const noexcept { return owner_ ? count_ : 0; }

  private:
    friend class semaphore;
    permit(semaphore *owner, std::size_t count)
        : owner_(owner), count_(count) {}
    void release() noexcept {
      if (semaphore *s = std::exchange(owner_, nullptr))
        s->add_permits(count_);
    }
    semaphore *owner_;
    std::size_t count_;
  };

  explicit semaphore(std::size_t permits) : available_(permits) {}
  semaphore(const semaphore &) = delete;
  semaphore &operator=(const semaphore &) = delete;

  std::size_t available_permits() const {
    std::lock_guard lock(mutex_);
    return available_;
  }

  /// Takes \p count permits now if they are free and nobody waits.
  std::optional<permit> try_acquire(std::size_t count = 1) {
    std::lock_guard lock(mutex_);
    if (!waiters_.empty() || available_ < count)
      return std::nullopt;
    available_ -= count;
    return permit(this, count);
  }

  /// Adds permits (what a dropped permit does) and serves waiters in order.
  void add_permits(std::size_t count) {
    std::vector<detail::waiter> served;
    {
      std::lock_guard lock(mutex_);
      available_ += count;
      serve_waiters_locked(served);
    }
    for (const detail::waiter &w : served)
      w.wake();
  }

private:
  struct waiter_node {
    std::size_t count = 0;
    detail::waiter *wakeup = nullptr;
    bool granted = false; // guarded by mutex_
  };

public:
  class acquire_awaiter : detail::cancellable_wait<acquire_awaiter> {
  public:
    acquire_awaiter(semaphore &s, std::size_t count) : sem_(s) {
      node_.count = count;
      node_.wakeup = &node();
    }
    // Copied (moved) only before it is awaited.
    acquire_awaiter(const acquire_awaiter &other)
        : cancellable_wait(other), sem_(other.sem_) {
      node_.count = other.node_.count;
      node_.wakeup = &node();
    }
    ~acquire_awaiter() { abandon(); }

    bool await_ready() {
      if (detail::self_cancelled())
        return true;
      {
        std::lock_guard lock(sem_.mutex_);
        node_.granted = sem_.take_now_locked(node_.count);
      }
      return node_.granted && completed_now();
    }
    bool await_suspend(std::coroutine_handle<> h) { return park(h); }
    permit await_resume() {
      resumed();
      // A granted permit is handed out even to a cancelled task: its next
      // suspension throws, and the permit is released as it unwinds.
      if (!node_.granted)
        detail::throw_if_cancelled();
      node_.granted = false;
      return permit(&sem_, node_.count);
    }

  private:
    friend class detail::cancellable_wait<acquire_awaiter>;
    bool publish() {
      std::lock_guard lock(sem_.mutex_);
      if ((node_.granted = sem_.take_now_locked(node_.count)))
        return false;
      sem_.waiters_.push_back(&node_);
      return true;
    }
    // Leaves the queue without a permit; those behind may now fit.
    bool withdraw() {
      std::vector<detail::waiter> served;
      {
        std::lock_guard lock(sem_.mutex_);
        if (!leave_queue(sem_.waiters_, &node_))
          return false; // granted: the releaser wakes it
        sem_.serve_waiters_locked(served);
      }
      for (const detail::waiter &w : served)
        w.wake();
      return true;
    }
    void give_back() {
      bool granted;
      {
        std::lock_guard lock(sem_.mutex_);
        granted = std::exchange(node_.granted, false);
      }
      if (granted)
        sem_.add_permits(node_.count);
    }

    semaphore &sem_;
    waiter_node node_{};
  };

  /// Waits until \p count permits are free and it is this caller's turn.
  /// Cancel-safe.
  ASYNCRT_BOUNDS_CONCURRENCY ASYNCRT_CANCEL_SAFE acquire_awaiter
  acquire(std::size_t count = 1) {
    return acquire_awaiter(*this, count);
  }

private:
  bool take_now_locked(std::size_t count) {
    if (!waiters_.empty() || available_ < count)
      return false;
    available_ -= count;
    return true;
  }

  void serve_waiters_locked(std::vector<detail::waiter> &served) {
    while (!waiters_.empty() && waiters_.front()->count <= available_) {
      waiter_node *next = waiters_.front();
      waiters_.pop_front();
      available_ -= next->count;
      next->granted = true;
      served.push_back(*next->wakeup);
    }
  }

  mutable std::mutex mutex_;
  std::size_t available_;
  std::deque<waiter_node *> waiters_;
};

} // namespace asyncrt

#endif // ASYNCRT_SEMAPHORE_HPP
