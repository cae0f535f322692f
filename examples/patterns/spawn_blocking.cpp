// spawn_blocking for CPU-bound work: the hashing runs on a blocking thread
// while the workers keep serving other tasks (here, a heartbeat).
#include <asyncrt/asyncrt.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>

namespace example {

std::uint64_t hash_round(std::uint64_t h) {
  for (int i = 0; i < 1'000'000; ++i)
    h = h * 6364136223846793005ULL + 1442695040888963407ULL;
  return h;
}

struct hash_result {
  std::uint64_t hash = 0;
  int heartbeats_while_hashing = 0;
};

// Hashes in rounds until the heartbeat has ticked a few times during the work.
// How fast a machine hashes then cannot decide whether the heartbeat got a
// turn; the time cap makes a stalled heartbeat a failure instead of a hang.
hash_result expensive_hash(std::uint64_t seed, const std::atomic<int> &beats) {
  using clock = std::chrono::steady_clock;
  const auto give_up = clock::now() + std::chrono::seconds(10);
  const int beats_at_start = beats.load();
  hash_result result{seed, 0};
  do {
    result.hash = hash_round(result.hash);
    result.heartbeats_while_hashing = beats.load() - beats_at_start;
  } while (result.heartbeats_while_hashing < 3 && clock::now() < give_up);
  return result;
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
  hash_result r = co_await asyncrt::spawn_blocking(
      [&beats] { return expensive_hash(7, beats); });
  hashing = false;
  co_await std::move(heartbeat);
  std::printf("spawn_blocking: hash %llx, %d heartbeats meanwhile\n",
              static_cast<unsigned long long>(r.hash),
              r.heartbeats_while_hashing);
  co_return r.heartbeats_while_hashing >= 3;
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
