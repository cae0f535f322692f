// asyncrt::task_group: structured concurrency with an optional limit.
//
//   co_await asyncrt::with_task_group(10, [&](asyncrt::bounded_task_group &g)
//                                             -> asyncrt::task<void> {
//     for (auto &url : urls)
//       co_await g.spawn(fetch(url));   // waits while 10 are running
//     co_await g.join_all();            // all done; the first error, if any
//   });
//
// The group owns the tasks spawned into it. Leaving with_task_group —
// normally, by an exception, or because the enclosing task was cancelled —
// cancels every child still running and waits until all have finished, so
// nothing outlives the scope (C++ cannot await in a destructor, which is why
// the group is a scope and not an object you drop). Then the body's
// exception, if any, is rethrown; otherwise a child's failure that neither
// join_all reported nor the child's handle rethrew to its owner is.
//
// Thread safety: a group is used by the task running its body (and the
// tasks it spawns may run anywhere). Cancellation: spawn() waiting for a slot
// is cancel-safe (it is a semaphore acquire); join_all() is cancel-safe (the
// children keep running until the scope ends).
#ifndef ASYNCRT_TASK_GROUP_HPP
#define ASYNCRT_TASK_GROUP_HPP

#include <asyncrt/annotations.hpp>
#include <asyncrt/semaphore.hpp>
#include <asyncrt/spawn.hpp>
#include <asyncrt/task.hpp>

#include <cstddef>
#include <exception>
#include <memory>
#include <optional>
#include <source_location>
#include <type_traits>
#include <utility>
#include <vector>

namespace asyncrt {

namespace detail {

template <class T>
task<T> holding(std::optional<semaphore::permit> permit, task<T> work) {
  (void)permit; // released when this frame ends
  co_return co_await std::move(work);
}

} // namespace detail

class task_group {
public:
  task_group(const task_group &) = delete;
  task_group &operator=(const task_group &) = delete;

  /// Spawns \p work into the group, first waiting for a free slot when the
  /// group has a concurrency limit. Yields the task's join handle.
  template <class T>
  ASYNCRT_SPAWN_LIKE task<join_handle<T>>
  spawn(task<T> work,
        std::source_location where = std::source_location::current()) {
    std::optional<semaphore::permit> permit;
    if (slots_)
      permit.emplace(co_await slots_->acquire());
    join_handle<T> handle = detail::spawn_on(
        detail::current_scheduler(),
        detail::holding(std::move(permit), std::move(work)), {where, {}});
    forget_finished();
    children_.push_back(detail::handle_access::state(handle));
    co_return handle;
  }

  /// Waits for every child spawned so far; rethrows the first failure (in
  /// spawn order) among them. Cancel-safe.
  task<void> join_all() {
    for (std::size_t i = 0; i < children_.size(); ++i) {
      detail::throw_if_cancelled();
      co_await detail::completion_wait(children_[i], true);
    }
    detail::throw_if_cancelled();
    std::exception_ptr error = first_failure();
    reported_ = error;
    if (error)
      std::rethrow_exception(error);
  }

  /// Children spawned and not yet finished.
  std::size_t running() const {
    std::size_t n = 0;
    for (const auto &c : children_)
      n += !c->done.load(std::memory_order_acquire);
    return n;
  }

private:
  template <class R, class Group, class F>
  friend task<R> with_task_group_impl(std::size_t, F);

protected:
  explicit task_group(std::size_t max_concurrency) {
    if (max_concurrency > 0)
      slots_.emplace(max_concurrency);
  }

  // Drops the finished children whose outcome no longer matters (not
  // failed), once the list has doubled, so that a long-lived group does not
  // grow without end.
  void forget_finished() {
    if (children_.size() < 2 * kept_ + 16)
      return;
    std::erase_if(children_, [](const auto &c) {
      return c->done.load(std::memory_order_acquire) && !c->error;
    });
    kept_ = children_.size();
  }

  std::exception_ptr first_failure() const {
    for (const auto &c : children_)
      if (c->done.load(std::memory_order_acquire) && c->error)
        return c->error;
    return nullptr;
  }

  // Cancels what still runs and waits for everything.
  task<void> close() {
    for (const auto &c : children_)
      if (!c->done.load(std::memory_order_acquire))
        c->context.request_cancel();
    for (const auto &c : children_)
      co_await detail::completion_wait(c, false);
  }

  std::vector<std::shared_ptr<detail::join_state_base>> children_;
  std::size_t kept_ = 0;
  std::optional<semaphore> slots_;
  std::exception_ptr reported_;

  bool unreported_failure(std::exception_ptr &out) const {
    for (const auto &c : children_) {
      // Reported by join_all, or rethrown to whoever awaited its handle.
      if (!c->error || c->error == reported_ || c->error_was_observed())
        continue;
      try {
        std::rethrow_exception(c->error);
      } catch (const cancelled &) {
        continue; // cancelled by the scope itself
      } catch (...) {
        out = c->error;
        return true;
      }
    }
    return false;
  }
};

/// A task group with a concurrency limit: spawn() waits while the limit's
/// worth of children run. (A distinct type so that corolint can tell it
/// bounds the fan-out: its spawn is annotated bounds_concurrency, the
/// unbounded group's spawn_like.)
class bounded_task_group : public task_group {
public:
  template <class T>
  ASYNCRT_BOUNDS_CONCURRENCY task<join_handle<T>>
  spawn(task<T> work,
        std::source_location where = std::source_location::current()) {
    return task_group::spawn(std::move(work), where);
  }

private:
  template <class R, class Group, class F>
  friend task<R> with_task_group_impl(std::size_t, F);
  explicit bounded_task_group(std::size_t max_concurrency)
      : task_group(max_concurrency) {}
};

template <class R, class Group, class F>
task<R> with_task_group_impl(std::size_t max_concurrency, F body) {
  Group group(max_concurrency);
  std::exception_ptr error;
  std::optional<detail::stored_t<R>> result;
  try {
    if constexpr (std::is_void_v<R>) {
      co_await body(group);
      result.emplace();
    } else {
      result.emplace(co_await body(group));
    }
  } catch (...) {
    error = std::current_exception();
  }
  co_await group.close();
  if (error)
    std::rethrow_exception(error);
  if (std::exception_ptr failed; group.unreported_failure(failed))
    std::rethrow_exception(failed);
  if constexpr (!std::is_void_v<R>)
    co_return std::move(*result);
}

/// Runs \p body, which takes a task_group& and returns a task, with a group
/// that has no concurrency limit; see the header comment.
template <class F>
auto with_task_group(F body) -> std::invoke_result_t<F &, task_group &> {
  using result_task = std::invoke_result_t<F &, task_group &>;
  return with_task_group_impl<typename result_task::value_type, task_group>(
      0, std::move(body));
}

/// Runs \p body, which takes a bounded_task_group& and returns a task, with
/// at most \p max_concurrency children running at once (at least 1).
template <class F>
auto with_task_group(std::size_t max_concurrency, F body)
    -> std::invoke_result_t<F &, bounded_task_group &> {
  using result_task = std::invoke_result_t<F &, bounded_task_group &>;
  return with_task_group_impl<typename result_task::value_type,
                              bounded_task_group>(
      max_concurrency == 0 ? 1 : max_concurrency, std::move(body));
}

} // namespace asyncrt

#endif // ASYNCRT_TASK_GROUP_HPP
