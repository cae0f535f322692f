// asyncrt::watch on every runtime shape: the latest value, a change woken
// on another task, every receiver told, the sender's end, and a cancelled
// changed() that consumes nothing.
#include "test_support.hpp"

#include <asyncrt/watch.hpp>

#include <chrono>
#include <vector>

using namespace std::chrono_literals;

namespace {

class Watch : public asyncrt_test::AllShapes {};

TEST_P(Watch, ReceiversSeeTheLatestValueNotEveryValue) {
  asyncrt::runtime rt{options()};
  auto body = []() -> asyncrt::task<std::vector<int>> {
    auto [tx, rx] = asyncrt::watch::channel<int>(0);
    std::vector<int> seen{rx.borrow(), rx.has_changed() ? 1 : 0};
    tx.send(1);
    tx.send(2);
    tx.send(3);
    seen.push_back(rx.has_changed() ? 1 : 0);
    seen.push_back((co_await rx.changed()) ? 1 : 0);
    seen.push_back(rx.borrow_and_update());
    seen.push_back(rx.has_changed() ? 1 : 0);
    co_return seen;
  };
  EXPECT_EQ(rt.block_on(body()), (std::vector<int>{0, 0, 1, 1, 3, 0}));
}

TEST_P(Watch, ChangedWaitsForASendAndEndsWithTheSender) {
  asyncrt::runtime rt{options()};
  auto body = []() -> asyncrt::task<std::vector<int>> {
    auto [tx, rx] = asyncrt::watch::channel<int>(0);
    auto watcher =
        [](asyncrt::watch::receiver<int> r) -> asyncrt::task<std::vector<int>> {
      std::vector<int> values;
      while (co_await r.changed())
        values.push_back(r.borrow_and_update());
      co_return values;
    };
    auto handle = asyncrt::spawn(watcher(rx));
    for (int v = 1; v <= 3; ++v) {
      co_await asyncrt::sleep(1ms); // the watcher waits between sends
      tx.send(v);
    }
    co_await asyncrt::sleep(1ms);
    { auto gone = std::move(tx); } // the sender is dropped
    co_return co_await std::move(handle);
  };
  EXPECT_EQ(asyncrt_test::run_paused(rt, body()), (std::vector<int>{1, 2, 3}));
}

TEST_P(Watch, EveryReceiverIsTold) {
  asyncrt::runtime rt{options()};
  auto body = []() -> asyncrt::task<int> {
    auto [tx, rx] = asyncrt::watch::channel<int>(0);
    auto wait_one = [](asyncrt::watch::receiver<int> r) -> asyncrt::task<int> {
      co_await r.changed();
      co_return r.borrow();
    };
    std::vector<asyncrt::join_handle<int>> handles;
    handles.push_back(asyncrt::spawn(wait_one(rx)));
    handles.push_back(asyncrt::spawn(wait_one(rx)));
    handles.push_back(asyncrt::spawn(wait_one(tx.subscribe())));
    co_await asyncrt::sleep(1ms);
    EXPECT_EQ(tx.receiver_count(), 4u);
    tx.send(5);
    int sum = 0;
    for (auto &h : handles)
      sum += co_await std::move(h);
    co_return sum;
  };
  EXPECT_EQ(asyncrt_test::run_paused(rt, body()), 15);
}

TEST_P(Watch, ACancelledChangedConsumesNothing) {
  asyncrt::runtime rt{options()};
  auto body = []() -> asyncrt::task<std::vector<int>> {
    auto [tx, rx] = asyncrt::watch::channel<int>(0);
    auto changed = [](asyncrt::watch::receiver<int> &r) -> asyncrt::task<bool> {
      co_return co_await r.changed();
    };
    std::optional<bool> early = co_await asyncrt::timeout(5ms, changed(rx));
    tx.send(9);
    bool later = co_await rx.changed();
    co_return std::vector<int>{early.has_value() ? 1 : 0, later ? 1 : 0,
                               rx.borrow()};
  };
  EXPECT_EQ(asyncrt_test::run_paused(rt, body()), (std::vector<int>{0, 1, 9}));
}

TEST_P(Watch, SendReportsWhetherAnyReceiverIsLeft) {
  asyncrt::runtime rt{options()};
  auto body = []() -> asyncrt::task<std::vector<bool>> {
    auto [tx, rx] = asyncrt::watch::channel<int>(0);
    std::vector<bool> seen{tx.send(1)};
    { auto gone = std::move(rx); }
    seen.push_back(tx.send(2));
    co_return seen;
  };
  EXPECT_EQ(rt.block_on(body()), (std::vector<bool>{true, false}));
}

ASYNCRT_ON_ALL_SHAPES(Watch);

} // namespace
