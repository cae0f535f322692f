// mpsc and oneshot channels: delivery, backpressure, FIFO senders, close
// semantics, cancel safety of recv/reserve, and send's documented loss.
#include "test_support.hpp"

#include <atomic>
#include <chrono>
#include <string>
#include <vector>

using namespace std::chrono_literals;

namespace {

class Channel : public asyncrt_test::AllShapes {
protected:
  template <class T> T run(asyncrt::task<T> body) {
    asyncrt::runtime rt{options()};
    return asyncrt_test::run_paused(rt, std::move(body));
  }
};

TEST_P(Channel, DeliversInOrderAndEndsWhenEverySenderIsGone) {
  auto body = []() -> asyncrt::task<std::vector<int>> {
    auto [tx, rx] = asyncrt::mpsc::channel<int>(4);
    auto producer = asyncrt::spawn(
        [](asyncrt::mpsc::sender<int> out) -> asyncrt::task<void> {
          for (int i = 0; i < 100; ++i)
            co_await out.send(i);
        }(std::move(tx)));
    std::vector<int> got;
    while (std::optional<int> v = co_await rx.recv())
      got.push_back(*v);
    co_await std::move(producer);
    co_return got;
  };
  std::vector<int> expected(100);
  for (int i = 0; i < 100; ++i)
    expected[i] = i;
  EXPECT_EQ(run(body()), expected);
}

TEST_P(Channel, SendWaitsWhileTheChannelIsFull) {
  auto body = []() -> asyncrt::task<bool> {
    auto [tx, rx] = asyncrt::mpsc::channel<int>(2);
    std::atomic<int> sent = 0;
    auto producer =
        asyncrt::spawn([](asyncrt::mpsc::sender<int> out,
                          std::atomic<int> &count) -> asyncrt::task<void> {
          for (int i = 0; i < 5; ++i) {
            co_await out.send(i);
            ++count;
          }
        }(tx, sent));
    co_await asyncrt::sleep(10ms); // the producer runs until the channel fills
    bool stalled_at_capacity = sent == 2;
    std::vector<int> got;
    for (int i = 0; i < 5; ++i)
      got.push_back(*co_await rx.recv());
    co_await std::move(producer);
    co_return stalled_at_capacity &&sent == 5 && got.back() == 4;
  };
  EXPECT_TRUE(run(body()));
}

TEST_P(Channel, TrySendReportsFullAndClosedWithoutConsumingTheValue) {
  auto body = []() -> asyncrt::task<bool> {
    auto [tx, rx] = asyncrt::mpsc::channel<std::string>(1);
    std::string a = "a", b = "b";
    bool ok = tx.try_send(std::move(a)) == asyncrt::try_send_status::sent;
    ok &= tx.try_send(std::move(b)) == asyncrt::try_send_status::full;
    ok &= b == "b"; // not moved from
    rx.close();
    ok &= tx.try_send(std::move(b)) == asyncrt::try_send_status::closed;
    ok &= tx.is_closed() && b == "b";
    ok &= *co_await rx.recv() == "a"; // queued values survive close
    ok &= !(co_await rx.recv());
    co_return ok;
  };
  EXPECT_TRUE(run(body()));
}

TEST_P(Channel, WaitingSendersAreServedInArrivalOrderAndGetValuesBackOnClose) {
  auto body = []() -> asyncrt::task<bool> {
    auto [tx, rx] = asyncrt::mpsc::channel<int>(1);
    co_await tx.send(0);
    // Each waiting sender reports whether its value came back.
    auto sender = [](asyncrt::mpsc::sender<int> out,
                     int v) -> asyncrt::task<bool> {
      auto result = co_await out.send(v);
      co_return !result && result.returned() == v;
    };
    auto first = asyncrt::spawn(sender(tx, 1));
    co_await asyncrt::sleep(1ms);
    auto second = asyncrt::spawn(sender(tx, 2));
    co_await asyncrt::sleep(1ms);
    bool ok = *co_await rx.recv() == 0; // frees a slot: the first gets it
    ok &= !co_await std::move(first);
    rx.close(); // the second is refused, with its value
    ok &= co_await std::move(second);
    ok &= *co_await rx.recv() == 1;
    ok &= !(co_await rx.recv());
    co_return ok;
  };
  EXPECT_TRUE(run(body()));
}

TEST_P(Channel, RecvIsCancelSafe) {
  // A receive that loses a race against a timer leaves the value queued.
  auto body = []() -> asyncrt::task<std::vector<int>> {
    auto [tx, rx] = asyncrt::mpsc::channel<int>(100);
    auto producer = asyncrt::spawn(
        [](asyncrt::mpsc::sender<int> out) -> asyncrt::task<void> {
          for (int i = 0; i < 50; ++i) {
            co_await asyncrt::sleep(3ms);
            co_await out.send(i);
          }
        }(std::move(tx)));
    std::vector<int> got;
    for (;;) {
      auto r =
          co_await asyncrt::timeout(2ms,
                                    [](asyncrt::mpsc::receiver<int> &in)
                                        -> asyncrt::task<std::optional<int>> {
                                      co_return co_await in.recv();
                                    }(rx));
      if (!r)
        continue; // timed out: nothing may be lost
      if (!*r)
        break;
      got.push_back(**r);
    }
    co_await std::move(producer);
    co_return got;
  };
  std::vector<int> all(50);
  for (int i = 0; i < 50; ++i)
    all[i] = i;
  EXPECT_EQ(run(body()), all);
}

TEST_P(Channel, ReserveIsCancelSafeAndSendIsNot) {
  auto body = []() -> asyncrt::task<bool> {
    auto [tx, rx] = asyncrt::mpsc::channel<int>(1);
    co_await tx.send(0); // full
    // reserve under a timeout: the elapsed wait takes nothing.
    auto reserved = co_await asyncrt::timeout(
        5ms, [](asyncrt::mpsc::sender<int> out) -> asyncrt::task<bool> {
          auto permit = co_await out.reserve();
          co_return permit.has_value();
        }(tx));
    bool ok = !reserved;
    // send under a timeout: the value is dropped with the operation.
    auto sent = co_await asyncrt::timeout(
        5ms,
        // The loss under test. NOLINTNEXTLINE(async-cancel-unsafe-select)
        [](asyncrt::mpsc::sender<int> out) -> asyncrt::task<void> {
          co_await out.send(99);
        }(tx));
    ok &= !sent;
    ok &= *co_await rx.recv() == 0;
    // A permit granted now sends without waiting.
    auto permit = co_await tx.reserve();
    permit->send(1);
    ok &= *co_await rx.recv() == 1;
    ok &= !rx.try_recv(); // 99 was lost, as documented
    co_return ok;
  };
  EXPECT_TRUE(run(body()));
}

TEST_P(Channel, UnusedPermitGivesItsSlotBack) {
  auto body = []() -> asyncrt::task<bool> {
    auto [tx, rx] = asyncrt::mpsc::channel<int>(1);
    {
      auto permit = co_await tx.reserve();
      if (tx.try_send(1) != asyncrt::try_send_status::full)
        co_return false;
    }
    // Separate statements: g++-12 evaluates a co_await on the right of &&
    // even when the left is false (it hoists awaits out of the expression).
    bool sent = tx.try_send(2) == asyncrt::try_send_status::sent;
    std::optional<int> got = co_await rx.recv();
    co_return sent &&got == 2;
  };
  EXPECT_TRUE(run(body()));
}

TEST_P(Channel, DroppingTheReceiverFailsSenders) {
  auto body = []() -> asyncrt::task<bool> {
    auto [tx, rx] = asyncrt::mpsc::channel<int>(1);
    { auto gone = std::move(rx); }
    auto result = co_await tx.send(5);
    co_return !result && result.returned() == 5 && tx.is_closed();
  };
  EXPECT_TRUE(run(body()));
}

// close() keeps what was already granted: a permit reserved before it still
// delivers, and so does a send whose slot was granted before it.
TEST_P(Channel, CloseKeepsSendsGrantedBeforeIt) {
  asyncrt::runtime rt{options()};
  auto body = []() -> asyncrt::task<std::vector<int>> {
    auto [tx, rx] = asyncrt::mpsc::channel<int>(1);
    std::vector<int> got;
    std::optional<asyncrt::mpsc::permit<int>> reserved = co_await tx.reserve();
    rx.close();
    reserved->send(1);
    while (std::optional<int> v = co_await rx.recv())
      got.push_back(*v);

    auto [tx2, rx2] = asyncrt::mpsc::channel<int>(1);
    EXPECT_EQ(tx2.try_send(2), asyncrt::try_send_status::sent);
    auto waiting = asyncrt::spawn(
        [](asyncrt::mpsc::sender<int> out) -> asyncrt::task<bool> {
          co_return static_cast<bool>(co_await out.send(3));
        }(tx2));
    co_await asyncrt::sleep(1ms);        // the sender waits for a slot
    got.push_back(*co_await rx2.recv()); // frees the slot: granted to 3
    rx2.close();                         // before the sender has resumed
    while (std::optional<int> v = co_await rx2.recv())
      got.push_back(*v);
    EXPECT_TRUE(co_await std::move(waiting));
    co_return got;
  };
  EXPECT_EQ(rt.block_on(body()), (std::vector<int>{1, 2, 3}));
}

// A send whose slot was granted but whose receiver is then dropped gets its
// value back; it does not report a delivery that did not happen.
TEST_P(Channel, ASendGrantedBeforeTheReceiverIsDroppedGetsItsValueBack) {
  asyncrt::runtime rt{options()};
  auto body = []() -> asyncrt::task<std::optional<int>> {
    auto [tx, rx] = asyncrt::mpsc::channel<int>(1);
    EXPECT_EQ(tx.try_send(1), asyncrt::try_send_status::sent);
    auto waiting = asyncrt::spawn([](asyncrt::mpsc::sender<int> out)
                                      -> asyncrt::task<std::optional<int>> {
      asyncrt::send_result<int> sent = co_await out.send(2);
      co_return sent ? std::nullopt : sent.returned();
    }(tx));
    co_await asyncrt::sleep(1ms);
    {
      asyncrt::mpsc::receiver<int> gone = std::move(rx);
      co_await gone.recv(); // grants the waiting sender's slot
    }                       // and the receiver is gone before it resumes
    co_return co_await std::move(waiting);
  };
  EXPECT_EQ(rt.block_on(body()), 2);
}

// One value per channel: a second send hands its value back instead of
// touching the consumed state.
TEST(Oneshot, ASecondSendHandsTheValueBack) {
  auto [tx, rx] = asyncrt::oneshot::channel<int>();
  EXPECT_TRUE(tx.send(1));
  EXPECT_TRUE(tx.is_closed());
  asyncrt::send_result<int> again = tx.send(2);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.returned(), 2);
  EXPECT_EQ(rx.try_recv(), 1);
}

