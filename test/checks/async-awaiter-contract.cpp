// RUN: not %corolint --checks='-*,async-awaiter-contract' %s -- -std=c++20 -I %repo/runtime-support/include \
// RUN:   | FileCheck %s --implicit-check-not='{{warning|error}}:'
// RUN: %clang_tidy_plugin --checks='-*,async-awaiter-contract' %s -- -std=c++20 -I %repo/runtime-support/include \
// RUN:   | FileCheck %s --implicit-check-not='{{warning|error}}:'

#include <asyncrt/waker.hpp>
#include <atomic>
#include <coroutine>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

struct executor {
  void post(std::function<void()> f);
  void post(std::coroutine_handle<> h);
  void schedule(std::coroutine_handle<> h);
};
struct waiter_queue {
  void push_back(std::coroutine_handle<> h);
  void enqueue(std::coroutine_handle<> h);
  std::mutex mutex;
};
struct pool_executor {
  void dispatch(std::coroutine_handle<> h);
  void submit(std::function<void()> f);
};
void start_io(int fd);

template <class Promise> struct basic_task {
  using promise_type = Promise;
};

// ===== Positive: resuming inline =====

struct resumes_itself {
  bool ready = false;
  bool await_ready() const noexcept { return ready; }
  void await_suspend(std::coroutine_handle<> h) {
    h.resume();
    // CHECK: :[[@LINE-1]]:5: warning: 'await_suspend' resumes the coroutine that is suspending inline: the stack grows with every such resumption and the coroutine re-enters code that is still running; return the handle from 'await_suspend' to transfer to it, or return false to resume without suspending [async-awaiter-contract]
    // CHECK: :[[@LINE-6]]:8: note: awaiter 'resumes_itself' declared here
  }
  void await_resume() const noexcept {}
};

struct resumes_a_copy {
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h) {
    auto again = h;
    again();
    // CHECK: :[[@LINE-1]]:5: warning: 'await_suspend' resumes the coroutine that is suspending inline
  }
  void await_resume() const noexcept {}
};

// A hand-written task's final awaiter that resumes the coroutine awaiting
// the task: recursion through every finished task.
struct naive_promise;
struct naive_final {
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<naive_promise> h) noexcept;
  void await_resume() const noexcept {}
};
struct naive_promise {
  std::coroutine_handle<> continuation;
  basic_task<naive_promise> get_return_object() { return {}; }
  std::suspend_always initial_suspend() noexcept { return {}; }
  naive_final final_suspend() noexcept { return {}; }
  void return_void() {}
  void unhandled_exception() {}
};
void naive_final::await_suspend(std::coroutine_handle<naive_promise> h) noexcept {
  h.promise().continuation.resume();
  // CHECK: :[[@LINE-1]]:3: warning: 'await_suspend' resumes the coroutine waiting for this one inline: the stack grows with every such resumption and the coroutine re-enters code that is still running; return the handle from 'await_suspend' to transfer to it [async-awaiter-contract]
}

// ===== Positive: using the awaiter after the hand-off =====

struct touches_after_post {
  executor &ex;
  int posted = 0;
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h) {
    ex.post(h);
    ++posted;
    // CHECK: :[[@LINE-1]]:7: warning: 'await_suspend' uses the awaiter after handing its handle to another thread or queue, where it may already have been resumed and the awaiter destroyed with its frame; copy what is needed into locals before the hand-off [async-awaiter-contract]
    // CHECK: :[[@LINE-3]]:5: note: the handle is handed off here
  }
  void await_resume() const noexcept {}
};

struct returns_false_after_thread {
  bool await_ready() const noexcept { return false; }
  bool await_suspend(std::coroutine_handle<> h) {
    std::thread([h] { h.resume(); }).detach();
    return false;
    // CHECK: :[[@LINE-1]]:5: warning: 'await_suspend' resumes the coroutine after handing its handle to another thread or queue, where it may already have been resumed and the awaiter destroyed with its frame; return true (or nothing) once the handle is handed off [async-awaiter-contract]
  }
  void await_resume() const noexcept {}
};

struct publishes_then_reads {
  std::atomic<void *> &slot;
  int *result = nullptr;
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h) {
    slot.store(h.address());
    result = nullptr;
    // CHECK: :[[@LINE-1]]:5: warning: 'await_suspend' uses the awaiter after handing its handle
  }
  int await_resume() const noexcept { return 0; }
};

