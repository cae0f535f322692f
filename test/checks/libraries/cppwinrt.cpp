// C++/WinRT, recognised with no configuration (model/libraries/Cppwinrt.cpp):
// a fire_and_forget coroutine exists to be dropped (never reported, and no
// 'co_await' fix-it); an IAsyncOperation is eager; its get() blocks.
// RUN: not %corolint --checks='-*,async-*' %s -- -std=c++20 -I %S/Inputs \
// RUN:   | FileCheck %s --implicit-check-not='{{warning|error}}:'
// RUN: %clang_tidy_plugin --checks='-*,async-*' %s -- -std=c++20 -I %S/Inputs \
// RUN:   | FileCheck %s --implicit-check-not='{{warning|error}}:'

#include "cppwinrt.h"

using winrt::Windows::Foundation::IAsyncOperation;
IAsyncOperation<int> fetch(int key);
winrt::fire_and_forget notify(int key);

// ===== Positive =====

IAsyncOperation<int> drops_an_operation() {
  fetch(1);
  // CHECK: :[[@LINE-1]]:3: warning: coroutine task returned by 'fetch' is never awaited; it runs detached and its result and exceptions are lost [async-unawaited-task]
  co_return 0;
}

IAsyncOperation<int> blocks_on_get() {
  int v = fetch(1).get();
  // CHECK: :[[@LINE-1]]:11: warning: 'get' blocks the thread that runs this coroutine; 'co_await' the operation instead of calling 'get()' [async-blocking-call]
  co_return v;
}

// ===== Negative =====

IAsyncOperation<int> awaits() {
  co_await fetch(1);
  co_return 1;
}

winrt::fire_and_forget fires() {
  notify(1);
  co_await winrt::resume_background();
}

void plain_function() {
  notify(2);
  fetch(2).get();
}
