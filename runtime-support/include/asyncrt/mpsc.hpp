// asyncrt::mpsc: a bounded multi-producer, single-consumer channel.
//
//   auto [tx, rx] = asyncrt::mpsc::channel<int>(100);
//   co_await tx.send(1);                    // waits while the channel is full
//   std::optional<int> got = co_await rx.recv();   // nullopt: closed, drained
//
// Backpressure: at most `capacity` values are queued or reserved; send and
// reserve wait, in arrival order (FIFO), until a slot is free. Senders are
// copyable; recv yields nullopt once every sender (and every unused permit)
// is gone and the queue is drained, or once the receiver closed the channel
// and the queue is drained. Dropping the receiver closes the channel and
// drops what is queued; waiting senders get their value back.
//
// Cancel safety, as tokio's:
//  - recv():    cancel-safe. A value is taken only when the co_await
//               returns; a cancelled receive leaves it queued.
//  - reserve(): cancel-safe. A cancelled wait gives up its place; a permit
//               already granted is released when dropped.
//  - send(v):   NOT cancel-safe. Cancelled while waiting for a slot, the
//               value is destroyed with the operation. In a select or a
//               timeout, reserve() first (cancel-safe), then permit.send(v),
//               which never waits.
//
// Thread safety: senders, the receiver and permits may be used from any
// threads; one object is not used by two threads at once.
#ifndef ASYNCRT_MPSC_HPP
#define ASYNCRT_MPSC_HPP

#include <asyncrt/annotations.hpp>
#include <asyncrt/detail/block_cache.hpp>
#include <asyncrt/detail/cancellable_wait.hpp>
#include <asyncrt/detail/scheduler.hpp>
#include <asyncrt/detail/short_mutex.hpp>

#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <utility>
#include <vector>

