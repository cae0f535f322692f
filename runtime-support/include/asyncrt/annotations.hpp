// Annotations that tell corolint what a declaration does.
//
// Under Clang they expand to [[clang::annotate("corolint::...")]], which the
// checks read from the AST; elsewhere to nothing. docs/annotations.md explains
// each one so that other libraries can adopt them. The strings are the
// checks' (checks/utils/Annotations.h); a test compares the two and the docs.
#ifndef ASYNCRT_ANNOTATIONS_HPP
#define ASYNCRT_ANNOTATIONS_HPP

#if defined(__clang__)
#define ASYNCRT_ANNOTATE(what) [[clang::annotate(what)]]
#else
#define ASYNCRT_ANNOTATE(what)
#endif

/// Cancelling the operation (dropping it at a suspension point) loses nothing.
#define ASYNCRT_CANCEL_SAFE ASYNCRT_ANNOTATE("corolint::cancel_safe")
/// Cancelling the operation part-way can lose data or progress.
#define ASYNCRT_CANCEL_UNSAFE ASYNCRT_ANNOTATE("corolint::cancel_unsafe")
/// Runs several operations and cancels the losers (select, timeout).
#define ASYNCRT_SELECT_LIKE ASYNCRT_ANNOTATE("corolint::select_like")
/// Starts a task that runs concurrently with the caller (spawn).
#define ASYNCRT_SPAWN_LIKE ASYNCRT_ANNOTATE("corolint::spawn_like")
/// Bounds how many operations run at once (semaphore acquire, buffered
/// streams).
#define ASYNCRT_BOUNDS_CONCURRENCY                                             \
  ASYNCRT_ANNOTATE("corolint::bounds_concurrency")
/// Blocks the calling thread; never call it from a coroutine on a worker.
#define ASYNCRT_BLOCKING ASYNCRT_ANNOTATE("corolint::blocking")
/// Values of this type may be dropped without awaiting them.
#define ASYNCRT_DISCARDABLE ASYNCRT_ANNOTATE("corolint::discardable")
/// A lock guard that may be held across co_await (an async mutex's guard).
#define ASYNCRT_SUSPEND_SAFE_GUARD                                             \
  ASYNCRT_ANNOTATE("corolint::suspend_safe_guard")

#endif // ASYNCRT_ANNOTATIONS_HPP
