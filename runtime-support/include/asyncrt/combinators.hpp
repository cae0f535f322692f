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
// hand-written awaiters. A void operand yields std::monostate.
//
// A select (or timeout) whose operands are all asyncrt operations is polled
// inline, as tokio's select! is: no child task, no lock of its own; the
// first operation ready wins, the others are withdrawn from their
// primitives, and one that had been granted something meanwhile gives it
// back (a permit to its semaphore, a slot to its channel; a message it was
// told of stays queued) before select returns. Otherwise, and for join and
// try_join, each operand runs as a child task of the runtime (an operand
// that is not a task is awaited by a small task of its own). None of these
// returns while a child it started is still running: a loser or a failed
// sibling is cancelled and awaited first, so its destructors have run. If
// the task that awaits one of them is itself cancelled, every child is
// cancelled and awaited (every inline operation withdrawn), then
// asyncrt::cancelled is thrown, unless a winner had already been taken:
// that is delivered, and the cancellation lands at the next suspension.
// Must be awaited inside a runtime.
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

  /// claim(), for an inline select that decides branch \p index: true if
  /// that branch is the winner.
  bool try_claim(std::size_t index) {
    claim(index);
    std::lock_guard lock(mutex);
    return winner == index;
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

// --- The inline select: branches polled in the selecting task ----------
//
// When every operand is one of asyncrt's waiting operations (a
// cancellable_wait: rx.recv(), sem.acquire(), sleep(d), token.cancelled(),
// a join handle, ...), select runs no child tasks. It polls the operations
// in turn from its start index and the first ready one wins; if none is, it
// queues every one on its primitive at once (their wakes go through one
// select_funnel), suspends until one is woken or the task is cancelled,
// then withdraws each: the first (in polling order) that could not be
// withdrawn wins, and every other one that was granted something gives it
// back, through the same give_back that a destroyed awaiter uses. Nothing
// runs after a loser is given back, so no loser runs after select returns.

/// Whether select can poll an operand of type A inline.
template <class A>
inline constexpr bool polls_inline_v =
    std::is_base_of_v<cancellable_wait_tag,
                      typename awaiter_type<std::decay_t<A>>::type>;

/// The operation an inline select awaits for \p operand, which stays in the
/// select's frame as long as the operation (a oneshot receiver, a join
/// handle: what the operation waits on belongs to it).
template <class D> auto operation_of(D &operand) {
  if constexpr (requires { std::move(operand).operator co_await(); })
    return std::move(operand).operator co_await();
  else
    return D(operand); // an operation copies before it is awaited
}

/// The result type an operand of type D gives in an inline select.
template <class D>
using inline_result_t = stored_t<
    decltype(std::declval<typename awaiter_type<D>::type &>().await_resume())>;

/// Calls \p f with std::integral_constant<std::size_t, index>.
template <class F, std::size_t... I>
void at_index(std::size_t index, F &&f, std::index_sequence<I...>) {
  ((index == I ? f(std::integral_constant<std::size_t, I>{}) : void()), ...);
}

// What the inline select keeps while it is parked: its funnel, and how its
// cancel hook resumes the task.
struct inline_select_park {
  select_funnel funnel;
  waiter self;

  static void on_cancel(void *me) {
    auto *park = static_cast<inline_select_park *>(me);
    if (park->funnel.arrive_cancelled())
      park->self.wake();
  }
};

// Publishes the operations (in polling order) and suspends until one of
// them is woken or the task is cancelled; does not suspend if one
// completes while it is being published.
template <class Operations> struct publish_and_park {
  Operations &operations;
  inline_select_park &park;
  std::size_t first;
  std::size_t &published;   // how many, in polling order
  bool &last_completed_now; // the last published completed instead

  bool await_ready() const noexcept { return false; }
  bool await_suspend(std::coroutine_handle<> h) {
    constexpr std::size_t count = std::tuple_size_v<Operations>;
    park.self.capture(h);
    if (task_context *self = scheduler::current_task()) {
      std::lock_guard lock(self->mutex);
      if (self->is_cancelled())
        return false;
      self->hook_armed = true;
      self->hook = {&inline_select_park::on_cancel, &park};
    }
    for (; published < count; ++published) {
      bool queued = true;
      at_index((first + published) % count,
               [&](auto i) {
                 queued = inline_branch::publish(std::get<i.value>(operations),
                                                 h, park.funnel);
               },
               std::make_index_sequence<count>{});
      if (!queued) { // completed now: decided without suspending
        ++published;
        last_completed_now = true;
        return false;
      }
    }
    return park.funnel.try_park(1, true);
  }
  void await_resume() const noexcept {}
};

// Suspends until \p wakeups branch wake-ups have arrived: a loser that was
// woken but whose waker has not reached the funnel yet still points into
// this frame.
struct await_wakeups {
  inline_select_park &park;
  std::uint32_t wakeups;

  bool await_ready() const noexcept { return park.funnel.woken() >= wakeups; }
  bool await_suspend(std::coroutine_handle<> h) {
    park.self.capture(h);
    return park.funnel.try_park(wakeups, false);
  }
  void await_resume() const noexcept {}
};

// Lets the other tasks run once without observing cancellation: the select
// has taken its winner's outcome and must deliver it.
struct yield_keeping_result {
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h) const {
    current_scheduler().schedule(h, scheduler::current_task());
  }
  void await_resume() const noexcept {}
};

// The winner's outcome, at its index.
template <class Variant, std::size_t I, class Operation>
Variant outcome_of(Operation &operation) {
  if constexpr (std::is_void_v<decltype(operation.await_resume())>) {
    operation.await_resume();
    return Variant(std::in_place_index<I>, std::monostate{});
  } else {
    return Variant(std::in_place_index<I>, operation.await_resume());
  }
}

