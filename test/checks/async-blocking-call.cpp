// RUN: not %corolint --checks='-*,async-blocking-call' %s -- -std=c++20 -I %S/Inputs -I %repo/runtime-support/include \
// RUN:   | FileCheck %s --implicit-check-not='{{warning|error}}:'
// RUN: %clang_tidy_plugin --checks='-*,async-blocking-call' %s -- -std=c++20 -I %S/Inputs -I %repo/runtime-support/include \
// RUN:   | FileCheck %s --implicit-check-not='{{warning|error}}:'

#include "locks.h"
#include <barrier>
#include <chrono>
#include <cerrno>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <iostream>
#include <latch>
#include <poll.h>
#include <semaphore>
#include <sstream>
#include <string>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <time.h>
#include <unistd.h>

using namespace std::chrono_literals;

std::mutex &m_global();
struct runtime {
  template <class T> T block_on(task<T>);
};
namespace exec {
template <class T> T sync_wait(task<T>);
}
[[clang::annotate("corolint::blocking")]] void flush_to_disk();
void legacy_wait_for_device();
void spawn_blocking(void (*)());
template <class F> void spawn_blocking(F &&f) { f(); }

// ===== Positive cases =====

task<int> p_sleep_for() {
  std::this_thread::sleep_for(10ms);
  // CHECK: :[[@LINE-1]]:3: warning: 'sleep_for' blocks the thread that runs this coroutine; use 'co_await asyncrt::sleep(...)' [async-blocking-call]
  co_return 0;
}

task<int> p_sleep_until() {
  std::this_thread::sleep_until(std::chrono::steady_clock::now() + 1s);
  // CHECK: :[[@LINE-1]]:3: warning: 'sleep_until' blocks the thread that runs this coroutine; use 'co_await asyncrt::sleep(...)'
  co_return 0;
}

task<int> p_posix_sleeps() {
  sleep(1);
  // CHECK: :[[@LINE-1]]:3: warning: 'sleep' blocks the thread that runs this coroutine
  usleep(100);
  // CHECK: :[[@LINE-1]]:3: warning: 'usleep' blocks the thread that runs this coroutine
  timespec ts{0, 1000};
  nanosleep(&ts, nullptr);
  // CHECK: :[[@LINE-1]]:3: warning: 'nanosleep' blocks the thread that runs this coroutine
  co_return 0;
}

task<int> p_future_get(std::future<int> f) {
  int v = f.get();
  // CHECK: :[[@LINE-1]]:11: warning: 'get' blocks the thread that runs this coroutine; await the task or its join handle instead of a std::future
  co_return v;
}

task<int> p_future_waits(std::future<int> &f, std::shared_future<int> &sf) {
  f.wait();
  // CHECK: :[[@LINE-1]]:3: warning: 'wait' blocks the thread that runs this coroutine; await the task
  f.wait_for(1s);
  // CHECK: :[[@LINE-1]]:3: warning: 'wait_for' blocks the thread that runs this coroutine
  sf.wait_until(std::chrono::steady_clock::now());
  // CHECK: :[[@LINE-1]]:3: warning: 'wait_until' blocks the thread that runs this coroutine
  co_return sf.get();
  // CHECK: :[[@LINE-1]]:13: warning: 'get' blocks the thread that runs this coroutine
}

task<int> p_thread_join(std::thread &t, std::jthread &jt) {
  t.join();
  // CHECK: :[[@LINE-1]]:3: warning: 'join' blocks the thread that runs this coroutine; await a join handle ('co_await asyncrt::spawn(...)') instead
  jt.join();
  // CHECK: :[[@LINE-1]]:3: warning: 'join' blocks the thread that runs this coroutine
  co_return 0;
}

task<int> p_condition_variables(std::condition_variable &cv,
                                std::condition_variable_any &cva) {
  std::unique_lock<std::mutex> lk(m_global());
  cv.wait(lk);
  // CHECK: :[[@LINE-1]]:3: warning: 'wait' blocks the thread that runs this coroutine; wait on an async primitive (a channel or a semaphore) instead
  cv.wait_for(lk, 1s);
  // CHECK: :[[@LINE-1]]:3: warning: 'wait_for' blocks the thread that runs this coroutine
  cva.wait(lk);
  // CHECK: :[[@LINE-1]]:3: warning: 'wait' blocks the thread that runs this coroutine
  co_return 0;
}

task<int> p_sync_primitives(std::latch &l, std::barrier<> &b,
                            std::counting_semaphore<4> &s) {
  l.wait();
  // CHECK: :[[@LINE-1]]:3: warning: 'wait' blocks the thread that runs this coroutine
  b.arrive_and_wait();
  // CHECK: :[[@LINE-1]]:3: warning: 'arrive_and_wait' blocks the thread that runs this coroutine
  s.acquire();
  // CHECK: :[[@LINE-1]]:3: warning: 'acquire' blocks the thread that runs this coroutine
  co_return 0;
}

