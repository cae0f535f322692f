// Helpers shared by the runtime's tests: every runtime shape a user can
// pick, and a paused-clock wrapper.
#ifndef ASYNCRT_TESTS_TEST_SUPPORT_HPP
#define ASYNCRT_TESTS_TEST_SUPPORT_HPP

#include <asyncrt/asyncrt.hpp>
#include <asyncrt/testing.hpp>

#include <atomic>
#include <gtest/gtest.h>
#include <mutex>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

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

/// The runtime shapes a user can pick: the current-thread runtime, a
/// multi-thread runtime with one worker (where no second, idle worker hides
/// a starved one) and with two.
enum class shape { current_thread, one_worker, two_workers };

inline asyncrt::runtime_options options_for(shape kind) {
  switch (kind) {
  case shape::current_thread:
    return current_thread();
  case shape::one_worker: {
    asyncrt::runtime_options options =
        options_for(asyncrt::flavor::multi_thread);
    options.worker_threads = 1;
    return options;
  }
  case shape::two_workers:
    break;
  }
  return options_for(asyncrt::flavor::multi_thread);
}

inline void PrintTo(shape kind, std::ostream *os) {
  *os << (kind == shape::current_thread ? "current_thread"
          : kind == shape::one_worker   ? "one_worker"
                                        : "two_workers");
}

/// A test run once on each runtime shape.
class AllShapes : public ::testing::TestWithParam<shape> {
protected:
  asyncrt::runtime_options options() const { return options_for(GetParam()); }
};

struct shape_name {
  std::string operator()(const ::testing::TestParamInfo<shape> &info) const {
    switch (info.param) {
    case shape::current_thread:
      return "CurrentThread";
    case shape::one_worker:
      return "OneWorker";
    case shape::two_workers:
      break;
    }
    return "TwoWorkers";
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

/// Collects the reports a runtime sends to its diagnostics sink.
/// Thread-safe.
struct report_log {
  /// Points \p options' diagnostics sink at this log.
  void capture(asyncrt::runtime_options &options) {
    options.diagnostics = [this](std::string_view message) {
      std::lock_guard lock(mutex);
      lines.emplace_back(message);
    };
  }
  std::vector<std::string> taken() {
    std::lock_guard lock(mutex);
    return lines;
  }

private:
  std::mutex mutex;
  std::vector<std::string> lines;
};

/// Awaits \p handle: true if its task ended as cancelled (the abort landed),
/// false if it ran to completion.
template <class T>
asyncrt::task<bool> ends_cancelled(asyncrt::join_handle<T> handle) {
  try {
    co_await std::move(handle);
  } catch (const asyncrt::cancelled &) {
    co_return true;
  }
  co_return false;
}

/// Runs \p body on \p rt with the paused test clock.
template <class T> T run_paused(asyncrt::runtime &rt, asyncrt::task<T> body) {
  auto wrapper = [](asyncrt::task<T> inner) -> asyncrt::task<T> {
    asyncrt::testing::pause_time();
    co_return co_await std::move(inner);
  };
  return rt.block_on(wrapper(std::move(body)));
}

} // namespace asyncrt_test

#define ASYNCRT_ON_ALL_SHAPES(Suite)                                           \
  INSTANTIATE_TEST_SUITE_P(                                                    \
      , Suite,                                                                 \
      ::testing::Values(asyncrt_test::shape::current_thread,                   \
                        asyncrt_test::shape::one_worker,                       \
                        asyncrt_test::shape::two_workers),                     \
      asyncrt_test::shape_name{})

#endif
