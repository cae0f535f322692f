// Stand-in for C++/WinRT's fire_and_forget and IAsyncOperation (base.h):
// fire_and_forget is an eager coroutine type with nothing to await.
#pragma once
#include "shapes.h"

namespace winrt {
struct fire_and_forget {
  using promise_type =
      shapes::promise<fire_and_forget, std::suspend_never, void>;
};
namespace Windows::Foundation {
template <class T> struct IAsyncOperation {
  using promise_type = shapes::promise<IAsyncOperation, std::suspend_never, T>;
  shapes::ready operator co_await() const noexcept { return {}; }
  T get() const;
};
} // namespace Windows::Foundation
shapes::ready resume_background();
} // namespace winrt
