// asyncrt's side of the runtime benchmark against tokio: one workload per
// process, the same six as tokio/src/main.rs with the same sizes and shape
// (who spawns what, channel capacities, what is awaited).
//
//   asyncrt-vs-tokio <workload> <current|multi> <size>
//
// prints one line `<workload> <flavor> <operations> <seconds>`; the time
// covers the workload inside the runtime, not building the runtime.
// vs_tokio.py runs both and prints the ratios.
#include <asyncrt/asyncrt.hpp>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace {

using namespace std::chrono_literals;
using asyncrt::task;

// Spawns n tasks made by \p make, then joins them in order. The unbounded
// fan-out is the workload itself (spawn_join, sleeps), as on tokio's side.
task<std::uint64_t> spawn_all_then_join(std::uint64_t n, task<void> (*make)()) {
  std::vector<asyncrt::join_handle<void>> handles;
  handles.reserve(n);
  for (std::uint64_t i = 0; i < n; ++i)
    // NOLINTNEXTLINE(async-unbounded-fanout)
    handles.push_back(asyncrt::spawn(make()));
  for (auto &h : handles)
    co_await std::move(h);
  co_return n;
}

task<void> empty() { co_return; }

task<void> produce(asyncrt::mpsc::sender<std::uint64_t> tx, std::uint64_t n) {
  for (std::uint64_t i = 0; i < n; ++i)
    if (!co_await tx.send(i))
      throw std::runtime_error("receiver gone");
}

task<std::uint64_t> channel(std::uint64_t n) {
  auto [tx, rx] = asyncrt::mpsc::channel<std::uint64_t>(100);
  auto producer = asyncrt::spawn(produce(std::move(tx), n));
  std::uint64_t sum = 0;
  for (;;) {
    std::optional<std::uint64_t> v = co_await rx.recv();
    if (!v)
      break;
    sum += *v;
  }
  co_await std::move(producer);
  if (sum != n * (n - 1) / 2)
    throw std::logic_error("channel: wrong sum");
  co_return n;
}

task<void> pong(asyncrt::mpsc::receiver<std::uint64_t> pings,
                asyncrt::mpsc::sender<std::uint64_t> pongs) {
  for (;;) {
    std::optional<std::uint64_t> v = co_await pings.recv();
    if (!v)
      break;
    if (!co_await pongs.send(*v + 1))
      throw std::runtime_error("pinger gone");
  }
}

task<std::uint64_t> ping_pong(std::uint64_t n) {
  auto [ping_tx, ping_rx] = asyncrt::mpsc::channel<std::uint64_t>(1);
  auto [pong_tx, pong_rx] = asyncrt::mpsc::channel<std::uint64_t>(1);
  auto ponger = asyncrt::spawn(pong(std::move(ping_rx), std::move(pong_tx)));
  for (std::uint64_t i = 0; i < n; ++i) {
    if (!co_await ping_tx.send(i))
      throw std::runtime_error("ponger gone");
    std::optional<std::uint64_t> back = co_await pong_rx.recv();
    if (!back || *back != i + 1)
      throw std::logic_error("ping_pong: wrong answer");
  }
  { auto closing = std::move(ping_tx); }
  co_await std::move(ponger);
  co_return n;
}

constexpr std::size_t fanout_limit = 10;

task<void> bounded_item(asyncrt::semaphore::permit) {
  co_await asyncrt::yield_now();
}

task<std::uint64_t> semaphore_fanout(std::uint64_t n) {
  asyncrt::semaphore limit(fanout_limit);
  for (std::uint64_t i = 0; i < n; ++i) {
    asyncrt::semaphore::permit permit = co_await limit.acquire();
    asyncrt::spawn(bounded_item(std::move(permit)));
  }
  // Every task has finished once all permits are back.
  auto all = co_await limit.acquire(fanout_limit);
  co_return n;
}

task<std::optional<std::uint64_t>>
receive(asyncrt::mpsc::receiver<std::uint64_t> &rx) {
  co_return co_await rx.recv();
}

task<void> timer(std::chrono::seconds d) { co_await asyncrt::sleep(d); }

// n values received through a select of the receive against a 1 s timer
// that never fires; \p wrapped: each branch a coroutine of its own (the
// form before the combinators took any awaitable), else the operations
// themselves, the form the seed's Pattern 3 takes.
task<std::uint64_t> select_loop(std::uint64_t n, bool wrapped) {
  auto [tx, rx] = asyncrt::mpsc::channel<std::uint64_t>(100);
  auto producer = asyncrt::spawn(produce(std::move(tx), n));
  std::uint64_t received = 0, timeouts = 0;
  for (;;) {
    std::variant<std::optional<std::uint64_t>, std::monostate> winner =
        wrapped ? co_await asyncrt::select(receive(rx), timer(1s))
                : co_await asyncrt::select(rx.recv(), asyncrt::sleep(1s));
    if (winner.index() == 1) {
      ++timeouts;
      continue;
    }
    if (!std::get<0>(winner))
      break;
    ++received;
  }
  co_await std::move(producer);
  if (received != n || timeouts != 0)
    throw std::logic_error("select: wrong counts");
  co_return n;
}

task<void> nap() { co_await asyncrt::sleep(1ms); }

task<std::uint64_t> workload(std::string_view name, std::uint64_t n) {
  if (name == "spawn_join")
    co_return co_await spawn_all_then_join(n, empty);
  if (name == "channel")
    co_return co_await channel(n);
  if (name == "ping_pong")
    co_return co_await ping_pong(n);
  if (name == "semaphore_fanout")
    co_return co_await semaphore_fanout(n);
  if (name == "select_timer")
    co_return co_await select_loop(n, /*wrapped=*/true);
  if (name == "select_direct")
    co_return co_await select_loop(n, /*wrapped=*/false);
  if (name == "sleeps")
    co_return co_await spawn_all_then_join(n, nap);
  throw std::invalid_argument("unknown workload '" + std::string(name) + "'");
}

} // namespace

int main(int argc, char **argv) {
  if (argc != 4) {
    std::fprintf(stderr,
                 "usage: asyncrt-vs-tokio <workload> <current|multi> <size>\n");
    return 2;
  }
  std::string_view name = argv[1], flavor = argv[2];
  char *end = nullptr;
  std::uint64_t n = std::strtoull(argv[3], &end, 10);
  if (*argv[3] == '\0' || *end != '\0') {
    std::fprintf(stderr, "asyncrt-vs-tokio: size '%s' is not a number\n",
                 argv[3]);
    return 2;
  }
  asyncrt::runtime_options options;
  if (flavor == "current") {
    options.flavor = asyncrt::flavor::current_thread;
  } else if (flavor == "multi") {
    options.worker_threads = 2;
  } else {
    std::fprintf(stderr, "asyncrt-vs-tokio: unknown flavor '%s'\n", argv[2]);
    return 2;
  }
  // Debug builds report long polls; a benchmark measures, it does not warn.
  options.long_poll_threshold = std::chrono::milliseconds(0);
  asyncrt::runtime rt(options);
  try {
    auto start = std::chrono::steady_clock::now();
    std::uint64_t ops = rt.block_on(workload(name, n));
    std::chrono::duration<double> seconds =
        std::chrono::steady_clock::now() - start;
    std::printf("%s %s %llu %.9f\n", argv[1], argv[2],
                static_cast<unsigned long long>(ops), seconds.count());
  } catch (const std::exception &e) {
    std::fprintf(stderr, "asyncrt-vs-tokio: %s\n", e.what());
    return 1;
  }
}
