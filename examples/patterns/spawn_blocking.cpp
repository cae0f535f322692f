// spawn_blocking for CPU-bound work: the hashing runs on a blocking thread
// while the workers keep serving other tasks (here, a heartbeat).
#include <asyncrt/asyncrt.hpp>

#include <atomic>
#include <cstdint>
#include <cstdio>

namespace example {

std::uint64_t expensive_hash(std::uint64_t seed) {
  std::uint64_t h = seed;
  for (int i = 0; i < 20'000'000; ++i)
    h = h * 6364136223846793005ULL + 1442695040888963407ULL;
  return h;
}

asyncrt::task<bool> run() {
  std::atomic<int> beats = 0;
  std::atomic<bool> hashing = true;
  auto heartbeat = asyncrt::spawn(
      [](std::atomic<int> &b, std::atomic<bool> &busy) -> asyncrt::task<void> {
        while (busy) {
          ++b;
          co_await asyncrt::sleep(std::chrono::milliseconds(1));
        }
      }(beats, hashing));
  std::uint64_t h =
      co_await asyncrt::spawn_blocking([] { return expensive_hash(7); });
  hashing = false;
  co_await std::move(heartbeat);
  std::printf("spawn_blocking: hash %llx, %d heartbeats meanwhile\n",
              static_cast<unsigned long long>(h), beats.load());
  co_return h != 0 && beats > 0;
}

} // namespace example

int main() {
  // One worker: without spawn_blocking, the hashing would stop the heartbeat.
  asyncrt::runtime_options one_worker;
  one_worker.flavor = asyncrt::flavor::current_thread;
  asyncrt::runtime rt{one_worker};
  bool ok = rt.block_on(example::run());
  std::printf("spawn_blocking: %s\n", ok ? "ok" : "FAILED");
  return ok ? 0 : 1;
}
