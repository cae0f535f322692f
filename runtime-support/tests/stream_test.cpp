// Streams: the generator, every adaptor and consumer, the concurrency bounds
// (counted), errors cancelling what is in flight, dropping and cancelling a
// pipeline, and constant memory over ten million items.
#include "test_support.hpp"

#include <asyncrt/stream.hpp>
#include <asyncrt/stream_adaptors.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <deque>
#include <ranges>
#include <set>
#include <stdexcept>
#include <sys/resource.h>
#include <vector>

using namespace std::chrono_literals;

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define ASYNCRT_TEST_SANITIZED 1
#endif
#endif
#ifndef ASYNCRT_TEST_SANITIZED
#define ASYNCRT_TEST_SANITIZED 0
#endif

namespace {

class Streams : public asyncrt_test::AllShapes {
protected:
  template <class T> T run(asyncrt::task<T> body) {
    asyncrt::runtime rt{options()};
    return asyncrt_test::run_paused(rt, std::move(body));
  }
};

asyncrt::stream<int> count_to(int n) {
  for (int i = 1; i <= n; ++i) {
    co_await asyncrt::yield_now();
    co_yield i;
  }
}

using asyncrt_test::gauge;

asyncrt::task<int> measured(gauge &g, int v, std::chrono::milliseconds d) {
  g.enter();
  co_await asyncrt::sleep(d);
  g.leave();
  co_return v;
}

// A coroutine of its own, not a capturing coroutine lambda given to map:
// the tasks in flight outlive a pipeline dropped part-way (they unwind on
// the workers), and a lambda's captures live in map's frame, which goes
// with the pipeline.
asyncrt::task<int> counted_sleep(std::atomic<int> &started, gauge &alive,
                                 int hours) {
  ++started;
  gauge::held here(alive);
  co_await asyncrt::sleep(std::chrono::hours(hours));
  co_return hours;
}

TEST_P(Streams, GeneratorIsLazyAndEnds) {
  auto body = []() -> asyncrt::task<bool> {
    bool started = false;
    auto s = [](bool &flag) -> asyncrt::stream<int> {
      flag = true;
      co_yield 1;
    }(started);
    bool lazy = !started;
    auto a = co_await s.next();
    auto b = co_await s.next();
    auto c = co_await s.next();
    co_return lazy &&a == 1 && !b && !c;
  };
  EXPECT_TRUE(run(body()));
}

TEST_P(Streams, ExceptionReachesTheConsumer) {
  auto body = []() -> asyncrt::task<bool> {
    auto s = []() -> asyncrt::stream<int> {
      co_yield 1;
      throw std::runtime_error("producer failed");
    }();
    co_await s.next();
    try {
      co_await s.next();
    } catch (const std::runtime_error &) {
      co_return true;
    }
    co_return false;
  };
  EXPECT_TRUE(run(body()));
}

TEST_P(Streams, MapFilterTakeCollect) {
  auto body = []() -> asyncrt::task<std::vector<int>> {
    co_return co_await (count_to(100) |
                        asyncrt::map([](int v) { return v * 10; }) |
                        asyncrt::filter([](int v) { return v % 20 == 0; }) |
                        asyncrt::take(3) | asyncrt::collect<std::vector>());
  };
  EXPECT_EQ(run(body()), (std::vector<int>{20, 40, 60}));
}

TEST_P(Streams, ChunksDeliverTheFinalPartialBatch) {
  auto body = []() -> asyncrt::task<std::vector<std::size_t>> {
    std::vector<std::size_t> sizes;
    co_await (asyncrt::iter(std::views::iota(0, 250)) | asyncrt::chunks(100) |
              asyncrt::for_each([&](std::vector<int> batch) {
                sizes.push_back(batch.size());
              }));
    co_return sizes;
  };
  EXPECT_EQ(run(body()), (std::vector<std::size_t>{100, 100, 50}));
}

TEST_P(Streams, ThenAndFold) {
  auto body = []() -> asyncrt::task<int> {
    co_return co_await (
        count_to(4) | asyncrt::then([](int v) -> asyncrt::task<int> {
          co_await asyncrt::sleep(1ms);
          co_return v *v;
        }) |
        asyncrt::fold(0, [](int acc, int v) { return acc + v; }));
  };
  EXPECT_EQ(run(body()), 1 + 4 + 9 + 16);
}

TEST_P(Streams, BufferedKeepsOrderAndBoundsConcurrency) {
  gauge g;
  auto body = [&]() -> asyncrt::task<std::vector<int>> {
    co_return co_await (
        asyncrt::iter(std::views::iota(0, 40)) | asyncrt::map([&](int v) {
          // Later items finish first: order must still be kept.
          return measured(g, v, std::chrono::milliseconds(40 - v));
        }) |
        asyncrt::buffered(4) | asyncrt::collect<std::vector>());
  };
  std::vector<int> expected(40);
  for (int i = 0; i < 40; ++i)
    expected[i] = i;
  EXPECT_EQ(run(body()), expected);
  EXPECT_EQ(g.peak, 4);
}

TEST_P(Streams, BufferUnorderedYieldsInCompletionOrderWithinTheBound) {
  gauge g;
  auto body = [&]() -> asyncrt::task<std::vector<int>> {
    // A named vector: g++-12 cannot compile a braced temporary here.
    std::vector<int> delays = {30, 10, 20};
    co_return co_await (
        asyncrt::iter(std::move(delays)) | asyncrt::map([&](int ms) {
          return measured(g, ms, std::chrono::milliseconds(ms));
        }) |
        asyncrt::buffer_unordered(3) | asyncrt::collect<std::vector>());
  };
  EXPECT_EQ(run(body()), (std::vector<int>{10, 20, 30}));
  EXPECT_EQ(g.peak, 3);
  gauge many;
  auto lots = [&]() -> asyncrt::task<std::set<int>> {
    co_return co_await (
        asyncrt::iter(std::views::iota(0, 200)) | asyncrt::map([&](int v) {
          return measured(many, v, std::chrono::milliseconds(v % 7));
        }) |
        asyncrt::buffer_unordered(10) | asyncrt::collect<std::set>());
  };
  EXPECT_EQ(run(lots()).size(), 200u);
  EXPECT_LE(many.peak, 10);
  EXPECT_GE(many.peak, 2);
}

TEST_P(Streams, ForEachConcurrentNeverExceedsItsLimit) {
  gauge g;
  std::atomic<int> done = 0;
  auto body = [&]() -> asyncrt::task<void> {
    co_await (
        asyncrt::iter(std::views::iota(0, 100)) |
        asyncrt::for_each_concurrent(5, [&](int v) -> asyncrt::task<void> {
          co_await measured(g, v, std::chrono::milliseconds(1 + v % 3));
          ++done;
        }));
  };
  run(body());
  EXPECT_EQ(done, 100);
  EXPECT_EQ(g.peak, 5);
}

struct witness {
  std::atomic<int> &count;
  ~witness() { ++count; }
};

TEST_P(Streams, AnErrorCancelsTheOthersInFlightBeforeItArrives) {
  std::atomic<int> unwound = 0;
  auto body = [&]() -> asyncrt::task<bool> {
    auto work = [&](int v) -> asyncrt::task<int> {
      witness w{unwound};
      if (v == 3) {
        co_await asyncrt::sleep(1ms);
        throw std::runtime_error("item 3 failed");
      }
      co_await asyncrt::sleep(1h);
      co_return v;
    };
    try {
      co_await (asyncrt::iter(std::views::iota(0, 10)) | asyncrt::map(work) |
                asyncrt::buffer_unordered(5) | asyncrt::collect<std::vector>());
    } catch (const std::runtime_error &) {
      // Items 0..4 were in flight: 3 failed, the other four were cancelled
      // and have unwound already.
      co_return unwound == 5;
    }
    co_return false;
  };
  EXPECT_TRUE(run(body()));
}

TEST_P(Streams, DroppingAPipelineHalfWayCancelsWhatIsInFlight) {
  std::atomic<int> started = 0;
  gauge alive;
  auto body = [&]() -> asyncrt::task<bool> {
    {
      auto pipeline = asyncrt::iter(std::views::iota(0, 100)) |
                      asyncrt::map([&](int v) {
                        return counted_sleep(started, alive, v);
                      }) |
                      asyncrt::buffered(4);
      auto first = co_await pipeline.next();
      if (first != 0)
        co_return false;
    } // the tasks in flight (1, 2, 3) are aborted here; those that had
      // started unwind on the workers, the others never start
    for (long i = 0; i < 10'000'000 && alive.now > 0; ++i)
      co_await asyncrt::yield_now();
    // Nothing is left running, and nothing past the buffer was started.
    co_return alive.now == 0 && started <= 4;
  };
  EXPECT_TRUE(run(body()));
}

TEST_P(Streams, CancellingTheConsumerCancelsTheProducer) {
  std::atomic<int> unwound = 0;
  auto body = [&]() -> asyncrt::task<bool> {
    auto consumer =
        asyncrt::spawn([](std::atomic<int> &u) -> asyncrt::task<void> {
          auto ticks = [](std::atomic<int> &c) -> asyncrt::stream<int> {
            witness w{c};
            for (int i = 0;; ++i) {
              co_await asyncrt::sleep(1ms);
              co_yield i;
            }
          }(u);
          for (;;)
            if (!co_await ticks.next())
              break;
        }(unwound));
    co_await asyncrt::sleep(10ms);
    consumer.abort();
    try {
      co_await std::move(consumer);
    } catch (const asyncrt::cancelled &) {
      co_return unwound == 1;
    }
    co_return false;
  };
  EXPECT_TRUE(run(body()));
}

// A cancelled consumer of buffered, buffer_unordered or
// for_each_concurrent leaves only after every task in flight has finished:
// none of them outlives the consumer's frame.
TEST_P(Streams, ACancelledConsumerWaitsForEveryTaskInFlight) {
  asyncrt::runtime rt{options()};
  for (int kind = 0; kind < 3; ++kind) {
    asyncrt_test::gauge alive;
    auto child = [&alive](int) -> asyncrt::task<int> {
      asyncrt_test::gauge::held inside(alive);
      co_await asyncrt::sleep(1h);
      co_return 1;
    };
    auto consumer = [&, kind]() -> asyncrt::task<void> {
      auto work = asyncrt::iter(std::vector<int>(16, 0));
      if (kind == 0)
        co_await (std::move(work) | asyncrt::map(child) | asyncrt::buffered(4) |
                  asyncrt::collect<std::vector>());
      else if (kind == 1)
        co_await (std::move(work) | asyncrt::map(child) |
                  asyncrt::buffer_unordered(4) |
                  asyncrt::collect<std::vector>());
      else
        co_await (std::move(work) | asyncrt::for_each_concurrent(4, child));
    };
    auto body = [&]() -> asyncrt::task<int> {
      auto h = asyncrt::spawn(consumer());
      for (int i = 0; i < 10; ++i)
        co_await asyncrt::sleep(1ms); // the children start
      h.abort();
      try {
        co_await std::move(h);
      } catch (const asyncrt::cancelled &) {
      }
      co_return alive.now.load();
    };
    EXPECT_EQ(rt.block_on(body()), 0) << "adaptor " << kind;
    EXPECT_EQ(alive.peak.load(), 4) << "adaptor " << kind;
  }
}

// from_receiver is cancel-safe as recv is: a next() that times out loses
// nothing and the stream goes on.
TEST_P(Streams, FromReceiverSurvivesACancelledNext) {
  asyncrt::runtime rt{options()};
  auto body = []() -> asyncrt::task<std::vector<int>> {
    auto [tx, rx] = asyncrt::mpsc::channel<int>(4);
    asyncrt::stream<int> s = asyncrt::from_receiver(std::move(rx));
    auto next_of = [](asyncrt::stream<int> &from) -> asyncrt::task<int> {
      std::optional<int> v = co_await from.next();
      co_return v.value_or(-1);
    };
    std::vector<int> got;
    std::optional<int> early = co_await asyncrt::timeout(2ms, next_of(s));
    got.push_back(early.value_or(-2)); // timed out: -2
    EXPECT_EQ(tx.try_send(5), asyncrt::try_send_status::sent);
    got.push_back(co_await next_of(s));
    std::optional<int> late = co_await asyncrt::timeout(2ms, next_of(s));
    got.push_back(late.value_or(-2));
    EXPECT_EQ(tx.try_send(6), asyncrt::try_send_status::sent);
    { auto gone = std::move(tx); }
    got.push_back(co_await next_of(s));
    got.push_back(co_await next_of(s)); // the channel has ended: -1
    co_return got;
  };
  EXPECT_EQ(rt.block_on(body()), (std::vector<int>{-2, 5, -2, 6, -1}));
}

TEST_P(Streams, ReceiverAndIntervalSources) {
  auto body = []() -> asyncrt::task<bool> {
    auto [tx, rx] = asyncrt::mpsc::channel<int>(4);
    auto producer = asyncrt::spawn(
        [](asyncrt::mpsc::sender<int> out) -> asyncrt::task<void> {
          for (int i = 0; i < 10; ++i)
            co_await out.send(i);
        }(std::move(tx)));
    int sum = co_await (asyncrt::from_receiver(std::move(rx)) |
                        asyncrt::fold(0, [](int a, int v) { return a + v; }));
    co_await std::move(producer);
    auto start = asyncrt::now();
    auto ticks = co_await (asyncrt::interval(100ms) | asyncrt::take(5) |
                           asyncrt::collect<std::vector>());
    co_return sum == 45 && ticks.size() == 5 && ticks.front() == start &&
        (ticks.back() - ticks.front() == 400ms);
  };
  EXPECT_TRUE(run(body()));
}

// Ten million items through chunks(100) | buffer_unordered(10): the batches
// alive at any moment (the pipeline's memory, counted) stay bounded by the
// concurrency limit, the same as for a hundred thousand items.
int peak_live_batches(int items) {
  gauge live;
  asyncrt::runtime rt{asyncrt_test::options_for(asyncrt::flavor::multi_thread)};
  long total = rt.block_on([](int n, gauge &batches) -> asyncrt::task<long> {
    co_return co_await (
        asyncrt::iter(std::views::iota(0, n)) | asyncrt::chunks(100) |
        asyncrt::map([&](std::vector<int> batch) -> asyncrt::task<long> {
          gauge::held alive(batches);
          long s = 0;
          for (int v : batch)
            s += v;
          co_await asyncrt::yield_now();
          co_return s;
        }) |
        asyncrt::buffer_unordered(10) |
        asyncrt::fold(0L, [](long a, long b) { return a + b; }));
  }(items, live));
  EXPECT_EQ(total, static_cast<long>(items) * (items - 1) / 2);
  EXPECT_EQ(live.now, 0);
  return live.peak;
}

long max_rss_kib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

TEST(StreamMemory, TenMillionItemsInConstantMemory) {
  int small = peak_live_batches(100'000);
  long rss_small = max_rss_kib();
  int large = peak_live_batches(10'000'000);
  long rss_large = max_rss_kib();
  std::printf("peak live batches: %d for 1e5 items, %d for 1e7 items; peak "
              "RSS %ld KiB after 1e5, %ld KiB after 1e7\n",
              small, large, rss_small, rss_large);
  // Both bounded by the concurrency limit, not by the item count.
  EXPECT_LE(small, 10);
  EXPECT_LE(large, 10);
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__) &&         \
    !ASYNCRT_TEST_SANITIZED
  // A hundred times the items may not raise the process's peak RSS by more
  // than a few MiB (ten million ints alone would be 40 MB). Sanitizers keep
  // freed memory in quarantine, so their builds skip this.
  EXPECT_LT(rss_large - rss_small, 8 * 1024);
#endif
}

ASYNCRT_ON_ALL_SHAPES(Streams);

} // namespace

