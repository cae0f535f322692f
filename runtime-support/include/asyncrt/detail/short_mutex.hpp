// A mutex for critical sections of a few dozen instructions (a channel's
// queue, a semaphore's waiters). Not a public API.
#ifndef ASYNCRT_DETAIL_SHORT_MUTEX_HPP
#define ASYNCRT_DETAIL_SHORT_MUTEX_HPP

#include <atomic>
#include <cstdint>

namespace asyncrt::detail {

// A spin-wait hint: lets the core's other hardware thread run and saves
// power, without giving the core away as a yield does.
inline void cpu_relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

// A task and the one it wakes often run on two workers and take the same
// lock for a few instructions each. std::mutex then sends the loser to the
// kernel at once, and the holder, at unlock, to the kernel again to wake it,
// though the lock would have been free a few hundred cycles later. This one
// spins that long first (as glibc's adaptive mutex and parking_lot do) and
// only then sleeps on the word (a futex through std::atomic::wait).
//
// The word: 0 free, 1 held, 2 held and someone may sleep on it; a sleeper
// sets 2 as it takes the lock, so an unlock that finds 2 wakes one (the
// three-state futex mutex). Meets Lockable, so std::lock_guard takes it.
// Not recursive; unlock only by the holder. Acquire and release order, as
// std::mutex.
class short_mutex {
public:
  short_mutex() = default;
  short_mutex(const short_mutex &) = delete;
  short_mutex &operator=(const short_mutex &) = delete;

  bool try_lock() noexcept {
    std::uint32_t free = 0;
    return word_.compare_exchange_strong(free, 1, std::memory_order_acquire,
                                         std::memory_order_relaxed);
  }

  void lock() noexcept {
    if (try_lock())
      return;
    for (int spin = 0; spin < spin_limit; ++spin) {
      cpu_relax();
      if (word_.load(std::memory_order_relaxed) == 0 && try_lock())
        return;
    }
    while (word_.exchange(2, std::memory_order_acquire) != 0)
      word_.wait(2, std::memory_order_relaxed);
  }

  void unlock() noexcept {
    if (word_.exchange(0, std::memory_order_release) == 2)
      word_.notify_one();
  }

private:
  // About a microsecond: longer than the sections this guards, shorter than
  // a futex wait and wake-up.
  static constexpr int spin_limit = 100;

  std::atomic<std::uint32_t> word_{0};
};

} // namespace asyncrt::detail

#endif // ASYNCRT_DETAIL_SHORT_MUTEX_HPP
