// Stream sources, adaptors and consumers, composed with `|`:
//
//   co_await (asyncrt::iter(ids) | asyncrt::chunks(100)
//             | asyncrt::for_each(process_batch));
//   auto pages = co_await (asyncrt::iter(urls) | asyncrt::map(fetch)
//                          | asyncrt::buffer_unordered(10)
//                          | asyncrt::collect<std::vector>());
//
// Sources: iter(range), from_receiver(rx), interval(period).
// Adaptors (stream in, stream out, lazy): map, filter, then (async map),
// take, chunks(n), buffered(n), buffer_unordered(n).
// Consumers (stream in, task out): for_each, for_each_concurrent(n, f), fold,
// collect<Container>().
//
// Bounded concurrency: buffered(n) and buffer_unordered(n) take a stream of
// tasks and run at most n of them at once (spawned on the runtime), in input
// order or in completion order; for_each_concurrent(n, f) runs at most n
// calls of f at once. An exception from one of them cancels the others
// still in flight, waits until they have finished, and then reaches the
// consumer. Destroying such a stream part-way aborts the tasks in flight
// (they finish unwinding on the runtime).
//
// Thread safety: as stream.hpp. Cancellation: a cancelled consumer cancels
// the whole pipeline at its next suspension; the tasks spawned by buffered
// and buffer_unordered are aborted and awaited before the exception leaves.
#ifndef ASYNCRT_STREAM_ADAPTORS_HPP
#define ASYNCRT_STREAM_ADAPTORS_HPP

#include <asyncrt/annotations.hpp>
#include <asyncrt/mpsc.hpp>
#include <asyncrt/spawn.hpp>
#include <asyncrt/stream.hpp>
#include <asyncrt/task.hpp>
#include <asyncrt/time.hpp>

#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <iterator>
#include <list>
#include <optional>
#include <ranges>
#include <type_traits>
#include <utility>
#include <vector>

