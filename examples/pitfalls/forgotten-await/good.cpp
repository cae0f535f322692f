// The fix: await the task (or hand it to something that runs it).
#include <asyncrt/asyncrt.hpp>

#include <cstdio>
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
  co_await db.save(body);
  co_await db.save("audit: " + body);
  co_return static_cast<int>(db.rows.size());
}

} // namespace example

int main() {
  asyncrt::runtime rt;
  example::store db;
  int rows = rt.block_on(example::handle_request(db, "hello"));
  bool ok = rows == 2 && db.rows[1] == "audit: hello";
  std::printf("forgotten-await/good: %s\n", ok ? "ok" : "FAILED");
  return ok ? 0 : 1;
}
