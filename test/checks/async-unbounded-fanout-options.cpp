// Options: SpawnFunctions, BoundingFunctions, JoinAllFunctions and
// MaxStaticFanout, for a hand-written task library without annotations.
// RUN: not %corolint --checks='-*,async-unbounded-fanout' \
// RUN:   --config="{CheckOptions: {async-unbounded-fanout.SpawnFunctions: 'mylib::launch', async-unbounded-fanout.BoundingFunctions: 'mylib::gate::wait', async-unbounded-fanout.JoinAllFunctions: 'mylib::when_all', async-unbounded-fanout.MaxStaticFanout: 4}}" \
// RUN:   %s -- -std=c++20 -I %S/Inputs | FileCheck %s --implicit-check-not='{{warning|error}}:'
// RUN: %clang_tidy_plugin --checks='-*,async-unbounded-fanout' \
// RUN:   --config="{CheckOptions: {async-unbounded-fanout.SpawnFunctions: 'mylib::launch', async-unbounded-fanout.BoundingFunctions: 'mylib::gate::wait', async-unbounded-fanout.JoinAllFunctions: 'mylib::when_all', async-unbounded-fanout.MaxStaticFanout: 4}}" \
// RUN:   %s -- -std=c++20 -I %S/Inputs | FileCheck %s --implicit-check-not='{{warning|error}}:'

#include "coro.h"
#include <vector>

namespace mylib {
lazy_task<int> fetch(int);
void launch(lazy_task<int>);
struct gate {
  lazy_task<int> wait();
};
lazy_task<int> when_all(std::vector<lazy_task<int>>);
} // namespace mylib

lazy_task<int> p_launch(std::vector<int> ids) {
  for (int id : ids)
    // CHECK: :[[@LINE+2]]:{{[0-9]+}}: warning: 'mylib::launch' starts a task on every iteration of a loop over input data and nothing bounds how many run at once; bound how many run at once: take a semaphore permit before each spawn, or spawn and await them in batches [async-unbounded-fanout]
    // CHECK: :[[@LINE-2]]:3: note: the loop runs once per input item
    mylib::launch(mylib::fetch(id));
  co_return 0;
}

lazy_task<int> p_above_limit() {
  for (int i = 0; i < 5; ++i)
    // CHECK: :[[@LINE+2]]:{{[0-9]+}}: warning: 'mylib::launch' starts a task
    // CHECK: :[[@LINE-2]]:3: note: the loop runs more times than MaxStaticFanout allows
    mylib::launch(mylib::fetch(i));
  co_return 0;
}

lazy_task<int> p_when_all(std::vector<int> ids) {
  std::vector<lazy_task<int>> all;
  for (int id : ids)
    all.push_back(mylib::fetch(id));
  // CHECK: :[[@LINE+2]]:{{[0-9]+}}: warning: 'mylib::when_all' runs one operation per input item at once and nothing bounds how many run together; await them in batches of at most n, or bound them with a semaphore [async-unbounded-fanout]
  // CHECK: :[[@LINE-3]]:3: note: the operations are added here, once per input item
  co_await mylib::when_all(std::move(all));
  co_return 0;
}

lazy_task<int> n_gated(std::vector<int> ids, mylib::gate &g) {
  for (int id : ids) {
    co_await g.wait();
    mylib::launch(mylib::fetch(id));
  }
  co_return 0;
}

lazy_task<int> n_within_limit() {
  for (int i = 0; i < 4; ++i)
    mylib::launch(mylib::fetch(i));
  co_return 0;
}

lazy_task<int> n_when_all_small() {
  std::vector<lazy_task<int>> all;
  for (int i = 0; i < 3; ++i)
    all.push_back(mylib::fetch(i));
  co_await mylib::when_all(std::move(all));
  co_return 0;
}
