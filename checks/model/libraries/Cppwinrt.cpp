//===--- Cppwinrt.cpp - the model's table for C++/WinRT -------------------===//

#include "model/LibraryTable.h"

namespace clang::tidy::corolint::model {

// Source of truth: C++/WinRT 2.0 (github.com/microsoft/cppwinrt,
// strings/base_coroutine_foundation.h, base_coroutine_threadpool.h):
// winrt::fire_and_forget is a coroutine type made to be dropped; an
// IAsync* operation's get() blocks until it completes.
LibraryTable cppwinrtTable() {
  LibraryTable T;
  T.Name = "C++/WinRT";
  T.Source = "C++/WinRT 2.0 (base.h)";
  T.Namespaces = {"winrt::"};
  T.role(Role::FireAndForgetType) = {"winrt::fire_and_forget"};
  T.blocking(BlockingKind::Future) = {
      "winrt::Windows::Foundation::IAsync[A-Za-z]*::get",
      "winrt::impl::consume_Windows_Foundation_IAsync[A-Za-z]*::get"};
  T.advice(BlockingKind::Sleep) = "use 'co_await winrt::resume_after(...)'";
  T.advice(BlockingKind::Future) =
      "'co_await' the operation instead of calling 'get()'";
  T.advice(BlockingKind::Offload) =
      "'co_await winrt::resume_background()' before the call";
  T.advice(BlockingKind::Spin) =
      "'co_await winrt::resume_background()' or 'co_await "
      "winrt::resume_after(0ms)' inside it";
  return T;
}

} // namespace clang::tidy::corolint::model
