// asyncrt::task: laziness, results, exceptions, ownership and symmetric
// transfer. The scheduler does not exist yet, so these tests drive tasks that
// complete without suspending on anything external.
#include <asyncrt/task.hpp>

#include <gtest/gtest.h>
#include <memory>
#include <stdexcept>
#include <string>

namespace {

// Runs a task whose body never waits on anything outside itself.
template <class T> T run_to_completion(asyncrt::task<T> t) {
  auto frame = t.release();
  frame.resume();
  EXPECT_TRUE(frame.done());
  struct destroy_on_exit {
    std::coroutine_handle<> h;
    ~destroy_on_exit() { h.destroy(); }
  } guard{frame};
  return frame.promise().take();
}

asyncrt::task<int> answer() { co_return 42; }

asyncrt::task<int> add(int a, int b) {
  co_return co_await answer() - 42 + a + b;
}

TEST(Task, ReturnsValueThroughAwait) {
  EXPECT_EQ(run_to_completion(add(2, 3)), 5);
}

TEST(Task, VoidTask) {
  int runs = 0;
  auto body = [&]() -> asyncrt::task<void> {
    ++runs;
    co_return;
  };
  run_to_completion(body());
  EXPECT_EQ(runs, 1);
}

TEST(Task, IsLazy) {
  bool started = false;
  auto body = [&]() -> asyncrt::task<int> {
    started = true;
    co_return 1;
  };
  asyncrt::task<int> t = body();
  EXPECT_FALSE(started);
  EXPECT_FALSE(t.is_ready());
  EXPECT_EQ(run_to_completion(std::move(t)), 1);
  EXPECT_TRUE(started);
}

TEST(Task, DestroyingAnUnstartedTaskRunsNoBodyAndFreesParameters) {
  auto witness = std::make_shared<int>(0);
  bool started = false;
  {
    auto body =
        [&]([[maybe_unused]] std::shared_ptr<int> held) -> asyncrt::task<void> {
      started = true;
      co_return;
    };
    // Dropping the task unstarted is the point of this test.
    // NOLINTNEXTLINE(async-unawaited-task)
    asyncrt::task<void> t = body(witness);
    EXPECT_EQ(witness.use_count(), 2); // the frame holds a copy
  }
  EXPECT_FALSE(started);
  EXPECT_EQ(witness.use_count(), 1);
}

asyncrt::task<int> fails() {
  throw std::runtime_error("boom");
  co_return 0;
}

asyncrt::task<std::string> catches() {
  try {
    co_await fails();
  } catch (const std::runtime_error &e) {
    co_return std::string("caught ") + e.what();
  }
  co_return "not thrown";
}

TEST(Task, ExceptionPropagatesToTheAwaiter) {
  EXPECT_EQ(run_to_completion(catches()), "caught boom");
  EXPECT_THROW(run_to_completion(fails()), std::runtime_error);
}

TEST(Task, MoveTransfersOwnership) {
  asyncrt::task<int> a = answer();
  asyncrt::task<int> b = std::move(a);
  EXPECT_FALSE(static_cast<bool>(a));
  EXPECT_TRUE(static_cast<bool>(b));
  a = std::move(b);
  EXPECT_EQ(run_to_completion(std::move(a)), 42);
}

TEST(Task, MoveOnlyResult) {
  auto body = []() -> asyncrt::task<std::unique_ptr<int>> {
    co_return std::make_unique<int>(7);
  };
  EXPECT_EQ(*run_to_completion(body()), 7);
}

asyncrt::task<int> one() { co_return 1; }

// Each await completes synchronously; without symmetric transfer every
// completion would nest a resume() on the stack and a million would overflow.
asyncrt::task<long> many_awaits(int count) {
  long sum = 0;
  for (int i = 0; i < count; ++i)
    sum += co_await one();
  co_return sum;
}

TEST(Task, MillionSynchronousAwaitsDoNotGrowTheStack) {
  EXPECT_EQ(run_to_completion(many_awaits(1'000'000)), 1'000'000);
}

asyncrt::task<int> chain(int depth) {
  if (depth == 0)
    co_return 0;
  co_return 1 + co_await chain(depth - 1);
}

// Nested (recursive) awaits do use stack per level: the depth is the program's.
TEST(Task, DeepChainOfAwaits) {
  EXPECT_EQ(run_to_completion(chain(2000)), 2000);
}

} // namespace
