//===--- AsyncSimple.cpp - the model's table for async_simple -------------===//

#include "model/LibraryTable.h"

namespace clang::tidy::corolint::model {

// Source of truth: async_simple 1.3 (github.com/alibaba/async_simple):
// async_simple/coro/Lazy.h, SyncAwait.h, Collect.h, Sleep.h,
// CountingSemaphore.h; async_simple/Future.h. collectAllWindowed bounds
// itself, so it is not listed as a join-all.
LibraryTable asyncSimpleTable() {
  LibraryTable T;
  T.Name = "async_simple";
  T.Source = "async_simple 1.3 headers (async_simple/coro)";
  T.Namespaces = {"async_simple::"};
  T.role(Role::LazyTaskType) = {"async_simple::coro::Lazy",
                                "async_simple::coro::RescheduleLazy"};
  T.role(Role::Spawn) = {
      "async_simple::coro::(Reschedule)?Lazy::(start|detach)"};
  T.role(Role::Select) = {"async_simple::coro::collectAny"};
  T.role(Role::JoinAll) = {"async_simple::coro::collectAll(Para)?"};
  T.role(Role::Bounding) = {"async_simple::coro::CountingSemaphore::acquire"};
  T.role(Role::CancelSafe) = {"async_simple::coro::sleep"};
  T.blocking(BlockingKind::BlockOn) = {"async_simple::coro::syncAwait"};
  T.blocking(BlockingKind::Future) = {"async_simple::Future::(get|wait)"};
  T.advice(BlockingKind::Sleep) =
      "use 'co_await async_simple::coro::sleep(...)'";
  T.advice(BlockingKind::Future) =
      "'co_await' the future instead of blocking on it";
  T.advice(BlockingKind::BlockOn) =
      "'co_await' the Lazy instead: 'async_simple::coro::syncAwait' from "
      "inside a coroutine blocks the executor's thread that should resume it";
  T.advice(BlockingKind::Offload) =
      "run the call on another 'async_simple::Executor' (a Lazy started "
      "there with 'via') and 'co_await' its result";
  T.advice(BlockingKind::Spin) =
      "add 'co_await async_simple::coro::Yield{}' inside it, or move the "
      "work to another executor";
  T.advice(FanoutKind::SpawnInLoop) =
      "take an 'async_simple::coro::CountingSemaphore' permit before each "
      "start, or use 'async_simple::coro::collectAllWindowed(n, ...)'";
  T.advice(FanoutKind::JoinAll) =
      "use 'async_simple::coro::collectAllWindowed(n, ...)' instead";
  return T;
}

} // namespace clang::tidy::corolint::model
