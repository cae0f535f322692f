// The fix, two ways. lookup(): hold the std::mutex only between
// suspensions (look up under the lock and copy the value out, release it,
// await, lock again to store). lookup_once(): when the critical section
// really must await (here: so that one fetch per key runs, not one per
// caller), use asyncrt::mutex, whose guard may be held across co_await.
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

struct async_cache {
  asyncrt::mutex mutex;
  std::map<std::string, std::string> entries; // guarded by mutex
  int fetches = 0;
};

asyncrt::task<std::string> lookup_once(async_cache &c, std::string key) {
  auto guard = co_await c.mutex.lock(); // suspends instead of blocking
  if (auto it = c.entries.find(key); it != c.entries.end())
    co_return it->second;
  ++c.fetches;
  std::string value = co_await fetch_remote(key); // guard still held: fine
  c.entries[key] = value;
  co_return value;
}

asyncrt::task<bool> concurrent_lookups(async_cache &c) {
  auto a = asyncrt::spawn(lookup_once(c, "k"));
  auto b = asyncrt::spawn(lookup_once(c, "k"));
  std::string first = co_await std::move(a);
  std::string second = co_await std::move(b);
  co_return first == second &&c.fetches == 1;
}

} // namespace example

int main() {
  asyncrt::runtime rt;
  example::cache c;
  std::string first = rt.block_on(example::lookup(c, "k"));
  std::string second = rt.block_on(example::lookup(c, "k"));
  example::async_cache ac;
  bool once = rt.block_on(example::concurrent_lookups(ac));
  bool ok =
      first == "value of k" && second == first && c.entries.size() == 1 && once;
  std::printf("lock-across-await/good: %s\n", ok ? "ok" : "FAILED");
  return ok ? 0 : 1;
}
