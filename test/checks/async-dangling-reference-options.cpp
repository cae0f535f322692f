// SpawnFunctions and TaskTypes, shared with the other checks (global or
// check-local), tell async-dangling-reference what spawns in a library
// without annotations.
// RUN: not %corolint --checks='-*,async-dangling-reference' \
// RUN:   --config="{CheckOptions: {SpawnFunctions: 'mylib::fire'}}" \
// RUN:   %s -- -std=c++20 -I %S/Inputs | FileCheck %s --check-prefix=LISTED --implicit-check-not='{{warning|error}}:'
// RUN: %clang_tidy_plugin --checks='-*,async-dangling-reference' \
// RUN:   --config="{CheckOptions: {async-dangling-reference.SpawnFunctions: 'mylib::fire'}}" \
// RUN:   %s -- -std=c++20 -I %S/Inputs | FileCheck %s --check-prefix=LISTED --implicit-check-not='{{warning|error}}:'
// RUN: %corolint --checks='-*,async-dangling-reference' %s -- -std=c++20 -I %S/Inputs 2>&1 \
// RUN:   | FileCheck %s --check-prefix=DEFAULT --implicit-check-not='{{warning|error}}:'
// DEFAULT: corolint: 0 findings

#include "coro.h"
#include <vector>

namespace mylib {
void fire(lazy_task<int> t);
void record(lazy_task<int> t);
} // namespace mylib

lazy_task<int> total(const std::vector<int> &values) { co_return 0; }

void fires_with_a_local() {
  std::vector<int> values{1, 2, 3};
  mylib::fire(total(values));
  // LISTED: :[[@LINE-1]]:21: warning: 'total' is spawned with a reference to 'values'
}

// Not listed: may keep the task, or run it to completion.
void records_with_a_local() {
  std::vector<int> values{1, 2, 3};
  mylib::record(total(values));
}
