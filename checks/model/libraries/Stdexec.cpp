//===--- Stdexec.cpp - the model's table for stdexec ----------------------===//

#include "model/LibraryTable.h"

namespace clang::tidy::corolint::model {

// Source of truth: stdexec (github.com/NVIDIA/stdexec, main):
// include/exec/task.hpp, exec/when_any.hpp, exec/async_scope.hpp,
// exec/static_thread_pool.hpp, stdexec/execution.hpp. Its algorithms are
// customisation-point objects: the model matches the object's name
// ("stdexec::sync_wait"), not its call operator's.
LibraryTable stdexecTable() {
  LibraryTable T;
  T.Name = "stdexec";
  T.Source = "stdexec main headers (include/exec, include/stdexec)";
  T.Namespaces = {"exec::", "stdexec::"};
  T.role(Role::LazyTaskType) = {"exec::task", "exec::basic_task"};
  T.role(Role::Spawn) = {"exec::async_scope::spawn(_future)?",
                         "stdexec::start_detached"};
  T.role(Role::Select) = {"exec::when_any"};
  T.role(Role::JoinAll) = {"stdexec::when_all"};
  T.advice(BlockingKind::BlockOn) =
      "'co_await' the sender instead: 'stdexec::sync_wait' from inside a "
      "coroutine blocks the thread that should complete it";
  T.advice(BlockingKind::Offload) =
      "run it on a thread pool's scheduler ('exec::static_thread_pool') and "
      "'co_await' the sender";
  T.advice(BlockingKind::Spin) =
      "'co_await stdexec::schedule(scheduler)' inside it, or move the work "
      "to a thread pool's scheduler";
  T.advice(FanoutKind::SpawnInLoop) =
      "spawn at most n at a time into the 'exec::async_scope' and 'co_await "
      "scope.on_empty()' per batch";
  T.advice(FanoutKind::JoinAll) =
      "await batches of at most n senders, one 'stdexec::when_all' per batch";
  return T;
}

} // namespace clang::tidy::corolint::model
