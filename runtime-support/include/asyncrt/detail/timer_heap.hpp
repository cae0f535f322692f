// The runtime's timers: a min-heap of deadlines, each entry pointing to the
// task to wake. Not a public API.
#ifndef ASYNCRT_DETAIL_TIMER_HEAP_HPP
#define ASYNCRT_DETAIL_TIMER_HEAP_HPP

#include <asyncrt/detail/task_context.hpp>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <utility>
#include <vector>

namespace asyncrt::detail {

// One sleeping task. \p fired is set once, by whichever of the deadline and
// a cancellation comes first (guarded by the lock that guards the heap).
struct timer_entry {
  waiter parked;
  bool fired = false;
};

// Not thread-safe: the scheduler calls it under its global lock, except
// next_deadline(), which a worker reads without the lock to decide whether
// taking it is worth it.
class timer_heap {
public:
  /// Adds a timer for \p w at \p when; \p earliest tells whether it is now
  /// the first to expire (a parked worker must recompute its wait).
  std::shared_ptr<timer_entry> add(clock::time_point when, const waiter &w,
                                   bool &earliest) {
    auto entry = std::make_shared<timer_entry>(timer_entry{w});
    earliest = heap_.empty() || when < heap_.front().when;
    heap_.push_back({when, next_sequence_++, entry});
    std::push_heap(heap_.begin(), heap_.end(), std::greater<>());
    update_next_deadline();
    return entry;
  }

  /// Takes \p entry back if it has not fired; true if the caller must wake
  /// its waiter.
  bool cancel(timer_entry &entry) {
    if (std::exchange(entry.fired, true))
      return false;
    // A cancelled timer stays in the heap until its deadline; a loop that
    // times out short operations against a long timer would grow the heap
    // without bound, so it is rebuilt once most of it is dead.
    if (++cancelled_ > compact_after && 2 * cancelled_ > heap_.size())
      compact();
    return true;
  }

  /// Moves the waiters of every timer due at \p reached into \p due.
  void collect_due(clock::time_point reached, wake_list &due) {
    while (!heap_.empty() && heap_.front().when <= reached) {
      std::pop_heap(heap_.begin(), heap_.end(), std::greater<>());
      std::shared_ptr<timer_entry> entry = std::move(heap_.back().entry);
      heap_.pop_back();
      if (!std::exchange(entry->fired, true))
        due.push_back(entry->parked);
      else
        --cancelled_;
    }
    update_next_deadline();
  }

  bool empty() const noexcept { return heap_.empty(); }
  /// Entries, cancelled ones not yet dropped included.
  std::size_t size() const noexcept { return heap_.size(); }
  /// The first deadline; the heap must not be empty.
  clock::time_point earliest() const { return heap_.front().when; }
  /// The first deadline, or clock::time_point::max() if none. Lock-free.
  clock::time_point next_deadline() const noexcept {
    return clock::time_point(clock::duration(next_deadline_.load()));
  }
  void clear() {
    heap_.clear();
    cancelled_ = 0;
    update_next_deadline();
  }

  // The heap is rebuilt without its cancelled entries once there are more
  // of them than this and they are most of it: rarely enough that the
  // O(n) rebuild is paid for by the cancellations it clears, often enough
  // that a loop timing out short operations against long timers keeps the
  // heap (and its memory) bounded.
  static constexpr std::size_t compact_after = 1024;

private:
  struct timer {
    clock::time_point when;
    std::uint64_t sequence; // FIFO among equal deadlines
    std::shared_ptr<timer_entry> entry;
    bool operator>(const timer &other) const {
      return when != other.when ? when > other.when : sequence > other.sequence;
    }
  };

  void compact() {
    std::erase_if(heap_, [](const timer &t) { return t.entry->fired; });
    std::make_heap(heap_.begin(), heap_.end(), std::greater<>());
    cancelled_ = 0;
    update_next_deadline();
  }
  void update_next_deadline() {
    next_deadline_.store(
        heap_.empty() ? clock::time_point::max().time_since_epoch().count()
                      : heap_.front().when.time_since_epoch().count());
  }

  std::vector<timer> heap_;   // a min-heap on (when, sequence)
  std::size_t cancelled_ = 0; // entries already cancelled
  std::uint64_t next_sequence_ = 0;
  std::atomic<clock::rep> next_deadline_{
      clock::time_point::max().time_since_epoch().count()};
};

} // namespace asyncrt::detail

#endif // ASYNCRT_DETAIL_TIMER_HEAP_HPP
