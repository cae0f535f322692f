// The pitfall: one task per input item, all started at once. With ten
// thousand ids, ten thousand requests hit the backend together; nothing
// bounds the fan-out but the size of the input.
#include <asyncrt/asyncrt.hpp>

#include <vector>

namespace example {

asyncrt::task<int> fetch(int id) {
  co_await asyncrt::sleep(std::chrono::milliseconds(10)); // the backend call
  co_return id * 2;
}

asyncrt::task<long> fetch_all(std::vector<int> ids) {
  std::vector<asyncrt::join_handle<int>> pending;
  for (int id : ids)
    pending.push_back(asyncrt::spawn(fetch(id))); // every id at once
  long total = 0;
  for (auto &h : pending)
    total += co_await std::move(h);
  co_return total;
}

} // namespace example