task<int> p_posix_io(int fd, char *buf) {
  read(fd, buf, 10);
  // CHECK: :[[@LINE-1]]:3: warning: 'read' blocks the thread that runs this coroutine; use asynchronous I/O, or move the call into 'asyncrt::spawn_blocking'
  write(fd, buf, 10);
  // CHECK: :[[@LINE-1]]:3: warning: 'write' blocks the thread that runs this coroutine
  co_return 0;
}

task<int> p_sockets(int sock, char *buf) {
  recv(sock, buf, 10, 0);
  // CHECK: :[[@LINE-1]]:3: warning: 'recv' blocks the thread that runs this coroutine
  send(sock, buf, 10, 0);
  // CHECK: :[[@LINE-1]]:3: warning: 'send' blocks the thread that runs this coroutine
  int client = accept(sock, nullptr, nullptr);
  // CHECK: :[[@LINE-1]]:16: warning: 'accept' blocks the thread that runs this coroutine
  connect(sock, nullptr, 0);
  // CHECK: :[[@LINE-1]]:3: warning: 'connect' blocks the thread that runs this coroutine
  co_return client;
}

// A 32-bit counter is not an eventfd's 8 bytes; a buffer is not a counter.
task<int> p_write_not_an_eventfd(int fd, std::uint32_t small, char *buf) {
  write(fd, &small, sizeof small);
  // CHECK: :[[@LINE-1]]:3: warning: 'write' blocks the thread that runs this coroutine
  write(fd, buf, 8);
  // CHECK: :[[@LINE-1]]:3: warning: 'write' blocks the thread that runs this coroutine
  co_return 0;
}

task<int> p_multiplexing(pollfd *fds, fd_set *set) {
  poll(fds, 1, -1);
  // CHECK: :[[@LINE-1]]:3: warning: 'poll' blocks the thread that runs this coroutine
  select(1, set, nullptr, nullptr, nullptr);
  // CHECK: :[[@LINE-1]]:3: warning: 'select' blocks the thread that runs this coroutine
  co_return 0;
}

task<int> p_stdio(FILE *f, char *buf) {
  fread(buf, 1, 10, f);
  // CHECK: :[[@LINE-1]]:3: warning: 'fread' blocks the thread that runs this coroutine
  fgets(buf, 10, f);
  // CHECK: :[[@LINE-1]]:3: warning: 'fgets' blocks the thread that runs this coroutine
  co_return 0;
}

task<std::string> p_getline(std::istream &in) {
  std::string line;
  std::getline(std::cin, line);
  // CHECK: :[[@LINE-1]]:3: warning: 'getline' blocks the thread that runs this coroutine
  char buf[16];
  in.getline(buf, 16);
  // CHECK: :[[@LINE-1]]:3: warning: 'getline' blocks the thread that runs this coroutine
  co_return line;
}

task<int> p_system_and_waitpid() {
  int status = std::system("make");
  // CHECK: :[[@LINE-1]]:16: warning: 'system' blocks the thread that runs this coroutine
  waitpid(-1, &status, 0);
  // CHECK: :[[@LINE-1]]:3: warning: 'waitpid' blocks the thread that runs this coroutine
  co_return status;
}

task<int> p_block_on(runtime &rt) {
  int v = rt.block_on(fetch(1));
  // CHECK: :[[@LINE-1]]:11: warning: 'block_on' blocks the thread that runs this coroutine; 'co_await' the task instead: blocking on the runtime from one of its worker threads deadlocks
  co_return v + exec::sync_wait(fetch(2));
  // CHECK: :[[@LINE-1]]:17: warning: 'sync_wait' blocks the thread that runs this coroutine; 'co_await' the task instead
}

task<int> p_annotated_blocking() {
  flush_to_disk();
  // CHECK: :[[@LINE-1]]:3: warning: 'flush_to_disk' blocks the thread that runs this coroutine; move the call into 'asyncrt::spawn_blocking'
  co_return 0;
}

void p_in_coroutine_lambda() {
  auto body = []() -> task<int> {
    std::this_thread::sleep_for(1ms);
    // CHECK: :[[@LINE-1]]:5: warning: 'sleep_for' blocks the thread that runs this coroutine
    co_return 0;
  };
  (void)body;
}

struct worker {
  std::future<int> pending;
  task<int> member_coroutine() {
    co_return pending.get();
    // CHECK: :[[@LINE-1]]:15: warning: 'get' blocks the thread that runs this coroutine
  }
};

task<int> p_in_loop_and_branch(bool again) {
  while (again) {
    if (flag())
      sleep(1);
    // CHECK: :[[@LINE-1]]:7: warning: 'sleep' blocks the thread that runs this coroutine
    co_await fetch(3);
  }
  co_return 0;
}

template <class T> task<T> p_template(std::future<T> f) {
  co_return f.get();
  // CHECK: :[[@LINE-1]]:13: warning: 'get' blocks the thread that runs this coroutine
}
template task<int> p_template(std::future<int>);

generator<int> p_generator() {
  usleep(10);
  // CHECK: :[[@LINE-1]]:3: warning: 'usleep' blocks the thread that runs this coroutine
  co_yield 1;
}

// ===== Negative cases =====

