// BlockingFunctions adds functions; AllowedFunctions exempts them.
// RUN: not %corolint --checks='-*,async-blocking-call' \
// RUN:   --config="{CheckOptions: {async-blocking-call.BlockingFunctions: 'legacy::wait_.*', async-blocking-call.AllowedFunctions: '::usleep;std::this_thread::sleep_for'}}" \
// RUN:   %s -- -std=c++20 -I %S/Inputs -I %repo/runtime-support/include | FileCheck %s --check-prefix=OPTS --implicit-check-not='warning:'
// RUN: %clang_tidy_plugin --checks='-*,async-blocking-call' \
// RUN:   --config="{CheckOptions: {async-blocking-call.BlockingFunctions: 'legacy::wait_.*', async-blocking-call.AllowedFunctions: '::usleep;std::this_thread::sleep_for'}}" \
// RUN:   %s -- -std=c++20 -I %S/Inputs -I %repo/runtime-support/include | FileCheck %s --check-prefix=OPTS --implicit-check-not='warning:'
// RUN: not %corolint --checks='-*,async-blocking-call' %s -- -std=c++20 -I %S/Inputs -I %repo/runtime-support/include \
// RUN:   | FileCheck %s --check-prefix=DEFAULT --implicit-check-not='warning:'
#include "locks.h"
#include <chrono>
#include <thread>
#include <unistd.h>

namespace legacy {
void wait_for_device();
void wait_all();
void notify();
} // namespace legacy

task<int> cases() {
  legacy::wait_for_device();
  // OPTS: :[[@LINE-1]]:3: warning: 'wait_for_device' blocks the thread that runs this coroutine; move the call into 'asyncrt::spawn_blocking'
  legacy::wait_all();
  // OPTS: :[[@LINE-1]]:3: warning: 'wait_all' blocks
  legacy::notify();
  usleep(1);
  // DEFAULT: :[[@LINE-1]]:3: warning: 'usleep' blocks
  std::this_thread::sleep_for(std::chrono::milliseconds(1));
  // DEFAULT: :[[@LINE-1]]:3: warning: 'sleep_for' blocks
  sleep(1);
  // OPTS: :[[@LINE-1]]:3: warning: 'sleep' blocks
  // DEFAULT: :[[@LINE-2]]:3: warning: 'sleep' blocks
  co_return 0;
}
