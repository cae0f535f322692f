#include <asyncrt/asyncrt.hpp>
asyncrt::task<int> answer() { co_return 42; }
int main() {
  auto frame = answer().release();
  frame.resume();
  int value = frame.promise().take();
  frame.destroy();
  return value == 42 ? 0 : 1;
}
