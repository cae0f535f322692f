// The pitfall: cleanup that needs to await, written in a destructor. A
// destructor cannot co_await, so the flush task is created and dropped: it
// never runs, and the buffered lines are lost.
#include <asyncrt/asyncrt.hpp>

#include <string>
#include <vector>

namespace example {

class log_writer {
public:
  ~log_writer() {
    flush(); // a task nobody awaits
  }
  void write(std::string line) { pending_.push_back(std::move(line)); }
  asyncrt::task<void> flush() {
    co_await asyncrt::sleep(std::chrono::milliseconds(1)); // the disk write
    pending_.clear();
  }

private:
  std::vector<std::string> pending_;
};

} // namespace example
