// A per-thread cache of the small blocks the runtime allocates and frees at
// the rate of its operations: coroutine frames (every task, select, branch
// and spawned task) and join states. Not a public
// API.
//
// A block freed goes to a free list of its size class on the freeing
// thread, and the next allocation of that class on that thread takes it
// back: a spawn, a select or a sleep in a steady loop allocates nothing from
// the heap, where tokio's futures, stored inline, allocate nothing either.
// Each list keeps at most max_cached_per_class blocks, and a thread's lists
// are emptied when it exits; a block freed on a thread that has exited its
// cache goes straight back to the heap. Blocks come from ::operator new and
// go back with ::operator delete, so a block may be freed on any thread,
// cached or not.
//
// A thread that frees more than it allocates (the worker that runs tasks
// spawned from outside the runtime, or stolen from another worker) would
// otherwise send its surplus back to the heap while the thread that made
// the blocks takes new ones from it. Its surplus goes instead, in batches,
// to a depot shared by all threads, and a thread whose list of a class is
// empty takes a batch from there before it asks the heap (tcmalloc's
// transfer cache). One lock operation moves a whole batch.
//
// Off under AddressSanitizer and ThreadSanitizer (ASYNCRT_RECYCLE_BLOCKS=0),
// which learn of a block's end from free(): a recycled frame would hide a
// use after free from the one, and the other would take a mutex in a
// recycled frame for the one that was there before (and report the lock
// order of two unrelated selects as a potential deadlock). Define
// ASYNCRT_RECYCLE_BLOCKS=0 to turn it off elsewhere.
#ifndef ASYNCRT_DETAIL_BLOCK_CACHE_HPP
#define ASYNCRT_DETAIL_BLOCK_CACHE_HPP

#include <asyncrt/detail/short_mutex.hpp>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <new>
#include <type_traits>

#ifndef ASYNCRT_RECYCLE_BLOCKS
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define ASYNCRT_RECYCLE_BLOCKS 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define ASYNCRT_RECYCLE_BLOCKS 0
#endif
#endif
#endif
#ifndef ASYNCRT_RECYCLE_BLOCKS
#define ASYNCRT_RECYCLE_BLOCKS 1
#endif

namespace asyncrt::detail {

// The smallest class is 16 bytes, room for both links.
struct free_block {
  free_block *next;       // the next block of its list or batch
  free_block *next_batch; // in the depot: the batch below this one
};

// Gives a list of blocks linked through free_block::next back to the heap.
inline void delete_blocks(free_block *block) noexcept {
  while (block) {
    free_block *next = block->next;
    ::operator delete(block);
    block = next;
  }
}

/// Batches of free blocks of one size class, shared by all threads. A batch
/// is batch_blocks blocks linked through free_block::next. Thread-safe; one
/// short_mutex guards every class (a thread comes here once per batch).
/// Holds at most max_bytes; a batch given beyond that is refused.
class block_depot {
public:
  static constexpr std::size_t size_classes = 128;
  static constexpr std::uint32_t batch_blocks = 16;
  static constexpr std::size_t max_bytes = 1024 * 1024;

  /// Takes \p batch, batch_blocks blocks of \p block_bytes each, for class
  /// \p cls. False, and the caller keeps the batch, if the depot is full.
  bool give(std::size_t cls, free_block *batch,
            std::size_t block_bytes) noexcept {
    std::size_t bytes = batch_blocks * block_bytes;
    std::lock_guard<short_mutex> hold(mutex_);
    if (bytes_ + bytes > max_bytes)
      return false;
    bytes_ += bytes;
    batch->next_batch = top_[cls];
    top_[cls] = batch;
    batches_[cls].store(batches_[cls].load(std::memory_order_relaxed) + 1,
                        std::memory_order_relaxed);
    return true;
  }

  /// A batch of class \p cls (blocks of \p block_bytes), or nullptr. An
  /// empty class costs one relaxed load, no lock.
  free_block *take(std::size_t cls, std::size_t block_bytes) noexcept {
    if (batches_[cls].load(std::memory_order_relaxed) == 0)
      return nullptr;
    std::lock_guard<short_mutex> hold(mutex_);
    free_block *batch = top_[cls];
    if (!batch)
      return nullptr;
    top_[cls] = batch->next_batch;
    batches_[cls].store(batches_[cls].load(std::memory_order_relaxed) - 1,
                        std::memory_order_relaxed);
    bytes_ -= batch_blocks * block_bytes;
    return batch;
  }

  /// Bytes held (tests).
  std::size_t bytes() noexcept {
    std::lock_guard<short_mutex> hold(mutex_);
    return bytes_;
  }

