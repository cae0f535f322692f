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
public:
  /// Readers at once, by default; a writer takes all of them.
  static constexpr std::size_t default_max_readers = std::size_t{1} << 30;

  /// Shared access until destroyed (or unlock()).
  class ASYNCRT_SUSPEND_SAFE_GUARD read_guard : public detail::permit_guard {
    using permit_guard::permit_guard;
    friend class rwlock;
    friend class detail::guard_awaiter<read_guard>;
  };
  /// Exclusive access until destroyed (or unlock()).
  class ASYNCRT_SUSPEND_SAFE_GUARD write_guard : public detail::permit_guard {
    using permit_guard::permit_guard;
    friend class rwlock;
    friend class detail::guard_awaiter<write_guard>;
  };

  template <class Guard> using lock_awaiter = detail::guard_awaiter<Guard>;

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
