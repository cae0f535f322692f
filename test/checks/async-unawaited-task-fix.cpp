// --fix inserts `co_await ` where the enclosing function is a coroutine and
// nowhere else.
// RUN: rm -rf %t && mkdir -p %t && cp %s %t/input.cpp
// RUN: not %corolint --fix --checks='-*,async-unawaited-task' %t/input.cpp -- -std=c++20 -I %S/Inputs \
// RUN:   | FileCheck %s --check-prefix=REPORT
// RUN: FileCheck --input-file=%t/input.cpp %s --check-prefix=FIXED
// The fixed file is clean.
// RUN: not %corolint --checks='-*,async-unawaited-task' %t/input.cpp -- -std=c++20 -I %S/Inputs \
// RUN:   | FileCheck %s --check-prefix=AFTER --implicit-check-not='warning:'
// The plugin's fixes in the stock clang-tidy agree.
// RUN: cp %s %t/plugin.cpp
// RUN: %clang_tidy_plugin --fix --checks='-*,async-unawaited-task' %t/plugin.cpp -- -std=c++20 -I %S/Inputs
// RUN: FileCheck --input-file=%t/plugin.cpp %s --check-prefix=FIXED

#include "coro.h"

lazy_task<int> fetch(int);
eager_task<int> start(int);

lazy_task<int> in_coroutine_body() {
  fetch(1);
  // FIXED: {{^}}  co_await fetch(1);{{$}}
  if (true)
    start(2);
  // FIXED: {{^}}    co_await start(2);{{$}}
  (void)fetch(3);
  // FIXED: {{^}}  (void)fetch(3);{{$}}
  co_return 0;
}

void plain_function() {
  fetch(4);
  // FIXED: {{^}}  fetch(4);{{$}}
}

// REPORT: :21:3: warning: coroutine task returned by 'fetch' is never awaited
// REPORT: :24:5: warning: coroutine task returned by 'start' is never awaited
// REPORT: :26:9: warning: coroutine task returned by 'fetch' is never awaited
// REPORT: :32:3: warning: coroutine task returned by 'fetch' is never awaited
// AFTER: :26:9: warning: coroutine task returned by 'fetch' is never awaited
// AFTER: :32:3: warning: coroutine task returned by 'fetch' is never awaited
