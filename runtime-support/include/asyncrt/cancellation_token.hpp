// asyncrt::cancellation_token: a user-initiated abort signal, with children.
//
//   asyncrt::cancellation_token token;
//   auto child = token.child_token();       // cancelled with its parent
//   spawn(worker(child));
//   ...
//   token.cancel();                         // from any thread
//   // inside worker: co_await child.cancelled(), or
//   std::optional<int> r = co_await asyncrt::run_until_cancelled(child,
//   work());
//
// A token is a cheap handle to shared state: copies observe and cancel the
// same signal. Cancelling a child does not cancel its parent.
//
// Thread safety: every member is thread-safe; cancel() may be called from
// any thread, inside a runtime or not.
// Cancel safety: cancelled() is cancel-safe (waiting loses nothing).
// run_until_cancelled cancels its operation when the token fires, so the
// operation must be cancel-safe for nothing to be lost.
#ifndef ASYNCRT_CANCELLATION_TOKEN_HPP
#define ASYNCRT_CANCELLATION_TOKEN_HPP

#include <asyncrt/annotations.hpp>
#include <asyncrt/combinators.hpp>
#include <asyncrt/detail/cancellable_wait.hpp>
#include <asyncrt/detail/scheduler.hpp>
#include <asyncrt/task.hpp>

#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace asyncrt {

class cancellation_token {
public:
  cancellation_token() : state_(std::make_shared<state>()) {}

  /// Cancels this token and every child token, and wakes their waiters.
  /// Idempotent.
  void cancel() const { cancel(state_); }

  bool is_cancelled() const {
    std::lock_guard lock(state_->mutex);
    return state_->cancelled;
  }

  /// A token that is cancelled when this one is (or by itself).
  cancellation_token child_token() const {
    cancellation_token child;
    std::lock_guard lock(state_->mutex);
    if (state_->cancelled) {
      child.state_->cancelled = true;
      return child;
    }
    // Drop the children that no longer exist before the list doubles.
    if (state_->children.size() >= 2 * state_->live_children_hint + 8) {
      std::erase_if(state_->children,
                    [](const std::weak_ptr<state> &c) { return c.expired(); });
      state_->live_children_hint = state_->children.size();
    }
    state_->children.push_back(child.state_);
    return child;
  }

  /// Completes once the token is cancelled. Cancel-safe. Meant for select.
  ASYNCRT_CANCEL_SAFE task<void> cancelled() const { return wait_for(state_); }

private:
  struct state {
    std::mutex mutex;
    bool cancelled = false;
    std::vector<std::weak_ptr<state>> children;
    std::size_t live_children_hint = 0;
    std::vector<detail::waiter *> waiters;
  };

  // Holds the state itself, not the token: the task may outlive the token.
  static task<void> wait_for(std::shared_ptr<state> s) {
    co_await wait_awaiter(std::move(s));
  }

  // Iterative, not recursive: a chain of a hundred thousand generations of
  // child tokens must not exhaust the stack.
  static void cancel(const std::shared_ptr<state> &root) {
    std::vector<std::shared_ptr<state>> pending{root};
    while (!pending.empty()) {
      std::shared_ptr<state> s = std::move(pending.back());
      pending.pop_back();
      detail::wake_list woken;
      std::vector<std::weak_ptr<state>> children;
      {
        std::lock_guard lock(s->mutex);
        if (s->cancelled)
          continue;
        s->cancelled = true;
        for (detail::waiter *w : s->waiters)
          woken.push_back(*w);
        s->waiters.clear();
        children.swap(s->children);
      }
      woken.wake_all();
      for (const std::weak_ptr<state> &c : children)
        if (std::shared_ptr<state> child = c.lock())
          pending.push_back(std::move(child));
    }
  }

  struct wait_awaiter : public detail::cancellable_wait<wait_awaiter> {
    explicit wait_awaiter(std::shared_ptr<state> st) : s(std::move(st)) {}
    wait_awaiter(const wait_awaiter &other)
        : cancellable_wait(other), s(other.s) {}
    ~wait_awaiter() { abandon(); }
    std::shared_ptr<state> s;

    bool await_ready() {
      if (detail::self_cancelled())
        return true;
      bool fired;
      {
        std::lock_guard lock(s->mutex);
        fired = s->cancelled;
      }
      return fired && completed_now();
    }
    bool await_suspend(std::coroutine_handle<> h) { return park(h); }
    void await_resume() {
      resumed();
      detail::throw_if_cancelled();
    }

    bool publish() {
      std::lock_guard lock(s->mutex);
      if (s->cancelled)
        return false;
      s->waiters.push_back(&node());
      return true;
    }
    bool withdraw() {
      std::lock_guard lock(s->mutex);
      return leave_queue(s->waiters, &node());
    }
    void give_back() {}
  };

  std::shared_ptr<state> state_;
};

/// The value of \p work, or nullopt if \p token is cancelled first; then
/// \p work is cancelled and awaited (tokio-util's run_until_cancelled).
template <class T>
ASYNCRT_SELECT_LIKE task<std::optional<detail::stored_t<T>>>
run_until_cancelled(cancellation_token token, task<T> work) {
  auto winner = co_await select_biased(token.cancelled(), std::move(work));
  if (winner.index() == 0)
    co_return std::nullopt;
  co_return std::move(std::get<1>(winner));
}

} // namespace asyncrt

#endif // ASYNCRT_CANCELLATION_TOKEN_HPP
