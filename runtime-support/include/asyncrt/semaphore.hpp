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
// any thread. An acquire that finds its permits free with nobody waiting,
// and a release with nobody waiting, take no lock (one atomic operation);
// the lock guards the queue of waiters.
// Cancellation: acquire() is cancel-safe. A task cancelled while it waits is
// woken, removed from the queue without taking anything, and its co_await
// throws asyncrt::cancelled; dropping the wait loses no permit, and neither
// does destroying a frame suspended in it (a permit granted and not taken
// goes back).
// Closing: close() (tokio's Semaphore::close) wakes every waiter, whose
// co_await throws asyncrt::semaphore_closed, and every later acquire throws
// it too; try_acquire returns nothing. Permits already held stay valid and
// are returned as usual. A permit granted before close() is still handed out.
// Owned permits: asyncrt::acquire_owned(std::shared_ptr<semaphore>) gives an
// owned_permit that keeps the semaphore alive, to move into a spawned task
// (tokio's acquire_owned).
#ifndef ASYNCRT_SEMAPHORE_HPP
#define ASYNCRT_SEMAPHORE_HPP

#include <asyncrt/annotations.hpp>
#include <asyncrt/detail/cancellable_wait.hpp>
#include <asyncrt/detail/scheduler.hpp>
#include <asyncrt/detail/short_mutex.hpp>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <utility>
#include <vector>

namespace asyncrt {

/// Thrown by acquire() on a closed semaphore (tokio's AcquireError).
class semaphore_closed : public std::runtime_error {
public:
  semaphore_closed() : std::runtime_error("asyncrt: the semaphore is closed") {}
};

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

  /// The most permits a semaphore holds (tokio's MAX_PERMITS); never add
  /// permits beyond it.
  static constexpr std::size_t max_permits = SIZE_MAX >> 2;

  /// Throws std::length_error if \p permits exceeds max_permits.
  explicit semaphore(std::size_t permits)
      : state_(checked(permits) << permit_shift) {}
  semaphore(const semaphore &) = delete;
  semaphore &operator=(const semaphore &) = delete;

  std::size_t available_permits() const {
    return state_.load(std::memory_order_acquire) >> permit_shift;
  }

  /// Takes \p count permits now if they are free, nobody waits and the
  /// semaphore is open.
  std::optional<permit> try_acquire(std::size_t count = 1) {
    if (!try_take(count))
      return std::nullopt;
    return permit(this, count);
  }

  /// Closes the semaphore: every waiter wakes and its acquire throws
  /// asyncrt::semaphore_closed, as every later acquire does. Held permits
  /// stay valid. Thread-safe; closing twice does nothing more.
  void close() {
    detail::wake_list served;
    {
      std::lock_guard lock(mutex_);
      state_.fetch_or(closed_bit, std::memory_order_acq_rel);
      for (waiter_node *node : waiters_) {
        node->closed = true;
        served.push_back(*node->wakeup);
      }
      waiters_.clear();
      state_.fetch_and(~queued_bit, std::memory_order_acq_rel);
    }
    served.wake_all();
  }

  bool is_closed() const {
    return (state_.load(std::memory_order_acquire) & closed_bit) != 0;
  }

  /// Adds permits (what a dropped permit does) and serves waiters in order.
  void add_permits(std::size_t count) {
    // Nobody waits: the permits go back with one atomic add. Once a waiter
    // has queued, the queued bit sends every release through the lock.
    std::size_t s = state_.load(std::memory_order_relaxed);
    while (!(s & queued_bit))
      if (state_.compare_exchange_weak(s, s + (count << permit_shift),
                                       std::memory_order_acq_rel,
                                       std::memory_order_relaxed))
        return;
    detail::wake_list served;
    {
      std::lock_guard lock(mutex_);
      state_.fetch_add(count << permit_shift, std::memory_order_acq_rel);
      serve_waiters_locked(served);
    }
    served.wake_all();
  }

private:
  struct waiter_node {
    std::size_t count = 0;
    detail::waiter *wakeup = nullptr;
    bool granted = false; // guarded by mutex_
    bool closed = false;  // guarded by mutex_: woken by close()
  };

public:
  class acquire_awaiter : public detail::cancellable_wait<acquire_awaiter> {
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
      node_.granted = sem_.try_take(node_.count);
      node_.closed = !node_.granted && sem_.is_closed();
      return (node_.granted && completed_now()) || node_.closed;
    }
    bool await_suspend(std::coroutine_handle<> h) { return park(h); }
    permit await_resume() {
      resumed();
      // A granted permit is handed out even to a cancelled task: its next
      // suspension throws, and the permit is released as it unwinds.
      if (!node_.granted) {
        detail::throw_if_cancelled();
        if (node_.closed)
          throw semaphore_closed();
      }
      node_.granted = false;
      return permit(&sem_, node_.count);
    }