  /// Gives every batch back to the heap (tests).
  void release() noexcept {
    std::lock_guard<short_mutex> hold(mutex_);
    for (std::size_t cls = 0; cls < size_classes; ++cls) {
      while (free_block *batch = top_[cls]) {
        top_[cls] = batch->next_batch;
        delete_blocks(batch);
      }
      batches_[cls].store(0, std::memory_order_relaxed);
    }
    bytes_ = 0;
  }

private:
  short_mutex mutex_;
  free_block *top_[size_classes] = {};
  // Batches per class, read without the lock to skip empty classes.
  std::atomic<std::uint32_t> batches_[size_classes] = {};
  std::size_t bytes_ = 0;
};

// Never destroyed: threads may free blocks into it until the process ends.
static_assert(std::is_trivially_destructible_v<block_depot>);
inline constinit block_depot shared_block_depot;

// One thread's free lists. Trivially destructible, so it stays usable for
// the whole life of the thread, after the thread_local objects with
// destructors are gone.
struct block_lists {
  static constexpr std::size_t size_classes = block_depot::size_classes;
  free_block *head[size_classes];
  std::uint32_t count[size_classes];
  std::size_t cached_bytes;
  bool armed;  // the closer is registered
  bool closed; // the thread is exiting: no more caching
  // Blocks freed beyond the lists' bounds, gathered into the next batch
  // for the depot. After the fields every allocation and free reads.
  free_block *spill[size_classes];
  std::uint32_t spill_count[size_classes];
  std::size_t spill_bytes;
  std::uint64_t heap_allocations; // requests the lists could not serve
};
inline thread_local block_lists this_thread_blocks{};

class block_cache {
public:
  /// Blocks are sized in multiples of this; a class holds one size. As
  /// fine as malloc's own, so that a block the cache does not keep is
  /// freed at the size malloc would have given it (coarser classes moved
  /// frames out of malloc's fast bins, and frees across threads slowed).
  static constexpr std::size_t granule = 16;
  /// Classes 1 .. size_classes granules (up to 2 KiB); larger blocks are
  /// not cached.
  static constexpr std::size_t size_classes = block_lists::size_classes;
  /// A thread keeps at most this many free blocks of one class, and at
  /// most max_cached_bytes in all.
  static constexpr std::uint32_t max_cached_per_class = 64;
  static constexpr std::size_t max_cached_bytes = 256 * 1024;
  /// Bytes a thread gathers beyond those bounds for the depot before it
  /// sends further blocks back to the heap.
  static constexpr std::size_t max_spill_bytes = 64 * 1024;

  /// A block of at least \p size bytes, aligned as ::operator new aligns.
  static void *allocate(std::size_t size) {
    std::size_t cls = class_of(size);
#if ASYNCRT_RECYCLE_BLOCKS
    block_lists &mine = this_thread_blocks;
    if (cls < size_classes)
      if (free_block *block = mine.head[cls]) {
        mine.head[cls] = block->next;
        --mine.count[cls];
        mine.cached_bytes -= (cls + 1) * granule;
        return block;
      }
#endif
    return allocate_uncached(size, cls);
  }

  /// Frees a block allocate(\p size) returned, on any thread.
  static void deallocate(void *block, std::size_t size) noexcept {
#if ASYNCRT_RECYCLE_BLOCKS
    std::size_t cls = class_of(size);
    block_lists &mine = this_thread_blocks;
    if (cls < size_classes && mine.armed && !mine.closed &&
        mine.count[cls] < max_cached_per_class &&
        mine.cached_bytes < max_cached_bytes) {
      // Written out, as in deallocate_uncached: through a shared helper,
      // clang 19 tested both bounds without a branch, 3 instructions more
      // on every free.
      mine.head[cls] = new (block) free_block{mine.head[cls], nullptr};
      ++mine.count[cls];
      mine.cached_bytes += (cls + 1) * granule;
      return;
    }
    deallocate_uncached(block, cls);
#else
    (void)size;
    ::operator delete(block);
#endif
  }

  /// Free blocks the calling thread holds (tests).
  static std::size_t cached_on_this_thread() noexcept {
    std::size_t total = 0;
    for (std::uint32_t count : this_thread_blocks.count)
      total += count;
    return total;
  }

  /// Bytes in the calling thread's free blocks (tests).
  static std::size_t cached_bytes_on_this_thread() noexcept {
    return this_thread_blocks.cached_bytes;
  }

  /// Requests on the calling thread that went to the heap (tests).
  static std::uint64_t heap_allocations_on_this_thread() noexcept {
    return this_thread_blocks.heap_allocations;
  }

  /// Blocks the calling thread has gathered for the depot (tests).
  static std::size_t spilled_on_this_thread() noexcept {
    std::size_t total = 0;
    for (std::uint32_t count : this_thread_blocks.spill_count)
      total += count;
    return total;
  }

  /// Gives the calling thread's free blocks, those gathered for the depot
  /// included, back to the heap; the cache goes on working. Runs at thread
  /// exit.
  static void release_this_thread() noexcept {
    block_lists &mine = this_thread_blocks;
    for (std::size_t cls = 0; cls < size_classes; ++cls) {
      delete_blocks(mine.head[cls]);
      mine.head[cls] = nullptr;
      mine.count[cls] = 0;
      delete_blocks(mine.spill[cls]);
      mine.spill[cls] = nullptr;
      mine.spill_count[cls] = 0;
    }
    mine.cached_bytes = 0;
    mine.spill_bytes = 0;
  }

private:
  static std::size_t class_of(std::size_t size) noexcept {
    return size == 0 ? 0 : (size - 1) / granule;
  }

