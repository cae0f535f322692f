// Randomized, seeded stress on every runtime shape: producers and consumers
// over channels that get closed at random, a semaphore held across sleeps,
// selects, timeouts, joins, tasks aborted at random, and in some iterations
// the runtime dropped with everything in flight. Then exact accounting:
//  - every message whose send reported success was received exactly once or
//    is still in its channel; one whose send was cut short by the runtime's
//    end at most once; one never sent, never;
//  - every semaphore permit is back;
//  - every task frame was destroyed.
// A failure prints the iteration's seed; ASYNCRT_CHAOS_SEED=<seed> replays
// that iteration alone.
#include "test_support.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <vector>

using namespace std::chrono_literals;

namespace {

struct rng {
  std::uint64_t state;
  std::uint32_t next() {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return static_cast<std::uint32_t>(state >> 11);
  }
  std::uint32_t below(std::uint32_t n) { return next() % n; }
  std::chrono::microseconds micros(std::uint32_t most) {
    return std::chrono::microseconds(below(most));
  }
};

constexpr int channel_count = 3;
constexpr int producer_count = 8;
constexpr int per_producer = 40;
constexpr int message_count = producer_count * per_producer;
constexpr std::size_t permits = 3;

enum class fate : int { unsent, attempted, sent };

struct ledger {
  std::vector<std::atomic<int>> fates =
      std::vector<std::atomic<int>>(message_count);
  std::vector<std::atomic<int>> received =
      std::vector<std::atomic<int>>(message_count);
  std::atomic<int> live_frames{0};
};

// Counts the task frames alive: a leaked frame never runs its destructor.
struct frame_witness {
  std::atomic<int> &live;
  explicit frame_witness(std::atomic<int> &l) : live(l) { ++live; }
  frame_witness(const frame_witness &) = delete;
  ~frame_witness() { --live; }
};

struct world {
  std::vector<asyncrt::mpsc::sender<int>> senders;
  std::vector<asyncrt::mpsc::receiver<int>> receivers;
  asyncrt::semaphore sem{permits};
  ledger book;
};

asyncrt::task<std::optional<asyncrt::mpsc::permit<int>>>
reserve(asyncrt::mpsc::sender<int> tx) {
  co_return co_await tx.reserve();
}

asyncrt::task<void> nap(std::chrono::microseconds d) {
  co_await asyncrt::sleep(d);
}

asyncrt::task<void> produce(world &w, int first, std::uint64_t seed) {
  frame_witness alive(w.book.live_frames);
  rng r{seed};
  std::vector<asyncrt::mpsc::sender<int>> out = w.senders;
  for (int id = first; id < first + per_producer; ++id) {
    asyncrt::mpsc::sender<int> &tx = out[r.below(channel_count)];
    std::atomic<int> &f = w.book.fates[id];
    switch (r.below(5)) {
    case 0: { // send, with a permit of the semaphore held across a sleep
      auto held = co_await w.sem.acquire();
      co_await asyncrt::sleep(r.micros(200));
      f = int(fate::attempted);
      if (co_await tx.send(id))
        f = int(fate::sent);
      break;
    }
    case 1: { // reserve under a timeout, then send through the permit
      auto slot = co_await asyncrt::timeout(r.micros(500), reserve(tx));
      if (slot && *slot) {
        f = int(fate::attempted);
        (*slot)->send(id);
        f = int(fate::sent);
      }
      break;
    }
    case 2: // try_send
      f = int(fate::attempted);
      if (tx.try_send(id) == asyncrt::try_send_status::sent)
        f = int(fate::sent);
      break;
    case 3: { // a select of a reservation against a sleep, as tasks
      auto won = co_await asyncrt::select(reserve(tx), nap(r.micros(300)));
      if (won.index() == 0 && std::get<0>(won)) {
        f = int(fate::attempted);
        std::get<0>(won)->send(id);
        f = int(fate::sent);
      }
      break;
    }
    default: { // the same select polled inline
      auto won =
          co_await asyncrt::select(tx.reserve(), asyncrt::sleep(r.micros(300)));
      if (won.index() == 0 && std::get<0>(won)) {
        f = int(fate::attempted);
        std::get<0>(won)->send(id);
        f = int(fate::sent);
      }
    }
    }
  }
}

asyncrt::task<std::optional<int>> receive(asyncrt::mpsc::receiver<int> &rx) {
  co_return co_await rx.recv();
}

asyncrt::task<void> consume(world &w, int channel, std::uint64_t seed) {
  frame_witness alive(w.book.live_frames);
  rng r{seed};
  asyncrt::mpsc::receiver<int> &rx = w.receivers[channel];
  for (;;) {
    std::optional<int> got;
    std::uint64_t form = r.below(6);
    if (form == 3) { // inline: a timeout over the receive itself
      auto in_time = co_await asyncrt::timeout(r.micros(400), rx.recv());
      if (!in_time)
        continue;
      got = *in_time;
    } else if (form == 4) { // inline, nested in a select's branch
      auto won = co_await asyncrt::select(
          asyncrt::timeout(r.micros(400), rx.recv()), nap(r.micros(400)));
      if (won.index() == 1 || !std::get<0>(won))
        continue;
      got = *std::get<0>(won);
    } else if (form == 5) { // inline: a receive against a sleep
      auto won =
          co_await asyncrt::select(rx.recv(), asyncrt::sleep(r.micros(400)));
      if (won.index() == 1)
        continue;
      got = std::get<0>(won);
    } else if (form == 0) {
      auto in_time = co_await asyncrt::timeout(r.micros(400), receive(rx));
      if (!in_time)
        continue; // timed out: anything queued is still there
      got = *in_time;
    } else if (form == 1) { // nested: a timeout as a select's branch
      auto won = co_await asyncrt::select(
          asyncrt::timeout(r.micros(400), receive(rx)), nap(r.micros(400)));
      if (won.index() == 1 || !std::get<0>(won))
        continue;
      got = *std::get<0>(won);
    } else {
      auto won = co_await asyncrt::select(receive(rx), nap(r.micros(400)));
      if (won.index() == 1)
        continue;
      got = std::get<0>(won);
    }
    if (!got)
      co_return; // closed and drained
    ++w.book.received[*got];
  }
}

// Tasks that only join, sleep and hold permits, aborted or not.
asyncrt::task<int> busy(world &w, std::uint64_t seed) {
  frame_witness alive(w.book.live_frames);
  rng r{seed};
  auto [a, b] = co_await asyncrt::join(nap(r.micros(300)), nap(r.micros(300)));
  (void)a;
  (void)b;
  auto held = co_await w.sem.acquire();
  co_await asyncrt::yield_now();
  co_return 1;
}

asyncrt::task<void> supervise(world &w, std::uint64_t seed,
                              bool drop_runtime_midway) {
  rng r{seed};
  std::vector<asyncrt::join_handle<void>> producers, consumers;
  std::vector<asyncrt::join_handle<int>> others;
  for (int p = 0; p < producer_count; ++p)
    producers.push_back(
        asyncrt::spawn(produce(w, p * per_producer, r.next() + 1)));
  for (int c = 0; c < channel_count; ++c)
    consumers.push_back(asyncrt::spawn(consume(w, c, r.next() + 1)));
  for (int i = 0; i < 16; ++i)
    others.push_back(asyncrt::spawn(busy(w, r.next() + 1)));
  int rounds = drop_runtime_midway ? int(r.below(10)) : 1000;
  for (int round = 0; round < rounds; ++round) {
    co_await asyncrt::sleep(r.micros(300));
    switch (r.below(8)) {
    case 0:
      producers[r.below(producer_count)].abort();
      break;
    case 1: { // a consumer is aborted and replaced
      int c = int(r.below(channel_count));
      consumers[c].abort();
      try {
        co_await std::move(consumers[c]);
      } catch (const asyncrt::cancelled &) {
      }
      // Replaces the consumer just awaited: one per channel at any time.
      // NOLINTNEXTLINE(async-unbounded-fanout)
      consumers[c] = asyncrt::spawn(consume(w, c, r.next() + 1));
      break;
    }
    case 2:
      if (r.below(4) == 0)
        w.receivers[r.below(channel_count)].close();
      break;
    case 3:
      others[r.below(others.size())].abort();
      break;
    default:
      break;
    }
    bool all_done = true;
    for (auto &p : producers)
      all_done = all_done && p.is_finished();
    if (all_done)
      break;
  }
  if (drop_runtime_midway)
    co_return; // the runtime is dropped with all of it in flight
  for (auto &p : producers) {
    try {
      co_await std::move(p);
    } catch (const asyncrt::cancelled &) {
    }
  }
  for (auto &rx : w.receivers)
    rx.close();
  for (auto &c : consumers) {
    try {
      co_await std::move(c);
    } catch (const asyncrt::cancelled &) {
    }
  }
  for (auto &o : others) {
    try {
      co_await std::move(o);
    } catch (const asyncrt::cancelled &) {
    }
  }
}

struct totals {
  long sent = 0, received = 0, queued = 0, dropped_midway = 0;
};

// One iteration; false (with the failure recorded) if the accounting fails.
bool iteration(asyncrt_test::shape kind, std::uint64_t seed, totals &sum) {
  rng r{seed};
  world w;
  for (int c = 0; c < channel_count; ++c) {
    auto [tx, rx] = asyncrt::mpsc::channel<int>(1 + r.below(4));
    w.senders.push_back(std::move(tx));
    w.receivers.push_back(std::move(rx));
  }
  bool drop_midway = r.below(3) == 0;
  {
    asyncrt::runtime rt{asyncrt_test::options_for(kind)};
    rt.block_on(supervise(w, r.next() + 1, drop_midway));
  }
  w.senders.clear();
  // What is still queued counts as delivered to the channel.
  std::vector<int> queued(message_count, 0);
  for (auto &rx : w.receivers)
    while (std::optional<int> v = rx.try_recv())
      ++queued[*v];
  sum.dropped_midway += drop_midway;
  for (int id = 0; id < message_count; ++id) {
    sum.sent += w.book.fates[id] == int(fate::sent);
    sum.received += w.book.received[id];
    sum.queued += queued[id];
  }
  bool ok = true;
  auto fail = [&](const std::string &what) {
    ADD_FAILURE() << what << (drop_midway ? ", runtime dropped midway" : "")
                  << " (seed " << seed
                  << ", replay with ASYNCRT_CHAOS_SEED=" << seed << ")";
    ok = false;
  };
  for (int id = 0; id < message_count && ok; ++id) {
    int seen = w.book.received[id] + queued[id];
    auto f = fate(w.book.fates[id].load());
    if (f == fate::sent && seen != 1)
      fail("message " + std::to_string(id) + " sent, seen " +
           std::to_string(seen) + " times");
    else if (f == fate::attempted && seen > 1)
      fail("message " + std::to_string(id) + " seen " + std::to_string(seen) +
           " times");
    else if (f == fate::unsent && seen != 0)
      fail("message " + std::to_string(id) + " never sent, seen " +
           std::to_string(seen) + " times");
  }
  if (w.sem.available_permits() != permits)
    fail("permits back: " + std::to_string(w.sem.available_permits()) + " of " +
         std::to_string(permits));
  if (w.book.live_frames != 0)
    fail(std::to_string(w.book.live_frames.load()) + " task frames left");
  return ok;
}

class Chaos : public asyncrt_test::AllShapes {};

TEST_P(Chaos, EveryMessageAndPermitIsAccountedFor) {
  totals sum;
  if (const char *replay = std::getenv("ASYNCRT_CHAOS_SEED")) {
    iteration(GetParam(), std::strtoull(replay, nullptr, 10), sum);
    return;
  }
  // At least 50 iterations, more while the time allows (sanitizer builds
  // run slower; the bound keeps the suite's time in check).
  auto until = std::chrono::steady_clock::now() + 3s;
  int done = 0;
  for (std::uint64_t seed = 1;
       done < 50 || (done < 400 && std::chrono::steady_clock::now() < until);
       ++seed, ++done)
    if (!iteration(GetParam(),
                   seed * 0x9e3779b97f4a7c15ULL + std::uint64_t(GetParam()),
                   sum))
      return;
  std::printf("%d iterations (%ld with the runtime dropped midway): %ld "
              "messages sent, %ld received, %ld left queued\n",
              done, sum.dropped_midway, sum.sent, sum.received, sum.queued);
  EXPECT_GT(sum.received, 0);
  EXPECT_GT(sum.dropped_midway, 0);
}

} // namespace

ASYNCRT_ON_ALL_SHAPES(Chaos);
