// A worker's run queue: a bounded lock-free FIFO ring that only its worker
// pushes to and pops from and that idle workers steal half of, and a LIFO
// slot for the task the running one just woke; and the global queue. Not a
// public API.
#ifndef ASYNCRT_DETAIL_RUN_QUEUE_HPP
#define ASYNCRT_DETAIL_RUN_QUEUE_HPP

#include <asyncrt/detail/scratch_array.hpp>
#include <asyncrt/detail/task_context.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace asyncrt::detail {

// A task ready to run: its frame and its context.
struct job {
  std::coroutine_handle<> handle;
  task_context *context = nullptr;
};

// The ring holds `capacity` jobs between two positions that only grow
// (modulo 2^32): `tail`, where the owner pushes, and `head`, where the owner
// pops and thieves steal. `head` packs two positions in one word: `real`,
// the first job not yet taken, and `steal`, the first job a thief may still
// be copying out. A thief claims a batch by moving `real` past it (one CAS),
// copies it, then moves `steal` up to `real` (another CAS); meanwhile the
// owner may pop behind the claim but never writes over [steal, real), since
// its room is counted from `steal`. One thief at a time: a second one sees
// steal != real and looks elsewhere.
//
// Memory order: the owner publishes a slot with the release store of
// `tail`, which a thief's acquire load pairs with before it reads the slot;
// a thief gives its slots back with the acq_rel CAS of `head` that the
// owner's acquire load of `head` pairs with before it writes there again.
// The owner's push is sequentially consistent, so that it and an idle
// worker about to park (parking.hpp) always see each other.
class local_queue {
public:
  static constexpr std::uint32_t capacity = 256;

  explicit local_queue(std::size_t index) : index_(index) {}
  local_queue(const local_queue &) = delete;
  local_queue &operator=(const local_queue &) = delete;

  std::size_t index() const noexcept { return index_; }

  /// Queues \p next at the back. When the ring is full, the older half of
  /// it and \p next go, in their order, to \p overflow (called with a
  /// pointer to the first job and a count: the global queue), as in tokio;
  /// when it is full only because a thief is copying out, \p next alone
  /// goes there. Owner thread only.
  template <class Overflow>
  void push_back(const job &next, Overflow &&overflow) {
    for (;;) {
      std::uint64_t head = head_.load(std::memory_order_acquire);
      std::uint32_t steal = steal_of(head), real = real_of(head);
      std::uint32_t tail = tail_.load(std::memory_order_relaxed);
      if (tail - steal < capacity) {
        slots_[tail & mask] = next;
        tail_.store(tail + 1, std::memory_order_seq_cst);
        return;
      }
      if (steal != real) {
        // A thief will free room soon; this one job is not worth waiting.
        overflow(&next, 1);
        return;
      }
      // Claim the older half as a thief would, all in one step: nobody
      // copies from it afterwards, so steal moves with real.
      constexpr std::uint32_t half = capacity / 2;
      if (!head_.compare_exchange_strong(head, pack(real + half, real + half),
                                         std::memory_order_acq_rel,
                                         std::memory_order_acquire))
        continue; // a thief took some: there is room now
      scratch_array<job, half + 1> batch;
      for (std::uint32_t i = 0; i < half; ++i)
        batch.put(i, slots_[(real + i) & mask]);
      batch.put(half, next);
      overflow(batch.data(), batch.size());
      return;
    }
  }

  /// Takes the job at the front. Owner thread only.
  bool pop_front(job &out) {
    std::uint64_t head = head_.load(std::memory_order_acquire);
    for (;;) {
      std::uint32_t steal = steal_of(head), real = real_of(head);
      if (real == tail_.load(std::memory_order_relaxed))
        return false;
      // While a thief copies, only real moves; otherwise both do.
      std::uint64_t next =
          steal == real ? pack(real + 1, real + 1) : pack(steal, real + 1);
      if (head_.compare_exchange_weak(head, next, std::memory_order_acq_rel,
                                      std::memory_order_acquire)) {
        out = slots_[real & mask];
        return true;
      }
    }
  }

  /// Whether no job is queued (the LIFO slot aside). Thread-safe; from
  /// another thread, a snapshot, sequentially consistent with a push.
  bool empty() const noexcept {
    std::uint64_t head = head_.load(std::memory_order_seq_cst);
    return real_of(head) == tail_.load(std::memory_order_seq_cst);
  }

  /// Jobs queued (the LIFO slot aside). Thread-safe, a snapshot.
  std::uint32_t size() const noexcept {
    std::uint64_t head = head_.load(std::memory_order_acquire);
    return tail_.load(std::memory_order_acquire) - real_of(head);
  }

  /// Moves the older half (rounded up) of this queue to \p thief, whose
  /// owner must be the calling thread: the oldest job taken into \p out,
  /// the rest to the back of the thief's ring in their order. False if
  /// there was nothing, another thief was at work, or the thief's ring is
  /// more than half full. Thread-safe.
  bool steal_half_into(local_queue &thief, job &out) {
    std::uint32_t thief_tail = thief.tail_.load(std::memory_order_relaxed);
    std::uint32_t thief_steal =
        steal_of(thief.head_.load(std::memory_order_acquire));
    if (thief_tail - thief_steal > capacity / 2)
      return false;
    std::uint64_t head = head_.load(std::memory_order_acquire);
    std::uint32_t first, count;
    for (;;) {
      std::uint32_t steal = steal_of(head), real = real_of(head);
      if (steal != real)
        return false;
      std::uint32_t queued = tail_.load(std::memory_order_acquire) - real;
      count = queued - queued / 2;
      if (count == 0)
        return false;
      if (head_.compare_exchange_weak(head, pack(steal, real + count),
                                      std::memory_order_acq_rel,
                                      std::memory_order_acquire)) {
        first = real;
        head = pack(steal, real + count);
        break;
      }
    }
    out = slots_[first & mask];
    for (std::uint32_t i = 1; i < count; ++i)
      thief.slots_[(thief_tail + i - 1) & mask] = slots_[(first + i) & mask];
    // Give the copied slots back; the owner may have popped meanwhile.
    while (!head_.compare_exchange_weak(
        head, pack(real_of(head), real_of(head)), std::memory_order_acq_rel,
        std::memory_order_acquire)) {
    }
    if (count > 1)
      thief.tail_.store(thief_tail + count - 1, std::memory_order_seq_cst);
    return true;
  }

