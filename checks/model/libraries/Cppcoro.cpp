//===--- Cppcoro.cpp - the model's table for cppcoro ----------------------===//

#include "model/LibraryTable.h"

namespace clang::tidy::corolint::model {

// Source of truth: cppcoro (github.com/lewissbaker/cppcoro, master):
// include/cppcoro/task.hpp, shared_task.hpp, sync_wait.hpp, when_all.hpp,
// when_all_ready.hpp, async_scope.hpp, static_thread_pool.hpp,
// io_service.hpp, cancellation_token.hpp. cppcoro has no when_any and no
// semaphore.
LibraryTable cppcoroTable() {
  LibraryTable T;
  T.Name = "cppcoro";
  T.Source = "cppcoro master headers (include/cppcoro)";
  T.Namespaces = {"cppcoro::"};
  T.role(Role::LazyTaskType) = {"cppcoro::task", "cppcoro::shared_task"};
  T.role(Role::Spawn) = {"cppcoro::async_scope::spawn"};
  T.role(Role::JoinAll) = {"cppcoro::when_all", "cppcoro::when_all_ready"};
  // A timer wait takes nothing before it completes.
  T.role(Role::CancelSafe) = {"cppcoro::io_service::schedule_after"};
  T.role(Role::CancellationCheck) = {
      "cppcoro::cancellation_token::throw_if_cancellation_requested"};
  T.advice(BlockingKind::Sleep) =
      "use 'co_await io_service.schedule_after(...)' (a 'cppcoro::io_service')";
  T.advice(BlockingKind::BlockOn) =
      "'co_await' the task instead: 'cppcoro::sync_wait' from inside a "
      "coroutine blocks the thread that should resume it";
  T.advice(BlockingKind::Offload) =
      "'co_await' a 'cppcoro::static_thread_pool''s 'schedule()' first, then "
      "make the call";
  T.advice(BlockingKind::Spin) =
      "'co_await' a scheduler's 'schedule()' inside it (a "
      "'cppcoro::static_thread_pool' or 'cppcoro::io_service'), or move the "
      "work to a thread pool";
  T.advice(FanoutKind::SpawnInLoop) =
      "spawn at most n at a time into the 'cppcoro::async_scope' and "
      "'co_await scope.join()' per batch, or await batches with "
      "'cppcoro::when_all'";
  T.advice(FanoutKind::JoinAll) =
      "await batches of at most n tasks, one 'cppcoro::when_all' per batch";
  return T;
}

} // namespace clang::tidy::corolint::model