namespace asyncrt {

/// What a send that could not deliver hands back.
template <class T> class send_result {
public:
  send_result() = default;
  explicit send_result(T undelivered) : returned_(std::move(undelivered)) {}
  /// True if the value was delivered.
  explicit operator bool() const noexcept { return !returned_; }
  /// The undelivered value (the receiver is gone).
  std::optional<T> &returned() noexcept { return returned_; }

private:
  std::optional<T> returned_;
};

enum class try_send_status { sent, full, closed };

namespace mpsc {

template <class T> class sender;
template <class T> class receiver;
template <class T> class permit;

namespace detail {
using asyncrt::detail::waiter;
using asyncrt::detail::wake_list;

template <class T> struct channel_state {
  explicit channel_state(std::size_t cap) : capacity(cap) {}

  struct slot_wait {
    waiter *wakeup = nullptr;
    enum { waiting, granted, closed } outcome = waiting; // guarded by mutex
  };

  std::size_t free_slots_locked() const {
    return capacity - queue.size() - reserved;
  }
  // A sender may take a slot now: one is free and no sender waits ahead.
  bool slot_free_now_locked() const {
    return send_waiters.empty() && free_slots_locked() > 0;
  }
  // Queues a value for which slot_free_now_locked() held.
  template <class U> void queue_locked(U &&value, wake_list &woken) {
    queue.push_back(std::forward<U>(value));
    wake_receiver_locked(woken);
  }
  bool ended_locked() const {
    return queue.empty() && reserved == 0 && (closed || senders == 0);
  }
  // Grants free slots to waiting senders, in order.
  void serve_senders_locked(wake_list &woken) {
    while (!send_waiters.empty() && free_slots_locked() > 0) {
      slot_wait *next = send_waiters.front();
      send_waiters.pop_front();
      ++reserved;
      next->outcome = slot_wait::granted;
      woken.push_back(*next->wakeup);
    }
  }
  void wake_receiver_locked(wake_list &woken) {
    if (waiter *r = std::exchange(receiver_waiting, nullptr))
      woken.push_back(*r);
  }
  void close_locked(wake_list &woken) {
    closed = true;
    for (slot_wait *w : send_waiters) {
      w->outcome = slot_wait::closed;
      woken.push_back(*w->wakeup);
    }
    send_waiters.clear();
    if (ended_locked())
      wake_receiver_locked(woken);
  }

  // A granted slot, used (value queued) or given back. A slot granted before
  // the receiver closed the channel still delivers (close() promises what
  // was granted can be received); only a receiver that is gone refuses, and
  // the value comes back.
  std::optional<T> use_slot(std::optional<T> value) {
    wake_list woken;
    {
      std::lock_guard lock(mutex);
      --reserved;
      if (value && !receiver_gone) {
        queue.push_back(std::move(*value));
        value.reset();
      } else {
        serve_senders_locked(woken);
      }
      if (!queue.empty() || ended_locked())
        wake_receiver_locked(woken);
    }
    woken.wake_all();
    return value;
  }

  asyncrt::detail::short_mutex mutex;
  const std::size_t capacity;
  // Its blocks (a few hundred bytes of values each) come from the block
  // cache: a queue that values pass through makes and frees one every so
  // many values, which went to the heap.
  std::deque<T, asyncrt::detail::cached_allocator_for<T>> queue;
  std::size_t reserved = 0; // slots granted to permits not yet used
  std::size_t senders = 0;
  bool closed = false;        // no new sends (close(), or the receiver gone)
  bool receiver_gone = false; // nothing will ever be received
  std::deque<slot_wait *> send_waiters;
  waiter *receiver_waiting = nullptr;
};

// Waits for a slot; yields a permit, or nullopt if the channel closed.
template <class T> class send_awaiter;

template <class T>
class reserve_awaiter
    : public asyncrt::detail::cancellable_wait<reserve_awaiter<T>> {
  using state_t = channel_state<T>;
  using base = asyncrt::detail::cancellable_wait<reserve_awaiter<T>>;

public:
  explicit reserve_awaiter(std::shared_ptr<state_t> state)
      : state_(std::move(state)) {
    node_.wakeup = &this->node();
  }
  // Copied (moved) only before it is awaited: nothing else to carry over.
  reserve_awaiter(const reserve_awaiter &other)
      : base(other), state_(other.state_) {
    node_.wakeup = &this->node();
  }
  ~reserve_awaiter() { this->abandon(); }

  bool await_ready() {
    if (asyncrt::detail::self_cancelled())
      return true;
    bool decided;
    {
      std::lock_guard lock(state_->mutex);
      decided = decide_locked();
    }
    return decided && this->completed_now();
  }
  bool await_suspend(std::coroutine_handle<> h) { return this->park(h); }
  std::optional<permit<T>> await_resume() {
    this->resumed();
    if (node_.outcome == state_t::slot_wait::granted) {
      node_.outcome = state_t::slot_wait::waiting; // the permit owns it now
      return permit<T>(state_);
    }
    if (node_.outcome == state_t::slot_wait::closed)
      return std::nullopt;
    asyncrt::detail::throw_if_cancelled();
    throw std::logic_error("asyncrt: mpsc reserve resumed without a slot");
  }

private:
  friend base;
  template <class> friend class send_awaiter;

  // Takes a slot now if one is free and nobody is ahead; true if decided.
  bool decide_locked() {
    if (state_->closed) {
      node_.outcome = state_t::slot_wait::closed;
      return true;
    }
    if (state_->slot_free_now_locked()) {
      ++state_->reserved;
      node_.outcome = state_t::slot_wait::granted;
      return true;
    }
    return false;
  }
  bool publish() {
    std::lock_guard lock(state_->mutex);
    if (decide_locked())
      return false;
    state_->send_waiters.push_back(&node_);
    return true;
  }
  bool withdraw() {
    std::lock_guard lock(state_->mutex);
    return base::leave_queue(state_->send_waiters, &node_);
  }
  // A slot granted and never taken goes back to the channel.
  void give_back() {
    bool granted;
    {
      std::lock_guard lock(state_->mutex);
      granted = node_.outcome == state_t::slot_wait::granted;
      node_.outcome = state_t::slot_wait::waiting;
    }
    if (granted)
      (void)state_->use_slot(std::nullopt);
  }

  std::shared_ptr<state_t> state_;
  typename state_t::slot_wait node_;
};

template <class T> class send_awaiter {
public:
  send_awaiter(std::shared_ptr<channel_state<T>> state, T value)
      : slot_(std::move(state)), value_(std::move(value)) {}
  // The fast path queues the value here, under one lock, when a slot is
  // free and no sender is ahead; otherwise it waits for a slot as reserve().
  bool await_ready() {
    if (asyncrt::detail::self_cancelled())
      return true;
    channel_state<T> &state = *slot_.state_;
    wake_list woken;
    {
      std::lock_guard lock(state.mutex);
      if (state.closed || !state.slot_free_now_locked()) {
        if (!slot_.decide_locked())
          return false;
      } else {
        state.queue_locked(std::move(value_), woken);
        delivered_ = true;
      }
    }
    woken.wake_all();
    return slot_.completed_now();
  }
  bool await_suspend(std::coroutine_handle<> h) {
    return slot_.await_suspend(h);
  }
  send_result<T> await_resume() {
    if (delivered_)
      return {};
    std::optional<permit<T>> granted = slot_.await_resume();
    if (!granted)
      return send_result<T>(std::move(value_));
    if (std::optional<T> back = granted->deliver(std::move(value_)))
      return send_result<T>(std::move(*back)); // the receiver is gone
    return {};
  }

private:
  reserve_awaiter<T> slot_;
  T value_;
  bool delivered_ = false;
};

template <class T>
class recv_awaiter : public asyncrt::detail::cancellable_wait<recv_awaiter<T>> {
  using state_t = channel_state<T>;
  using base = asyncrt::detail::cancellable_wait<recv_awaiter<T>>;

public:
  explicit recv_awaiter(std::shared_ptr<state_t> state)
      : state_(std::move(state)) {}
  // Copied (moved) only before it is awaited: nothing else to carry over.
  recv_awaiter(const recv_awaiter &other) : base(other), state_(other.state_) {}
  ~recv_awaiter() { this->abandon(); }