namespace asyncrt {

namespace detail {

// Awaits \p h, yielding its value as stored_t (std::monostate for void).
// By reference: the handle stays where it is, in flight, until it is done.
template <class U> task<stored_t<U>> await_stored(join_handle<U> &h) {
  if constexpr (std::is_void_v<U>) {
    co_await h;
    co_return std::monostate{};
  } else {
    co_return co_await h;
  }
}

// Aborts the tasks still in flight when a buffered stream is destroyed
// part-way (its frame cannot await them).
template <class Abort> struct abort_on_drop {
  Abort abort;
  ~abort_on_drop() { abort(); }
};

// Aborts every task in flight and waits until each has finished, not
// cancellably: a consumer that is itself cancelled must still not leave
// while they run (they could write into its frame). \p handle_of maps an
// entry of \p in_flight to its join handle.
template <class InFlight, class HandleOf>
task<void> abort_and_drain(InFlight &in_flight, HandleOf handle_of) {
  for (auto &entry : in_flight)
    handle_of(entry).abort();
  for (auto &entry : in_flight)
    co_await completion_wait(handle_access::state(handle_of(entry)), false);
  in_flight.clear();
}

template <class T, class F>
stream<std::invoke_result_t<F &, T &&>> map_stream(stream<T> source, F f) {
  while (std::optional<T> v = co_await source.next())
    co_yield std::invoke(f, std::move(*v));
}

template <class T, class F> stream<T> filter_stream(stream<T> source, F keep) {
  while (std::optional<T> v = co_await source.next())
    if (std::invoke(keep, std::as_const(*v)))
      co_yield std::move(*v);
}

template <
    class T, class F,
    class U = typename is_task<std::invoke_result_t<F &, T &&>>::value_type>
stream<stored_t<U>> then_stream(stream<T> source, F f) {
  while (std::optional<T> v = co_await source.next()) {
    if constexpr (std::is_void_v<U>) {
      co_await std::invoke(f, std::move(*v));
      co_yield std::monostate{};
    } else {
      co_yield co_await std::invoke(f, std::move(*v));
    }
  }
}

template <class T> stream<T> take_stream(stream<T> source, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    std::optional<T> v = co_await source.next();
    if (!v)
      co_return;
    co_yield std::move(*v);
  }
}

template <class T>
stream<std::vector<T>> chunks_stream(stream<T> source, std::size_t n) {
  std::vector<T> batch;
  batch.reserve(n);
  while (std::optional<T> v = co_await source.next()) {
    batch.push_back(std::move(*v));
    if (batch.size() == n) {
      co_yield std::exchange(batch, {});
      batch.reserve(n);
    }
  }
  if (!batch.empty())
    co_yield std::move(batch);
}

template <class U>
stream<stored_t<U>> buffered_stream(stream<task<U>> source, std::size_t n) {
  std::deque<join_handle<U>> in_flight;
  auto abort_all = [&] {
    for (auto &h : in_flight)
      h.abort();
  };
  abort_on_drop<decltype(abort_all)> guard{abort_all};
  bool more = true;
  std::exception_ptr error;
  for (;;) {
    try {
      while (more && in_flight.size() < n) {
        std::optional<task<U>> next = co_await source.next();
        if (!next)
          more = false;
        else
          in_flight.push_back(spawn(std::move(*next)));
      }
      if (in_flight.empty())
        co_return;
      // The first stays in flight while awaited: cancelled here, it is
      // drained with the others.
      stored_t<U> value = co_await await_stored(in_flight.front());
      in_flight.pop_front();
      co_yield std::move(value);
      continue;
    } catch (...) {
      error = std::current_exception();
    }
    // Structured: the others are cancelled and finished before the error
    // leaves.
    co_await abort_and_drain(
        in_flight, [](join_handle<U> &h) -> join_handle<U> & { return h; });
    std::rethrow_exception(error);
  }
}

template <class U> struct outcome {
  std::size_t id;
  std::optional<stored_t<U>> value;
  std::exception_ptr error;
};

template <class U>
task<void> run_and_report(task<U> work, std::size_t id,
                          mpsc::sender<outcome<U>> out) {
  outcome<U> result{id, std::nullopt, nullptr};
  try {
    if constexpr (std::is_void_v<U>) {
      co_await std::move(work);
      result.value.emplace();
    } else {
      result.value.emplace(co_await std::move(work));
    }
  } catch (...) {
    result.error = std::current_exception();
  }
  // Never waits: the channel has a slot for every task in flight.
  (void)out.try_send(std::move(result));
}

template <class U>
stream<stored_t<U>> buffer_unordered_stream(stream<task<U>> source,
                                            std::size_t n) {
  auto [tx, rx] = mpsc::channel<outcome<U>>(n);
  std::list<std::pair<std::size_t, join_handle<void>>> in_flight;
  auto abort_all = [&] {
    for (auto &entry : in_flight)
      entry.second.abort();
  };
  abort_on_drop<decltype(abort_all)> guard{abort_all};
  std::size_t next_id = 0;
  bool more = true;
  std::exception_ptr error;
  for (;;) {
    try {
      while (more && in_flight.size() < n) {
        std::optional<task<U>> next = co_await source.next();
        if (!next) {
          more = false;
        } else {
          std::size_t id = next_id++;
          in_flight.emplace_back(
              id, spawn(run_and_report<U>(std::move(*next), id, tx)));
        }
      }
      if (in_flight.empty())
        co_return;
      std::optional<outcome<U>> done = co_await rx.recv();
      std::erase_if(in_flight,
                    [&](auto &entry) { return entry.first == done->id; });
      if (done->error)
        std::rethrow_exception(done->error);
      co_yield std::move(*done->value);
      continue;
    } catch (...) {
      error = std::current_exception();
    }
    co_await abort_and_drain(
        in_flight,
        [](std::pair<std::size_t, join_handle<void>> &entry)
            -> join_handle<void> & { return entry.second; });
    std::rethrow_exception(error);
  }
}

template <class R> stream<std::ranges::range_value_t<R>> iter_stream(R range) {
  for (auto &&v : range)
    co_yield v;
}

// recv is cancel-safe, and so is this stream: a next() cancelled while it
// waits leaves the value in the channel and the stream alive.
template <class T> stream<T> receiver_stream(mpsc::receiver<T> rx) {
  for (;;) {
    std::optional<T> v;
    bool interrupted = false;
    try {
      v = co_await rx.recv();
    } catch (const cancelled &) {
      interrupted = true;
    }
    if (interrupted) {
      co_yield pass_cancellation{};
      continue;
    }
    if (!v)
      co_return;
    co_yield std::move(*v);
  }
}

inline stream<clock::time_point> interval_stream(clock::duration period) {
  clock::time_point next = now();
  for (;;) {
    co_await sleep(next - now());
    co_yield next;
    next += period;
  }
}

// The pipe operands.
template <class F> struct [[nodiscard]] map_op { F f; };
template <class F> struct [[nodiscard]] filter_op { F f; };
template <class F> struct [[nodiscard]] then_op { F f; };
struct [[nodiscard]] take_op {
  std::size_t n;
};
struct [[nodiscard]] chunks_op {
  std::size_t n;
};
struct [[nodiscard]] buffered_op {
  std::size_t n;
};
struct [[nodiscard]] buffer_unordered_op {
  std::size_t n;
};
template <class F> struct [[nodiscard]] for_each_op { F f; };
template <class F> struct [[nodiscard]] for_each_concurrent_op {
  std::size_t n;
  F f;
};
template <class A, class F> struct [[nodiscard]] fold_op {
  A init;
  F f;
};
template <template <class...> class C> struct [[nodiscard]] collect_op {};

} // namespace detail

