// asyncrt::semaphore: bounds how many holders run at once.
//
//   asyncrt::semaphore sem{10};
//   auto permit = co_await sem.acquire();   // RAII: released when dropped
//
// Fair: waiters are served in arrival order, and a waiter that needs more
// permits than are free holds back those behind it; try_acquire does not
// jump the queue either. It never admits more holders than permits.
//
// Thread safety: a semaphore belongs to one runtime and is used from its
// thread (the current-thread runtime).
// Cancellation: acquire() is cancel-safe. A task cancelled while it waits is
// woken, removed from the queue without taking anything, and its co_await
// throws asyncrt::cancelled; dropping the wait loses no permit.
#ifndef ASYNCRT_SEMAPHORE_HPP
#define ASYNCRT_SEMAPHORE_HPP

#include <asyncrt/annotations.hpp>
#include <asyncrt/scheduler.hpp>

#include <algorithm>
#include <cstddef>
#include <deque>
#include <optional>
#include <utility>

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

  std::size_t available_permits() const noexcept { return available_; }

  /// Takes \p count permits now if they are free and nobody waits.
  std::optional<permit> try_acquire(std::size_t count = 1) {
    if (!waiters_.empty() || available_ < count)
      return std::nullopt;
    available_ -= count;
    return permit(this, count);
  }

  /// Adds permits (what a dropped permit does) and serves waiters in order.
  void add_permits(std::size_t count) {
    available_ += count;
    serve_waiters();
  }

private:
  struct waiter {
    std::size_t count;
    std::coroutine_handle<> handle;
    detail::task_context *context;
    bool granted = false;
  };

public:
  class acquire_awaiter {
  public:
    acquire_awaiter(semaphore &s, std::size_t count) : sem_(s) {
      node_.count = count;
    }
    bool await_ready() {
      if (detail::self_cancelled())
        return true;
      if (sem_.waiters_.empty() && sem_.available_ >= node_.count) {
        sem_.available_ -= node_.count;
        node_.granted = true;
        return true;
      }
      return false;
    }
    void await_suspend(std::coroutine_handle<> h) {
      detail::scheduler &s = detail::current_scheduler();
      node_.handle = h;
      node_.context = detail::scheduler::current_task();
      sem_.waiters_.push_back(&node_);
      if (node_.context)
        node_.context->on_cancel = [this, &s] {
          // Leave the queue without a permit; those behind may now fit.
          auto &queue = sem_.waiters_;
          queue.erase(std::find(queue.begin(), queue.end(), &node_));
          s.schedule(node_.handle, node_.context);
          sem_.serve_waiters();
        };
    }
    permit await_resume() {
      if (node_.context)
        node_.context->on_cancel = nullptr;
      if (!node_.granted)
        detail::throw_if_cancelled();
      return permit(&sem_, node_.count);
    }

  private:
    semaphore &sem_;
    waiter node_{};
  };

  /// Waits until \p count permits are free and it is this caller's turn.
  /// Cancel-safe.
  ASYNCRT_BOUNDS_CONCURRENCY ASYNCRT_CANCEL_SAFE acquire_awaiter
  acquire(std::size_t count = 1) {
    return acquire_awaiter(*this, count);
  }

private:
  void serve_waiters() {
    while (!waiters_.empty() && waiters_.front()->count <= available_) {
      waiter *next = waiters_.front();
      waiters_.pop_front();
      available_ -= next->count;
      next->granted = true;
      if (next->context)
        next->context->on_cancel = nullptr;
      detail::current_scheduler().schedule(next->handle, next->context);
    }
  }

  std::size_t available_;
  std::deque<waiter *> waiters_;
};

} // namespace asyncrt

#endif // ASYNCRT_SEMAPHORE_HPP
