#include "task.h"
task<int> good() { co_return co_await fetch(1); }