  private:
    friend class detail::cancellable_wait<acquire_awaiter>;
    bool publish() {
      std::lock_guard lock(sem_.mutex_);
      if (!sem_.take_or_queue_locked(node_))
        return false;
      sem_.waiters_.push_back(&node_);
      return true;
    }
    // Leaves the queue without a permit; those behind may now fit.
    bool withdraw() {
      detail::wake_list served;
      {
        std::lock_guard lock(sem_.mutex_);
        if (!leave_queue(sem_.waiters_, &node_))
          return false; // granted or closed: the releaser or closer wakes it
        sem_.serve_waiters_locked(served);
      }
      served.wake_all();
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

  /// Waits until \p count permits are free and it is this caller's turn;
  /// throws asyncrt::semaphore_closed once the semaphore is closed.
  /// Cancel-safe.
  ASYNCRT_BOUNDS_CONCURRENCY ASYNCRT_CANCEL_SAFE acquire_awaiter
  acquire(std::size_t count = 1) {
    return acquire_awaiter(*this, count);
  }

private:
  // state_: the free permits, shifted, and two bits. queued_bit is set, under
  // mutex_, exactly while waiters_ is not empty; while it is set the fast
  // paths stay off and state_ changes only under mutex_, so a release
  // cannot slip permits past a waiter and an acquire cannot jump the queue.
  static constexpr std::size_t closed_bit = 1;
  static constexpr std::size_t queued_bit = 2;
  static constexpr unsigned permit_shift = 2;
  static_assert(max_permits == SIZE_MAX >> permit_shift);

  static std::size_t checked(std::size_t permits) {
    if (permits > max_permits)
      throw std::length_error("asyncrt: a semaphore holds at most "
                              "semaphore::max_permits permits");
    return permits;
  }

  /// Takes \p count permits if the semaphore is open, nobody waits and
  /// they are free. Lock-free.
  bool try_take(std::size_t count) noexcept {
    std::size_t s = state_.load(std::memory_order_acquire);
    for (;;) {
      if ((s & (closed_bit | queued_bit)) || (s >> permit_shift) < count)
        return false;
      if (state_.compare_exchange_weak(s, s - (count << permit_shift),
                                       std::memory_order_acq_rel,
                                       std::memory_order_acquire))
        return true;
    }
  }

  /// Under mutex_: grants \p node its permits or marks it closed (false),
  /// or sets the queued bit for it to join the queue (true). Setting the
  /// bit and seeing too few permits are one step, so a release racing with
  /// it either lands first (and the node takes its permits) or goes through
  /// the lock and serves the node.
  bool take_or_queue_locked(waiter_node &node) noexcept {
    std::size_t s = state_.load(std::memory_order_acquire);
    for (;;) {
      if (s & closed_bit) {
        node.closed = true;
        return false;
      }
      if (s & queued_bit)
        return true; // others wait already: behind them
      std::size_t next = (s >> permit_shift) >= node.count
                             ? s - (node.count << permit_shift)
                             : s | queued_bit;
      if (state_.compare_exchange_weak(s, next, std::memory_order_acq_rel,
                                       std::memory_order_acquire)) {
        node.granted = !(next & queued_bit);
        return !node.granted;
      }
    }
  }

  void serve_waiters_locked(detail::wake_list &served) {
    while (!waiters_.empty() &&
           waiters_.front()->count <=
               (state_.load(std::memory_order_acquire) >> permit_shift)) {
      waiter_node *next = waiters_.front();
      waiters_.pop_front();
      state_.fetch_sub(next->count << permit_shift, std::memory_order_acq_rel);
      next->granted = true;
      served.push_back(*next->wakeup);
    }
    if (waiters_.empty())
      state_.fetch_and(~queued_bit, std::memory_order_acq_rel);
  }

  // Guards waiters_, and state_ while queued_bit is set.
  mutable detail::short_mutex mutex_;
  std::atomic<std::size_t> state_;
  std::deque<waiter_node *> waiters_;
};

namespace detail {
template <class Guard> class guard_awaiter;

/// What a lock's guard holds: its permits, until destroyed or unlock()
/// (mutex::guard, rwlock's read_guard and write_guard).
class permit_guard {
public:
  permit_guard(permit_guard &&) noexcept = default;
  permit_guard &operator=(permit_guard &&) noexcept = default;
  /// Releases the lock early.
  void unlock() noexcept { held_.reset(); }
  bool owns_lock() const noexcept { return held_.has_value(); }

protected:
  explicit permit_guard(semaphore::permit held) : held_(std::move(held)) {}

private:
  std::optional<semaphore::permit> held_;
};

/// A lock's wait: the semaphore's acquire, handing out a Guard. An acquire
/// itself, so that select can poll it inline.
template <class Guard> class guard_awaiter : public semaphore::acquire_awaiter {
public:
  guard_awaiter(semaphore &s, std::size_t permits)
      : semaphore::acquire_awaiter(s, permits) {}
  Guard await_resume() {
    return Guard(semaphore::acquire_awaiter::await_resume());
  }
};
} // namespace detail

/// Permits that keep their semaphore alive: a permit that can be moved into
/// a spawned task whatever happens to the code that made the semaphore.
class owned_permit {
public:
  owned_permit(std::shared_ptr<semaphore> owner, semaphore::permit held)
      : owner_(std::move(owner)), held_(std::move(held)) {}
  /// Keeps the permits taken for good.
  void forget() noexcept { held_.forget(); }
  std::size_t count() const noexcept { return held_.count(); }
  /// The semaphore the permits come from.
  const std::shared_ptr<semaphore> &owner() const noexcept { return owner_; }

private:
  // Declared first, so destroyed last: the permit is released into it.
  std::shared_ptr<semaphore> owner_;
  semaphore::permit held_;
};

namespace detail {
class acquire_owned_awaiter {
public:
  acquire_owned_awaiter(std::shared_ptr<semaphore> owner, std::size_t count)
      : owner_(std::move(owner)), acquire_(owner_->acquire(count)) {}
  bool await_ready() { return acquire_.await_ready(); }
  bool await_suspend(std::coroutine_handle<> h) {
    return acquire_.await_suspend(h);
  }
  owned_permit await_resume() {
    semaphore::permit held = acquire_.await_resume();
    return owned_permit(owner_, std::move(held));
  }

private:
  std::shared_ptr<semaphore> owner_; // outlives acquire_, which refers to it
  semaphore::acquire_awaiter acquire_;
};
} // namespace detail

/// semaphore::acquire for a shared semaphore: the permit keeps it alive.
/// Thread-safe; cancel-safe (as acquire); throws semaphore_closed once it is
/// closed.
ASYNCRT_BOUNDS_CONCURRENCY
ASYNCRT_CANCEL_SAFE inline detail::acquire_owned_awaiter
acquire_owned(std::shared_ptr<semaphore> owner, std::size_t count = 1) {
  return detail::acquire_owned_awaiter(std::move(owner), count);
}

/// semaphore::try_acquire for a shared semaphore.
inline std::optional<owned_permit>
try_acquire_owned(const std::shared_ptr<semaphore> &owner,
                  std::size_t count = 1) {
  std::optional<semaphore::permit> held = owner->try_acquire(count);
  if (!held)
    return std::nullopt;
  return owned_permit(owner, std::move(*held));
}

} // namespace asyncrt

#endif // ASYNCRT_SEMAPHORE_HPP
