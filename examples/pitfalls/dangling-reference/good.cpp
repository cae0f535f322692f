// The fix: the handler owns its request (a std::string taken by value,
// moved in), so the server may read the next request at once.
#include <asyncrt/asyncrt.hpp>

#include <atomic>
#include <cstddef>
#include <cstdio>
#include <optional>
#include <string>
#include <utility>

namespace example {

asyncrt::task<void> handle_request(std::string request,
                                   std::atomic<std::size_t> &bytes) {
  co_await asyncrt::yield_now();
  bytes += request.size();
}

asyncrt::task<std::size_t>
serve(asyncrt::mpsc::receiver<std::string> incoming) {
  std::atomic<std::size_t> bytes{0};
  co_await asyncrt::with_task_group(
      4, [&](asyncrt::bounded_task_group &handlers) -> asyncrt::task<void> {
        while (std::optional<std::string> read = co_await incoming.recv())
          co_await handlers.spawn(handle_request(std::move(*read), bytes));
        co_await handlers.join_all();
      });
  co_return bytes.load();
}

asyncrt::task<std::size_t> run_server() {
  auto [requests, incoming] = asyncrt::mpsc::channel<std::string>(8);
  for (const char *request : {"GET /a", "GET /bb", "GET /ccc"})
    co_await requests.send(request);
  {
    auto closing = std::move(requests); // the client hangs up
  }
  co_return co_await serve(std::move(incoming));
}

} // namespace example

int main() {
  asyncrt::runtime rt;
  std::size_t bytes = rt.block_on(example::run_server());
  std::printf("dangling-reference (good): %zu bytes handled\n", bytes);
  return bytes == 6 + 7 + 8 ? 0 : 1;
}