// ---- Sources ----

/// The elements of \p range, in order (the range is moved into the stream;
/// pass a view, e.g. std::views::iota, for large sequences).
template <std::ranges::input_range R>
[[nodiscard]] stream<std::ranges::range_value_t<R>> iter(R range) {
  return detail::iter_stream(std::move(range));
}

/// What \p rx receives, until the channel is closed and drained.
/// Cancel-safe (recv is): a next() cancelled while waiting (a timeout, a
/// select's loser) throws asyncrt::cancelled and loses nothing; the stream
/// goes on at the following next().
template <class T> [[nodiscard]] stream<T> from_receiver(mpsc::receiver<T> rx) {
  return detail::receiver_stream(std::move(rx));
}

/// A tick now and then every \p period of the runtime's time (no drift: the
/// deadlines are period apart even if a consumer is late). Endless.
template <class Rep, class Period>
[[nodiscard]] stream<clock::time_point>
interval(std::chrono::duration<Rep, Period> period) {
  return detail::interval_stream(
      std::chrono::duration_cast<clock::duration>(period));
}

// ---- Adaptors ----

template <class F> [[nodiscard]] detail::map_op<F> map(F f) {
  return {std::move(f)};
}
template <class F> [[nodiscard]] detail::filter_op<F> filter(F keep) {
  return {std::move(keep)};
}
/// Async map: \p f returns a task, awaited one item at a time.
template <class F> [[nodiscard]] detail::then_op<F> then(F f) {
  return {std::move(f)};
}
[[nodiscard]] inline detail::take_op take(std::size_t n) { return {n}; }
/// Batches of up to \p n items; the last, partial batch is delivered too.
[[nodiscard]] inline detail::chunks_op chunks(std::size_t n) {
  return {n == 0 ? 1 : n};
}
/// Runs up to \p n of a stream of tasks at once; results in input order.
ASYNCRT_BOUNDS_CONCURRENCY [[nodiscard]] inline detail::buffered_op
buffered(std::size_t n) {
  return {n == 0 ? 1 : n};
}
/// Runs up to \p n of a stream of tasks at once; results as they complete.
ASYNCRT_BOUNDS_CONCURRENCY [[nodiscard]] inline detail::buffer_unordered_op
buffer_unordered(std::size_t n) {
  return {n == 0 ? 1 : n};
}

