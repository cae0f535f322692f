// asyncrt::stream<T>: a lazy, pull-based async generator.
//
//   asyncrt::stream<int> numbers(int n) {
//     for (int i = 0; i < n; ++i) {
//       co_await asyncrt::sleep(1ms);   // may await anything
//       co_yield i;
//     }
//   }
//   auto s = numbers(3);
//   while (std::optional<int> v = co_await s.next()) use(*v);
//
// Nothing runs until next() is awaited; each next() runs the body up to its
// next co_yield (the value) or its end (nullopt). An exception escaping the
// body is rethrown from next().
//
// Thread safety: a stream is used by one task at a time, like a task.
// Cancellation: the body runs inside the consuming task, so when that task
// is cancelled, the body's next suspension on a runtime awaitable throws
// asyncrt::cancelled, which unwinds the body and reaches the consumer through
// next(); the stream has then ended. A body that means to survive a
// cancelled next() catches the exception and co_yields
// detail::pass_cancellation{} (from_receiver does). Destroying a stream
// part-way destroys the body's frame (its destructors run). next() is
// cancel-safe only if the body's own awaits are: a value produced but not
// yet returned is lost with a cancelled next().
#ifndef ASYNCRT_STREAM_HPP
#define ASYNCRT_STREAM_HPP

#include <asyncrt/cancelled.hpp>
#include <asyncrt/detail/scheduler.hpp>
#include <asyncrt/task.hpp>

#include <atomic>
#include <coroutine>
#include <exception>
#include <optional>
#include <utility>

namespace asyncrt {

namespace detail {
/// co_yield'ed by a stream body that caught the cancellation of the task
/// consuming it and means to go on: next() throws asyncrt::cancelled to that
/// task, and the body resumes after the co_yield at the following next().
/// How a cancel-safe source (from_receiver) survives a cancelled next().
struct pass_cancellation {};
} // namespace detail

template <class T> class [[nodiscard]] stream {
public:
  using value_type = T;

  struct promise_type {
    stream get_return_object() noexcept {
      return stream(std::coroutine_handle<promise_type>::from_promise(*this));
    }
    std::suspend_always initial_suspend() noexcept { return {}; }
    detail::final_awaiter final_suspend() noexcept { return {}; }
    detail::final_awaiter
    yield_value(T v) noexcept(std::is_nothrow_move_constructible_v<T>) {
      value.emplace(std::move(v));
      return {};
    }
    detail::final_awaiter yield_value(detail::pass_cancellation) noexcept {
      exception = std::make_exception_ptr(cancelled());
      return {};
    }
    void return_void() noexcept {}
    void unhandled_exception() noexcept {
      exception = std::current_exception();
    }

    // Same handoff as a task's (task.hpp): whichever of "the body yielded or
    // ended" and "the consumer parked" happens second resumes the consumer.
    bool park(std::coroutine_handle<> caller) noexcept {
      continuation = caller;
      return !handoff.exchange(true, std::memory_order_acq_rel);
    }

    std::optional<T> value;
    std::exception_ptr exception;
    std::coroutine_handle<> continuation;
    std::atomic<bool> handoff{false};
  };
  using handle_type = std::coroutine_handle<promise_type>;

  stream() noexcept = default;
  stream(stream &&other) noexcept : frame_(std::exchange(other.frame_, {})) {}
  stream &operator=(stream &&other) noexcept {
    if (this != &other) {
      reset();
      frame_ = std::exchange(other.frame_, {});
    }
    return *this;
  }
  stream(const stream &) = delete;
  stream &operator=(const stream &) = delete;
  ~stream() { reset(); }

  class next_awaiter {
  public:
    explicit next_awaiter(handle_type frame) : frame_(frame) {}
    bool await_ready() const noexcept { return !frame_ || frame_.done(); }
    bool await_suspend(std::coroutine_handle<> caller) {
      auto &promise = frame_.promise();
      promise.value.reset();
      promise.handoff.store(false, std::memory_order_relaxed);
      if (!detail::scheduler::spend_budget()) {
        // The cooperative budget is spent: the body runs later, as a job of
        // this task after the others have had their turn, and hands the item
        // over when it has one. Nothing is produced before the yield, so a
        // cancellation meanwhile reaches the body's own awaits (a cancel-safe
        // source stays cancel-safe).
        promise.park(caller);
        detail::current_scheduler().schedule(frame_,
                                             detail::scheduler::current_task());
        return true;
      }
      frame_.resume();
      return promise.park(caller); // false: the item is ready now
    }
    std::optional<T> await_resume() {
      if (!frame_)
        return std::nullopt;
      auto &promise = frame_.promise();
      if (promise.exception)
        std::rethrow_exception(std::exchange(promise.exception, nullptr));
      return std::exchange(promise.value, std::nullopt);
    }

  private:
    handle_type frame_;
  };

  /// The next value, or nullopt once the body has ended.
  next_awaiter next() noexcept { return next_awaiter(frame_); }

private:
  explicit stream(handle_type frame) noexcept : frame_(frame) {}
  void reset() noexcept {
    if (frame_)
      std::exchange(frame_, {}).destroy();
  }
  handle_type frame_;
};

} // namespace asyncrt

#endif // ASYNCRT_STREAM_HPP