namespace {

class Groups : public asyncrt_test::AllShapes {
protected:
  template <class T> T run(asyncrt::task<T> body) {
    asyncrt::runtime rt{options()};
    return asyncrt_test::run_paused(rt, std::move(body));
  }
};

// A failure the user handled through the child's handle is not rethrown
// again when the scope ends.
TEST_P(Groups, AFailureHandledThroughItsHandleIsNotRethrown) {
  asyncrt::runtime rt{options()};
  auto body = []() -> asyncrt::task<bool> {
    co_return co_await asyncrt::with_task_group(
        [](asyncrt::task_group &g) -> asyncrt::task<bool> {
          auto h = co_await g.spawn([]() -> asyncrt::task<int> {
            throw std::runtime_error("handled");
            co_return 0;
          }());
          try {
            co_await std::move(h);
          } catch (const std::runtime_error &) {
            co_return true;
          }
          co_return false;
        });
  };
  EXPECT_TRUE(rt.block_on(body()));
}

// The group's join_all and the owner of a handle the group gave out may
// wait for the same child at once: both are woken (a single waiter slot
// would leave one of them hanging; the timeout turns that into a failure).
TEST_P(Groups, AHandleAndTheGroupWaitForOneChildTogether) {
  asyncrt::runtime rt{options()};
  auto body = []() -> asyncrt::task<bool> {
    std::optional<bool> done = co_await asyncrt::timeout(
        5s,
        asyncrt::with_task_group(
            [](asyncrt::task_group &g) -> asyncrt::task<bool> {
              auto h = co_await g.spawn([]() -> asyncrt::task<int> {
                co_await asyncrt::sleep(5ms);
                co_return 7;
              }());
              auto owner =
                  [](asyncrt::join_handle<int> handle) -> asyncrt::task<int> {
                co_return co_await std::move(handle);
              };
              auto [value, joined] =
                  co_await asyncrt::join(owner(std::move(h)), g.join_all());
              co_return value == 7;
            }));
    co_return done.value_or(false);
  };
  EXPECT_TRUE(rt.block_on(body()));
}

static_assert(!std::is_copy_constructible_v<asyncrt::join_handle<int>>,
              "a join handle has one owner");

TEST_P(Groups, MaxConcurrencyMakesSpawnWait) {
  gauge g;
  auto body = [&]() -> asyncrt::task<int> {
    co_return co_await asyncrt::with_task_group(
        3, [&](asyncrt::bounded_task_group &group) -> asyncrt::task<int> {
          std::vector<asyncrt::join_handle<int>> handles;
          for (int i = 0; i < 30; ++i)
            handles.push_back(co_await group.spawn(measured(g, i, 2ms)));
          co_await group.join_all();
          int sum = 0;
          for (auto &h : handles)
            sum += co_await std::move(h);
          co_return sum;
        });
  };
  EXPECT_EQ(run(body()), 29 * 30 / 2);
  EXPECT_EQ(g.peak, 3);
}

TEST_P(Groups, JoinAllSurfacesTheFirstError) {
  auto body = []() -> asyncrt::task<bool> {
    try {
      co_await asyncrt::with_task_group(
          [](asyncrt::task_group &group) -> asyncrt::task<void> {
            co_await group.spawn([]() -> asyncrt::task<void> {
              co_await asyncrt::sleep(1ms);
              throw std::runtime_error("child failed");
            }());
            co_await group.join_all();
          });
    } catch (const std::runtime_error &) {
      co_return true;
    }
    co_return false;
  };
  EXPECT_TRUE(run(body()));
}

TEST_P(Groups, LeavingCancelsAndAwaitsEveryChild) {
  std::atomic<int> unwound = 0;
  auto body = [&]() -> asyncrt::task<bool> {
    try {
      co_await asyncrt::with_task_group(
          [&](asyncrt::task_group &group) -> asyncrt::task<void> {
            for (int i = 0; i < 3; ++i)
              co_await group.spawn(
                  [](std::atomic<int> &u) -> asyncrt::task<void> {
                    witness w{u};
                    co_await asyncrt::sleep(1h);
                  }(unwound));
            co_await asyncrt::sleep(1ms);
            throw std::logic_error("the body gives up");
          });
    } catch (const std::logic_error &) {
      co_return unwound == 3; // all three unwound before the scope ended
    }
    co_return false;
  };
  EXPECT_TRUE(run(body()));
}

TEST_P(Groups, CancellingTheEnclosingTaskCancelsTheChildren) {
  std::atomic<int> unwound = 0;
  auto body = [&]() -> asyncrt::task<bool> {
    auto outer = asyncrt::spawn([](std::atomic<int> &u) -> asyncrt::task<void> {
      co_await asyncrt::with_task_group(
          [&u](asyncrt::task_group &group) -> asyncrt::task<void> {
            co_await group.spawn(
                [](std::atomic<int> &c) -> asyncrt::task<void> {
                  witness w{c};
                  co_await asyncrt::sleep(1h);
                }(u));
            co_await group.join_all();
          });
    }(unwound));
    co_await asyncrt::sleep(1ms);
    outer.abort();
    try {
      co_await std::move(outer);
    } catch (const asyncrt::cancelled &) {
      co_return unwound == 1;
    }
    co_return false;
  };
  EXPECT_TRUE(run(body()));
}

ASYNCRT_ON_ALL_SHAPES(Groups);

} // namespace
