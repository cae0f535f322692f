// asyncrt::broadcast: a bounded multi-producer, multi-consumer channel in
// which every receiver sees every value (tokio's broadcast).
//
//   auto [tx, rx] = asyncrt::broadcast::channel<event>(16);
//   auto other = tx.subscribe();            // sees what is sent from now on
//   tx.send(e);                             // never waits
//   for (;;) {
//     auto got = co_await rx.recv();
//     if (got) handle(*got);
//     else if (got.closed()) break;         // every sender gone, all seen
//     else log_missed(got.lagged());        // fell behind: skipped ahead
//   }
//
// The channel keeps the last `capacity` values. A receiver that falls
// further behind does not hold senders back: its next recv() reports how
// many values it missed (lagged(), with no value) and it goes on from the
// oldest value still kept. Values are copied out to each receiver.
//
// Thread safety: senders (copyable) and receivers (move-only) may be used
// from any thread; one object is not used by two threads at once.
// Cancellation: recv() is cancel-safe and a cancellation point: a value is
// taken only when the co_await returns, so a cancelled recv leaves it for
// the next one. send() never waits.
#ifndef ASYNCRT_BROADCAST_HPP
#define ASYNCRT_BROADCAST_HPP

#include <asyncrt/annotations.hpp>
#include <asyncrt/detail/cancellable_wait.hpp>
#include <asyncrt/detail/scheduler.hpp>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

