// Debug aids: where the runtime's diagnostics go, and whether they are on.
//
// With ASYNCRT_DEBUG set to 1 (the default when NDEBUG is not defined) the
// runtime reports
//  - a task destroyed without ever being started: it never ran, the runtime
//    twin of corolint's async-unawaited-task. The report names the coroutine
//    that made the task (a coroutine cannot see its caller's location: the
//    call site is what async-unawaited-task points at);
//  - a task that held a worker for longer than
//    runtime_options::long_poll_threshold without suspending, with the place
//    it was spawned.
// Reports go to the runtime's runtime_options::diagnostics callback when the
// event happens on one of its threads, and to stderr otherwise.
//
// Thread safety: the sink is per thread (set while a runtime thread runs);
// reporting from several threads at once is safe.
#ifndef ASYNCRT_DEBUG_HPP
#define ASYNCRT_DEBUG_HPP

#ifndef ASYNCRT_DEBUG
#ifdef NDEBUG
#define ASYNCRT_DEBUG 0
#else
#define ASYNCRT_DEBUG 1
#endif
#endif

#include <cstdio>
#include <functional>
#include <source_location>
#include <string>
#include <string_view>

namespace asyncrt::detail {

using diagnostics_sink = std::function<void(std::string_view)>;

inline const diagnostics_sink *&current_sink() noexcept {
  thread_local const diagnostics_sink *sink = nullptr;
  return sink;
}

inline void report(std::string_view message) {
  const diagnostics_sink *sink = current_sink();
  if (sink && *sink) {
    (*sink)(message);
    return;
  }
  std::fprintf(stderr, "%.*s\n", static_cast<int>(message.size()),
               message.data());
}

inline std::string describe(const std::source_location &where) {
  return std::string(where.file_name()) + ":" + std::to_string(where.line()) +
         " (" + where.function_name() + ")";
}

} // namespace asyncrt::detail

#endif // ASYNCRT_DEBUG_HPP
