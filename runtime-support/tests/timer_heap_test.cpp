// The timer heap: deadline order, FIFO among equal deadlines, and a
// cancelled timer leaving the heap at once, under random arming and
// cancelling.
#include <asyncrt/detail/timer_heap.hpp>

#include <chrono>
#include <cstddef>
#include <gtest/gtest.h>
#include <memory>
#include <random>
#include <vector>

namespace {

using asyncrt::detail::clock;
using asyncrt::detail::task_context;
using asyncrt::detail::timer_entry;
using asyncrt::detail::timer_heap;
using asyncrt::detail::waiter;
using asyncrt::detail::wake_list;

clock::time_point at(int ms) {
  return clock::time_point(std::chrono::milliseconds(ms));
}

// The entries' contexts name them: waiter i has context &contexts[i].
struct timers {
  explicit timers(std::size_t count)
      : entries(count), contexts(new task_context[count]) {}
  waiter waiter_of(std::size_t i) {
    waiter w;
    w.context = &contexts[i];
    return w;
  }
  std::size_t index_of(const waiter &w) const {
    return static_cast<std::size_t>(w.context - contexts.get());
  }
  std::vector<std::size_t> collect(timer_heap &heap, int ms) {
    wake_list due;
    heap.collect_due(at(ms), due);
    std::vector<std::size_t> fired;
    due.for_each([&](const waiter &w) { fired.push_back(index_of(w)); });
    return fired;
  }
  std::vector<timer_entry> entries;
  std::unique_ptr<task_context[]> contexts;
};

TEST(TimerHeap, FiresInDeadlineOrderAndFifoAmongEqualDeadlines) {
  timers t(4);
  timer_heap heap;
  bool earliest = false;
  heap.add(t.entries[0], at(30), t.waiter_of(0), earliest);
  EXPECT_TRUE(earliest);
  heap.add(t.entries[1], at(10), t.waiter_of(1), earliest);
  EXPECT_TRUE(earliest);
  heap.add(t.entries[2], at(30), t.waiter_of(2), earliest);
  EXPECT_FALSE(earliest);
  heap.add(t.entries[3], at(20), t.waiter_of(3), earliest);
  EXPECT_EQ(heap.next_deadline(), at(10));
  EXPECT_EQ(t.collect(heap, 5), std::vector<std::size_t>{});
  EXPECT_EQ(t.collect(heap, 20), (std::vector<std::size_t>{1, 3}));
  EXPECT_EQ(t.collect(heap, 100), (std::vector<std::size_t>{0, 2}));
  EXPECT_TRUE(heap.empty());
  EXPECT_EQ(heap.next_deadline(), clock::time_point::max());
}

TEST(TimerHeap, ACancelledTimerLeavesTheHeapAtOnce) {
  timers t(3);
  timer_heap heap;
  bool earliest = false;
  for (std::size_t i = 0; i < 3; ++i)
    heap.add(t.entries[i], at(10 * static_cast<int>(i + 1)), t.waiter_of(i),
             earliest);
  EXPECT_TRUE(heap.cancel(t.entries[0]));
  EXPECT_EQ(heap.size(), 2u);
  EXPECT_EQ(heap.next_deadline(), at(20));
  EXPECT_FALSE(heap.cancel(t.entries[0])) << "cancelled twice";
  EXPECT_EQ(t.collect(heap, 20), std::vector<std::size_t>{1});
  EXPECT_FALSE(heap.cancel(t.entries[1])) << "already fired";
  EXPECT_EQ(heap.size(), 1u);
}

TEST(TimerHeap, ClearDisarmsWhatIsLeft) {
  timers t(1);
  timer_heap heap;
  bool earliest = false;
  heap.add(t.entries[0], at(10), t.waiter_of(0), earliest);
  heap.clear();
  EXPECT_TRUE(heap.empty());
  EXPECT_FALSE(heap.cancel(t.entries[0]));
}

// Random deadlines (many equal), a third cancelled at random moments, due
// timers collected as time moves on: each timer not cancelled fires once,
// in (deadline, arming) order, and the heap holds exactly the armed ones.
TEST(TimerHeap, RandomArmingAndCancellingKeepsTheOrder) {
  constexpr std::size_t count = 3000;
  timers t(count);
  timer_heap heap;
  std::mt19937 rng(20261202);
  std::vector<int> deadline(count);
  std::vector<bool> cancelled(count, false), fired(count, false);
  std::size_t armed = 0, next = 0;
  int now = 0;
  bool earliest = false;
  while (next < count || !heap.empty()) {
    int action = static_cast<int>(rng() % 10);
    if (action < 5 && next < count) {
      deadline[next] = now + static_cast<int>(rng() % 40);
      heap.add(t.entries[next], at(deadline[next]), t.waiter_of(next),
               earliest);
      ++next;
      ++armed;
    } else if (action < 7 && next > 0) {
      std::size_t victim = rng() % next;
      bool took = heap.cancel(t.entries[victim]);
      EXPECT_EQ(took, !cancelled[victim] && !fired[victim]) << victim;
      if (took) {
        cancelled[victim] = true;
        --armed;
      }
    } else {
      now += static_cast<int>(rng() % 5);
      std::vector<std::size_t> due = t.collect(heap, now);
      for (std::size_t k = 0; k < due.size(); ++k) {
        std::size_t i = due[k];
        ASSERT_FALSE(cancelled[i] || fired[i]) << i;
        ASSERT_LE(deadline[i], now);
        if (k > 0) {
          std::size_t before = due[k - 1];
          ASSERT_TRUE(deadline[before] < deadline[i] ||
                      (deadline[before] == deadline[i] && before < i))
              << before << " fired before " << i;
        }
        fired[i] = true;
        --armed;
      }
      if (!heap.empty()) {
        ASSERT_GT(heap.next_deadline(), at(now));
      }
    }
    ASSERT_EQ(heap.size(), armed);
  }
  for (std::size_t i = 0; i < count; ++i)
    EXPECT_NE(cancelled[i], fired[i]) << i;
}

} // namespace