// Non-blocking descriptors: the coroutine handles "would block" (a read
// until EAGAIN, a connect that goes on in the background), so the calls
// return at once.
task<int> n_nonblocking_read(int fd, char *buf) {
  while (true) {
    long n = read(fd, buf, 10);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      co_await fetch(1);
      continue;
    }
    co_return static_cast<int>(n);
  }
}

task<int> n_nonblocking_connect(int sock) {
  if (connect(sock, nullptr, 0) == -1 && errno == EINPROGRESS)
    co_await fetch(2);
  co_return 0;
}

// Signalling an eventfd: eight bytes of a 64-bit counter.
task<int> n_eventfd_signal(int fd) {
  std::uint64_t one = 1;
  write(fd, &one, sizeof(one));
  co_return 0;
}

void n_plain_function() {
  std::this_thread::sleep_for(1ms);
  sleep(1);
}

task<int> n_awaited_instead() {
  co_await fetch(100);
  co_return 0;
}

task<int> n_in_plain_lambda() {
  auto blocking = [] { std::this_thread::sleep_for(1ms); };
  spawn_blocking(blocking);
  co_return 0;
}

task<int> n_lambda_given_to_spawn_blocking(std::future<int> f) {
  spawn_blocking([&f] { f.wait(); });
  co_return 0;
}

task<int> n_nonblocking_future_queries(std::future<int> &f) {
  bool valid = f.valid();
  auto shared = f.share();
  co_return valid ? 1 : 0;
}

task<int> n_thread_queries(std::thread &t) {
  bool joinable = t.joinable();
  t.detach();
  co_return joinable;
}

task<int> n_notify(std::condition_variable &cv) {
  cv.notify_one();
  cv.notify_all();
  co_return 0;
}

namespace mylib {
int read(int);
int write(int);
int sleep(int);
int send(int);
} // namespace mylib

task<int> n_same_names_in_a_namespace() {
  int v = mylib::read(1) + mylib::write(2) + mylib::sleep(3) + mylib::send(4);
  co_return v;
}

struct file {
  int read(char *, int);
  int write(const char *, int);
};

task<int> n_member_named_like_posix(file &f, char *buf) {
  co_return f.read(buf, 1) + f.write(buf, 1);
}

task<int> n_unevaluated() {
  using T = decltype(sleep(1));
  static_assert(sizeof(std::this_thread::sleep_for(1ms), 1) == sizeof(int));
  co_return sizeof(usleep(1)) + sizeof(T);
}

task<int> n_nolint() {
  sleep(1); // NOLINT(async-blocking-call)
  // NOLINTNEXTLINE(async-blocking-call)
  usleep(1);
  co_return 0;
}

task<int> n_nonblocking_io(FILE *f) {
  std::fflush(f);
  std::printf("done\n");
  co_return 0;
}

task<int> n_semaphore_release(std::counting_semaphore<4> &s, std::latch &l) {
  s.release();
  l.count_down();
  co_return 0;
}

task<int> n_not_annotated() {
  legacy_wait_for_device();
  co_return 0;
}

struct local_class_holder {
  task<int> run();
};
task<int> local_class_holder::run() {
  struct helper {
    static void wait() { sleep(1); }
  };
  (void)&helper::wait;
  co_return 0;
}

task<int> n_string_streams(std::istringstream &in, std::stringstream &io) {
  std::string line;
  std::getline(in, line);
  std::getline(io, line);
  char buf[16];
  in.getline(buf, 16);
  co_return 0;
}

task<int> n_chrono_only() {
  auto deadline = std::chrono::steady_clock::now() + 1s;
  co_return deadline.time_since_epoch().count() > 0;
}

task<int> n_mutex_is_not_this_check(std::mutex &mu) {
  mu.lock();
  mu.unlock();
  co_return 0;
}

task<int> n_try_acquire(std::counting_semaphore<4> &s) {
  co_return s.try_acquire() ? 1 : 0;
}

task<int> n_future_in_nested_lambda(std::future<int> f) {
  auto later = [&] { return f.get(); };
  (void)later;
  co_return 0;
}

task<int> n_function_pointer_not_called() {
  auto fp = &sleep;
  co_return fp != nullptr;
}

task<int> n_posix_nonblocking(int fd) {
  close(fd);
  co_return getpid();
}

task<int> n_block_on_in_plain_helper(runtime &rt) {
  auto helper = [&rt] { return rt.block_on(fetch(101)); };
  (void)helper;
  co_return 0;
}

task<int> n_join_handle_like(std::thread &t) {
  auto id = t.get_id();
  (void)id;
  co_return 0;
}

task<int> n_wait_named_method() {
  struct poller {
    void wait();
  } p;
  p.wait();
  co_return 0;
}

task<int> n_stream_output() {
  std::cout << "progress\n";
  co_return 0;
}

task<int> n_shared_future_valid(std::shared_future<int> &sf) {
  co_return sf.valid();
}

task<int> n_awaited_async_sleep_like() {
  co_await fetch(102);
  co_await fetch(103);
  co_return 0;
}

task<int> n_detached_thread() {
  std::thread([] { sleep(1); }).detach();
  co_return 0;
}
