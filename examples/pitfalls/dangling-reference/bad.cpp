// Pitfall: a request handler spawned with a std::string_view into the
// connection's read buffer. The server reads the next request into the same
// buffer while the handler spawned for the previous one may not have run
// yet: the handler reads whatever the buffer holds by then (and, once the
// server returns, freed memory).
// corolint: async-dangling-reference
#include <asyncrt/asyncrt.hpp>

#include <atomic>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace example {

asyncrt::task<void> handle_request(std::string_view request,
                                   std::atomic<std::size_t> &bytes) {
  co_await asyncrt::yield_now(); // parsing, a lookup: the handler suspends
  bytes += request.size();       // the buffer may hold another request now
}

asyncrt::task<std::size_t>
serve(asyncrt::mpsc::receiver<std::string> incoming) {
  std::atomic<std::size_t> bytes{0};
  co_await asyncrt::with_task_group(
      4, [&](asyncrt::bounded_task_group &handlers) -> asyncrt::task<void> {
        std::string buffer; // the connection's read buffer, reused
        while (std::optional<std::string> read = co_await incoming.recv()) {
          buffer.assign(*read);
          co_await handlers.spawn(handle_request(buffer, bytes));
        }
        co_await handlers.join_all();
      });
  co_return bytes.load();
}

} // namespace example
