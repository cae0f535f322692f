//===--- Asyncrt.cpp - the model's table for asyncrt ----------------------===//

#include "model/LibraryTable.h"

namespace clang::tidy::corolint::model {

// Source of truth: runtime-support/include/asyncrt (time.hpp, spawn.hpp,
// waker.hpp, blocking.hpp, mpsc.hpp, semaphore.hpp, stream_adaptors.hpp,
// task_group.hpp, combinators.hpp). asyncrt annotates its spawn, select,
// bounds, blocking and cancel-safety itself (<asyncrt/annotations.hpp>); the
// table adds what annotations cannot say and the advice.
LibraryTable asyncrtTable() {
  LibraryTable T;
  T.Name = "asyncrt";
  T.Source = "runtime-support/include/asyncrt";
  T.Namespaces = {"asyncrt::"};
  T.role(Role::JoinAll) = {"asyncrt::join_all"};
  // waker.hpp: waking a task puts it back in its run queue at once.
  T.role(Role::HandOff) = {"asyncrt::waker::wake"};
  T.role(Role::Reschedule) = {"asyncrt::waker::wake"};
  T.advice(BlockingKind::Sleep) = "use 'co_await asyncrt::sleep(...)'";
  T.advice(BlockingKind::Future) =
      "await the task or its join handle instead of a std::future";
  T.advice(BlockingKind::Join) =
      "await a join handle ('co_await asyncrt::spawn(...)') instead";
  T.advice(BlockingKind::Wait) =
      "wait on an async primitive (a channel or a semaphore) instead";
  T.advice(BlockingKind::IO) =
      "use asynchronous I/O, or move the call into 'asyncrt::spawn_blocking'";
  T.advice(BlockingKind::BlockOn) =
      "'co_await' the task instead: blocking on the runtime from one of its "
      "worker threads deadlocks";
  T.advice(BlockingKind::Offload) =
      "move the call into 'asyncrt::spawn_blocking'";
  T.advice(BlockingKind::Spin) =
      "add 'co_await asyncrt::yield_now()' inside it, or move the work to "
      "'asyncrt::spawn_blocking'";
  T.advice(FanoutKind::SpawnInLoop) =
      "acquire a semaphore permit before spawning, or use "
      "'buffer_unordered(n)', 'for_each_concurrent(n, f)' or a task group "
      "with a concurrency limit";
  T.advice(FanoutKind::JoinAll) =
      "use 'buffer_unordered(n)', 'for_each_concurrent(n, f)' or a task group "
      "with a concurrency limit";
  return T;
}

} // namespace clang::tidy::corolint::model