// ===== Positive: a path that drops the handle =====

struct forgets_the_handle {
  int fd;
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h) {
    // CHECK: :[[@LINE-1]]:8: warning: on some path 'await_suspend' neither stores nor passes on the coroutine's handle, nor returns it or false: the coroutine stays suspended and nothing will resume it [async-awaiter-contract]
    start_io(fd);
  }
  int await_resume() const noexcept { return 0; }
};

struct drops_it_on_one_path {
  waiter_queue &q;
  bool full = false;
  bool await_ready() const noexcept { return false; }
  bool await_suspend(std::coroutine_handle<> h) {
    // CHECK: :[[@LINE-1]]:8: warning: on some path 'await_suspend' neither stores nor passes on the coroutine's handle
    if (full)
      return true;
    q.push_back(h);
    return true;
  }
  void await_resume() const noexcept {}
};

// ===== Positive: dead suspension logic =====

struct never_suspends {
  waiter_queue &q;
  bool await_ready() const noexcept { return true; }
  // CHECK: :[[@LINE-1]]:8: warning: 'await_ready' always returns true, so 'await_suspend' never runs and the work it does is dead [async-awaiter-contract]
  void await_suspend(std::coroutine_handle<> h) { q.push_back(h); }
  // CHECK: :[[@LINE-1]]:8: note: 'await_suspend' does work here
  void await_resume() const noexcept {}
};

// ===== Positive: a poll that re-wakes itself =====

struct spsc_queue {
  bool empty() const;
};
// await_ready tests, await_resume reports, and await_suspend only posts
// the handle back: `while (!co_await try_take{q, ex}) {}` spins.
struct try_take {
  spsc_queue &q;
  executor &ex;
  bool await_ready() const { return !q.empty(); }
  void await_suspend(std::coroutine_handle<> h) { ex.post(h); }
  // CHECK: :[[@LINE-1]]:51: warning: 'await_suspend' gives the handle straight back to be run again and registers it nowhere, while 'await_resume' reports whether the awaited condition was met: a caller that awaits until it is spins on a worker; register the handle with whatever makes the condition true, and resume it from there [async-awaiter-contract]
  bool await_resume() const { return !q.empty(); }
};

// asyncrt's waker, woken from await_suspend itself: the same spin.
struct rewakes_through_a_waker {
  spsc_queue &q;
  bool await_ready() const { return !q.empty(); }
  void await_suspend(std::coroutine_handle<> h) { asyncrt::waker(h).wake(); }
  // CHECK: :[[@LINE-1]]:51: warning: 'await_suspend' gives the handle straight back to be run again
  bool await_resume() const { return !q.empty(); }
};

// Waking through a waker hands the handle to the runtime's workers.
struct writes_after_waking {
  bool fired = false;
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h) {
    asyncrt::waker(h).wake();
    fired = true;
    // CHECK: :[[@LINE-1]]:5: warning: 'await_suspend' uses the awaiter after handing its handle
  }
  void await_resume() const noexcept {}
};

// ===== Negative =====

// A waker registered with what makes the condition true.
struct waker_slot {
  void park(asyncrt::waker w);
};
struct parks_a_waker {
  spsc_queue &q;
  waker_slot &slot;
  bool await_ready() const { return !q.empty(); }
  void await_suspend(std::coroutine_handle<> h) {
    slot.park(asyncrt::waker(h));
  }
  bool await_resume() const { return !q.empty(); }
};

// Reads a local copy after waking: the awaiter is not touched.
void trace_woken(int id);
struct copies_before_waking {
  int id = 0;
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h) {
    int mine = id;
    asyncrt::waker(h).wake();
    trace_woken(mine);
  }
  void await_resume() const noexcept {}
};

// Moving to an executor's thread: await_resume reports nothing.
bool on_executor_thread();
struct resume_on {
  executor &ex;
  bool await_ready() const { return on_executor_thread(); }
  void await_suspend(std::coroutine_handle<> h) { ex.post(h); }
  void await_resume() const noexcept {}
};

// A poll that registers the handle where the producer will find it.
struct wait_for_item {
  spsc_queue &q;
  waiter_queue &waiters;
  bool await_ready() const { return !q.empty(); }
  void await_suspend(std::coroutine_handle<> h) { waiters.push_back(h); }
  bool await_resume() const { return !q.empty(); }
};

