// Pitfall: a forgotten co_await. asyncrt tasks are lazy, like Rust futures:
// calling save() only creates the task; nothing is written.
// corolint: async-unawaited-task
#include <asyncrt/asyncrt.hpp>

#include <string>
#include <vector>

namespace example {

struct store {
  std::vector<std::string> rows;
  asyncrt::task<void> save(std::string row) {
    rows.push_back(std::move(row));
    co_return;
  }
};

asyncrt::task<int> handle_request(store &db, std::string body) {
  db.save(body);                          // the row is never saved
  auto audit = db.save("audit: " + body); // nor is this one
  co_return static_cast<int>(db.rows.size());
}

} // namespace example
