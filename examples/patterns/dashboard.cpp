// join, try_join, and a combined "dashboard" fetch: three independent
// requests at once; the page needs all of them (try_join: one failure
// cancels the others), the sidebar is best effort (join, then inspect).
#include <asyncrt/asyncrt.hpp>
#include <asyncrt/testing.hpp>

#include <cstdio>
#include <stdexcept>
#include <string>

namespace example {

using namespace std::chrono_literals;

asyncrt::task<std::string> user_profile(int id) {
  co_await asyncrt::sleep(30ms);
  co_return "user " + std::to_string(id);
}
asyncrt::task<int> unread_count(int) {
  co_await asyncrt::sleep(20ms);
  co_return 3;
}
asyncrt::task<std::string> recommendations(int, bool fail) {
  co_await asyncrt::sleep(10ms);
  if (fail)
    throw std::runtime_error("recommendations service down");
  co_return "3 items";
}

struct dashboard {
  std::string profile;
  int unread;
  std::string recommended;
};

asyncrt::task<dashboard> fetch_dashboard(int id, bool recommendations_fail) {
  auto [profile, unread] =
      co_await asyncrt::try_join(user_profile(id), unread_count(id));
  std::string recommended = "unavailable";
  try {
    auto [r] =
        co_await asyncrt::join(recommendations(id, recommendations_fail));
    recommended = r;
  } catch (const std::runtime_error &) {
  }
  co_return dashboard{profile, unread, recommended};
}

asyncrt::task<bool> run() {
  asyncrt::testing::pause_time();
  auto start = asyncrt::now();
  dashboard d = co_await fetch_dashboard(7, false);
  bool concurrent = asyncrt::now() - start == 40ms; // 30 + 10, not 60
  dashboard degraded = co_await fetch_dashboard(7, true);
  std::printf("dashboard: %s, %d unread, %s / %s\n", d.profile.c_str(),
              d.unread, d.recommended.c_str(), degraded.recommended.c_str());
  co_return concurrent &&d.recommended == "3 items" &&
      degraded.recommended == "unavailable" && d.unread == 3;
}

} // namespace example

int main() {
  asyncrt::runtime rt;
  bool ok = rt.block_on(example::run());
  std::printf("dashboard: %s\n", ok ? "ok" : "FAILED");
  return ok ? 0 : 1;
}