// Symmetric transfer, and false to resume at once.
struct transfers {
  std::coroutine_handle<> next;
  bool await_ready() const noexcept { return false; }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<> h) noexcept {
    return next ? next : h;
  }
  void await_resume() const noexcept {}
};

struct maybe_resumes_at_once {
  waiter_queue &q;
  bool done = false;
  bool await_ready() const noexcept { return false; }
  bool await_suspend(std::coroutine_handle<> h) {
    if (done)
      return false;
    q.push_back(h);
    return true;
  }
  void await_resume() const noexcept {}
};

// A final awaiter that transfers to the continuation.
struct good_promise;
struct good_final {
  bool await_ready() const noexcept { return false; }
  std::coroutine_handle<>
  await_suspend(std::coroutine_handle<good_promise> h) noexcept;
  void await_resume() const noexcept {}
};
struct good_promise {
  std::coroutine_handle<> continuation;
  basic_task<good_promise> get_return_object() { return {}; }
  std::suspend_always initial_suspend() noexcept { return {}; }
  good_final final_suspend() noexcept { return {}; }
  void return_void() {}
  void unhandled_exception() {}
};
std::coroutine_handle<>
good_final::await_suspend(std::coroutine_handle<good_promise> h) noexcept {
  return h.promise().continuation;
}

// Starting a child coroutine the awaiter owns (as a when_all's awaiter
// does) is not resuming the suspending coroutine.
struct starts_a_child {
  std::coroutine_handle<> child;
  std::coroutine_handle<> *parent_slot;
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h) {
    *parent_slot = h;
    child.resume();
  }
  void await_resume() const noexcept {}
};

// Locals copied before the hand-off may be used after it.
struct copies_first {
  executor &ex;
  int *counter;
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h) {
    int *c = counter;
    executor &e = ex;
    e.schedule(h);
    ++*c;
  }
  void await_resume() const noexcept {}
};

// What is done under the lock the waker must take comes before the wake.
struct registers_under_lock {
  waiter_queue &q;
  int registered = 0;
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h) {
    std::lock_guard<std::mutex> guard(q.mutex);
    q.push_back(h);
    ++registered;
  }
  void await_resume() const noexcept {}
};

// Resuming inside a lambda that runs elsewhere is not inline.
struct resumes_elsewhere {
  executor &ex;
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h) {
    ex.post([h] { h.resume(); });
  }
  void await_resume() const noexcept {}
};

// std::suspend_always-like: nothing to pass on, the owner resumes it.
struct parks {
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<>) const noexcept {}
  void await_resume() const noexcept {}
};

// A promise's own awaiters: the coroutine's owner holds the handle.
struct yield_awaiter {
  int *value;
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<>) noexcept { *value += 1; }
  void await_resume() const noexcept {}
};
struct generator_promise {
  int current = 0;
  basic_task<generator_promise> get_return_object() { return {}; }
  std::suspend_always initial_suspend() noexcept { return {}; }
  std::suspend_always final_suspend() noexcept { return {}; }
  yield_awaiter yield_value(int v) {
    current = v;
    return {&current};
  }
  void return_void() {}
  void unhandled_exception() {}
};

// await_ready that is not always true.
struct ready_when_done {
  bool done;
  waiter_queue &q;
  bool await_ready() const noexcept { return done; }
  void await_suspend(std::coroutine_handle<> h) { q.push_back(h); }
  void await_resume() const noexcept {}
};


// ===== More positive cases =====

struct calls_the_handle {
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h) {
    h();
    // CHECK: :[[@LINE-1]]:5: warning: 'await_suspend' resumes the coroutine that is suspending inline
  }
  void await_resume() const noexcept {}
};

struct resumes_when_ready {
  bool ready = false;
  bool await_ready() const noexcept { return false; }
  bool await_suspend(std::coroutine_handle<> h) {
    // CHECK: :[[@LINE-1]]:8: warning: on some path 'await_suspend' neither stores nor passes on the coroutine's handle
    if (ready)
      h.resume();
    // CHECK: :[[@LINE-1]]:7: warning: 'await_suspend' resumes the coroutine that is suspending inline
    return true;
  }
  void await_resume() const noexcept {}
};