TEST_P(Channel, OneshotDeliversOrReportsTheDroppedSender) {
  auto body = []() -> asyncrt::task<bool> {
    auto [tx, rx] = asyncrt::oneshot::channel<std::string>();
    auto h = asyncrt::spawn(
        [](asyncrt::oneshot::sender<std::string> out) -> asyncrt::task<void> {
          co_await asyncrt::sleep(1ms);
          out.send("done");
        }(std::move(tx)));
    bool ok = (co_await std::move(rx)) == std::optional<std::string>("done");
    co_await std::move(h);
    auto [tx2, rx2] = asyncrt::oneshot::channel<int>();
    { auto dropped = std::move(tx2); }
    ok &= !(co_await std::move(rx2));
    auto [tx3, rx3] = asyncrt::oneshot::channel<int>();
    { auto dropped = std::move(rx3); }
    auto back = tx3.send(7);
    ok &= !back && back.returned() == 7;
    co_return ok;
  };
  EXPECT_TRUE(run(body()));
}

TEST_P(Channel, OneshotReceiveIsCancelSafe) {
  auto body = []() -> asyncrt::task<bool> {
    auto [tx, rx] = asyncrt::oneshot::channel<int>();
    auto waited = co_await asyncrt::timeout(
        1ms, [](asyncrt::oneshot::receiver<int> &in) -> asyncrt::task<int> {
          co_return *co_await in;
        }(rx));
    tx.send(3);
    std::optional<int> got = co_await rx;
    co_return !waited && got == 3;
  };
  EXPECT_TRUE(run(body()));
}

TEST(MpscChannel, ZeroCapacityIsRefused) {
  EXPECT_THROW(asyncrt::mpsc::channel<int>(0), std::invalid_argument);
}

ASYNCRT_ON_ALL_SHAPES(Channel);

} // namespace
