// RUN: not %corolint --checks='-*,async-unbounded-fanout' %s -- -std=c++20 -I %S/Inputs -I %repo/runtime-support/include \
// RUN:   | FileCheck %s --implicit-check-not='{{warning|error}}:'
// RUN: %clang_tidy_plugin --checks='-*,async-unbounded-fanout' %s -- -std=c++20 -I %S/Inputs -I %repo/runtime-support/include \
// RUN:   | FileCheck %s --implicit-check-not='{{warning|error}}:'

#include "coro.h"
#include <array>
#include <asyncrt/asyncrt.hpp>
#include <deque>
#include <map>
#include <string>
#include <thread>
#include <vector>

asyncrt::task<int> work(int);
asyncrt::task<void> handle(std::string);
int crunch(int);

// A hand-written task type and a spawn function of another library, told
// apart by the annotation.
[[clang::annotate("corolint::spawn_like")]] void start_detached(lazy_task<int>);
lazy_task<int> job(int);
struct limiter {
  [[clang::annotate("corolint::bounds_concurrency")]] lazy_task<int> enter();
};

// ===== Positive cases: spawn per input item =====

asyncrt::task<void> p_range_for(std::vector<int> ids) {
  for (int id : ids)
    // CHECK: :[[@LINE+2]]:{{[0-9]+}}: warning: 'asyncrt::spawn' starts a task on every iteration of a loop over input data and nothing bounds how many run at once; acquire a semaphore permit before spawning, or use 'buffer_unordered(n)', 'for_each_concurrent(n, f)' or a task group with a concurrency limit [async-unbounded-fanout]
    // CHECK: :[[@LINE-2]]:3: note: the loop runs once per input item
    (void)asyncrt::spawn(work(id));
  co_return;
}

asyncrt::task<void> p_index_loop(const std::vector<int> &ids) {
  for (std::size_t i = 0; i < ids.size(); ++i)
    // CHECK: :[[@LINE+2]]:{{[0-9]+}}: warning: 'asyncrt::spawn' starts a task
    // CHECK: :[[@LINE-2]]:3: note: the loop runs once per input item
    (void)asyncrt::spawn(work(ids[i]));
  co_return;
}

asyncrt::task<void> p_count_parameter(int n) {
  for (int i = 0; i < n; ++i)
    // CHECK: :[[@LINE+2]]:{{[0-9]+}}: warning: 'asyncrt::spawn' starts a task
    // CHECK: :[[@LINE-2]]:3: note: the loop runs once per input item
    (void)asyncrt::spawn(work(i));
  co_return;
}

asyncrt::task<void> p_handles_collected(std::vector<int> ids) {
  std::vector<asyncrt::join_handle<int>> handles;
  for (int id : ids)
    // CHECK: :[[@LINE+2]]:{{[0-9]+}}: warning: 'asyncrt::spawn' starts a task
    // CHECK: :[[@LINE-2]]:3: note: the loop runs once per input item
    handles.push_back(asyncrt::spawn(work(id)));
  for (auto &h : handles)
    co_await std::move(h);
}

asyncrt::task<void> p_receiver(asyncrt::mpsc::receiver<std::string> rx) {
  while (auto line = co_await rx.recv())
    // CHECK: :[[@LINE+2]]:{{[0-9]+}}: warning: 'asyncrt::spawn' starts a task
    // CHECK: :[[@LINE-2]]:3: note: the loop runs once per input item
    (void)asyncrt::spawn(handle(*line));
}

asyncrt::task<void> p_large_constant() {
  for (int i = 0; i < 100000; ++i)
    // CHECK: :[[@LINE+2]]:{{[0-9]+}}: warning: 'asyncrt::spawn' starts a task
    // CHECK: :[[@LINE-2]]:3: note: the loop runs more times than MaxStaticFanout allows
    (void)asyncrt::spawn(work(i));
  co_return;
}

