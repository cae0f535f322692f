// Pitfall: a std::mutex held across co_await. While the coroutine is
// suspended the worker thread moves on, and anything else that takes the
// mutex on that worker blocks it or deadlocks.
// corolint: async-lock-across-suspend
#include <asyncrt/asyncrt.hpp>

#include <map>
#include <mutex>
#include <string>

namespace example {

struct cache {
  std::mutex mutex;
  std::map<std::string, std::string> entries;
};

asyncrt::task<std::string> fetch_remote(std::string key) {
  co_return "value of " + key;
}

asyncrt::task<std::string> lookup(cache &c, std::string key) {
  std::lock_guard<std::mutex> guard(c.mutex);
  auto it = c.entries.find(key);
  if (it != c.entries.end())
    co_return it->second;
  std::string value = co_await fetch_remote(key); // suspends holding the lock
  c.entries[key] = value;
  co_return value;
}

} // namespace example
