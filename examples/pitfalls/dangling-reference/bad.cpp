// Pitfall: a lazy task that keeps a reference to a temporary. The task is
// created in one statement and awaited in the next; the std::string the
// parameter refers to was destroyed in between.
// corolint: async-dangling-reference
#include <asyncrt/asyncrt.hpp>

#include <string>

namespace example {

asyncrt::task<std::size_t> count_words(const std::string &text) {
  co_await asyncrt::yield_now();
  std::size_t words = 0;
  bool in_word = false;
  for (char c : text) { // reads freed memory
    words += !in_word && c != ' ';
    in_word = c != ' ';
  }
  co_return words;
}

asyncrt::task<std::size_t> handle(int request) {
  auto pending = count_words("request " + std::to_string(request));
  co_return co_await pending;
}

} // namespace example
