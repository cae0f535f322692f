//===--- Neutral.cpp - the model's entries for any library ----------------===//

#include "model/LibraryTable.h"

namespace clang::tidy::corolint::model {

// For every library: names that mean the same whoever declares them, and
// the advice for a library without a table of its own, which names no API.
LibraryTable neutralTable() {
  LibraryTable T;
  T.Name = "any library";
  T.Source = "names common to async libraries";
  // A runtime's own entry points that run an event loop or a task to
  // completion on the calling thread.
  T.blocking(BlockingKind::BlockOn) = {"(.*::)?block_on", "(.*::)?sync_wait"};
  T.role(Role::CancellationCheck) = {
      ".*::is_cancelled", ".*::is_cancellation_requested", ".*::stop_requested",
      ".*::throw_if_cancelled", ".*::cancelled"};
  // What executors and queues call handing work (a coroutine handle) to
  // another thread: post, dispatch and defer (Asio, the Networking TS),
  // schedule, push, enqueue, submit, spawn.
  T.role(Role::HandOff) = {"(.*::)?(post|dispatch|defer|schedule|push|"
                           "push_back|enqueue|submit|spawn)"};
  // Of those, the ones that run the handle as soon as a thread is free,
  // whatever it waits for (an executor's queue, not a list of waiters).
  T.role(Role::Reschedule) = {"(.*::)?(post|dispatch|defer|schedule|submit)"};
  T.advice(BlockingKind::Sleep) = "'co_await' the runtime's timer instead";
  T.advice(BlockingKind::Future) =
      "'co_await' the operation instead of blocking on a std::future";
  T.advice(BlockingKind::Join) =
      "'co_await' the work (a task or its handle) instead of joining a thread";
  T.advice(BlockingKind::Wait) = "wait on an asynchronous primitive (an "
                                 "event, a channel, a semaphore) instead";
  T.advice(BlockingKind::IO) = "use asynchronous I/O, or run the call on a "
                               "thread pool and 'co_await' its result";
  T.advice(BlockingKind::BlockOn) =
      "'co_await' the task instead: blocking on the runtime from one of its "
      "worker threads deadlocks";
  T.advice(BlockingKind::Offload) =
      "run the call on a thread pool and 'co_await' its result";
  T.advice(BlockingKind::Spin) =
      "suspend inside it (yield to the runtime), or run the work on a thread "
      "pool and 'co_await' its result";
  T.advice(FanoutKind::SpawnInLoop) =
      "bound how many run at once: take a semaphore permit before each "
      "spawn, or spawn and await them in batches";
  T.advice(FanoutKind::JoinAll) =
      "await them in batches of at most n, or bound them with a semaphore";
  return T;
}

} // namespace clang::tidy::corolint::model