struct parent_promise;
struct resumes_parent {
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<parent_promise> h) noexcept;
  void await_resume() const noexcept {}
};
struct parent_promise {
  std::coroutine_handle<> parent;
  basic_task<parent_promise> get_return_object() { return {}; }
  std::suspend_always initial_suspend() noexcept { return {}; }
  resumes_parent final_suspend() noexcept { return {}; }
  void return_void() {}
  void unhandled_exception() {}
};
void resumes_parent::await_suspend(
    std::coroutine_handle<parent_promise> h) noexcept {
  if (h.promise().parent)
    h.promise().parent();
  // CHECK: :[[@LINE-1]]:5: warning: 'await_suspend' resumes the coroutine waiting for this one inline
}

struct touches_after_dispatch {
  pool_executor &pool;
  int state = 0;
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h) {
    pool.dispatch(h);
    state = 1;
    // CHECK: :[[@LINE-1]]:5: warning: 'await_suspend' uses the awaiter after handing its handle
  }
  void await_resume() const noexcept {}
};

struct returns_handle_after_schedule {
  executor &ex;
  bool await_ready() const noexcept { return false; }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<> h) {
    ex.schedule(h);
    return h;
    // CHECK: :[[@LINE-1]]:5: warning: 'await_suspend' resumes the coroutine after handing its handle
  }
  void await_resume() const noexcept {}
};

struct counts_after_submit {
  pool_executor &pool;
  int submitted = 0;
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h) {
    pool.submit([h] { h.resume(); });
    submitted += 1;
    // CHECK: :[[@LINE-1]]:5: warning: 'await_suspend' uses the awaiter after handing its handle
  }
  void await_resume() const noexcept {}
};

struct flags_after_jthread {
  bool started = false;
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h) {
    std::jthread worker([h] { h.resume(); });
    worker.detach();
    started = true;
    // CHECK: :[[@LINE-1]]:5: warning: 'await_suspend' uses the awaiter after handing its handle
  }
  void await_resume() const noexcept {}
};

struct flags_after_exchange {
  std::atomic<void *> &slot;
  bool parked = false;
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h) {
    slot.exchange(h.address());
    parked = true;
    // CHECK: :[[@LINE-1]]:5: warning: 'await_suspend' uses the awaiter after handing its handle
  }
  void await_resume() const noexcept {}
};

struct logs_after_enqueue {
  waiter_queue &q;
  void log();
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h) {
    q.enqueue(h);
    log();
    // CHECK: :[[@LINE-1]]:5: warning: 'await_suspend' uses the awaiter after handing its handle
  }
  void await_resume() const noexcept {}
};

struct drops_it_in_one_branch {
  waiter_queue &q;
  int mode = 0;
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h) {
    // CHECK: :[[@LINE-1]]:8: warning: on some path 'await_suspend' neither stores nor passes on the coroutine's handle
    if (mode == 0)
      q.push_back(h);
    else
      start_io(mode);
  }
  void await_resume() const noexcept {}
};

struct returns_noop_without_storing {
  int fd;
  bool await_ready() const noexcept { return false; }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<> h) {
    // CHECK: :[[@LINE-1]]:27: warning: on some path 'await_suspend' neither stores nor passes on the coroutine's handle
    start_io(fd);
    return std::noop_coroutine();
  }
  void await_resume() const noexcept {}
};

struct returns_true_without_storing {
  int fd;
  bool await_ready() const noexcept { return false; }
  bool await_suspend(std::coroutine_handle<> h) {
    // CHECK: :[[@LINE-1]]:8: warning: on some path 'await_suspend' neither stores nor passes on the coroutine's handle
    start_io(fd);
    return true;
  }
  void await_resume() const noexcept {}
};

struct never_suspends_but_posts {
  executor &ex;
  bool await_ready() const noexcept { return true; }
  // CHECK: :[[@LINE-1]]:8: warning: 'await_ready' always returns true, so 'await_suspend' never runs
  void await_suspend(std::coroutine_handle<> h) { ex.post(h); }
  void await_resume() const noexcept {}
};

