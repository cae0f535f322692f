// asyncrt::oneshot: a channel for exactly one value.
//
//   auto [tx, rx] = asyncrt::oneshot::channel<int>();
//   tx.send(42);                                   // never waits
//   std::optional<int> v = co_await std::move(rx); // nullopt: sender dropped
//
// Thread safety: the sender and the receiver may live on different threads.
// Cancel safety: awaiting the receiver is cancel-safe: the value is taken
// only when the co_await returns, and a cancelled await can be repeated.
#ifndef ASYNCRT_ONESHOT_HPP
#define ASYNCRT_ONESHOT_HPP

#include <asyncrt/annotations.hpp>
#include <asyncrt/detail/cancellable_wait.hpp>
#include <asyncrt/detail/scheduler.hpp>
#include <asyncrt/detail/short_mutex.hpp>
#include <asyncrt/mpsc.hpp>

#include <memory>
#include <mutex>
#include <optional>
#include <utility>

namespace asyncrt::oneshot {

template <class T> class sender;
template <class T> class receiver;

namespace detail {
using asyncrt::detail::waiter;

template <class T> struct channel_state {
  asyncrt::detail::short_mutex mutex;
  std::optional<T> value;
  bool sender_gone = false;
  bool receiver_gone = false;
  waiter *receiver_waiting = nullptr;

  bool ready_locked() const { return value || sender_gone; }
  void wake_receiver_locked(std::optional<waiter> &woken) {
    if (waiter *w = std::exchange(receiver_waiting, nullptr))
      woken = *w;
  }
};

template <class T>
class recv_awaiter : public asyncrt::detail::cancellable_wait<recv_awaiter<T>> {
  using base = asyncrt::detail::cancellable_wait<recv_awaiter<T>>;

public:
  explicit recv_awaiter(std::shared_ptr<channel_state<T>> state)
      : state_(std::move(state)) {}
  // Copied (moved) only before it is awaited.
  recv_awaiter(const recv_awaiter &other) : base(other), state_(other.state_) {}
  ~recv_awaiter() { this->abandon(); }

  bool await_ready() {
    if (asyncrt::detail::self_cancelled())
      return true;
    bool ready;
    {
      std::lock_guard lock(state_->mutex);
      ready = state_->ready_locked();
    }
    return ready && this->completed_now();
  }
  bool await_suspend(std::coroutine_handle<> h) { return this->park(h); }
  std::optional<T> await_resume() {
    this->resumed();
    asyncrt::detail::throw_if_cancelled();
    std::lock_guard lock(state_->mutex);
    return std::exchange(state_->value, std::nullopt);
  }

private:
  friend base;
  bool publish() {
    std::lock_guard lock(state_->mutex);
    if (state_->ready_locked())
      return false;
    state_->receiver_waiting = &this->node();
    return true;
  }
  bool withdraw() {
    return this->leave_slot(state_->mutex, state_->receiver_waiting);
  }
  void give_back() {} // the value is taken only on resumption

  std::shared_ptr<channel_state<T>> state_;
};
} // namespace detail

template <class T> class sender {
public:
  sender(sender &&) noexcept = default;
  sender &operator=(sender &&other) noexcept {
    if (this != &other) {
      drop();
      state_ = std::move(other.state_);
    }
    return *this;
  }
  ~sender() { drop(); }

  /// Delivers \p value; the result is false, holding it, if the receiver is
  /// gone, or if this sender was already consumed by an earlier send (one
  /// value per channel). Never waits.
  send_result<T> send(T value) {
    if (!state_)
      return send_result<T>(std::move(value));
    auto state = std::move(state_);
    std::optional<detail::waiter> woken;
    {
      std::lock_guard lock(state->mutex);
      state->sender_gone = true;
      if (state->receiver_gone)
        return send_result<T>(std::move(value));
      state->value.emplace(std::move(value));
      state->wake_receiver_locked(woken);
    }
    if (woken)
      woken->wake();
    return {};
  }

  /// True once the receiver is gone (or this sender has sent).
  bool is_closed() const {
    if (!state_)
      return true;
    std::lock_guard lock(state_->mutex);
    return state_->receiver_gone;
  }

private:
  template <class U> friend std::pair<sender<U>, receiver<U>> channel();
  explicit sender(std::shared_ptr<detail::channel_state<T>> state)
      : state_(std::move(state)) {}
  void drop() {
    if (!state_)
      return;
    std::optional<detail::waiter> woken;
    {
      std::lock_guard lock(state_->mutex);
      state_->sender_gone = true;
      state_->wake_receiver_locked(woken);
    }
    if (woken)
      woken->wake();
    state_.reset();
  }
  std::shared_ptr<detail::channel_state<T>> state_;
};

template <class T> class receiver {
public:
  receiver(receiver &&) noexcept = default;
  receiver &operator=(receiver &&other) noexcept {
    if (this != &other) {
      drop();
      state_ = std::move(other.state_);
    }
    return *this;
  }
  ~receiver() { drop(); }

  /// The value, or nullopt if the sender was dropped without sending.
  /// Cancel-safe.
  ASYNCRT_CANCEL_SAFE detail::recv_awaiter<T> operator co_await() {
    return detail::recv_awaiter<T>(state_);
  }

  /// The value if it has been sent (taking it), else nullopt.
  std::optional<T> try_recv() {
    std::lock_guard lock(state_->mutex);
    return std::exchange(state_->value, std::nullopt);
  }

private:
  template <class U> friend std::pair<sender<U>, receiver<U>> channel();
  explicit receiver(std::shared_ptr<detail::channel_state<T>> state)
      : state_(std::move(state)) {}
  void drop() {
    if (!state_)
      return;
    std::lock_guard lock(state_->mutex);
    state_->receiver_gone = true;
  }
  std::shared_ptr<detail::channel_state<T>> state_;
};

template <class T> std::pair<sender<T>, receiver<T>> channel() {
  auto state = std::make_shared<detail::channel_state<T>>();
  return {sender<T>(state), receiver<T>(state)};
}

} // namespace asyncrt::oneshot

#endif // ASYNCRT_ONESHOT_HPP
