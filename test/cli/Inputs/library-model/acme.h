// A library corolint's tables do not know: its task type is only declared
// here, so nothing but the library file says what it is.
#pragma once
#include <coroutine>
#include <vector>

namespace acme {
template <class T> class job;
struct ready {
  bool await_ready() const noexcept { return true; }
  void await_suspend(std::coroutine_handle<>) const noexcept {}
  int await_resume() const noexcept { return 0; }
};
template <class T> class job {
public:
  struct promise_type;
  ready operator co_await() const noexcept { return {}; }
};
class runtime {
public:
  void launch(job<void> j);
  void drive();
};
class gate {
public:
  job<void> enter();
};
void nap(int ms);
template <class... Ts> job<int> first_of(Ts &&...jobs);
} // namespace acme
