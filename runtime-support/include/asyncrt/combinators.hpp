// join, try_join, select, timeout, timeout_at: run several operations at
// once, structured.
//
//   auto [a, b] = co_await asyncrt::join(work(1), work(2));
//   auto [c, d] = co_await asyncrt::try_join(work(1), work(2));
//   std::vector<int> all = co_await asyncrt::join_all(std::move(tasks));
//   auto w = co_await asyncrt::select(rx.recv(), asyncrt::sleep(5s));
//   std::optional<int> t = co_await asyncrt::timeout(5s, work(3));
//
// The operands are any awaitables: tasks, asyncrt's operations (rx.recv(),
// tx.reserve(), sem.acquire(), sleep(d), a join handle, a stream's next()),
// hand-written awaiters. A void operand yields std::monostate. Each operand
// runs as a child task of the runtime (an operand that is not a task is
// awaited by a small task of its own). None of these returns while a child
// it started is still running: a loser or a failed sibling is cancelled and
// awaited first, so its destructors have run, and an asyncrt operation that
// loses gives back what it was granted (a message stays in its channel, a
// permit in its semaphore). If the task that awaits one of them is itself
// cancelled, every child is cancelled and awaited, then asyncrt::cancelled
// is thrown. Must be awaited inside a runtime.
//
// Cancel safety is that of the operands: select and timeout cancel the
// losers, so a loser that is not cancel-safe loses its partial work (a
// losing send(v) destroys v; reserve() first). corolint's
// async-cancel-unsafe-select finds that.
#ifndef ASYNCRT_COMBINATORS_HPP
#define ASYNCRT_COMBINATORS_HPP

#include <asyncrt/annotations.hpp>
#include <asyncrt/spawn.hpp>
#include <asyncrt/time.hpp>

#include <array>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace asyncrt {

namespace detail {

// What awaiting an operand of type A (an rvalue, as the combinators await
// it) goes through: its operator co_await's result, or itself.
template <class A> struct awaiter_type { using type = A; };
template <class A>
requires requires { std::declval<A>().operator co_await(); }
struct awaiter_type<A> {
  using type = decltype(std::declval<A>().operator co_await());
};
/// What co_await on an operand of type A yields.
template <class A>
using await_result_t =
    decltype(std::declval<typename awaiter_type<A>::type &>().await_resume());

/// What a combinator runs for an operand: a task as it is, anything else
/// awaited by a task of its own.
template <class A>
using operand_task_t =
    std::conditional_t<is_task<A>::value, A, task<await_result_t<A>>>;

template <class T> task<T> as_task(task<T> work) { return work; }
template <class A>
requires(!is_task<A>::value) task<await_result_t<A>> as_task(A operand) {
  co_return co_await std::move(operand);
}

/// What a combinator yields for an operand given as an A&&: its await
/// result, std::monostate for void.
template <class A>
using operand_result_t =
    stored_t<typename operand_task_t<std::decay_t<A>>::value_type>;

/// The task a combinator runs for \p operand, which it takes over (a copy
/// of an lvalue, the operand itself when moved in).
template <class A> auto operand_task(A &&operand) {
  return as_task(std::decay_t<A>(std::forward<A>(operand)));
}

// The children of one combinator, and the task waiting on them. Children
// finish on any worker, so everything is guarded by the mutex.
struct child_group {
  enum class until { all, first, all_or_failure };

  explicit child_group(std::size_t count) : total(count) {}

  bool satisfied_locked(until mode) const {
    switch (mode) {
    case until::all:
      return finished == total;
    case until::first:
      return winner_finished;
    case until::all_or_failure:
      return finished == total || first_error;
    }
    return false;
  }
  static void on_child_done(void *group, std::size_t index,
                            const join_state_base &child) {
    static_cast<child_group *>(group)->child_done(index, child.error);
  }
  void child_done(std::size_t index, std::exception_ptr error) {
    // A select's losers are cancelled by the winner itself, before any of
    // them can run again (they share its strand).
    if (serial)
      claim(index);
    waiter *w = nullptr;
    {
      std::lock_guard lock(mutex);
      ++finished;
      if (serial && winner == index)
        winner_finished = true;
      if (error && !first_error)
        first_error = error;
      if (parked && satisfied_locked(wait_mode))
        w = std::exchange(parked, nullptr);
    }
    if (w)
      w->wake();
  }