  // The paths off the lists, out of line so that the two above stay small
  // enough to inline into every frame's allocation.

  // A request the class's list cannot serve: a batch from the depot, whose
  // other blocks become the (empty) list, or else the heap.
  [[gnu::noinline]] static void *allocate_uncached(std::size_t size,
                                                   std::size_t cls) {
    block_lists &mine = this_thread_blocks;
#if ASYNCRT_RECYCLE_BLOCKS
    if (cls < size_classes && !mine.closed)
      if (free_block *batch =
              shared_block_depot.take(cls, (cls + 1) * granule)) {
        if (!mine.armed)
          arm();
        mine.head[cls] = batch->next;
        mine.count[cls] = block_depot::batch_blocks - 1;
        mine.cached_bytes +=
            (block_depot::batch_blocks - 1) * (cls + 1) * granule;
        return batch;
      }
#endif
    ++mine.heap_allocations;
    if (cls >= size_classes)
      return ::operator new(size);
    // The whole class's size, so that any block of the class may serve any
    // request of it, whichever way a translation unit was built.
    return ::operator new((cls + 1) * granule);
  }

  // A free the class's list does not take at once: the thread's first
  // (which registers the closer), one beyond the lists' bounds, or one
  // after the thread has begun to exit.
  [[gnu::noinline]] static void deallocate_uncached(void *block,
                                                    std::size_t cls) noexcept {
    block_lists &mine = this_thread_blocks;
    if (cls >= size_classes || mine.closed) {
      ::operator delete(block);
      return;
    }
    if (!mine.armed)
      arm();
    if (mine.count[cls] < max_cached_per_class &&
        mine.cached_bytes < max_cached_bytes) {
      mine.head[cls] = new (block) free_block{mine.head[cls], nullptr};
      ++mine.count[cls];
      mine.cached_bytes += (cls + 1) * granule;
      return;
    }
    if (mine.spill_bytes < max_spill_bytes) {
      spill(mine, cls, block);
      return;
    }
    ::operator delete(block);
  }

  // Adds a block the lists have no room for to the class's next batch, and
  // hands the batch to the depot once it is whole (or to the heap, if the
  // depot is full).
  static void spill(block_lists &mine, std::size_t cls, void *block) noexcept {
    std::size_t block_bytes = (cls + 1) * granule;
    mine.spill[cls] = new (block) free_block{mine.spill[cls], nullptr};
    mine.spill_bytes += block_bytes;
    if (++mine.spill_count[cls] < block_depot::batch_blocks)
      return;
    free_block *batch = mine.spill[cls];
    mine.spill[cls] = nullptr;
    mine.spill_count[cls] = 0;
    mine.spill_bytes -= block_depot::batch_blocks * block_bytes;
    if (!shared_block_depot.give(cls, batch, block_bytes))
      delete_blocks(batch);
  }
  // Registers the closer (the first use of a thread_local with a destructor
  // does) on the thread's first cached block, not on every allocation.
  static void arm() noexcept;
};

// Empties the thread's lists when the thread exits. Constructed on a
// thread's first cached block (arm()), which registers its destructor.
struct block_lists_closer {
  ~block_lists_closer() {
    this_thread_blocks.closed = true;
    block_cache::release_this_thread();
  }
};
inline thread_local block_lists_closer this_thread_blocks_closer;

inline void block_cache::arm() noexcept {
  // Naming the thread_local constructs it on this thread.
  static_cast<void>(&this_thread_blocks_closer);
  this_thread_blocks.armed = true;
}

/// A standard allocator over block_cache, for allocate_shared.
template <class T> struct cached_allocator {
  static_assert(alignof(T) <= __STDCPP_DEFAULT_NEW_ALIGNMENT__,
                "block_cache blocks are aligned as ::operator new aligns");
  using value_type = T;
  cached_allocator() noexcept = default;
  template <class U>
  cached_allocator(const cached_allocator<U> &) noexcept {} // NOLINT
  T *allocate(std::size_t n) {
    return static_cast<T *>(block_cache::allocate(n * sizeof(T)));
  }
  void deallocate(T *p, std::size_t n) noexcept {
    block_cache::deallocate(p, n * sizeof(T));
  }
  template <class U> bool operator==(const cached_allocator<U> &) const {
    return true;
  }
};

/// cached_allocator<T> where block_cache's alignment serves T, else
/// std::allocator<T>: for containers of a user's type (a channel's queue).
template <class T>
using cached_allocator_for =
    std::conditional_t<alignof(T) <= __STDCPP_DEFAULT_NEW_ALIGNMENT__,
                       cached_allocator<T>, std::allocator<T>>;

/// Coroutine frames from block_cache: promise types derive from this.
struct cached_frame {
  static void *operator new(std::size_t size) {
    return block_cache::allocate(size);
  }
  static void operator delete(void *frame, std::size_t size) noexcept {
    block_cache::deallocate(frame, size);
  }
};

} // namespace asyncrt::detail

#endif // ASYNCRT_DETAIL_BLOCK_CACHE_HPP
