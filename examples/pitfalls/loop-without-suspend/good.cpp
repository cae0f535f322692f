// The fix: yield to the runtime in every iteration. Other tasks get the
// thread, and abort() takes effect at the yield, with RAII cleanup.
#include <asyncrt/asyncrt.hpp>

#include <atomic>
#include <cstdio>
#include <deque>

namespace example {

asyncrt::task<void> drain(std::deque<int> &queue, std::atomic<long> &handled) {
  while (true) {
    if (!queue.empty()) {
      queue.pop_front();
      ++handled;
    }
    co_await asyncrt::yield_now();
  }
}

asyncrt::task<bool> run() {
  std::deque<int> queue{1, 2, 3};
  std::atomic<long> handled = 0;
  auto worker = asyncrt::spawn(drain(queue, handled));
  // The worker may run on another thread: wait until it has drained.
  while (handled.load() < 3)
    co_await asyncrt::yield_now();
  worker.abort();
  try {
    co_await std::move(worker);
  } catch (const asyncrt::cancelled &) {
    co_return handled == 3;
  }
  co_return false;
}

} // namespace example

int main() {
  asyncrt::runtime rt;
  bool ok = rt.block_on(example::run());
  std::printf("loop-without-suspend/good: %s\n", ok ? "ok" : "FAILED");
  return ok ? 0 : 1;
}