  /// A select's branch \p index has won, unless another has already: its
  /// siblings are cancelled, and if this select decides a branch of an outer
  /// one (task_context::decided_by_first_select), that branch claims the
  /// outer select in turn. Runs while the winner holds the strand, so no
  /// sibling (nor anything nested in one) takes data after this.
  void claim(std::size_t index) {
    {
      std::lock_guard lock(mutex);
      if (winner)
        return;
      winner = index;
    }
    for (std::size_t k = 0; k < children.size(); ++k)
      if (k != index)
        children[k]->request_cancel();
    if (decides)
      decides->claim(decides_index);
  }

  /// task_context::cancel_children for the task running this select.
  static void cancel_branches(void *group) {
    for (task_context *child : static_cast<child_group *>(group)->children)
      child->request_cancel();
  }

  std::exception_ptr error() {
    std::lock_guard lock(mutex);
    return first_error;
  }
  bool reached(until mode) {
    std::lock_guard lock(mutex);
    return satisfied_locked(mode);
  }

  std::mutex mutex;
  /// Set for select: its branches run one at a time, on one strand (see
  /// task_context::strand): its own, or, for a select running in a branch
  /// of another select, the outer one's, so that nested branches and the
  /// outer siblings never run at once either.
  bool serial = false;
  strand branches;
  std::shared_ptr<strand> outer_strand;
  bool strand_is_outer = false;
  /// The outer select whose branch \p decides_index this one decides.
  std::shared_ptr<child_group> decides;
  std::size_t decides_index = 0;
  /// The children's contexts, filled before any of them runs.
  std::vector<task_context *> children;
  std::size_t total;
  std::size_t finished = 0;
  std::optional<std::size_t> winner; // select: the branch that won
  bool winner_finished = false;
  std::exception_ptr first_error; // in completion order
  until wait_mode = until::all;
  waiter *parked = nullptr;
};

// Suspends until the group satisfies \p mode; with \p cancellable, also
// until the awaiting task is cancelled (the caller then cleans up).
class group_wait : public cancellable_wait<group_wait> {
public:
  group_wait(std::shared_ptr<child_group> group, child_group::until mode,
             bool cancellable)
      : group_(std::move(group)), mode_(mode), cancellable_(cancellable) {}
  // Copied (moved) only before it is awaited.
  group_wait(const group_wait &other)
      : cancellable_wait(other), group_(other.group_), mode_(other.mode_),
        cancellable_(other.cancellable_) {}
  ~group_wait() { abandon(); }

  bool await_ready() {
    if (cancellable_ && self_cancelled())
      return true;
    bool satisfied;
    {
      std::lock_guard lock(group_->mutex);
      satisfied = group_->satisfied_locked(mode_);
    }
    return satisfied && completed_now();
  }
  bool await_suspend(std::coroutine_handle<> h) {
    return park(h, cancellable_);
  }
  void await_resume() noexcept { resumed(); }

private:
  friend class cancellable_wait<group_wait>;
  bool publish() {
    std::lock_guard lock(group_->mutex);
    if (group_->satisfied_locked(mode_))
      return false;
    group_->wait_mode = mode_;
    group_->parked = &node();
    return true;
  }
  bool withdraw() { return leave_slot(group_->mutex, group_->parked); }
  void give_back() {}

