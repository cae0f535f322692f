#include "acme.h"

namespace acme {
template <class T> struct job<T>::promise_type {
  job get_return_object() { return {}; }
  std::suspend_always initial_suspend() noexcept { return {}; }
  std::suspend_always final_suspend() noexcept { return {}; }
  void return_value(T) {}
  void unhandled_exception() {}
};
template <> struct job<void>::promise_type {
  job get_return_object() { return {}; }
  std::suspend_always initial_suspend() noexcept { return {}; }
  std::suspend_always final_suspend() noexcept { return {}; }
  void return_void() {}
  void unhandled_exception() {}
};
} // namespace acme

acme::job<int> fetch(int key);
acme::job<void> handle(int item);

acme::job<void> naps() {
  acme::nap(5);
  co_return;
}

acme::job<void> drives(acme::runtime &rt) {
  rt.drive();
  co_return;
}

acme::job<void> launches(acme::runtime &rt, const std::vector<int> &items) {
  for (int item : items)
    rt.launch(handle(item));
  co_return;
}

acme::job<void> launches_gated(acme::runtime &rt, acme::gate &g,
                               const std::vector<int> &items) {
  for (int item : items) {
    co_await g.enter();
    rt.launch(handle(item));
  }
}

acme::job<void> drops() {
  fetch(1);
  co_return;
}