// ---- Consumers ----

/// Calls \p f on every item, one at a time (awaiting it if it returns a task).
template <class F> [[nodiscard]] detail::for_each_op<F> for_each(F f) {
  return {std::move(f)};
}
/// Runs \p f (which returns a task) on every item, at most \p n at once.
template <class F>
ASYNCRT_BOUNDS_CONCURRENCY [[nodiscard]] detail::for_each_concurrent_op<F>
for_each_concurrent(std::size_t n, F f) {
  return {n == 0 ? 1 : n, std::move(f)};
}
template <class A, class F>
[[nodiscard]] detail::fold_op<A, F> fold(A init, F f) {
  return {std::move(init), std::move(f)};
}
/// Every item, in a Container (std::vector, std::deque, std::set, ...).
template <template <class...> class C>
[[nodiscard]] detail::collect_op<C> collect() {
  return {};
}

// ---- The pipes ----

template <class T, class F> auto operator|(stream<T> s, detail::map_op<F> op) {
  return detail::map_stream(std::move(s), std::move(op.f));
}
template <class T, class F>
stream<T> operator|(stream<T> s, detail::filter_op<F> op) {
  return detail::filter_stream(std::move(s), std::move(op.f));
}
template <class T, class F> auto operator|(stream<T> s, detail::then_op<F> op) {
  return detail::then_stream(std::move(s), std::move(op.f));
}
template <class T> stream<T> operator|(stream<T> s, detail::take_op op) {
  return detail::take_stream(std::move(s), op.n);
}
template <class T>
stream<std::vector<T>> operator|(stream<T> s, detail::chunks_op op) {
  return detail::chunks_stream(std::move(s), op.n);
}
template <class U>
stream<detail::stored_t<U>> operator|(stream<task<U>> s,
                                      detail::buffered_op op) {
  return detail::buffered_stream(std::move(s), op.n);
}
template <class U>
stream<detail::stored_t<U>> operator|(stream<task<U>> s,
                                      detail::buffer_unordered_op op) {
  return detail::buffer_unordered_stream(std::move(s), op.n);
}

namespace detail {
template <class T, class F> task<void> for_each_task(stream<T> s, F f) {
  while (std::optional<T> v = co_await s.next()) {
    if constexpr (is_task<std::invoke_result_t<F &, T &&>>::value)
      co_await std::invoke(f, std::move(*v));
    else
      std::invoke(f, std::move(*v));
  }
}
template <class T, class A, class F>
task<A> fold_task(stream<T> s, A acc, F f) {
  while (std::optional<T> v = co_await s.next())
    acc = std::invoke(f, std::move(acc), std::move(*v));
  co_return acc;
}
template <template <class...> class C, class T>
task<C<T>> collect_task(stream<T> s) {
  C<T> out;
  while (std::optional<T> v = co_await s.next())
    out.insert(out.end(), std::move(*v));
  co_return out;
}
template <class S> task<void> drain(S s) {
  // A named result: g++-12 miscompiles `while (co_await s.next())`.
  for (;;) {
    auto item = co_await s.next();
    if (!item)
      co_return;
  }
}
} // namespace detail

template <class T, class F>
task<void> operator|(stream<T> s, detail::for_each_op<F> op) {
  return detail::for_each_task(std::move(s), std::move(op.f));
}
template <class T, class F>
task<void> operator|(stream<T> s, detail::for_each_concurrent_op<F> op) {
  return detail::drain(detail::buffer_unordered_stream(
      detail::map_stream(std::move(s), std::move(op.f)), op.n));
}
template <class T, class A, class F>
task<A> operator|(stream<T> s, detail::fold_op<A, F> op) {
  return detail::fold_task(std::move(s), std::move(op.init), std::move(op.f));
}
template <class T, template <class...> class C>
task<C<T>> operator|(stream<T> s, detail::collect_op<C>) {
  return detail::collect_task<C>(std::move(s));
}

} // namespace asyncrt

#endif // ASYNCRT_STREAM_ADAPTORS_HPP
