// Room for a few objects that is filled before it is read. Not a public API.
#ifndef ASYNCRT_DETAIL_SCRATCH_ARRAY_HPP
#define ASYNCRT_DETAIL_SCRATCH_ARRAY_HPP

#include <cstddef>
#include <new>
#include <type_traits>

namespace asyncrt::detail {

/// \p N objects of type \p T left uninitialized: a buffer the runtime
/// writes element by element before it reads them (jobs moved in a batch,
/// the waiters a wake-up takes out). A std::array of a type with default
/// member initializers is cleared when it is made, and GCC clears more
/// than 32 bytes with `rep stos`, which takes tens of cycles to start: on
/// every channel wake-up, and 2 KiB on every visit to the global queue.
template <class T, std::size_t N> class scratch_array {
  static_assert(std::is_trivially_copyable_v<T> &&
                    std::is_trivially_destructible_v<T>,
                "a scratch_array's elements are copied in and never "
                "destroyed");

public:
  scratch_array() noexcept {}
  scratch_array(const scratch_array &) = delete;
  scratch_array &operator=(const scratch_array &) = delete;

  /// Makes element \p index a copy of \p value; it may be read from then on.
  void put(std::size_t index, const T &value) noexcept {
    ::new (static_cast<void *>(&storage_.items[index])) T(value);
  }
  /// Element \p index, which put() has written.
  T &operator[](std::size_t index) noexcept { return storage_.items[index]; }
  const T &operator[](std::size_t index) const noexcept {
    return storage_.items[index];
  }
  /// The first element, for a callee that writes the elements itself.
  T *data() noexcept { return storage_.items; }
  static constexpr std::size_t size() noexcept { return N; }

private:
  // A union member is not initialized unless the union's constructor says
  // so.
  union storage {
    storage() noexcept {}
    T items[N];
  } storage_;
};

} // namespace asyncrt::detail

#endif // ASYNCRT_DETAIL_SCRATCH_ARRAY_HPP