  // The fast path takes the value here, under the one lock: nothing can
  // run between a ready await_ready and its await_resume, so the value is
  // delivered (cancellation was checked first).
  bool await_ready() {
    if (asyncrt::detail::self_cancelled())
      return true;
    // With the budget spent, nothing is taken before the task yields: a
    // receive cancelled meanwhile (a select's loser) must leave the value
    // queued. Only this receiver takes, so what is decided stays decided.
    return decided() && this->completed_now() && take(true);
  }
  bool await_suspend(std::coroutine_handle<> h) { return this->park(h); }
  std::optional<T> await_resume() {
    if (taken_)
      return std::move(value_);
    this->resumed();
    // Checked before taking anything: a cancelled receive leaves the value
    // queued (cancel safety).
    asyncrt::detail::throw_if_cancelled();
    take(false);
    return std::move(value_);
  }

private:
  friend base;
  bool publish() {
    std::lock_guard lock(state_->mutex);
    if (!state_->queue.empty() || state_->ended_locked())
      return false;
    state_->receiver_waiting = &this->node();
    return true;
  }
  bool withdraw() {
    return this->leave_slot(state_->mutex, state_->receiver_waiting);
  }
  // A value taken (await_ready) but never handed out goes back to the front
  // of the channel.
  void give_back() {
    if (!taken_ || !value_)
      return;
    std::lock_guard lock(state_->mutex);
    state_->queue.push_front(std::move(*value_));
    value_.reset();
  }

  bool decided() {
    std::lock_guard lock(state_->mutex);
    return !state_->queue.empty() || state_->ended_locked();
  }

  // Takes the next value into value_ if there is one; true if the receive
  // is decided (a value, or the channel has ended). With only_if_decided,
  // an undecided receive takes nothing.
  bool take(bool only_if_decided) {
    wake_list woken;
    {
      std::lock_guard lock(state_->mutex);
      if (state_->queue.empty()) {
        if (only_if_decided && !state_->ended_locked())
          return false;
      } else {
        value_.emplace(std::move(state_->queue.front()));
        state_->queue.pop_front();
        state_->serve_senders_locked(woken);
      }
    }
    woken.wake_all();
    taken_ = true;
    return true;
  }

