// Helpers shared by the runtime's tests: both runtime flavours, and a
// paused-clock wrapper.
#ifndef ASYNCRT_TESTS_TEST_SUPPORT_HPP
#define ASYNCRT_TESTS_TEST_SUPPORT_HPP

#include <asyncrt/asyncrt.hpp>
#include <asyncrt/testing.hpp>

#include <atomic>
#include <gtest/gtest.h>
#include <string>

namespace asyncrt_test {

inline asyncrt::runtime_options options_for(asyncrt::flavor kind) {
  asyncrt::runtime_options options;
  options.flavor = kind;
  options.worker_threads = 2; // what CI has; also exercises stealing
  return options;
}

inline asyncrt::runtime_options current_thread() {
  return options_for(asyncrt::flavor::current_thread);
}

/// A test run once on each runtime flavour.
class BothFlavours : public ::testing::TestWithParam<asyncrt::flavor> {
protected:
  asyncrt::runtime_options options() const { return options_for(GetParam()); }
};

struct flavour_name {
  std::string
  operator()(const ::testing::TestParamInfo<asyncrt::flavor> &info) const {
    return info.param == asyncrt::flavor::current_thread ? "CurrentThread"
                                                         : "MultiThread";
  }
};

/// Counts how many run at once, and the most that ever did. Thread-safe.
struct gauge {
  std::atomic<int> now = 0, peak = 0;
  void enter() {
    int n = ++now;
    int seen = peak;
    while (n > seen && !peak.compare_exchange_weak(seen, n)) {
    }
  }
  void leave() { --now; }

  /// Inside the gauge for its lifetime (also when unwound by cancellation).
  struct held {
    gauge &g;
    explicit held(gauge &counted) : g(counted) { g.enter(); }
    held(const held &) = delete;
    held &operator=(const held &) = delete;
    ~held() { g.leave(); }
  };
};

/// Runs \p body on \p rt with the paused test clock.
template <class T> T run_paused(asyncrt::runtime &rt, asyncrt::task<T> body) {
  auto wrapper = [](asyncrt::task<T> inner) -> asyncrt::task<T> {
    asyncrt::testing::pause_time();
    co_return co_await std::move(inner);
  };
  return rt.block_on(wrapper(std::move(body)));
}

} // namespace asyncrt_test

#define ASYNCRT_ON_BOTH_FLAVOURS(Suite)                                        \
  INSTANTIATE_TEST_SUITE_P(, Suite,                                            \
                           ::testing::Values(asyncrt::flavor::current_thread,  \
                                             asyncrt::flavor::multi_thread),   \
                           asyncrt_test::flavour_name{})

#endif
