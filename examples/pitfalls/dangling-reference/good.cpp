// The fix: await the task in the statement that makes the temporary (or
// keep the argument in a named variable, or take the parameter by value).
#include <asyncrt/asyncrt.hpp>

#include <cstdio>
#include <string>

namespace example {

asyncrt::task<std::size_t> count_words(const std::string &text) {
  co_await asyncrt::yield_now();
  std::size_t words = 0;
  bool in_word = false;
  for (char c : text) {
    words += !in_word && c != ' ';
    in_word = c != ' ';
  }
  co_return words;
}

asyncrt::task<std::size_t> handle(int request) {
  co_return co_await count_words("request " + std::to_string(request));
}

} // namespace example

int main() {
  asyncrt::runtime rt;
  std::size_t words = rt.block_on(example::handle(7));
  std::printf("dangling-reference (good): %zu words\n", words);
  return words == 2 ? 0 : 1;
}