asyncrt::task<void> p_large_array() {
  std::array<int, 4096> slots{};
  for (int s : slots)
    // CHECK: :[[@LINE+2]]:{{[0-9]+}}: warning: 'asyncrt::spawn' starts a task
    // CHECK: :[[@LINE-2]]:3: note: the loop runs more times than MaxStaticFanout allows
    (void)asyncrt::spawn(work(s));
  co_return;
}

asyncrt::task<void> p_spawn_blocking(std::vector<int> ids) {
  for (int id : ids)
    // CHECK: :[[@LINE+2]]:{{[0-9]+}}: warning: 'asyncrt::spawn_blocking' starts a task
    // CHECK: :[[@LINE-2]]:3: note: the loop runs once per input item
    (void)asyncrt::spawn_blocking([id] { return crunch(id); });
  co_return;
}

asyncrt::task<void> p_map(std::map<std::string, int> users) {
  for (const auto &[name, id] : users) {
    co_await asyncrt::yield_now();
    // CHECK: :[[@LINE+2]]:{{[0-9]+}}: warning: 'asyncrt::spawn' starts a task
    // CHECK: :[[@LINE-3]]:3: note: the loop runs once per input item
    (void)asyncrt::spawn(work(id));
  }
}

asyncrt::task<void> p_permit_after_spawn(std::vector<int> ids,
                                         asyncrt::semaphore &sem) {
  for (int id : ids) {
    // CHECK: :[[@LINE+2]]:{{[0-9]+}}: warning: 'asyncrt::spawn' starts a task
    // CHECK: :[[@LINE-2]]:3: note: the loop runs once per input item
    auto h = asyncrt::spawn(work(id));
    auto permit = co_await sem.acquire(); // too late: the task already runs
  }
}

asyncrt::task<void> p_permit_outside_loop(std::vector<int> ids,
                                          asyncrt::semaphore &sem) {
  auto permit = co_await sem.acquire(); // one permit for the whole loop
  for (int id : ids)
    // CHECK: :[[@LINE+2]]:{{[0-9]+}}: warning: 'asyncrt::spawn' starts a task
    // CHECK: :[[@LINE-2]]:3: note: the loop runs once per input item
    (void)asyncrt::spawn(work(id));
}

asyncrt::task<void> p_nested_inner(std::vector<std::vector<int>> batches) {
  for (const auto &batch : batches)
    for (int id : batch)
      // CHECK: :[[@LINE+2]]:{{[0-9]+}}: warning: 'asyncrt::spawn' starts a task
      // CHECK: :[[@LINE-2]]:5: note: the loop runs once per input item
      (void)asyncrt::spawn(work(id));
  co_return;
}

asyncrt::task<void> p_nested_small_inner(std::vector<int> ids) {
  for (int id : ids)
    for (int copy = 0; copy < 3; ++copy)
      // CHECK: :[[@LINE+2]]:{{[0-9]+}}: warning: 'asyncrt::spawn' starts a task
      // CHECK: :[[@LINE-3]]:3: note: the loop runs once per input item
      (void)asyncrt::spawn(work(id + copy));
  co_return;
}

asyncrt::task<void> p_while_index(std::deque<int> queue) {
  std::size_t i = 0;
  while (i < queue.size()) {
    // CHECK: :[[@LINE+2]]:{{[0-9]+}}: warning: 'asyncrt::spawn' starts a task
    // CHECK: :[[@LINE-2]]:3: note: the loop runs once per input item
    (void)asyncrt::spawn(work(queue[i]));
    ++i;
  }
  co_return;
}

asyncrt::task<void> p_do_while(std::vector<int> ids) {
  std::size_t i = 0;
  do {
    // CHECK: :[[@LINE+2]]:{{[0-9]+}}: warning: 'asyncrt::spawn' starts a task
    // CHECK: :[[@LINE-2]]:3: note: the loop runs once per input item
    (void)asyncrt::spawn(work(ids[i]));
  } while (++i < ids.size());
  co_return;
}

