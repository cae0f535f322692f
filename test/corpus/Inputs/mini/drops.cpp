// A one-file corpus for run-corpus-manifest.test.
#include <coroutine>

struct job {
  struct promise_type {
    job get_return_object() { return {}; }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
};

job work();
void caller() { work(); }
