// Crashes clang 19's front end (segmentation fault while it formats the
// -Winvalid-noreturn warning of a [[noreturn]] coroutine).
#include <coroutine>

struct lazy {
  struct promise_type {
    lazy get_return_object() { return {}; }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
};

[[noreturn]] lazy never_returns() { co_await std::suspend_always{}; }
