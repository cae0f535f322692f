//===--- BoostCobalt.cpp - the model's table for Boost.Cobalt -------------===//

#include "model/LibraryTable.h"

namespace clang::tidy::corolint::model {

// Source of truth: Boost.Cobalt 1.86 (boost/cobalt/task.hpp, promise.hpp,
// detached.hpp, spawn.hpp, race.hpp, join.hpp, gather.hpp, run.hpp,
// channel.hpp). Cobalt's I/O and timers are Boost.Asio's operations, whose
// cancel safety Boost.Asio's table gives.
LibraryTable boostCobaltTable() {
  LibraryTable T;
  T.Name = "Boost.Cobalt";
  T.Source = "Boost.Cobalt 1.86 headers (boost/cobalt)";
  T.Namespaces = {"boost::cobalt::"};
  T.role(Role::LazyTaskType) = {"boost::cobalt::task"};
  T.role(Role::EagerTaskType) = {"boost::cobalt::promise"};
  T.role(Role::FireAndForgetType) = {"boost::cobalt::detached"};
  T.role(Role::Spawn) = {"boost::cobalt::spawn"};
  T.role(Role::Select) = {"boost::cobalt::(left_)?race"};
  T.role(Role::JoinAll) = {"boost::cobalt::(join|gather)"};
  T.blocking(BlockingKind::BlockOn) = {"boost::cobalt::run"};
  T.advice(BlockingKind::Sleep) = "'co_await' a 'boost::asio::steady_timer' "
                                  "('timer.async_wait(boost::cobalt::use_op)')";
  T.advice(BlockingKind::BlockOn) =
      "'co_await' the task instead: 'boost::cobalt::run' runs a new event "
      "loop on this thread";
  T.advice(BlockingKind::Offload) =
      "run it on a 'boost::asio::thread_pool' ('co_await "
      "boost::asio::post(pool, boost::cobalt::use_op)')";
  T.advice(BlockingKind::Spin) =
      "yield inside it ('co_await boost::asio::post(co_await "
      "boost::cobalt::this_coro::executor, boost::cobalt::use_op)')";
  T.advice(FanoutKind::SpawnInLoop) =
      "spawn in batches joined with 'boost::cobalt::join', or bound them "
      "with a 'boost::cobalt::channel' of capacity n";
  T.advice(FanoutKind::JoinAll) =
      "join at most n at a time (one 'boost::cobalt::join' per batch)";
  return T;
}

} // namespace clang::tidy::corolint::model
