// Stress: producers and consumers on the multi-thread runtime, with random
// aborts and timeouts. Every message must be received exactly once or be
// accounted for as returned to its sender, and no task frame may leak.
//
// Producers send through reserve() under a timeout (cancel-safe: a timed-out
// reservation takes nothing) and permit.send(), which cannot be cancelled
// half-way. Consumers receive under a timeout (recv is cancel-safe). The
// supervisor aborts producers (their unsent messages are returned) and
// consumers (the receiver outlives the aborted task; a new consumer takes
// over). Bounded: a few seconds, less on an unloaded machine.
#include "test_support.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <vector>

using namespace std::chrono_literals;

namespace {

constexpr int producers = 6;
constexpr int channels = 3;
constexpr int per_producer = 10000;
constexpr int messages = producers * per_producer;

struct ledger {
  std::vector<std::atomic<int>> received =
      std::vector<std::atomic<int>>(messages);
  std::vector<std::atomic<bool>> returned =
      std::vector<std::atomic<bool>>(messages);
  std::atomic<int> live_frames = 0;
  std::atomic<int> aborts = 0;
  std::atomic<int> timeouts = 0;
  /// Per producer, the first message it has not dealt with yet: a producer
  /// aborted before it even started never runs its catch block.
  std::vector<std::atomic<int>> progress =
      std::vector<std::atomic<int>>(producers);
};

// Counts the frames alive: a leaked frame never runs its destructor.
struct frame_witness {
  std::atomic<int> &live;
  explicit frame_witness(std::atomic<int> &l) : live(l) { ++live; }
  ~frame_witness() { --live; }
};

std::uint32_t next_random(std::uint32_t &state) {
  state ^= state << 13;
  state ^= state >> 17;
  state ^= state << 5;
  return state;
}

using sender = asyncrt::mpsc::sender<int>;
using receiver = asyncrt::mpsc::receiver<int>;

asyncrt::task<std::optional<asyncrt::mpsc::permit<int>>> reserve(sender tx) {
  co_return co_await tx.reserve();
}

asyncrt::task<void> produce(std::vector<sender> out, int first, ledger &book,
                            std::uint32_t seed) {
  frame_witness alive(book.live_frames);
  int next = first;
  std::atomic<int> &progress = book.progress[first / per_producer];
  try {
    for (; next < first + per_producer; progress = ++next) {
      sender &tx = out[next_random(seed) % channels];
      auto limit = std::chrono::microseconds(next_random(seed) % 2000);
      auto permit = co_await asyncrt::timeout(limit, reserve(tx));
      if (!permit || !*permit) {
        ++book.timeouts;
        book.returned[next] = true; // never sent: back to its sender
        continue;
      }
      (*permit)->send(next); // no suspension between reserve and send
    }
  } catch (const asyncrt::cancelled &) {
    for (; next < first + per_producer; ++next)
      book.returned[next] = true;
    throw;
  }
}

asyncrt::task<std::optional<int>> receive(receiver &rx) {
  co_return co_await rx.recv();
}

asyncrt::task<void> consume(receiver &rx, ledger &book) {
  frame_witness alive(book.live_frames);
  for (;;) {
    auto got = co_await asyncrt::timeout(1ms, receive(rx));
    if (!got)
      continue; // timed out: the value, if any, is still queued
    if (!*got)
      co_return; // every sender gone, queue drained
    ++book.received[**got];
  }
}

asyncrt::task<void> run(ledger &book) {
  std::vector<sender> senders;
  std::vector<std::unique_ptr<receiver>> receivers;
  for (int c = 0; c < channels; ++c) {
    auto [tx, rx] = asyncrt::mpsc::channel<int>(8);
    senders.push_back(std::move(tx));
    receivers.push_back(std::make_unique<receiver>(std::move(rx)));
  }
  std::vector<asyncrt::join_handle<void>> producing, consuming;
  for (int p = 0; p < producers; ++p)
    book.progress[p] = p * per_producer;
  for (int p = 0; p < producers; ++p)
    producing.push_back(asyncrt::spawn(
        produce(senders, p * per_producer, book, 2654435761u * (p + 1))));
  senders.clear(); // the producers hold the only senders now
  for (auto &rx : receivers)
    // One consumer per channel. NOLINTNEXTLINE(async-unbounded-fanout)
    consuming.push_back(asyncrt::spawn(consume(*rx, book)));

  std::uint32_t seed = 12345;
  auto all_produced = [&] {
    for (auto &h : producing)
      if (!h.is_finished())
        return false;
    return true;
  };
  while (!all_produced()) {
    co_await asyncrt::sleep(
        std::chrono::microseconds(100 + next_random(seed) % 900));
    std::uint32_t pick = next_random(seed) % 8;
    if (pick == 0) { // now and then a producer
      producing[next_random(seed) % producers].abort();
      ++book.aborts;
    } else if (pick < 4) { // more often a consumer, which is replaced
      std::size_t c = next_random(seed) % channels;
      consuming[c].abort();
      try {
        co_await std::move(consuming[c]);
      } catch (const asyncrt::cancelled &) {
        ++book.aborts;
      }
      consuming[c] = asyncrt::spawn(consume(*receivers[c], book));
    }
  }
  for (int p = 0; p < producers; ++p) {
    try {
      co_await std::move(producing[p]);
    } catch (const asyncrt::cancelled &) {
      // What it had not dealt with goes back to its sender (its catch block
      // did it, unless it was aborted before it started).
      for (int id = book.progress[p]; id < (p + 1) * per_producer; ++id)
        book.returned[id] = true;
    }
  }
  for (auto &h : consuming)
    co_await std::move(h);
}

// One round: a fresh runtime, channels and ledger; checks the ledger.
void round(int &received, int &returned, int &aborts, int &timeouts) {
  ledger book;
  {
    asyncrt::runtime rt{
        asyncrt_test::options_for(asyncrt::flavor::multi_thread)};
    rt.block_on(run(book));
    EXPECT_EQ(book.live_frames, 0);
  }
  EXPECT_EQ(book.live_frames, 0) << "frames left for the runtime to destroy";
  for (int id = 0; id < messages; ++id) {
    int r = book.received[id];
    bool back = book.returned[id];
    ASSERT_TRUE((r == 1 && !back) || (r == 0 && back))
        << "message " << id << " received " << r << " times, returned " << back;
    received += r;
    returned += back;
  }
  timeouts += book.timeouts;
  aborts += book.aborts;
}

TEST(Stress, EveryMessageIsReceivedOnceOrReturned) {
  // Rounds until about two seconds have passed (at least two rounds).
  auto deadline = std::chrono::steady_clock::now() + 2s;
  int rounds = 0, received = 0, returned = 0, aborts = 0, timeouts = 0;
  do {
    round(received, returned, aborts, timeouts);
    if (HasFatalFailure())
      return;
    ++rounds;
  } while (rounds < 2 || std::chrono::steady_clock::now() < deadline);
  EXPECT_EQ(received + returned, rounds * messages);
  EXPECT_GT(received, 0);
  EXPECT_GT(aborts, 0);
  EXPECT_GT(timeouts, 0);
  std::printf("%d rounds: %d messages received, %d returned, %d aborts\n",
              rounds, received, returned, aborts);
}

} // namespace