struct try_take_optional {
  spsc_queue &q;
  executor &ex;
  bool await_ready() const { return !q.empty(); }
  void await_suspend(std::coroutine_handle<> h) { ex.schedule(h); }
  // CHECK: :[[@LINE-1]]:51: warning: 'await_suspend' gives the handle straight back to be run again
  std::optional<int> await_resume() const {
    return q.empty() ? std::nullopt : std::optional<int>(1);
  }
};

struct try_take_pointer {
  spsc_queue &q;
  pool_executor &pool;
  bool await_ready() const { return !q.empty(); }
  void await_suspend(std::coroutine_handle<> h) { pool.dispatch(h); }
  // CHECK: :[[@LINE-1]]:51: warning: 'await_suspend' gives the handle straight back to be run again
  const int *await_resume() const { return nullptr; }
};

// ===== More negative cases =====

struct stores_then_returns_noop {
  waiter_queue &q;
  bool await_ready() const noexcept { return false; }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<> h) {
    q.push_back(h);
    return std::noop_coroutine();
  }
  void await_resume() const noexcept {}
};

struct touches_a_local_after_the_hand_off {
  executor &ex;
  bool await_ready() const noexcept { return false; }
  bool await_suspend(std::coroutine_handle<> h) {
    int attempts = 0;
    ex.post(h);
    ++attempts;
    return attempts > 0;
  }
  void await_resume() const noexcept {}
};

struct returns_true_after_the_hand_off {
  executor &ex;
  bool await_ready() const noexcept { return false; }
  bool await_suspend(std::coroutine_handle<> h) {
    ex.post(h);
    return true;
  }
  void await_resume() const noexcept {}
};

// Not an awaiter: no await_resume.
struct half_an_awaiter {
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h) { h.resume(); }
};

struct moves_to_the_pool {
  pool_executor &pool;
  bool await_ready() const { return false; }
  void await_suspend(std::coroutine_handle<> h) { pool.dispatch(h); }
  void await_resume() const noexcept {}
};

struct poll_that_publishes {
  spsc_queue &q;
  std::atomic<void *> &slot;
  bool await_ready() const { return !q.empty(); }
  void await_suspend(std::coroutine_handle<> h) { slot.store(h.address()); }
  bool await_resume() const { return !q.empty(); }
};

struct never_ready_does_work {
  waiter_queue &q;
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h) { q.push_back(h); }
  void await_resume() const noexcept {}
};

struct always_ready_does_nothing {
  bool await_ready() const noexcept { return true; }
  void await_suspend(std::coroutine_handle<>) const noexcept {}
  void await_resume() const noexcept {}
};

struct continuation_promise;
struct transfers_or_parks {
  bool await_ready() const noexcept { return false; }
  std::coroutine_handle<>
  await_suspend(std::coroutine_handle<continuation_promise> h) noexcept;
  void await_resume() const noexcept {}
};
struct continuation_promise {
  std::coroutine_handle<> continuation;
  basic_task<continuation_promise> get_return_object() { return {}; }
  std::suspend_always initial_suspend() noexcept { return {}; }
  transfers_or_parks final_suspend() noexcept { return {}; }
  void return_void() {}
  void unhandled_exception() {}
};
std::coroutine_handle<> transfers_or_parks::await_suspend(
    std::coroutine_handle<continuation_promise> h) noexcept {
  auto next = h.promise().continuation;
  return next ? next : std::noop_coroutine();
}

// An awaiter a promise's await_transform returns: the owner resumes it.
struct transform_awaiter {
  int *seen;
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<>) noexcept { *seen += 1; }
  void await_resume() const noexcept {}
};
struct transforming_promise {
  int seen = 0;
  basic_task<transforming_promise> get_return_object() { return {}; }
  std::suspend_always initial_suspend() noexcept { return {}; }
  std::suspend_always final_suspend() noexcept { return {}; }
  transform_awaiter await_transform(int) { return {&seen}; }
  void return_void() {}
  void unhandled_exception() {}
};

template <class Queue> struct generic_waiter {
  Queue &q;
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h) { q.push_back(h); }
  void await_resume() const noexcept {}
};
template struct generic_waiter<waiter_queue>;

struct resumes_inside_a_posted_lambda {
  pool_executor &pool;
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h) {
    pool.submit([h] { h.resume(); });
  }
  void await_resume() const noexcept {}
};

// Not an awaiter: a class with a resume() of its own.
struct job {
  void resume();
  void run(std::coroutine_handle<> h) { h.resume(); }
};
