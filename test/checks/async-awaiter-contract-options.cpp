// HandOffFunctions adds a runtime's own hand-off to the model's; an entry
// without '::' matches the unqualified name, as upstream name lists do.
// Global (no check name) or check-local.
// RUN: not %corolint --checks='-*,async-awaiter-contract' \
// RUN:   --config="{CheckOptions: {HandOffFunctions: 'wake_later'}}" \
// RUN:   %s -- -std=c++20 | FileCheck %s --check-prefix=LISTED --implicit-check-not='{{warning|error}}:'
// RUN: %clang_tidy_plugin --checks='-*,async-awaiter-contract' \
// RUN:   --config="{CheckOptions: {async-awaiter-contract.HandOffFunctions: 'wake_later'}}" \
// RUN:   %s -- -std=c++20 | FileCheck %s --check-prefix=LISTED --implicit-check-not='{{warning|error}}:'
// RUN: %corolint --checks='-*,async-awaiter-contract' %s -- -std=c++20 2>&1 \
// RUN:   | FileCheck %s --check-prefix=DEFAULT --implicit-check-not='{{warning|error}}:'
// DEFAULT: corolint: 0 findings

#include <coroutine>

namespace my_runtime {
struct loop {
  void wake_later(std::coroutine_handle<> h);
  void note_down(std::coroutine_handle<> h);
};
} // namespace my_runtime

struct uses_itself_after {
  my_runtime::loop &loop;
  int count = 0;
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h) {
    loop.wake_later(h);
    ++count;
    // LISTED: :[[@LINE-1]]:7: warning: 'await_suspend' uses the awaiter after handing its handle to another thread or queue
  }
  void await_resume() const noexcept {}
};

// Not listed: a function that only records the handle.
struct records {
  my_runtime::loop &loop;
  int count = 0;
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h) {
    loop.note_down(h);
    ++count;
  }
  void await_resume() const noexcept {}
};