namespace asyncrt::broadcast {

template <class T> class sender;
template <class T> class receiver;

/// What one recv() gives: a value, or how many values this receiver missed
/// by falling behind, or the end of the channel.
template <class T> class received {
public:
  bool has_value() const noexcept { return value_.has_value(); }
  explicit operator bool() const noexcept { return has_value(); }
  T &operator*() & { return *value_; }
  T &&operator*() && { return std::move(*value_); }
  T *operator->() { return &*value_; }
  /// Values skipped because this receiver fell more than `capacity`
  /// behind; 0 unless this result has no value and the channel is open.
  std::uint64_t lagged() const noexcept { return lagged_; }
  /// Every sender is gone and this receiver has seen every value.
  bool closed() const noexcept { return !value_ && lagged_ == 0; }

private:
  template <class U> friend class receiver;
  std::optional<T> value_;
  std::uint64_t lagged_ = 0;
};

namespace detail {

template <class T> struct shared {
  explicit shared(std::size_t cap) : capacity(cap == 0 ? 1 : cap) {}
  std::mutex mutex;
  std::size_t capacity;
  std::deque<T> kept;      // the last `capacity` values
  std::uint64_t first = 0; // sequence number of kept.front()
  std::uint64_t next = 0;  // sequence number of the next value sent
  std::size_t senders = 1;
  std::size_t receivers = 0;
  std::deque<asyncrt::detail::waiter *> waiting;
};

} // namespace detail

template <class T> class sender {
public:
  sender(const sender &other) : shared_(other.shared_) {
    std::lock_guard lock(shared_->mutex);
    ++shared_->senders;
  }
  sender(sender &&other) noexcept : shared_(std::move(other.shared_)) {}
  sender &operator=(sender other) noexcept {
    std::swap(shared_, other.shared_);
    return *this;
  }
  /// The last sender gone closes the channel: receivers drain what is kept,
  /// then recv() reports closed().
  ~sender() {
    if (!shared_)
      return;
    asyncrt::detail::wake_list woken;
    {
      std::lock_guard lock(shared_->mutex);
      if (--shared_->senders == 0)
        asyncrt::detail::take_all_waiters(shared_->waiting, woken);
    }
    woken.wake_all();
  }

  /// Gives \p value to every receiver subscribed now; never waits. Returns
  /// how many receivers will see it (0: none, and the value is dropped).
  /// Thread-safe.
  std::size_t send(T value) {
    asyncrt::detail::wake_list woken;
    std::size_t receivers;
    {
      std::lock_guard lock(shared_->mutex);
      receivers = shared_->receivers;
      if (receivers == 0)
        return 0;
      shared_->kept.push_back(std::move(value));
      ++shared_->next;
      if (shared_->kept.size() > shared_->capacity) {
        shared_->kept.pop_front();
        ++shared_->first;
      }
      asyncrt::detail::take_all_waiters(shared_->waiting, woken);
    }
    woken.wake_all();
    return receivers;
  }

  /// A receiver that sees the values sent from now on.
  receiver<T> subscribe() const { return receiver<T>(shared_); }

  std::size_t receiver_count() const {
    std::lock_guard lock(shared_->mutex);
    return shared_->receivers;
  }

private:
  template <class U>
  friend std::pair<sender<U>, receiver<U>> channel(std::size_t capacity);
  explicit sender(std::shared_ptr<detail::shared<T>> s)
      : shared_(std::move(s)) {}
  std::shared_ptr<detail::shared<T>> shared_;
};

template <class T> class receiver {
public:
  /// A moved-from receiver is empty: only destroying or assigning it is
  /// allowed.
  receiver(receiver &&other) noexcept
      : shared_(std::move(other.shared_)), next_(other.next_) {}
  receiver &operator=(receiver &&other) noexcept {
    receiver gone(std::move(*this));
    shared_ = std::move(other.shared_);
    next_ = other.next_;
    return *this;
  }
  receiver(const receiver &) = delete;
  receiver &operator=(const receiver &) = delete;
  ~receiver() {
    if (!shared_)
      return;
    std::lock_guard lock(shared_->mutex);
    --shared_->receivers;
  }

  class recv_awaiter : public asyncrt::detail::cancellable_wait<recv_awaiter> {
    using wait = asyncrt::detail::cancellable_wait<recv_awaiter>;

  public:
    explicit recv_awaiter(receiver &r) : receiver_(r) {}
    // Copied (moved) only before it is awaited.
    recv_awaiter(const recv_awaiter &other)
        : wait(other), receiver_(other.receiver_) {}
    ~recv_awaiter() { this->abandon(); }

    bool await_ready() {
      if (asyncrt::detail::self_cancelled())
        return true;
      bool ready;
      {
        std::lock_guard lock(receiver_.shared_->mutex);
        ready = receiver_.ready_locked();
      }
      return ready && this->completed_now();
    }
    bool await_suspend(std::coroutine_handle<> h) { return this->park(h); }
    received<T> await_resume() {
      this->resumed();
      asyncrt::detail::throw_if_cancelled();
      std::lock_guard lock(receiver_.shared_->mutex);
      return receiver_.take_locked();
    }

  private:
    friend class asyncrt::detail::cancellable_wait<recv_awaiter>;
    bool publish() {
      std::lock_guard lock(receiver_.shared_->mutex);
      if (receiver_.ready_locked())
        return false;
      receiver_.shared_->waiting.push_back(&this->node());
      return true;
    }
    bool withdraw() {
      std::lock_guard lock(receiver_.shared_->mutex);
      return wait::leave_queue(receiver_.shared_->waiting, &this->node());
    }
    void give_back() {} // nothing is taken before await_resume

    receiver &receiver_;
  };

  /// The next value, or how many were missed, or the end; see received.
  /// Cancel-safe.
  ASYNCRT_CANCEL_SAFE recv_awaiter recv() { return recv_awaiter(*this); }

private:
  friend class sender<T>;
  template <class U>
  friend std::pair<sender<U>, receiver<U>> channel(std::size_t capacity);
  explicit receiver(std::shared_ptr<detail::shared<T>> s)
      : shared_(std::move(s)) {
    std::lock_guard lock(shared_->mutex);
    ++shared_->receivers;
    next_ = shared_->next;
  }

  bool ready_locked() const {
    return next_ != shared_->next || shared_->senders == 0;
  }
  // Called when ready_locked() holds (a wake-up comes only from a send or
  // the last sender leaving, and nothing takes a receiver's values but it).
  received<T> take_locked() {
    received<T> out;
    detail::shared<T> &s = *shared_;
    if (next_ < s.first) {
      out.lagged_ = s.first - next_;
      next_ = s.first;
    } else if (next_ < s.next) {
      out.value_.emplace(s.kept[next_ - s.first]);
      ++next_;
    }
    return out;
  }

  std::shared_ptr<detail::shared<T>> shared_;
  std::uint64_t next_ = 0;
};

/// A broadcast channel keeping the last \p capacity values (at least 1).
template <class T>
std::pair<sender<T>, receiver<T>> channel(std::size_t capacity) {
  auto s = std::make_shared<detail::shared<T>>(capacity);
  receiver<T> rx(s);
  return {sender<T>(std::move(s)), std::move(rx)};
}

} // namespace asyncrt::broadcast

#endif // ASYNCRT_BROADCAST_HPP