  std::shared_ptr<child_group> group_;
  child_group::until mode_;
  bool cancellable_;
};

template <class T>
join_handle<T> spawn_child(scheduler &s,
                           const std::shared_ptr<child_group> &group,
                           std::size_t index, task<T> work) {
  // A select's children share the group's strand (aliasing the group, so
  // the group lives as long as any of them).
  spawn_options options{
      std::source_location::current(),
      {&child_group::on_child_done, group.get(), index, group},
      nullptr,
      !group->serial};
  if (group->serial) {
    // The own strand aliases the group, which then lives as long as any
    // branch (a pointer held by the group itself would be a cycle).
    options.strand = group->strand_is_outer
                         ? group->outer_strand
                         : std::shared_ptr<strand>(group, &group->branches);
    options.branch_of = group;
    options.branch_index = index;
  }
  return spawn_on(s, std::move(work), std::move(options));
}

template <class... Handles> void abort_all(std::tuple<Handles...> &handles) {
  std::apply([](auto &...h) { (h.abort(), ...); }, handles);
}

template <class T> std::exception_ptr error_of(join_handle<T> &h) {
  return handle_access::state(h)->error;
}

template <class T> stored_t<T> value_of(join_handle<T> &h) {
  return std::move(*handle_access::state(h)->value);
}

// Spawns the children: join and try_join schedule them in order; select's
// wait for first_round.
template <class... Ts, std::size_t... I>
std::tuple<join_handle<Ts>...>
spawn_children(scheduler &s, const std::shared_ptr<child_group> &group,
               std::index_sequence<I...>, task<Ts> &...work) {
  std::tuple<join_handle<Ts>...> handles{
      spawn_child(s, group, I, std::move(work))...};
  if (group->serial)
    group->children = {&handle_access::state(std::get<I>(handles))->context...};
  return handles;
}

// A select's group, set up in the task that runs it: its strand (the outer
// select's if the task is a branch of one) and the outer branch it decides.
inline void prepare_select(const std::shared_ptr<child_group> &group) {
  task_context *self = scheduler::current_task();
  group->serial = true;
  if (self && self->strand) {
    group->outer_strand = self->strand;
    group->strand_is_outer = true;
  }
  if (self && self->branch_of &&
      std::exchange(self->decided_by_first_select, false)) {
    group->decides = self->branch_of;
    group->decides_index = self->branch_index;
  }
}

// While it lives, cancelling the running task cancels the select's branches
// at once (they are cancelled now if it already is). Declared after the
// branches' handles, so that the hook goes before they do.
class branches_link {
public:
  explicit branches_link(child_group &group)
      : self_(scheduler::current_task()), group_(&group) {
    if (!self_)
      return;
    std::lock_guard lock(self_->mutex);
    self_->cancel_children = {&child_group::cancel_branches, group_};
    if (self_->is_cancelled())
      child_group::cancel_branches(group_);
  }
  branches_link(const branches_link &) = delete;
  branches_link &operator=(const branches_link &) = delete;
  ~branches_link() {
    if (!self_)
      return;
    std::lock_guard lock(self_->mutex);
    self_->cancel_children = {};
  }

private:
  task_context *self_;
  child_group *group_;
};

// select's first round: the branches run right here, one after the other
// from \p first, as tokio polls a select's branches: a branch that is ready
// at once wins, and the branches after it are cancelled before they start.
inline void first_round(scheduler &s, child_group &group, std::size_t first) {
  std::size_t count = group.children.size();
  // A branch refused by a runtime that is shutting down has finished
  // already (cancelled), before its siblings were known: they must not run
  // and take data for a select that is decided.
  if (group.reached(child_group::until::first))
    for (task_context *child : group.children)
      child->request_cancel();
  // The first round holds the strand (nobody else has the branches yet; an
  // outer select's strand is held by this very task); a branch woken
  // meanwhile on another worker waits in it.
  if (!group.strand_is_outer)
    group.branches.hold();
  for (std::size_t k = 0; k < count; ++k) {
    task_context *child = group.children[(first + k) % count];
    // No frame: refused by a runtime shutting down, already finished.
    if (child->root)
      s.run_inline(child->root, child);
  }
  if (!group.strand_is_outer)
    if (auto [handle, context] = group.branches.release(); handle)
      s.schedule(handle, context);
}

// Waits (not cancellably) until every child has finished, then throws.
inline task<void> drain_and_rethrow(std::shared_ptr<child_group> group,
                                    std::exception_ptr error) {
  co_await group_wait(std::move(group), child_group::until::all, false);
  std::rethrow_exception(error);
}

// join's wait: every child finished, then the first failure rethrown. If
// this task is cancelled first, \p abort_children cancels them, they are
// awaited, and asyncrt::cancelled is thrown.
template <class Abort>
task<void> wait_for_all(std::shared_ptr<child_group> group,
                        Abort abort_children) {
  co_await group_wait(group, child_group::until::all, true);
  if (!group->reached(child_group::until::all)) {
    abort_children();
    co_await drain_and_rethrow(group, std::make_exception_ptr(cancelled()));
  }
  if (std::exception_ptr error = group->error())
    std::rethrow_exception(error);
}

// Moves the result of child \p winner into \p out, or its exception into
// \p error.
template <std::size_t I = 0, class Variant, class... Handles>
void take_winner(std::size_t winner, std::tuple<Handles...> &handles,
                 std::optional<Variant> &out, std::exception_ptr &error) {
  if constexpr (I < sizeof...(Handles)) {
    if (I != winner)
      return take_winner<I + 1>(winner, handles, out, error);
    auto &handle = std::get<I>(handles);
    if (!(error = error_of(handle)))
      out.emplace(std::in_place_index<I>, value_of(handle));
  }
}

template <class... Ts>
task<std::variant<stored_t<Ts>...>> select_impl(bool biased, task<Ts>... work) {
  // The operands are the runtime's now, run or not: dropping them here is
  // no forgotten task (debug builds would report one).
  (task_access::adopt(work), ...);
  throw_if_cancelled(); // a cancelled task starts no new branches
  scheduler &s = current_scheduler();
  auto group = std::make_shared<child_group>(sizeof...(Ts));
  prepare_select(group);
  std::size_t first = biased ? 0 : s.random_index(sizeof...(Ts));
  auto handles =
      spawn_children(s, group, std::index_sequence_for<Ts...>{}, work...);
  branches_link linked(*group);
  first_round(s, *group, first);
  co_await group_wait(group, child_group::until::first, true);
  abort_all(handles);
  co_await group_wait(group, child_group::until::all, false);
  // A branch that finished has its result delivered even if this task was
  // cancelled meanwhile (it may hold data taken from a channel); the
  // cancellation is then observed at the next suspension.
  if (!group->winner)
    throw cancelled();
  std::optional<std::variant<stored_t<Ts>...>> result;
  std::exception_ptr error;
  take_winner(*group->winner, handles, result, error);
  if (error)
    std::rethrow_exception(error);
  co_return std::move(*result);
}

} // namespace detail

