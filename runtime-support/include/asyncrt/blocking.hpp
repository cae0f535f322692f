// asyncrt::spawn_blocking: run CPU-bound or blocking work off the workers.
//
//   int x = co_await asyncrt::spawn_blocking([] { return crunch(); });
//
// The function runs on one of the runtime's blocking threads (created on
// demand, up to runtime_options::max_blocking_threads; further jobs queue),
// so the workers keep running tasks meanwhile. This is the fix that
// corolint's async-blocking-call suggests for a blocking call in a
// coroutine.
//
// Thread safety: callable from a runtime's threads; the function runs on
// another thread, so what it captures must be safe to use there.
// Cancellation: the returned join_handle's abort() only prevents a job that
// has not started; a running function cannot be interrupted. When the
// runtime shuts down it waits for the running functions and drops the
// queued ones, whose handles then report cancellation (as tokio does); on a
// runtime already shutting down, spawn_blocking queues nothing and its
// handle reports cancellation. Awaiting the handle is cancel-safe.
#ifndef ASYNCRT_BLOCKING_HPP
#define ASYNCRT_BLOCKING_HPP

#include <asyncrt/annotations.hpp>
#include <asyncrt/detail/scheduler.hpp>
#include <asyncrt/spawn.hpp>

#include <exception>
#include <memory>
#include <source_location>
#include <type_traits>
#include <utility>

namespace asyncrt {

template <class F, class R = std::invoke_result_t<std::decay_t<F> &>>
ASYNCRT_SPAWN_LIKE join_handle<R>
spawn_blocking(F &&function,
               std::source_location where = std::source_location::current()) {
  detail::scheduler &s = detail::current_scheduler();
  auto state = std::make_shared<detail::join_state<R>>();
  state->context.spawned_at = where;
  state->report_if_lost = true;
  bool queued = s.run_blocking(
      [state, fn = std::forward<F>(function)]() mutable {
        if (state->context.is_cancelled()) {
          state->error = std::make_exception_ptr(cancelled());
        } else {
          try {
            if constexpr (std::is_void_v<R>) {
              fn();
              state->value.emplace();
            } else {
              state->value.emplace(fn());
            }
          } catch (...) {
            state->error = std::current_exception();
          }
        }
        state->finish();
      },
      &state->context);
  if (!queued) { // the runtime is shutting down
    state->context.request_cancel();
    state->error = std::make_exception_ptr(cancelled());
    state->finish();
  }
  return detail::handle_access::make(std::move(state));
}

} // namespace asyncrt

#endif // ASYNCRT_BLOCKING_HPP
