#include "task.h"
task<int> bad() {
  fetch(1);
  co_return 0;
}
void also_bad() { auto t = fetch(2); }