namespace detail {
template <class... Ts>
task<std::tuple<stored_t<Ts>...>> join_impl(task<Ts>... work) {
  (task_access::adopt(work), ...);
  throw_if_cancelled();
  scheduler &s = current_scheduler();
  auto group = std::make_shared<child_group>(sizeof...(Ts));
  auto handles =
      spawn_children(s, group, std::index_sequence_for<Ts...>{}, work...);
  co_await wait_for_all(group, [&] { abort_all(handles); });
  co_return std::apply([](auto &...h) { return std::tuple{value_of(h)...}; },
                       handles);
}
} // namespace detail

/// Waits for every operand; then returns all values, or rethrows the
/// exception of the one that failed first (in completion order).
template <class... As>
task<std::tuple<detail::operand_result_t<As>...>> join(As &&...operands) {
  return detail::join_impl(detail::operand_task(std::forward<As>(operands))...);
}

/// join over a range: every task of \p work runs at once (all of them: bound
/// the fan-out yourself, or corolint's async-unbounded-fanout reports a
/// vector filled per input item). Returns the values in order, or rethrows
/// the first failure (in completion order) once all have finished.
template <class T>
task<std::vector<detail::stored_t<T>>> join_all(std::vector<task<T>> work) {
  using namespace detail;
  for (task<T> &operand : work)
    task_access::adopt(operand);
  throw_if_cancelled();
  scheduler &s = current_scheduler();
  auto group = std::make_shared<child_group>(work.size());
  std::vector<join_handle<T>> handles;
  handles.reserve(work.size());
  for (std::size_t i = 0; i < work.size(); ++i)
    handles.push_back(spawn_child(s, group, i, std::move(work[i])));
  co_await wait_for_all(group, [&] {
    for (auto &h : handles)
      h.abort();
  });
  std::vector<stored_t<T>> values;
  values.reserve(handles.size());
  for (auto &h : handles)
    values.push_back(value_of(h));
  co_return values;
}

