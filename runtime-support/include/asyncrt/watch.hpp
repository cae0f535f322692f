// asyncrt::watch: a channel that holds one value, the latest sent, and
// tells its receivers when it changes (tokio's watch).
//
//   auto [tx, rx] = asyncrt::watch::channel<config>(initial);
//   tx.send(updated);                           // replaces the value
//   while (co_await rx.changed())               // false: the sender is gone
//     apply(rx.borrow_and_update());
//
// Receivers see the latest value, not every value: three sends between two
// changed() calls are one change. Each receiver remembers the version it
// has seen; changed() completes at once when a newer one is there.
// Receivers are copyable (a copy has seen what the original had seen);
// sender::subscribe() makes one that has seen the current value.
//
// Thread safety: the sender and every receiver may be used from any
// thread; one object is not used by two threads at once. T is copied out
// under the channel's lock (borrow returns a copy).
// Cancellation: changed() is cancel-safe and a cancellation point: a
// change is not consumed by a changed() that was cancelled, so the next
// changed() sees it.
#ifndef ASYNCRT_WATCH_HPP
#define ASYNCRT_WATCH_HPP

#include <asyncrt/annotations.hpp>
#include <asyncrt/detail/cancellable_wait.hpp>
#include <asyncrt/detail/scheduler.hpp>

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace asyncrt::watch {

template <class T> class sender;
template <class T> class receiver;

namespace detail {

template <class T> struct shared {
  explicit shared(T initial) : value(std::move(initial)) {}
  std::mutex mutex;
  T value;
  std::uint64_t version = 0;
  std::size_t receivers = 0;
  bool sender_alive = true;
  std::deque<asyncrt::detail::waiter *> waiting;
};

} // namespace detail

template <class T> class sender {
public:
  sender(sender &&other) noexcept : shared_(std::move(other.shared_)) {}
  sender &operator=(sender &&other) noexcept {
    if (this != &other) {
      close();
      shared_ = std::move(other.shared_);
    }
    return *this;
  }
  sender(const sender &) = delete;
  sender &operator=(const sender &) = delete;
  /// Dropping the sender ends the receivers' changed() with false (after
  /// the last change, if they have not seen it).
  ~sender() { close(); }

  /// Replaces the value and wakes the receivers waiting for a change.
  /// Returns whether any receiver is left (the value is stored either way).
  /// Never waits; thread-safe.
  bool send(T value) {
    asyncrt::detail::wake_list woken;
    bool anyone;
    {
      std::lock_guard lock(shared_->mutex);
      shared_->value = std::move(value);
      ++shared_->version;
      anyone = shared_->receivers > 0;
      asyncrt::detail::take_all_waiters(shared_->waiting, woken);
    }
    woken.wake_all();
    return anyone;
  }

  /// A new receiver that has seen the current value.
  receiver<T> subscribe() const { return receiver<T>(shared_); }

  /// Receivers left.
  std::size_t receiver_count() const {
    std::lock_guard lock(shared_->mutex);
    return shared_->receivers;
  }

private:
  template <class U>
  friend std::pair<sender<U>, receiver<U>> channel(U initial);
  explicit sender(std::shared_ptr<detail::shared<T>> s)
      : shared_(std::move(s)) {}
  void close() {
    if (!shared_)
      return;
    asyncrt::detail::wake_list woken;
    {
      std::lock_guard lock(shared_->mutex);
      shared_->sender_alive = false;
      asyncrt::detail::take_all_waiters(shared_->waiting, woken);
    }
    woken.wake_all();
    shared_.reset();
  }

  std::shared_ptr<detail::shared<T>> shared_;
};

template <class T> class receiver {
public:
  receiver(const receiver &other) : receiver(other.shared_, other.seen_) {}
  /// A moved-from receiver is empty: only destroying or assigning it is
  /// allowed.
  receiver(receiver &&other) noexcept
      : shared_(std::move(other.shared_)), seen_(other.seen_) {}
  receiver &operator=(receiver other) noexcept {
    std::swap(shared_, other.shared_);
    std::swap(seen_, other.seen_);
    return *this;
  }
  ~receiver() {
    if (!shared_)
      return;
    std::lock_guard lock(shared_->mutex);
    --shared_->receivers;
  }

  /// A copy of the current value; does not mark it seen.
  T borrow() const {
    std::lock_guard lock(shared_->mutex);
    return shared_->value;
  }
  /// A copy of the current value, marked seen.
  T borrow_and_update() {
    std::lock_guard lock(shared_->mutex);
    seen_ = shared_->version;
    return shared_->value;
  }
  /// Whether a value this receiver has not seen is there.
  bool has_changed() const {
    std::lock_guard lock(shared_->mutex);
    return shared_->version != seen_;
  }

  class changed_awaiter
      : public asyncrt::detail::cancellable_wait<changed_awaiter> {
    using wait = asyncrt::detail::cancellable_wait<changed_awaiter>;

  public:
    explicit changed_awaiter(receiver &r) : receiver_(r) {}
    // Copied (moved) only before it is awaited.
    changed_awaiter(const changed_awaiter &other)
        : wait(other), receiver_(other.receiver_) {}
    ~changed_awaiter() { this->abandon(); }

    bool await_ready() {
      if (asyncrt::detail::self_cancelled())
        return true;
      return settled() && this->completed_now();
    }
    bool await_suspend(std::coroutine_handle<> h) { return this->park(h); }
    /// True: a new value is there (now marked seen). False: the sender is
    /// gone and every value was seen.
    bool await_resume() {
      this->resumed();
      asyncrt::detail::throw_if_cancelled();
      detail::shared<T> &s = *receiver_.shared_;
      std::lock_guard lock(s.mutex);
      if (s.version == receiver_.seen_)
        return false;
      receiver_.seen_ = s.version;
      return true;
    }

  private:
    friend class asyncrt::detail::cancellable_wait<changed_awaiter>;
    bool settled_locked() const {
      const detail::shared<T> &s = *receiver_.shared_;
      return s.version != receiver_.seen_ || !s.sender_alive;
    }
    bool settled() {
      std::lock_guard lock(receiver_.shared_->mutex);
      return settled_locked();
    }
    bool publish() {
      std::lock_guard lock(receiver_.shared_->mutex);
      if (settled_locked())
        return false;
      receiver_.shared_->waiting.push_back(&this->node());
      return true;
    }
    bool withdraw() {
      std::lock_guard lock(receiver_.shared_->mutex);
      return wait::leave_queue(receiver_.shared_->waiting, &this->node());
    }
    void give_back() {} // a change is not consumed by being woken

    receiver &receiver_;
  };

  /// Waits for a value this receiver has not seen (true, and marks it
  /// seen) or for the sender to be gone (false). Cancel-safe.
  ASYNCRT_CANCEL_SAFE changed_awaiter changed() {
    return changed_awaiter(*this);
  }

private:
  friend class sender<T>;
  template <class U>
  friend std::pair<sender<U>, receiver<U>> channel(U initial);
  explicit receiver(std::shared_ptr<detail::shared<T>> s)
      : shared_(std::move(s)) {
    std::lock_guard lock(shared_->mutex);
    ++shared_->receivers;
    seen_ = shared_->version;
  }
  receiver(std::shared_ptr<detail::shared<T>> s, std::uint64_t seen)
      : shared_(std::move(s)), seen_(seen) {
    std::lock_guard lock(shared_->mutex);
    ++shared_->receivers;
  }

  std::shared_ptr<detail::shared<T>> shared_;
  std::uint64_t seen_ = 0;
};

/// A watch channel holding \p initial, which the receiver has seen.
template <class T> std::pair<sender<T>, receiver<T>> channel(T initial) {
  auto s = std::make_shared<detail::shared<T>>(std::move(initial));
  receiver<T> rx(s);
  return {sender<T>(std::move(s)), std::move(rx)};
}

} // namespace asyncrt::watch

#endif // ASYNCRT_WATCH_HPP
