// LockGuards and Mutexes add types by name (replacing the defaults, as
// upstream's LockGuards does); AllowedAwaitablesList names awaitables that
// do not really suspend.
// RUN: not %corolint --checks='-*,async-lock-across-suspend' \
// RUN:   --config="{CheckOptions: {async-lock-across-suspend.LockGuards: 'legacy_guard;::std::lock_guard', async-lock-across-suspend.Mutexes: '::legacy_mutex', async-lock-across-suspend.AllowedAwaitablesList: 'instant_op'}}" \
// RUN:   %s -- -std=c++20 -I %S/Inputs -I %repo/runtime-support/include | FileCheck %s --check-prefix=OPTS --implicit-check-not='warning:'
// RUN: %clang_tidy_plugin --checks='-*,async-lock-across-suspend' \
// RUN:   --config="{CheckOptions: {async-lock-across-suspend.LockGuards: 'legacy_guard;::std::lock_guard', async-lock-across-suspend.Mutexes: '::legacy_mutex', async-lock-across-suspend.AllowedAwaitablesList: 'instant_op'}}" \
// RUN:   %s -- -std=c++20 -I %S/Inputs -I %repo/runtime-support/include | FileCheck %s --check-prefix=OPTS --implicit-check-not='warning:'
// RUN: not %corolint --checks='-*,async-lock-across-suspend' %s -- -std=c++20 -I %S/Inputs -I %repo/runtime-support/include \
// RUN:   | FileCheck %s --check-prefix=DEFAULT --implicit-check-not='warning:'
// RUN: %clang_tidy_plugin --checks='-*,async-lock-across-suspend' --dump-config %s -- -std=c++20 | FileCheck %s --check-prefix=DUMP
// DUMP-DAG: async-lock-across-suspend.LockGuards: '::std::lock_guard;::std::scoped_lock;::std::unique_lock;::std::shared_lock'
// DUMP-DAG: async-lock-across-suspend.AllowedAwaitablesList: ''

#include "locks.h"

legacy_mutex lm;
std::mutex m;

task<int> custom_guard() {
  legacy_guard g(lm);
  // OPTS: :[[@LINE+1]]:3: warning: coroutine suspends while lock guard 'g' holds its lock
  co_await fetch(1);
  co_return 0;
}

task<int> custom_mutex() {
  lm.lock();
  // OPTS: :[[@LINE+1]]:3: warning: coroutine suspends while 'lm' is locked
  co_await fetch(2);
  lm.unlock();
  co_return 0;
}

task<int> allowed_awaitable() {
  std::lock_guard<std::mutex> g(m);
  // DEFAULT: :[[@LINE+1]]:3: warning: coroutine suspends while lock guard 'g' holds its lock
  co_await instant_op{};
  co_return 0;
}

task<int> unique_lock_not_listed() {
  std::unique_lock<std::mutex> lk(m);
  // DEFAULT: :[[@LINE+1]]:3: warning: coroutine suspends while lock guard 'lk' holds its lock
  co_await fetch(3);
  co_return 0;
}

// LockGuards keeps its upstream name and matches as upstream lists do: an
// entry without "::" names the class in any namespace.
namespace vendor {
struct legacy_guard {
  explicit legacy_guard(legacy_mutex &);
  ~legacy_guard();
};
} // namespace vendor

task<int> unqualified_entry_matches_any_namespace() {
  vendor::legacy_guard g(lm);
  // OPTS: :[[@LINE+1]]:3: warning: coroutine suspends while lock guard 'g' holds its lock
  co_await fetch(4);
  co_return 0;
}

// Mutexes has no upstream counterpart: its entries are qualified names
// ('::legacy_mutex' is not vendor::legacy_mutex).
namespace vendor {
struct legacy_mutex {
  void lock();
  void unlock();
};
} // namespace vendor
vendor::legacy_mutex vm;

task<int> qualified_entry_matches_only_its_namespace() {
  vm.lock();
  co_await fetch(5);
  vm.unlock();
  co_return 0;
}
