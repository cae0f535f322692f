// Stream processing in batches: a large input, cut into batches of 100,
// each handled by one call (one database round trip per batch, not per row).
#include <asyncrt/asyncrt.hpp>

#include <cstdio>
#include <ranges>
#include <vector>

namespace example {

struct database {
  int round_trips = 0;
  long rows = 0;
  asyncrt::task<void> insert_batch(std::vector<int> batch) {
    ++round_trips;
    rows += static_cast<long>(batch.size());
    co_await asyncrt::yield_now(); // the round trip
  }
};

asyncrt::task<void> import(database &db, int count) {
  co_await (asyncrt::iter(std::views::iota(0, count)) | asyncrt::chunks(100) |
            asyncrt::for_each([&db](std::vector<int> batch) {
              return db.insert_batch(std::move(batch));
            }));
}

} // namespace example

int main() {
  asyncrt::runtime rt;
  example::database db;
  rt.block_on(example::import(db, 10'050));
  bool ok = db.rows == 10'050 && db.round_trips == 101;
  std::printf("batches: %ld rows in %d round trips: %s\n", db.rows,
              db.round_trips, ok ? "ok" : "FAILED");
  return ok ? 0 : 1;
}