  /// Drops everything (shutdown, once no thread runs tasks).
  void clear() noexcept {
    head_.store(pack(0, 0), std::memory_order_relaxed);
    tail_.store(0, std::memory_order_relaxed);
    lifo = {};
    lifo_streak = 0;
  }

  /// The LIFO slot's task, unless it has run max_lifo_streak times in a
  /// row: then it is moved to the back of the queue (through \p overflow
  /// as push_back) and \p moved says so. Owner thread only.
  template <class Overflow>
  bool pop_lifo(job &out, bool &moved, Overflow &&overflow) {
    moved = false;
    if (lifo.handle) {
      job next = std::exchange(lifo, job{});
      if (lifo_streak++ < max_lifo_streak) {
        out = next;
        return true;
      }
      push_back(next, overflow);
      moved = true;
    }
    lifo_streak = 0;
    return false;
  }

  // Two tasks that wake each other could hold the LIFO slot for ever; after
  // this many turns in a row the slot's task goes to the back of the queue.
  static constexpr std::uint32_t max_lifo_streak = 3;

  /// Owner thread only: never stolen, so a woken task runs on the worker
  /// that woke it (while what the waker touched is still in its cache).
  job lifo{};
  /// Owner thread only: turns run, for the event interval.
  std::uint32_t tick = 0;

private:
  static constexpr std::uint32_t mask = capacity - 1;
  static_assert((capacity & mask) == 0, "capacity must be a power of two");

  static std::uint64_t pack(std::uint32_t steal, std::uint32_t real) noexcept {
    return (std::uint64_t{steal} << 32) | real;
  }
  static std::uint32_t steal_of(std::uint64_t head) noexcept {
    return static_cast<std::uint32_t>(head >> 32);
  }
  static std::uint32_t real_of(std::uint64_t head) noexcept {
    return static_cast<std::uint32_t>(head);
  }

  std::size_t index_;
  // Apart, so that thieves polling head do not slow the owner's pushes.
  alignas(64) std::atomic<std::uint64_t> head_{0};
  alignas(64) std::atomic<std::uint32_t> tail_{0};
  std::array<job, capacity> slots_{};
  std::uint32_t lifo_streak = 0;
};

// The global queue: jobs woken or spawned from outside the workers, and the
// halves of full rings. Its owner's lock guards it (the scheduler's global
// lock, which parking shares); its size is also kept in an atomic, which a
// worker reads without the lock to skip the lock when there is nothing.
class global_queue {
public:
  /// Appends \p count jobs from \p first, in their order. Under the lock.
  void push(const job *first, std::size_t count) {
    if (size_ + count > slots_.size())
      grow(size_ + count);
    for (std::size_t i = 0; i < count; ++i)
      slots_[(head_ + size_ + i) & mask()] = first[i];
    size_ += count;
    publish_size();
  }
  /// Takes the front job into \p out. Under the lock; not empty.
  void pop_front(job &out) { pop_front_into(&out, 1); }
  /// Moves the \p count front jobs to \p batch, which may be raw storage
  /// (a scratch_array). Under the lock.
  void pop_front_into(job *batch, std::size_t count) {
    for (std::size_t i = 0; i < count; ++i)
      ::new (static_cast<void *>(batch + i)) job(slots_[(head_ + i) & mask()]);
    head_ = (head_ + count) & mask();
    size_ -= count;
    publish_size();
  }
  /// Under the lock.
  bool empty() const noexcept { return size_ == 0; }
  std::size_t size() const noexcept { return size_; }
  /// Jobs the ring holds before it grows (tests).
  std::size_t capacity() const noexcept { return slots_.size(); }
  void clear() noexcept {
    head_ = 0;
    size_ = 0;
    publish_size();
  }
  /// Without the lock: a snapshot that may be stale (a caller that finds 0
  /// must look again under the lock before it parks).
  std::size_t unlocked_size() const noexcept {
    return published_size_.load(std::memory_order_relaxed);
  }

private:
  void publish_size() noexcept {
    published_size_.store(size_, std::memory_order_relaxed);
  }

  // Doubles the ring until \p needed jobs fit, the jobs in order from
  // index 0. It never shrinks: a queue that empties and fills again, as it
  // does for every spawn from outside the runtime, allocates nothing.
  [[gnu::noinline]] void grow(std::size_t needed) {
    std::size_t capacity = slots_.empty() ? 64 : slots_.size();
    while (capacity < needed)
      capacity *= 2;
    std::vector<job> larger(capacity);
    for (std::size_t i = 0; i < size_; ++i)
      larger[i] = slots_[(head_ + i) & mask()];
    slots_.swap(larger);
    head_ = 0;
  }

  // Not empty once a job has been pushed.
  std::size_t mask() const noexcept { return slots_.size() - 1; }

  std::vector<job> slots_; // a power of two long, or empty
  std::size_t head_ = 0;   // index of the front job
  std::size_t size_ = 0;
  std::atomic<std::size_t> published_size_{0};
};

} // namespace asyncrt::detail

#endif // ASYNCRT_DETAIL_RUN_QUEUE_HPP
