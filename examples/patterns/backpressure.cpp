// Backpressure three ways; each keeps at most 8 requests in flight however
// long the input is.
//  1. buffer_unordered(8) over a stream of requests;
//  2. chunks(4) | for_each_concurrent(2, f): two batches at a time, the
//     items of a batch one after the other;
//  3. a bounded channel: the producer waits while the consumer is behind.
#include <asyncrt/asyncrt.hpp>
#include <asyncrt/testing.hpp>

#include <atomic>
#include <cstdio>
#include <ranges>
#include <vector>

namespace example {

struct backend {
  std::atomic<int> in_flight = 0, peak = 0;
  asyncrt::task<int> call(int v) {
    int now = ++in_flight;
    int seen = peak;
    while (now > seen && !peak.compare_exchange_weak(seen, now)) {
    }
    co_await asyncrt::sleep(std::chrono::milliseconds(5));
    --in_flight;
    co_return v;
  }
};

asyncrt::task<long> with_buffer_unordered(backend &b) {
  co_return co_await (
      asyncrt::iter(std::views::iota(0, 500)) |
      asyncrt::map([&b](int v) { return b.call(v); }) |
      asyncrt::buffer_unordered(8) |
      asyncrt::fold(0L, [](long acc, int v) { return acc + v; }));
}

asyncrt::task<void> with_chunks(backend &b) {
  co_await (asyncrt::iter(std::views::iota(0, 500)) | asyncrt::chunks(4) |
            asyncrt::for_each_concurrent(
                2, [&b](std::vector<int> batch) -> asyncrt::task<void> {
                  for (int v : batch)
                    co_await b.call(v);
                }));
}

asyncrt::task<long> with_channel(backend &b) {
  auto [tx, rx] = asyncrt::mpsc::channel<int>(8);
  auto producer =
      asyncrt::spawn([](asyncrt::mpsc::sender<int> out) -> asyncrt::task<void> {
        for (int v = 0; v < 500; ++v)
          co_await out.send(v); // waits while 8 are queued
      }(std::move(tx)));
  long total =
      co_await (asyncrt::from_receiver(std::move(rx)) |
                asyncrt::map([&b](int v) { return b.call(v); }) |
                asyncrt::buffer_unordered(8) |
                asyncrt::fold(0L, [](long acc, int v) { return acc + v; }));
  co_await std::move(producer);
  co_return total;
}

asyncrt::task<bool> run() {
  asyncrt::testing::pause_time();
  backend a, b, c;
  long sum1 = co_await with_buffer_unordered(a);
  co_await with_chunks(b);
  long sum3 = co_await with_channel(c);
  std::printf("backpressure: peaks %d, %d, %d\n", a.peak.load(), b.peak.load(),
              c.peak.load());
  co_return sum1 == 124'750 && sum3 == 124'750 && a.peak <= 8 && b.peak <= 2 &&
      c.peak <= 8;
}

} // namespace example

int main() {
  asyncrt::runtime rt;
  bool ok = rt.block_on(example::run());
  std::printf("backpressure: %s\n", ok ? "ok" : "FAILED");
  return ok ? 0 : 1;
}
