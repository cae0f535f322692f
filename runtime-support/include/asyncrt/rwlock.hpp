// asyncrt::rwlock: an async reader-writer lock whose guards may be held
// across co_await (tokio's RwLock).
//
//   asyncrt::rwlock lock;
//   {
//     auto reading = co_await lock.read();    // many readers at once
//     co_await send(snapshot(state));
//   }
//   {
//     auto writing = co_await lock.write();   // alone
//     co_await refresh(state);
//   }
//
// Fair, as tokio's: lockers are served in arrival order, so a waiting writer
// holds back the readers that come after it (no writer starves). Built as
// tokio's is: a semaphore of max_readers permits, one per reader, all of
// them for a writer.
//
// Thread safety: all members are thread-safe; a guard may be released on any
// thread. Cancellation: read() and write() are cancel-safe; a task cancelled
// while it waits leaves the queue without the lock (the lockers behind it
// may then go ahead) and its co_await throws asyncrt::cancelled.
#ifndef ASYNCRT_RWLOCK_HPP
#define ASYNCRT_RWLOCK_HPP

#include <asyncrt/annotations.hpp>
#include <asyncrt/semaphore.hpp>

#include <cstddef>
#include <optional>
#include <utility>

namespace asyncrt {

class rwlock {
  // Holds the permits of one locker until destroyed or unlock().
  template <bool Exclusive> class basic_guard {
  public:
    basic_guard(basic_guard &&) noexcept = default;
    basic_guard &operator=(basic_guard &&) noexcept = default;
    /// Releases the lock early.
    void unlock() noexcept { held_.reset(); }
    bool owns_lock() const noexcept { return held_.has_value(); }

  private:
    friend class rwlock;
    explicit basic_guard(semaphore::permit held) : held_(std::move(held)) {}
    std::optional<semaphore::permit> held_;
  };

public:
  /// Readers at once, by default; a writer takes all of them.
  static constexpr std::size_t default_max_readers = std::size_t{1} << 30;

  /// Shared access until destroyed (or unlock()).
  class ASYNCRT_SUSPEND_SAFE_GUARD read_guard : public basic_guard<false> {
    using basic_guard::basic_guard;
    friend class rwlock;
  };
  /// Exclusive access until destroyed (or unlock()).
  class ASYNCRT_SUSPEND_SAFE_GUARD write_guard : public basic_guard<true> {
    using basic_guard::basic_guard;
    friend class rwlock;
  };

  template <class Guard> class lock_awaiter {
  public:
    lock_awaiter(semaphore &s, std::size_t permits)
        : inner_(s.acquire(permits)) {}
    bool await_ready() { return inner_.await_ready(); }
    bool await_suspend(std::coroutine_handle<> h) {
      return inner_.await_suspend(h);
    }
    Guard await_resume() { return Guard(inner_.await_resume()); }

  private:
    semaphore::acquire_awaiter inner_;
  };

  explicit rwlock(std::size_t max_readers = default_max_readers)
      : max_readers_(max_readers == 0 ? 1 : max_readers),
        permits_(max_readers_) {}
  rwlock(const rwlock &) = delete;
  rwlock &operator=(const rwlock &) = delete;

  /// Waits for shared access: while a writer holds the lock or waits ahead,
  /// or max_readers readers hold it. Cancel-safe.
  ASYNCRT_CANCEL_SAFE lock_awaiter<read_guard> read() { return {permits_, 1}; }
  /// Waits for exclusive access: until every earlier locker is done.
  /// Cancel-safe.
  ASYNCRT_CANCEL_SAFE lock_awaiter<write_guard> write() {
    return {permits_, max_readers_};
  }

  /// Shared access now, if nobody writes or waits.
  std::optional<read_guard> try_read() {
    if (std::optional<semaphore::permit> p = permits_.try_acquire(1))
      return read_guard(std::move(*p));
    return std::nullopt;
  }
  /// Exclusive access now, if nobody holds the lock or waits.
  std::optional<write_guard> try_write() {
    if (std::optional<semaphore::permit> p = permits_.try_acquire(max_readers_))
      return write_guard(std::move(*p));
    return std::nullopt;
  }

private:
  std::size_t max_readers_;
  semaphore permits_;
};

} // namespace asyncrt

#endif // ASYNCRT_RWLOCK_HPP
