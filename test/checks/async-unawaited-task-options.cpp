// Options: TaskTypes adds types by name, AllowExplicitDiscard accepts `(void)`.
// RUN: not %corolint --checks='-*,async-unawaited-task' \
// RUN:   --config="{CheckOptions: {async-unawaited-task.TaskTypes: 'legacy::deferred;::other::.*_op', async-unawaited-task.AllowExplicitDiscard: true}}" \
// RUN:   %s -- -std=c++20 -I %S/Inputs | FileCheck %s --check-prefix=OPTS --implicit-check-not='warning:'
// RUN: %clang_tidy_plugin --checks='-*,async-unawaited-task' \
// RUN:   --config="{CheckOptions: {async-unawaited-task.TaskTypes: 'legacy::deferred;::other::.*_op', async-unawaited-task.AllowExplicitDiscard: true}}" \
// RUN:   %s -- -std=c++20 -I %S/Inputs | FileCheck %s --check-prefix=OPTS --implicit-check-not='warning:'
// Defaults: the named types are not tasks, a void cast is still reported.
// RUN: not %corolint --checks='-*,async-unawaited-task' %s -- -std=c++20 -I %S/Inputs \
// RUN:   | FileCheck %s --check-prefix=DEFAULT --implicit-check-not='warning:'
// The options are stored and shown like any clang-tidy check option.
// RUN: %clang_tidy_plugin --checks='-*,async-unawaited-task' --dump-config %s -- -std=c++20 \
// RUN:   | FileCheck %s --check-prefix=DUMP
// DUMP-DAG: async-unawaited-task.AllowExplicitDiscard: 'false'
// DUMP-DAG: async-unawaited-task.TaskTypes: ''

#include "coro.h"

namespace legacy {
template <class T> struct deferred {
  T get();
};
} // namespace legacy
namespace other {
struct read_op {};
struct read_result {};
} // namespace other

legacy::deferred<int> defer();
other::read_op read();
other::read_result result();
lazy_task<int> fetch(int);

void cases() {
  defer();
  // OPTS: :[[@LINE-1]]:3: warning: coroutine task returned by 'defer' is never awaited [async-unawaited-task]
  read();
  // OPTS: :[[@LINE-1]]:3: warning: coroutine task returned by 'read' is never awaited [async-unawaited-task]
  result();
  (void)fetch(1);
  // DEFAULT: :[[@LINE-1]]:9: warning: coroutine task returned by 'fetch' is never awaited
  static_cast<void>(fetch(2));
  // DEFAULT: :[[@LINE-1]]:21: warning: coroutine task returned by 'fetch' is never awaited
  fetch(3);
  // OPTS: :[[@LINE-1]]:3: warning: coroutine task returned by 'fetch' is never awaited
  // DEFAULT: :[[@LINE-2]]:3: warning: coroutine task returned by 'fetch' is never awaited
}