void p_plain_function(asyncrt::runtime &rt, std::vector<int> ids) {
  for (int id : ids)
    // CHECK: :[[@LINE+2]]:{{[0-9]+}}: warning: 'asyncrt::runtime::spawn' starts a task
    // CHECK: :[[@LINE-2]]:3: note: the loop runs once per input item
    (void)rt.spawn(work(id));
}

auto p_in_lambda = [](std::vector<int> ids) -> asyncrt::task<void> {
  for (int id : ids)
    // CHECK: :[[@LINE+2]]:{{[0-9]+}}: warning: 'asyncrt::spawn' starts a task
    // CHECK: :[[@LINE-2]]:3: note: the loop runs once per input item
    (void)asyncrt::spawn(work(id));
  co_return;
};

lazy_task<int> p_handwritten(std::vector<int> ids) {
  for (int id : ids)
    // CHECK: :[[@LINE+2]]:{{[0-9]+}}: warning: 'start_detached' starts a task
    // CHECK: :[[@LINE-2]]:3: note: the loop runs once per input item
    start_detached(job(id));
  co_return 0;
}

template <class Range> asyncrt::task<void> p_template(Range items) {
  for (int id : items)
    // CHECK: :[[@LINE+2]]:{{[0-9]+}}: warning: 'asyncrt::spawn' starts a task
    // CHECK: :[[@LINE-2]]:3: note: the loop runs once per input item
    (void)asyncrt::spawn(work(id));
  co_return;
}
template asyncrt::task<void> p_template(std::vector<int>);

asyncrt::task<void> p_task_group(std::vector<int> ids) {
  co_await asyncrt::with_task_group(
      [&](asyncrt::task_group &group) -> asyncrt::task<void> {
        for (int id : ids)
          // CHECK: :[[@LINE+2]]:{{[0-9]+}}: warning: 'asyncrt::task_group::spawn' starts a task
          // CHECK: :[[@LINE-2]]:9: note: the loop runs once per input item
          co_await group.spawn(work(id));
        co_await group.join_all();
      });
}

// ===== Positive cases: join-all of one task per input item =====

asyncrt::task<void> p_join_all(std::vector<int> ids) {
  std::vector<asyncrt::task<int>> tasks;
  for (int id : ids)
    tasks.push_back(work(id));
  // CHECK: :[[@LINE+2]]:{{[0-9]+}}: warning: 'asyncrt::join_all' runs one operation per input item at once and nothing bounds how many run together; use 'buffer_unordered(n)', 'for_each_concurrent(n, f)' or a task group with a concurrency limit [async-unbounded-fanout]
  // CHECK: :[[@LINE-3]]:3: note: the operations are added here, once per input item
  auto values = co_await asyncrt::join_all(std::move(tasks));
}

asyncrt::task<void> p_join_all_emplace(std::vector<int> ids) {
  std::vector<asyncrt::task<int>> tasks;
  for (std::size_t i = 0; i < ids.size(); ++i)
    tasks.emplace_back(work(ids[i]));
  // CHECK: :[[@LINE+2]]:{{[0-9]+}}: warning: 'asyncrt::join_all' runs one operation
  // CHECK: :[[@LINE-3]]:3: note: the operations are added here, once per input item
  co_await asyncrt::join_all(std::move(tasks));
}

asyncrt::task<void> p_join_all_big_constant() {
  std::vector<asyncrt::task<int>> tasks;
  for (int i = 0; i < 50000; ++i)
    tasks.push_back(work(i));
  // CHECK: :[[@LINE+2]]:{{[0-9]+}}: warning: 'asyncrt::join_all' runs one operation
  // CHECK: :[[@LINE-3]]:3: note: the operations are added here, more than MaxStaticFanout of them
  co_await asyncrt::join_all(std::move(tasks));
}

asyncrt::task<void> p_join_all_from_receiver(asyncrt::mpsc::receiver<int> rx) {
  std::vector<asyncrt::task<int>> tasks;
  while (auto id = co_await rx.recv())
    tasks.push_back(work(*id));
  // CHECK: :[[@LINE+2]]:{{[0-9]+}}: warning: 'asyncrt::join_all' runs one operation
  // CHECK: :[[@LINE-3]]:3: note: the operations are added here, once per input item
  co_await asyncrt::join_all(std::move(tasks));
}

