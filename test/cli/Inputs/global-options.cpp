// A library operation type the classifier cannot recognise (no promise, no
// awaiter), named once for every check by global options.
#include "task.h"
namespace legacy {
struct op {
  int value;
};
op start(int);
} // namespace legacy
template <class... T> task<int> select_any(T...);

task<int> user() {
  legacy::start(1);
  co_return co_await select_any(legacy::start(2), fetch(3));
}