template <class... Operands>
task<std::variant<inline_result_t<Operands>...>>
inline_select_impl(bool biased, Operands... operands) {
  using result_type = std::variant<inline_result_t<Operands>...>;
  constexpr std::size_t count = sizeof...(Operands);
  constexpr auto indices = std::make_index_sequence<count>{};
  throw_if_cancelled(); // a cancelled task polls nothing
  // In the frame: a parked operation never moves.
  std::tuple<typename awaiter_type<Operands>::type...> operations(
      operation_of(operands)...);
  std::size_t first = biased ? 0 : current_scheduler().random_index(count);
  auto for_each_in_order = [&](auto f) {
    for (std::size_t k = 0; k < count; ++k)
      at_index((first + k) % count, [&](auto i) { f(i, k); }, indices);
  };

  std::optional<std::size_t> winner;
  for_each_in_order([&](auto i, std::size_t) {
    if (!winner && inline_branch::poll(std::get<i.value>(operations)))
      winner = i.value;
  });
  if (winner) {
    if (!scheduler::spend_budget())
      co_await yield_keeping_result{};
  } else {
    inline_select_park park;
    std::size_t published = 0;
    bool last_completed_now = false;
    co_await publish_and_park<decltype(operations)>{
        operations, park, first, published, last_completed_now};
    clear_cancel_hook();
    // Withdraw each; the first that could not be wins, the others give back
    // what they got. Each one woken has a waker that will reach the funnel;
    // one that completed in publish has none.
    std::uint32_t woken = 0;
    for_each_in_order([&](auto i, std::size_t k) {
      auto &operation = std::get<i.value>(operations);
      if (k >= published || inline_branch::withdraw(operation))
        return;
      if (!(last_completed_now && k + 1 == published))
        ++woken;
      if (!winner)
        winner = i.value;
      else
        inline_branch::give_back(operation);
    });
    co_await await_wakeups{park, woken};
    if (!winner)
      throw cancelled();
  }
  // The branch of an outer select that this select decides (nested selects
  // as branches) claims it now; if another branch has won it, what this
  // one took goes back.
  task_context *self = scheduler::current_task();
  if (self && self->branch_of &&
      std::exchange(self->decided_by_first_select, false) &&
      !self->branch_of->try_claim(self->branch_index)) {
    at_index(
        *winner,
        [&](auto i) {
          inline_branch::give_back(std::get<i.value>(operations));
        },
        indices);
    throw cancelled();
  }
  std::optional<result_type> result;
  at_index(
      *winner,
      [&](auto i) {
        result.emplace(
            outcome_of<result_type, i.value>(std::get<i.value>(operations)));
      },
      indices);
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

namespace detail {
/// select's two ways: inline when every operand is an asyncrt operation,
/// else each operand as a child task.
template <class... As>
task<std::variant<operand_result_t<As>...>> select_of(bool biased,
                                                      As &&...operands) {
  auto decided = [&] {
    if constexpr ((polls_inline_v<As> && ...))
      return inline_select_impl(
          biased, std::decay_t<As>(std::forward<As>(operands))...);
    else
      return select_impl(biased, operand_task(std::forward<As>(operands))...);
  }();
  task_access::mark_select(decided);
  return decided;
}
} // namespace detail

/// The first operand to finish wins: the others are cancelled and awaited,
/// then the winner's value is returned (at the index of its operand) or its
/// exception rethrown. Starts the branches from a random one.
template <class... As>
ASYNCRT_SELECT_LIKE task<std::variant<detail::operand_result_t<As>...>>
select(As &&...operands) {
  return detail::select_of(false, std::forward<As>(operands)...);
}

/// select, always starting from the first branch (tokio's `biased;`).
template <class... As>
ASYNCRT_SELECT_LIKE task<std::variant<detail::operand_result_t<As>...>>
select_biased(As &&...operands) {
  return detail::select_of(true, std::forward<As>(operands)...);
}

namespace detail {
// The first branch's value, or nullopt if the timer won. The select is this
// task's only await: its winner is the result.
template <class T>
task<std::optional<T>>
value_or_nullopt(task<std::variant<T, std::monostate>> race) {
  auto winner = co_await std::move(race);
  if (winner.index() == 1)
    co_return std::nullopt;
  co_return std::move(std::get<0>(winner));
}

/// timeout: a biased select of the operand against the timer (inline or
/// child tasks, as select_of decides).
template <class A>
task<std::optional<operand_result_t<A>>> timeout_of(sleep_awaiter timer,
                                                    A &&operand) {
  auto decided = value_or_nullopt(
      select_of(true, std::forward<A>(operand), std::move(timer)));
  task_access::mark_select(decided);
  return decided;
}
} // namespace detail

/// The value of \p operand (any awaitable), or nullopt when \p limit of the
/// runtime's time elapses first; then \p operand is cancelled and awaited.
template <class Rep, class Period, class A>
ASYNCRT_SELECT_LIKE task<std::optional<detail::operand_result_t<A>>>
timeout(std::chrono::duration<Rep, Period> limit, A &&operand) {
  return detail::timeout_of(sleep(limit), std::forward<A>(operand));
}

/// The value of \p operand, or nullopt when the runtime's clock reaches
/// \p deadline first; then \p operand is cancelled and awaited. tokio's
/// timeout_at: a loop of retries can share one deadline.
template <class A>
ASYNCRT_SELECT_LIKE task<std::optional<detail::operand_result_t<A>>>
timeout_at(clock::time_point deadline, A &&operand) {
  return detail::timeout_of(sleep_until(deadline), std::forward<A>(operand));
}

} // namespace asyncrt

#endif // ASYNCRT_COMBINATORS_HPP
