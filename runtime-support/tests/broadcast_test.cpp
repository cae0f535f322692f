// asyncrt::broadcast on every runtime shape: every receiver sees every
// value in order, a receiver that falls behind is told how many it missed,
// the channel ends once every sender is gone, and a cancelled recv takes
// nothing.
#include "test_support.hpp"

#include <asyncrt/broadcast.hpp>

#include <chrono>
#include <vector>

using namespace std::chrono_literals;

namespace {

class Broadcast : public asyncrt_test::AllShapes {};

// Everything a receiver gets until the end, lags as negative numbers.
asyncrt::task<std::vector<int>> drain(asyncrt::broadcast::receiver<int> rx) {
  std::vector<int> got;
  for (;;) {
    auto r = co_await rx.recv();
    if (r)
      got.push_back(*r);
    else if (r.closed())
      co_return got;
    else
      got.push_back(-static_cast<int>(r.lagged()));
  }
}

TEST_P(Broadcast, EveryReceiverSeesEveryValueInOrder) {
  asyncrt::runtime rt{options()};
  auto body = []() -> asyncrt::task<std::vector<std::vector<int>>> {
    auto [tx, rx] = asyncrt::broadcast::channel<int>(8);
    auto second = tx.subscribe();
    auto a = asyncrt::spawn(drain(std::move(rx)));
    auto b = asyncrt::spawn(drain(std::move(second)));
    for (int v = 1; v <= 20; ++v) {
      EXPECT_EQ(tx.send(v), 2u);
      co_await asyncrt::sleep(1ms); // the receivers keep up
    }
    { auto gone = std::move(tx); }
    std::vector<int> seen_by_a = co_await std::move(a);
    std::vector<int> seen_by_b = co_await std::move(b);
    co_return std::vector<std::vector<int>>{seen_by_a, seen_by_b};
  };
  std::vector<int> all;
  for (int v = 1; v <= 20; ++v)
    all.push_back(v);
  EXPECT_EQ(asyncrt_test::run_paused(rt, body()),
            (std::vector<std::vector<int>>{all, all}));
}

TEST_P(Broadcast, AReceiverThatFallsBehindIsToldHowManyItMissed) {
  asyncrt::runtime rt{options()};
  auto body = []() -> asyncrt::task<std::vector<int>> {
    auto [tx, rx] = asyncrt::broadcast::channel<int>(2);
    for (int v = 1; v <= 5; ++v)
      tx.send(v); // only 4 and 5 are kept
    { auto gone = std::move(tx); }
    co_return co_await drain(std::move(rx));
  };
  EXPECT_EQ(rt.block_on(body()), (std::vector<int>{-3, 4, 5}));
}

TEST_P(Broadcast, ASubscriberSeesOnlyWhatIsSentAfterIt) {
  asyncrt::runtime rt{options()};
  auto body = []() -> asyncrt::task<std::vector<int>> {
    auto [tx, rx] = asyncrt::broadcast::channel<int>(4);
    tx.send(1);
    auto late = tx.subscribe();
    tx.send(2);
    { auto gone = std::move(tx); }
    co_return co_await drain(std::move(late));
  };
  EXPECT_EQ(rt.block_on(body()), (std::vector<int>{2}));
}

TEST_P(Broadcast, ACancelledRecvTakesNothing) {
  asyncrt::runtime rt{options()};
  auto body = []() -> asyncrt::task<std::vector<int>> {
    auto [tx, rx] = asyncrt::broadcast::channel<int>(4);
    auto early = co_await asyncrt::timeout(5ms, rx.recv());
    tx.send(7);
    auto later = co_await rx.recv();
    co_return std::vector<int>{early.has_value() ? 1 : 0, *later};
  };
  EXPECT_EQ(asyncrt_test::run_paused(rt, body()), (std::vector<int>{0, 7}));
}

TEST_P(Broadcast, SendWithNoReceiverDropsTheValue) {
  asyncrt::runtime rt{options()};
  auto body = []() -> asyncrt::task<std::vector<std::size_t>> {
    auto [tx, rx] = asyncrt::broadcast::channel<int>(4);
    std::vector<std::size_t> seen{tx.send(1), tx.receiver_count()};
    { auto gone = std::move(rx); }
    seen.push_back(tx.send(2));
    seen.push_back(tx.receiver_count());
    co_return seen;
  };
  EXPECT_EQ(rt.block_on(body()), (std::vector<std::size_t>{1, 1, 0, 0}));
}

// Several senders on other workers; each receiver counts every value.
TEST_P(Broadcast, ManySendersAndReceivers) {
  asyncrt::runtime rt{options()};
  auto body = []() -> asyncrt::task<std::vector<long>> {
    auto [tx, rx] = asyncrt::broadcast::channel<int>(4096);
    auto count =
        [](asyncrt::broadcast::receiver<int> r) -> asyncrt::task<long> {
      long sum = 0;
      while (auto got = co_await r.recv())
        sum += *got;
      co_return sum;
    };
    auto first = asyncrt::spawn(count(tx.subscribe()));
    auto second = asyncrt::spawn(count(std::move(rx)));
    auto produce =
        [](asyncrt::broadcast::sender<int> out) -> asyncrt::task<void> {
      for (int v = 1; v <= 1000; ++v) {
        out.send(v);
        if (v % 100 == 0)
          co_await asyncrt::yield_now();
      }
    };
    auto p1 = asyncrt::spawn(produce(tx));
    auto p2 = asyncrt::spawn(produce(std::move(tx)));
    co_await std::move(p1);
    co_await std::move(p2);
    long by_first = co_await std::move(first);
    long by_second = co_await std::move(second);
    co_return std::vector<long>{by_first, by_second};
  };
  long expected = 2 * 1000L * 1001 / 2;
  EXPECT_EQ(rt.block_on(body()), (std::vector<long>{expected, expected}));
}

ASYNCRT_ON_ALL_SHAPES(Broadcast);

} // namespace
