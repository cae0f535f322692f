// Google Benchmark microbenchmarks of asyncrt's hot paths, each with the
// heap allocations it makes per operation (counted by this binary's
// operator new). Run: build/runtime-support/bench/asyncrt_micro
#include <asyncrt/asyncrt.hpp>

#include <benchmark/benchmark.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <optional>
#include <stdexcept>
#include <thread>

namespace {
std::atomic<std::uint64_t> allocations{0};
} // namespace

// g++ sees the replaced operator delete's free() reached with a pointer from
// ::operator new once both are inlined into the runtime's block cache, and
// takes the pair for a mismatch; here they are one malloc/free pair.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

void *operator new(std::size_t size) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  if (void *p = std::malloc(size ? size : 1))
    return p;
  throw std::bad_alloc();
}
void operator delete(void *p) noexcept { std::free(p); }
void operator delete(void *p, std::size_t) noexcept { std::free(p); }

namespace {

using asyncrt::task;

// Reports allocations per iteration of the timed loop it is constructed
// around (construct it just before the loop, call done() just after).
class allocation_meter {
public:
  explicit allocation_meter(benchmark::State &state)
      : state_(state), start_(allocations.load()) {}
  void done() {
    state_.counters["allocs/op"] =
        benchmark::Counter(static_cast<double>(allocations.load() - start_),
                           benchmark::Counter::kAvgIterations);
  }

private:
  benchmark::State &state_;
  std::uint64_t start_;
};

asyncrt::runtime_options current_thread() {
  asyncrt::runtime_options options;
  options.flavor = asyncrt::flavor::current_thread;
  options.long_poll_threshold = std::chrono::milliseconds(0);
  return options;
}

task<int> answer() { co_return 42; }

task<void> create_and_resume(benchmark::State &state) {
  allocation_meter meter(state);
  for (auto _ : state)
    benchmark::DoNotOptimize(co_await answer());
  meter.done();
}

// A task made, started, run to completion and destroyed: one frame.
void task_create_resume(benchmark::State &state) {
  asyncrt::runtime rt(current_thread());
  rt.block_on(create_and_resume(state));
}
BENCHMARK(task_create_resume);

task<void> send_then_receive(benchmark::State &state) {
  auto [tx, rx] = asyncrt::mpsc::channel<std::uint64_t>(128);
  allocation_meter meter(state);
  std::uint64_t i = 0;
  for (auto _ : state) {
    if (!co_await tx.send(i++))
      throw std::logic_error("receiver gone");
    benchmark::DoNotOptimize(co_await rx.recv());
  }
  meter.done();
}

// A send and a receive that find the channel ready (neither suspends).
void channel_send_recv(benchmark::State &state) {
  asyncrt::runtime rt(current_thread());
  rt.block_on(send_then_receive(state));
}
BENCHMARK(channel_send_recv);

task<void> acquire_then_release(benchmark::State &state) {
  asyncrt::semaphore limit(1);
  allocation_meter meter(state);
  for (auto _ : state) {
    asyncrt::semaphore::permit permit = co_await limit.acquire();
    benchmark::DoNotOptimize(permit.count());
  }
  meter.done();
}

// An uncontended acquire, and the release when the permit is dropped.
void semaphore_acquire_release(benchmark::State &state) {
  asyncrt::runtime rt(current_thread());
  rt.block_on(acquire_then_release(state));
}
BENCHMARK(semaphore_acquire_release);

task<void> empty() { co_return; }

task<void> spawn_and_join(benchmark::State &state) {
  allocation_meter meter(state);
  for (auto _ : state)
    co_await asyncrt::spawn(empty());
  meter.done();
}

// Spawn on the running worker, run, join: the local spawn path.
void spawn_local_join(benchmark::State &state) {
  asyncrt::runtime rt(current_thread());
  rt.block_on(spawn_and_join(state));
}
BENCHMARK(spawn_local_join);

// Spawn from a thread outside the runtime onto its worker, which may be
// parked and must be woken, and wait until the task has run: the remote
// spawn path (global queue, wake-up) and its round trip.
void spawn_remote(benchmark::State &state) {
  asyncrt::runtime_options options;
  options.worker_threads = 1;
  options.long_poll_threshold = std::chrono::milliseconds(0);
  asyncrt::runtime rt(options);
  allocation_meter meter(state);
  for (auto _ : state) {
    // One task at a time: the loop spins until it has finished, a join that
    // async-unbounded-fanout cannot see (no co_await outside a coroutine).
    // NOLINTNEXTLINE(async-unbounded-fanout)
    asyncrt::join_handle<void> handle = rt.spawn(empty());
    while (!handle.is_finished())
      std::this_thread::yield();
  }
  meter.done();
}
BENCHMARK(spawn_remote)->UseRealTime();

task<void> select_ready_recv(benchmark::State &state) {
  auto [tx, rx] = asyncrt::mpsc::channel<int>(1);
  allocation_meter meter(state);
  for (auto _ : state) {
    tx.try_send(1);
    auto won = co_await asyncrt::select(rx.recv(),
                                        asyncrt::sleep(std::chrono::hours(1)));
    benchmark::DoNotOptimize(won.index());
  }
  meter.done();
}

// A select whose receive is ready at once, against a timer that loses: the
// common turn of a select loop over a busy channel (tokio polls both
// futures inline and allocates nothing).
void select_recv_ready(benchmark::State &state) {
  asyncrt::runtime rt(current_thread());
  rt.block_on(select_ready_recv(state));
}
BENCHMARK(select_recv_ready);

task<std::optional<int>> receive_one(asyncrt::mpsc::receiver<int> &rx) {
  co_return co_await rx.recv();
}

task<void> nap() { co_await asyncrt::sleep(std::chrono::hours(1)); }

task<void> select_ready_recv_tasks(benchmark::State &state) {
  auto [tx, rx] = asyncrt::mpsc::channel<int>(1);
  allocation_meter meter(state);
  for (auto _ : state) {
    tx.try_send(1);
    auto won = co_await asyncrt::select(receive_one(rx), nap());
    benchmark::DoNotOptimize(won.index());
  }
  meter.done();
}

// select_recv_ready with each operand a coroutine of its own: task branches
// resumed by the selecting task; when the timer branch starts first it is
// dropped where it sleeps.
void select_task_recv_ready(benchmark::State &state) {
  asyncrt::runtime rt(current_thread());
  rt.block_on(select_ready_recv_tasks(state));
}
BENCHMARK(select_task_recv_ready);

} // namespace

BENCHMARK_MAIN();