// ===== Negative cases =====

asyncrt::task<void> n_permit_first(std::vector<int> ids, asyncrt::semaphore &sem) {
  for (int id : ids) {
    auto permit = co_await sem.acquire();
    (void)asyncrt::spawn([](asyncrt::semaphore::permit, int v) -> asyncrt::task<void> {
      co_await work(v);
    }(std::move(permit), id));
  }
}

asyncrt::task<void> owns_a_permit(asyncrt::owned_permit permit, int v);
asyncrt::task<void> n_owned_permit_first(std::vector<int> ids,
                                         std::shared_ptr<asyncrt::semaphore> sem) {
  for (int id : ids) {
    asyncrt::owned_permit permit = co_await asyncrt::acquire_owned(sem);
    (void)asyncrt::spawn(owns_a_permit(std::move(permit), id));
  }
}

asyncrt::task<void> n_awaited_at_once(std::vector<int> ids) {
  for (int id : ids)
    co_await asyncrt::spawn(work(id));
}

asyncrt::task<void> n_awaited_in_iteration(std::vector<int> ids) {
  for (int id : ids) {
    auto h = asyncrt::spawn(work(id));
    co_await asyncrt::yield_now();
    co_await std::move(h);
  }
}

asyncrt::task<void> n_small_constant() {
  for (int i = 0; i < 4; ++i)
    (void)asyncrt::spawn(work(i));
  co_return;
}

asyncrt::task<void> n_small_array() {
  int shards[8] = {};
  for (int s : shards)
    (void)asyncrt::spawn(work(s));
  co_return;
}

asyncrt::task<void> n_small_std_array() {
  std::array<int, 3> parts{1, 2, 3};
  for (int p : parts)
    (void)asyncrt::spawn(work(p));
  co_return;
}

asyncrt::task<void> n_braced_list() {
  for (int p : {1, 2, 3})
    (void)asyncrt::spawn(work(p));
  co_return;
}

asyncrt::task<void> n_at_limit() {
  for (int i = 0; i < 1024; ++i)
    (void)asyncrt::spawn(work(i));
  co_return;
}

// The handle given to a helper that awaits it, in the same iteration.
asyncrt::task<bool> joined(asyncrt::join_handle<int> h);
asyncrt::task<void> n_handle_awaited_through_a_helper(std::vector<int> ids) {
  for (int id : ids) {
    auto h = asyncrt::spawn(work(id));
    co_await joined(std::move(h));
  }
}

// Hundreds of tasks started on purpose (libcoro's examples start 100).
asyncrt::task<void> n_hundreds_on_purpose() {
  std::vector<asyncrt::task<int>> tasks;
  const std::size_t count = 100;
  for (std::size_t i = 0; i < count; ++i)
    tasks.push_back(work(static_cast<int>(i)));
  co_await asyncrt::join_all(std::move(tasks));
}

// One task per hardware thread: bounded by the machine, not by input data.
asyncrt::task<void> n_one_per_core() {
  const unsigned cores = std::thread::hardware_concurrency();
  for (unsigned i = 0; i < cores; ++i)
    (void)asyncrt::spawn(work(static_cast<int>(i)));
  for (unsigned i = 0; i < std::thread::hardware_concurrency(); ++i)
    (void)asyncrt::spawn(work(static_cast<int>(i)));
  co_return;
}

asyncrt::task<void> n_server_loop(asyncrt::mpsc::receiver<int> &rx) {
  for (;;) {
    auto id = co_await rx.recv();
    if (!id)
      co_return;
    co_await work(*id);
  }
}

asyncrt::task<void> n_accept_loop(asyncrt::mpsc::receiver<std::string> &conns) {
  // An endless accept-style loop is a server, not a loop over input items.
  while (true) {
    auto c = co_await conns.recv();
    if (!c)
      break;
    (void)asyncrt::spawn(handle(*c));
  }
}

