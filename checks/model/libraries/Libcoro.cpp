//===--- Libcoro.cpp - the model's table for libcoro ----------------------===//

#include "model/LibraryTable.h"

namespace clang::tidy::corolint::model {

// Source of truth: libcoro 0.12 (github.com/jbaldwin/libcoro):
// include/coro/task.hpp, sync_wait.hpp, when_all.hpp, when_any.hpp,
// thread_pool.hpp, io_scheduler.hpp, task_container.hpp, semaphore.hpp.
LibraryTable libcoroTable() {
  LibraryTable T;
  T.Name = "libcoro";
  T.Source = "libcoro 0.12 headers (include/coro)";
  T.Namespaces = {"coro::"};
  T.role(Role::LazyTaskType) = {"coro::task"};
  T.role(Role::Spawn) = {"coro::(io_scheduler|thread_pool)::spawn",
                         "coro::task_container::start"};
  T.role(Role::Select) = {"coro::when_any"};
  T.role(Role::JoinAll) = {"coro::when_all"};
  T.role(Role::Bounding) = {"coro::semaphore::acquire"};
  // Timer waits take nothing before they complete.
  T.role(Role::CancelSafe) = {
      "coro::io_scheduler::(yield_for|yield_until|schedule_after|schedule_at)"};
  T.advice(BlockingKind::Sleep) =
      "use 'co_await scheduler->yield_for(...)' (a 'coro::io_scheduler')";
  T.advice(BlockingKind::BlockOn) =
      "'co_await' the task instead: 'coro::sync_wait' from inside a coroutine "
      "blocks a thread of the scheduler that should resume it";
  T.advice(BlockingKind::Offload) =
      "'co_await' a 'coro::thread_pool''s 'schedule()' first, then make the "
      "call";
  T.advice(BlockingKind::Spin) =
      "'co_await scheduler->yield()' inside it (a 'coro::thread_pool' or "
      "'coro::io_scheduler'), or move the work to a thread pool";
  T.advice(FanoutKind::SpawnInLoop) =
      "take a 'coro::semaphore' permit ('co_await sem.acquire()') before "
      "each spawn and release it when the task ends, or await batches with "
      "'coro::when_all'";
  T.advice(FanoutKind::JoinAll) =
      "await batches of at most n tasks (one 'coro::when_all' per batch), or "
      "bound them with a 'coro::semaphore'";
  return T;
}

} // namespace clang::tidy::corolint::model
