// The pitfall: a select in a loop whose losing branch is not cancel-safe.
// Each turn starts a fresh `send` of the next item; when the heartbeat wins,
// the send is cancelled and the item it carried is gone.
#include <asyncrt/asyncrt.hpp>

#include <vector>

namespace example {

asyncrt::task<void> pump(std::vector<int> items, asyncrt::mpsc::sender<int> out,
                         int &beats) {
  for (int item : items) {
    // send waits while the consumer is behind
    auto winner = co_await asyncrt::select(
        out.send(item), asyncrt::sleep(std::chrono::milliseconds(100)));
    if (winner.index() == 1)
      ++beats; // ...and `item` was dropped with the cancelled send
  }
}

} // namespace example
