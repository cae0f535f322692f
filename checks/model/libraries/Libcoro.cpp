//===--- Libcoro.cpp - the model's table for libcoro ----------------------===//

#include "model/LibraryTable.h"

namespace clang::tidy::corolint::model {

// Source of truth: libcoro 0.12 and its main branch of 2026-03 (277467f,
// github.com/jbaldwin/libcoro): include/coro/task.hpp, sync_wait.hpp,
// when_all.hpp, when_any.hpp, thread_pool.hpp, io_scheduler.hpp (0.12) and
// scheduler.hpp (main), task_container.hpp (0.12) and task_group.hpp
// (main), semaphore.hpp.
LibraryTable libcoroTable() {
  LibraryTable T;
  T.Name = "libcoro";
  T.Source = "libcoro 0.12 and main 277467f headers (include/coro)";
  T.Namespaces = {"coro::"};
  T.role(Role::LazyTaskType) = {"coro::task"};
  T.role(Role::Spawn) = {
      "coro::(io_scheduler|scheduler|thread_pool)::spawn(_detached|_joinable)?",
      "coro::(task_container|task_group)::start"};
  T.role(Role::Select) = {"coro::when_any"};
  T.role(Role::JoinAll) = {"coro::when_all"};
  T.role(Role::Bounding) = {"coro::semaphore::acquire"};
  // Timer waits take nothing before they complete.
  T.role(Role::CancelSafe) = {
      "coro::(io_)?scheduler::(yield_for|yield_until|schedule_after|"
      "schedule_at)"};
  // shutdown() stops the pool and joins its threads, after the tasks.
  T.blocking(BlockingKind::Join) = {
      "coro::(io_scheduler|scheduler|thread_pool)::shutdown"};
  T.advice(BlockingKind::Join) =
      "'co_await' the tasks (a joinable spawn, a 'coro::task_group') "
      "instead of shutting the executor down from inside it";
  T.advice(BlockingKind::Sleep) =
      "use 'co_await scheduler->yield_for(...)' (a 'coro::scheduler')";
  T.advice(BlockingKind::BlockOn) =
      "'co_await' the task instead: 'coro::sync_wait' from inside a coroutine "
      "blocks a thread of the scheduler that should resume it";
  T.advice(BlockingKind::Offload) =
      "'co_await' a 'coro::thread_pool''s 'schedule()' first, then make the "
      "call";
  T.advice(BlockingKind::Spin) =
      "'co_await scheduler->yield()' inside it (a 'coro::thread_pool' or "
      "'coro::scheduler'), or move the work to a thread pool";
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