asyncrt::task<void> n_flag_loop(bool &running) {
  while (running)
    (void)asyncrt::spawn(work(1));
  co_return;
}

asyncrt::task<void> n_no_spawn(std::vector<int> ids) {
  for (int id : ids)
    co_await work(id);
}

asyncrt::task<void> n_spawn_outside_loop(std::vector<int> ids) {
  auto h = asyncrt::spawn([](std::vector<int> all) -> asyncrt::task<void> {
    for (int id : all)
      co_await work(id);
  }(ids));
  co_await std::move(h);
}

asyncrt::task<void> n_spawn_in_lambda_not_called_in_loop(std::vector<int> ids) {
  for (int id : ids) {
    auto later = [id] { return asyncrt::spawn(work(id)); };
    (void)later;
  }
  co_return;
}

asyncrt::task<void> n_bounded_join_all() {
  std::vector<asyncrt::task<int>> tasks;
  for (int i = 0; i < 8; ++i)
    tasks.push_back(work(i));
  co_await asyncrt::join_all(std::move(tasks));
}

asyncrt::task<void> n_join_all_not_filled_in_loop(asyncrt::task<int> a,
                                                  asyncrt::task<int> b) {
  std::vector<asyncrt::task<int>> tasks;
  tasks.push_back(std::move(a));
  tasks.push_back(std::move(b));
  co_await asyncrt::join_all(std::move(tasks));
}

asyncrt::task<void> n_join_all_filled_after(std::vector<int> ids) {
  std::vector<asyncrt::task<int>> tasks;
  co_await asyncrt::join_all(std::move(tasks));
  for (int id : ids)
    tasks.push_back(work(id));
}

asyncrt::task<void> n_other_container_filled(std::vector<int> ids) {
  std::vector<asyncrt::task<int>> tasks;
  std::vector<int> doubled;
  for (int id : ids)
    doubled.push_back(id * 2);
  tasks.push_back(work(1));
  co_await asyncrt::join_all(std::move(tasks));
}

asyncrt::task<void> n_join_variadic(std::vector<int> ids) {
  for (int id : ids)
    co_await asyncrt::join(work(id), work(id + 1));
}

lazy_task<int> n_handwritten_bounded(std::vector<int> ids, limiter &l) {
  for (int id : ids) {
    co_await l.enter();
    start_detached(job(id));
  }
  co_return 0;
}

int main(int argc, char **argv) {
  asyncrt::runtime rt;
  // One task per command-line argument: the command line is not input data
  // at scale.
  for (int i = 1; i < argc; ++i)
    (void)rt.spawn(work(i));
  (void)argv;
}

void n_plain_loop_no_spawn(std::vector<int> ids) {
  for (int id : ids)
    (void)crunch(id);
}

template <class T> asyncrt::task<void> n_uninstantiated(std::vector<T> ids) {
  for (std::size_t i = 0; i < sizeof(T); ++i)
    (void)asyncrt::spawn(work(ids[i]));
  co_return;
}

asyncrt::task<void> n_nolint(std::vector<int> ids) {
  for (int id : ids)
    (void)asyncrt::spawn(work(id)); // NOLINT(async-unbounded-fanout)
  co_return;
}

asyncrt::task<void> n_while_loop_small_bound() {
  int started = 0;
  while (started < 10) {
    (void)asyncrt::spawn(work(started));
    ++started;
  }
  co_return;
}

asyncrt::task<void> n_bounded_task_group(std::vector<int> ids) {
  co_await asyncrt::with_task_group(
      10, [&](asyncrt::bounded_task_group &group) -> asyncrt::task<void> {
        for (int id : ids)
          co_await group.spawn(work(id)); // waits while ten run
        co_await group.join_all();
      });
}

asyncrt::task<void> n_sequential_spawn_blocking(std::vector<int> ids) {
  for (int id : ids)
    co_await asyncrt::spawn_blocking([id] { return crunch(id); });
}
