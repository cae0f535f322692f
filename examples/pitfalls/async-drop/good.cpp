// The fix: make the asynchronous cleanup an explicit step that the owner
// awaits (`co_await writer.close()`), and let the destructor only check that
// it happened. A task group is the other shape: its scope awaits its
// children before it ends.
#include <asyncrt/asyncrt.hpp>
#include <asyncrt/testing.hpp>

#include <cassert>
#include <cstdio>
#include <string>
#include <vector>

namespace example {

class log_writer {
public:
  explicit log_writer(std::vector<std::string> &disk) : disk_(disk) {}
  ~log_writer() { assert(closed_ && "co_await close() before dropping"); }
  void write(std::string line) { pending_.push_back(std::move(line)); }
  asyncrt::task<void> close() {
    co_await asyncrt::sleep(std::chrono::milliseconds(1)); // the disk write
    for (auto &line : pending_)
      disk_.push_back(std::move(line));
    pending_.clear();
    closed_ = true;
  }

private:
  std::vector<std::string> &disk_;
  std::vector<std::string> pending_;
  bool closed_ = false;
};

asyncrt::task<void> session(std::vector<std::string> &disk) {
  log_writer log(disk);
  log.write("started");
  log.write("finished");
  co_await log.close();
}

} // namespace example

int main() {
  asyncrt::runtime rt;
  std::vector<std::string> disk;
  rt.block_on([](std::vector<std::string> &d) -> asyncrt::task<void> {
    asyncrt::testing::pause_time();
    co_await example::session(d);
  }(disk));
  bool ok = disk.size() == 2;
  std::printf("async-drop/good: %s\n", ok ? "ok" : "FAILED");
  return ok ? 0 : 1;
}
