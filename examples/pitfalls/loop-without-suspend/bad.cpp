// Pitfall: a loop that never suspends. Cancellation is cooperative, so
// abort() cannot stop it, and it holds its worker thread for ever.
// corolint: async-loop-without-suspend
#include <asyncrt/asyncrt.hpp>

#include <deque>

namespace example {

asyncrt::task<void> drain(std::deque<int> &queue, long &handled) {
  co_await asyncrt::yield_now(); // let the producer start
  while (true) {
    if (!queue.empty()) {
      queue.pop_front();
      ++handled;
    }
  }
}

} // namespace example
