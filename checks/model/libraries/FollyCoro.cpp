//===--- FollyCoro.cpp - the model's table for folly::coro ----------------===//

#include "model/LibraryTable.h"

namespace clang::tidy::corolint::model {

// Source of truth: folly (github.com/facebook/folly, v2024.x):
// folly/coro/Task.h, Collect.h, BlockingWait.h, Sleep.h, AsyncScope.h,
// CurrentExecutor.h; folly/futures/Future.h; folly/synchronization/Baton.h;
// folly/fibers/Semaphore.h. collectAllWindowed and collectAllTryWindowed
// are join-alls that bound themselves, so they are not listed as join-alls.
LibraryTable follyCoroTable() {
  LibraryTable T;
  T.Name = "folly::coro";
  T.Source = "folly v2024 headers (folly/coro, folly/futures)";
  T.Namespaces = {"folly::coro::", "folly::"};
  T.role(Role::LazyTaskType) = {"folly::coro::Task",
                                "folly::coro::TaskWithExecutor"};
  T.role(Role::Spawn) = {"folly::coro::TaskWithExecutor::start(Inline)?",
                         "folly::coro::(Cancellable)?AsyncScope::add"};
  T.role(Role::Select) = {
      "folly::coro::collectAny(WithoutException|NoDiscard)?"};
  T.role(Role::JoinAll) = {"folly::coro::collectAll(Try)?(Range)?"};
  T.role(Role::Bounding) = {"folly::fibers::Semaphore::co_wait"};
  T.role(Role::CancelSafe) = {"folly::coro::sleep(ReturnEarlyOnCancel)?"};
  T.blocking(BlockingKind::BlockOn) = {"folly::coro::blockingWait"};
  T.blocking(BlockingKind::Future) = {"folly::(Semi)?Future::(get|wait)"};
  T.blocking(BlockingKind::Wait) = {
      "folly::(Saturating)?Baton::(wait|try_wait_for|try_wait_until)"};
  T.advice(BlockingKind::Sleep) = "use 'co_await folly::coro::sleep(...)'";
  T.advice(BlockingKind::Future) =
      "'co_await' the future instead of blocking on it ('co_await "
      "std::move(future)')";
  T.advice(BlockingKind::Wait) =
      "wait on a 'folly::coro::Baton' instead ('co_await baton')";
  T.advice(BlockingKind::BlockOn) =
      "'co_await' the task instead: 'folly::coro::blockingWait' from inside "
      "a coroutine blocks the executor's thread that should resume it";
  T.advice(BlockingKind::Offload) =
      "run the call on a 'folly::CPUThreadPoolExecutor' and 'co_await' its "
      "result";
  T.advice(BlockingKind::Spin) =
      "add 'co_await folly::coro::co_reschedule_on_current_executor' inside "
      "it, or move the work to a CPU executor";
  T.advice(FanoutKind::SpawnInLoop) =
      "bound the tasks: 'co_await folly::coro::collectAllWindowed(tasks, n)', "
      "or wait on a 'folly::fibers::Semaphore' before each add";
  T.advice(FanoutKind::JoinAll) =
      "use 'folly::coro::collectAllWindowed(std::move(tasks), n)' instead";
  return T;
}

} // namespace clang::tidy::corolint::model
