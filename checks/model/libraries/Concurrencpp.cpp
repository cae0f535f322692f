//===--- Concurrencpp.cpp - the model's table for concurrencpp ------------===//

#include "model/LibraryTable.h"

namespace clang::tidy::corolint::model {

// Source of truth: concurrencpp 0.1.7 (github.com/David-Haim/concurrencpp):
// include/concurrencpp/results/result.h, lazy_result.h, shared_result.h,
// when_result.h, resume_on.h; executors/executor.h, derivable_executor.h;
// timers/timer_queue.h. A coroutine returning concurrencpp::null_result is
// fire-and-forget by design.
LibraryTable concurrencppTable() {
  LibraryTable T;
  T.Name = "concurrencpp";
  T.Source = "concurrencpp 0.1.7 headers (include/concurrencpp)";
  T.Namespaces = {"concurrencpp::"};
  T.role(Role::EagerTaskType) = {"concurrencpp::result",
                                 "concurrencpp::shared_result"};
  T.role(Role::LazyTaskType) = {"concurrencpp::lazy_result"};
  T.role(Role::FireAndForgetType) = {"concurrencpp::null_result"};
  T.role(Role::Spawn) = {
      "concurrencpp::[a-z_]*executor::(post|submit|bulk_post|bulk_submit)"};
  T.role(Role::Select) = {"concurrencpp::when_any"};
  T.role(Role::JoinAll) = {"concurrencpp::when_all"};
  T.blocking(BlockingKind::Future) = {
      "concurrencpp::(shared_)?result::(get|wait|wait_for|wait_until)"};
  T.advice(BlockingKind::Sleep) =
      "'co_await' a delay object instead "
      "('runtime.timer_queue()->make_delay_object(...)')";
  T.advice(BlockingKind::Future) =
      "'co_await' the result instead of blocking on it";
  T.advice(BlockingKind::Offload) =
      "submit the call to 'runtime.background_executor()' and 'co_await' its "
      "result";
  T.advice(BlockingKind::Spin) =
      "'co_await concurrencpp::resume_on(executor)' inside it, or submit the "
      "work to the background executor";
  T.advice(FanoutKind::SpawnInLoop) =
      "submit at most n at a time and await each batch with "
      "'concurrencpp::when_all'";
  T.advice(FanoutKind::JoinAll) =
      "await batches of at most n results, one 'concurrencpp::when_all' per "
      "batch";
  return T;
}

} // namespace clang::tidy::corolint::model