namespace detail {
template <class... Ts>
task<std::tuple<stored_t<Ts>...>> try_join_impl(task<Ts>... work) {
  (task_access::adopt(work), ...);
  throw_if_cancelled();
  scheduler &s = current_scheduler();
  auto group = std::make_shared<child_group>(sizeof...(Ts));
  auto handles =
      spawn_children(s, group, std::index_sequence_for<Ts...>{}, work...);
  co_await group_wait(group, child_group::until::all_or_failure, true);
  std::exception_ptr error =
      group->reached(child_group::until::all_or_failure)
          ? group->error()
          : std::make_exception_ptr(cancelled()); // this task was cancelled
  if (error) {
    abort_all(handles);
    co_await drain_and_rethrow(group, error);
  }
  co_return std::apply([](auto &...h) { return std::tuple{value_of(h)...}; },
                       handles);
}
} // namespace detail

/// Fails fast: the first exception cancels the other operands, which are
/// awaited, then it is rethrown. Otherwise returns all values.
template <class... As>
task<std::tuple<detail::operand_result_t<As>...>> try_join(As &&...operands) {
  return detail::try_join_impl(
      detail::operand_task(std::forward<As>(operands))...);
}

/// The first operand to finish wins: the others are cancelled and awaited,
/// then the winner's value is returned (at the index of its operand) or its
/// exception rethrown. Starts the branches from a random one.
template <class... As>
ASYNCRT_SELECT_LIKE task<std::variant<detail::operand_result_t<As>...>>
select(As &&...operands) {
  auto decided = detail::select_impl(
      false, detail::operand_task(std::forward<As>(operands))...);
  detail::task_access::mark_select(decided);
  return decided;
}

/// select, always starting from the first branch (tokio's `biased;`).
template <class... As>
ASYNCRT_SELECT_LIKE task<std::variant<detail::operand_result_t<As>...>>
select_biased(As &&...operands) {
  auto decided = detail::select_impl(
      true, detail::operand_task(std::forward<As>(operands))...);
  detail::task_access::mark_select(decided);
  return decided;
}

namespace detail {
template <class T>
task<std::optional<stored_t<T>>> timeout_impl(task<T> work, task<void> timer) {
  // The select is this task's only await: its winner is the result.
  auto winner = co_await select_biased(std::move(work), std::move(timer));
  if (winner.index() == 1)
    co_return std::nullopt;
  co_return std::move(std::get<0>(winner));
}

template <class Rep, class Period>
task<void> sleep_task(std::chrono::duration<Rep, Period> d) {
  co_await sleep(d);
}

inline task<void> sleep_until_task(clock::time_point deadline) {
  co_await sleep_until(deadline);
}
} // namespace detail

/// The value of \p operand (any awaitable), or nullopt when \p limit of the
/// runtime's time elapses first; then \p operand is cancelled and awaited.
template <class Rep, class Period, class A>
ASYNCRT_SELECT_LIKE task<std::optional<detail::operand_result_t<A>>>
timeout(std::chrono::duration<Rep, Period> limit, A &&operand) {
  auto decided =
      detail::timeout_impl(detail::operand_task(std::forward<A>(operand)),
                           detail::sleep_task(limit));
  detail::task_access::mark_select(decided);
  return decided;
}

/// The value of \p operand, or nullopt when the runtime's clock reaches
/// \p deadline first; then \p operand is cancelled and awaited. tokio's
/// timeout_at: a loop of retries can share one deadline.
template <class A>
ASYNCRT_SELECT_LIKE task<std::optional<detail::operand_result_t<A>>>
timeout_at(clock::time_point deadline, A &&operand) {
  auto decided =
      detail::timeout_impl(detail::operand_task(std::forward<A>(operand)),
                           detail::sleep_until_task(deadline));
  detail::task_access::mark_select(decided);
  return decided;
}

} // namespace asyncrt

#endif // ASYNCRT_COMBINATORS_HPP
