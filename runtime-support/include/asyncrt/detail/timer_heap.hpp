// The runtime's timers: a min-heap of deadlines, each entry pointing to the
// task to wake, each entry kept by the sleep that armed it. Not a public API.
#ifndef ASYNCRT_DETAIL_TIMER_HEAP_HPP
#define ASYNCRT_DETAIL_TIMER_HEAP_HPP

#include <asyncrt/detail/task_context.hpp>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace asyncrt::detail {

// One sleeping task, kept where its sleep is awaited (in the sleeping
// coroutine's frame), so that a sleep allocates nothing; the heap holds a
// pointer to it while it is armed. Every field is guarded by the lock that
// guards the heap.
struct timer_entry {
  waiter parked;
  clock::time_point when{};
  std::uint64_t sequence = 0; // FIFO among equal deadlines
  std::size_t index = 0;      // its place in the heap while armed
  /// Set once, by whichever of the deadline and a cancellation comes first.
  bool fired = false;
  /// The heap deletes it once it has fired (resume_at's, whose awaiter
  /// keeps nothing).
  bool owned_by_heap = false;

  bool before(const timer_entry &other) const noexcept {
    return when != other.when ? when < other.when : sequence < other.sequence;
  }
};

// A binary min-heap of armed entries on (when, sequence); each entry knows
// its place, so a cancelled timer leaves the heap at once, in O(log n), and
// a loop that times out short operations against a long timer keeps the
// heap as small as the timers really pending.
// Not thread-safe: the scheduler calls it under its timers lock, except
// next_deadline(), which a worker reads without the lock to decide whether
// taking it is worth it.
class timer_heap {
public:
  timer_heap() = default;
  timer_heap(const timer_heap &) = delete;
  timer_heap &operator=(const timer_heap &) = delete;
  ~timer_heap() { clear(); }

  /// Arms \p entry for \p w at \p when; \p earliest tells whether it is
  /// now the first to expire (a parked worker must recompute its wait).
  void add(timer_entry &entry, clock::time_point when, const waiter &w,
           bool &earliest) {
    entry.parked = w;
    entry.when = when;
    entry.sequence = next_sequence_++;
    entry.fired = false;
    earliest = heap_.empty() || when < heap_.front()->when;
    entry.index = heap_.size();
    heap_.push_back(&entry);
    sift_up(entry.index);
    update_next_deadline();
  }

  /// Takes \p entry back if it has not fired; true if the caller must wake
  /// its waiter.
  bool cancel(timer_entry &entry) {
    if (std::exchange(entry.fired, true))
      return false;
    remove_at(entry.index);
    update_next_deadline();
    return true;
  }

  /// Moves the waiters of every timer due at \p reached into \p due.
  void collect_due(clock::time_point reached, wake_list &due) {
    while (!heap_.empty() && heap_.front()->when <= reached) {
      timer_entry *entry = heap_.front();
      remove_at(0);
      entry->fired = true;
      due.push_back(entry->parked);
      if (entry->owned_by_heap)
        delete entry;
    }
    update_next_deadline();
  }

  bool empty() const noexcept { return heap_.empty(); }
  /// Armed timers.
  std::size_t size() const noexcept { return heap_.size(); }
  /// The first deadline; the heap must not be empty.
  clock::time_point earliest() const { return heap_.front()->when; }
  /// The first deadline, or clock::time_point::max() if none. Lock-free.
  clock::time_point next_deadline() const noexcept {
    return clock::time_point(clock::duration(next_deadline_.load()));
  }
  /// Disarms every timer without waking anyone (shutdown, once the frames
  /// are gone): a sleep destroyed later finds it fired and does nothing.
  void clear() {
    for (timer_entry *entry : heap_) {
      entry->fired = true;
      if (entry->owned_by_heap)
        delete entry;
    }
    heap_.clear();
    update_next_deadline();
  }

private:
  void place(std::size_t index, timer_entry *entry) noexcept {
    heap_[index] = entry;
    entry->index = index;
  }
  void sift_up(std::size_t index) noexcept {
    timer_entry *entry = heap_[index];
    while (index > 0) {
      std::size_t parent = (index - 1) / 2;
      if (!entry->before(*heap_[parent]))
        break;
      place(index, heap_[parent]);
      index = parent;
    }
    place(index, entry);
  }
  void sift_down(std::size_t index) noexcept {
    timer_entry *entry = heap_[index];
    std::size_t size = heap_.size();
    for (;;) {
      std::size_t child = 2 * index + 1;
      if (child >= size)
        break;
      if (child + 1 < size && heap_[child + 1]->before(*heap_[child]))
        ++child;
      if (!heap_[child]->before(*entry))
        break;
      place(index, heap_[child]);
      index = child;
    }
    place(index, entry);
  }
  // The last entry takes the removed one's place and moves up or down.
  void remove_at(std::size_t index) noexcept {
    timer_entry *last = heap_.back();
    heap_.pop_back();
    if (index == heap_.size())
      return;
    place(index, last);
    if (index > 0 && last->before(*heap_[(index - 1) / 2]))
      sift_up(index);
    else
      sift_down(index);
  }
  void update_next_deadline() {
    next_deadline_.store(
        heap_.empty() ? clock::time_point::max().time_since_epoch().count()
                      : heap_.front()->when.time_since_epoch().count());
  }

  std::vector<timer_entry *> heap_;
  std::uint64_t next_sequence_ = 0;
  std::atomic<clock::rep> next_deadline_{
      clock::time_point::max().time_since_epoch().count()};
};

} // namespace asyncrt::detail

#endif // ASYNCRT_DETAIL_TIMER_HEAP_HPP
