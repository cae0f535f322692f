// The fix: hold the lock only between suspensions. Look up under the lock,
// release it, await, then take it again to store the result.
#include <asyncrt/asyncrt.hpp>

#include <cstdio>
#include <map>
#include <mutex>
#include <optional>
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
  std::optional<std::string> cached;
  {
    std::lock_guard<std::mutex> guard(c.mutex);
    if (auto it = c.entries.find(key); it != c.entries.end())
      cached = it->second;
  }
  if (cached)
    co_return *cached;
  std::string value = co_await fetch_remote(key);
  {
    std::lock_guard<std::mutex> guard(c.mutex);
    c.entries[key] = value;
  }
  co_return value;
}

} // namespace example

int main() {
  asyncrt::runtime rt;
  example::cache c;
  std::string first = rt.block_on(example::lookup(c, "k"));
  std::string second = rt.block_on(example::lookup(c, "k"));
  bool ok = first == "value of k" && second == first && c.entries.size() == 1;
  std::printf("lock-across-await/good: %s\n", ok ? "ok" : "FAILED");
  return ok ? 0 : 1;
}