  std::shared_ptr<state_t> state_;
  std::optional<T> value_;
  bool taken_ = false;
};

} // namespace detail

/// A reserved slot: send() never waits and cannot fail for want of room.
/// Dropping it unused gives the slot back.
template <class T> class permit {
public:
  permit(permit &&other) noexcept : state_(std::move(other.state_)) {}
  permit &operator=(permit &&other) noexcept {
    if (this != &other) {
      release();
      state_ = std::move(other.state_);
    }
    return *this;
  }
  ~permit() { release(); }

  /// Queues \p value in the reserved slot, also after the receiver closed
  /// the channel (the slot was granted before); dropped only if the receiver
  /// is gone. Consumes the permit.
  void send(T value) { (void)deliver(std::move(value)); }

private:
  friend class detail::reserve_awaiter<T>;
  friend class detail::send_awaiter<T>;
  // send(), handing the value back when the receiver is gone.
  std::optional<T> deliver(T value) {
    if (auto state = std::move(state_))
      return state->use_slot(std::move(value));
    return std::optional<T>(std::move(value));
  }
  explicit permit(std::shared_ptr<detail::channel_state<T>> state)
      : state_(std::move(state)) {}
  void release() {
    if (auto state = std::move(state_))
      state->use_slot(std::nullopt);
  }
  std::shared_ptr<detail::channel_state<T>> state_;
};

template <class T> class sender {
public:
  sender(const sender &other) : state_(other.state_) { attach(); }
  sender(sender &&other) noexcept = default;
  sender &operator=(sender other) noexcept {
    std::swap(state_, other.state_);
    return *this;
  }
  ~sender() { detach(); }

  /// Waits for a slot, then queues \p value. Yields a send_result that is
  /// false, holding the value, if the receiver is gone. NOT cancel-safe:
  /// see the header comment.
  ASYNCRT_CANCEL_UNSAFE detail::send_awaiter<T> send(T value) const {
    return detail::send_awaiter<T>(state_, std::move(value));
  }

  /// Waits for a slot and holds it; nullopt if the receiver is gone.
  /// Cancel-safe.
  ASYNCRT_CANCEL_SAFE detail::reserve_awaiter<T> reserve() const {
    return detail::reserve_awaiter<T>(state_);
  }

  /// Queues \p value if a slot is free now; on `full` or `closed` the value
  /// is left where it was (it is moved from only when sent).
  template <class U> try_send_status try_send(U &&value) const {
    detail::wake_list woken;
    {
      std::lock_guard lock(state_->mutex);
      if (state_->closed)
        return try_send_status::closed;
      if (!state_->slot_free_now_locked())
        return try_send_status::full;
      state_->queue_locked(std::forward<U>(value), woken);
    }
    woken.wake_all();
    return try_send_status::sent;
  }

  /// True once the receiver is closed or gone.
  bool is_closed() const {
    std::lock_guard lock(state_->mutex);
    return state_->closed;
  }

private:
  template <class U>
  friend std::pair<sender<U>, receiver<U>> channel(std::size_t);
  explicit sender(std::shared_ptr<detail::channel_state<T>> state)
      : state_(std::move(state)) {
    attach();
  }
  void attach() {
    std::lock_guard lock(state_->mutex);
    ++state_->senders;
  }
  void detach() {
    if (!state_)
      return;
    detail::wake_list woken;
    {
      std::lock_guard lock(state_->mutex);
      if (--state_->senders == 0 && state_->ended_locked())
        state_->wake_receiver_locked(woken);
    }
    woken.wake_all();
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
  receiver(const receiver &) = delete;
  receiver &operator=(const receiver &) = delete;
  ~receiver() { drop(); }

  /// The next value; nullopt once the channel is closed and drained.
  /// Cancel-safe.
  ASYNCRT_CANCEL_SAFE detail::recv_awaiter<T> recv() {
    return detail::recv_awaiter<T>(state_);
  }

  /// The next value if one is queued now.
  std::optional<T> try_recv() {
    detail::wake_list woken;
    std::optional<T> value;
    {
      std::lock_guard lock(state_->mutex);
      if (state_->queue.empty())
        return std::nullopt;
      value.emplace(std::move(state_->queue.front()));
      state_->queue.pop_front();
      state_->serve_senders_locked(woken);
    }
    woken.wake_all();
    return value;
  }

  /// Refuses further sends (waiting senders get their values back); what is
  /// queued, or sent through permits already granted, can still be received.
  void close() {
    detail::wake_list woken;
    {
      std::lock_guard lock(state_->mutex);
      state_->close_locked(woken);
    }
    woken.wake_all();
  }

private:
  template <class U>
  friend std::pair<sender<U>, receiver<U>> channel(std::size_t);
  explicit receiver(std::shared_ptr<detail::channel_state<T>> state)
      : state_(std::move(state)) {}
  void drop() {
    if (!state_)
      return;
    detail::wake_list woken;
    decltype(state_->queue) dropped;
    {
      std::lock_guard lock(state_->mutex);
      state_->receiver_gone = true;
      state_->close_locked(woken);
      dropped.swap(state_->queue);
    }
    woken.wake_all();
    state_.reset();
  }

  std::shared_ptr<detail::channel_state<T>> state_;
};

/// A channel holding at most \p capacity values (at least 1).
template <class T>
std::pair<sender<T>, receiver<T>> channel(std::size_t capacity) {
  if (capacity == 0)
    throw std::invalid_argument("asyncrt: mpsc::channel capacity must be > 0");
  auto state = std::make_shared<detail::channel_state<T>>(capacity);
  return {sender<T>(state), receiver<T>(state)};
}

} // namespace mpsc
} // namespace asyncrt

#endif // ASYNCRT_MPSC_HPP
