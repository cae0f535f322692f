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
// select and timeout run in the selecting task, as tokio's select! does, and
// start no task. Over asyncrt operations only, they poll the operations
// themselves: the first ready wins, the others are withdrawn from their
// primitives, and one that had been granted something meanwhile gives it
// back (a permit to its semaphore, a slot to its channel; a message it was
// told of stays queued). Otherwise every operand is a branch coroutine (an
// operand that is not a task is awaited by a small task of its own) that
// the select resumes itself, one at a time; the first to finish wins, and
// a loser is dropped where it is parked on an asyncrt operation (its
// destructors run, the operation gives back what it was granted, the code
// after that co_await does not run) or else cancelled and resumed until it
// finishes. join and try_join run each operand as a child task of the
// runtime, in parallel. None of these returns while a branch or child it
// started is still running. If the task that awaits one of them is itself
// cancelled, every branch and child is cancelled and awaited, then
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
#include <asyncrt/detail/short_mutex.hpp>
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
  enum class until { all, all_or_failure };

  explicit child_group(std::size_t count) : total(count) {}

  bool satisfied_locked(until mode) const {
    switch (mode) {
    case until::all:
      return finished == total;
    case until::all_or_failure:
      return finished == total || first_error;
    }
    return false;
  }
  static void on_child_done(void *group, std::size_t /*index*/,
                            const join_state_base &child) {
    static_cast<child_group *>(group)->child_done(child.error);
  }
  void child_done(std::exception_ptr error) {
    waiter *w = nullptr;
    {
      std::lock_guard lock(mutex);
      ++finished;
      if (error && !first_error)
        first_error = error;
      if (parked && satisfied_locked(wait_mode))
        w = std::exchange(parked, nullptr);
    }
    if (w)
      w->wake();
  }

  std::exception_ptr error() {
    std::lock_guard lock(mutex);
    return first_error;
  }
  bool reached(until mode) {
    std::lock_guard lock(mutex);
    return satisfied_locked(mode);
  }

  short_mutex mutex;
  std::size_t total;
  std::size_t finished = 0;
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
  // The task waits for children it owns: destroying it would leave them
  // running.
  static constexpr bool drops_cleanly = false;
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
  return spawn_on(s, std::move(work),
                  {std::source_location::current(),
                   {&child_group::on_child_done, group.get(), index, group}});
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

// Spawns the children, in order.
template <class... Ts, std::size_t... I>
std::tuple<join_handle<Ts>...>
spawn_children(scheduler &s, const std::shared_ptr<child_group> &group,
               std::index_sequence<I...>, task<Ts> &...work) {
  return {spawn_child(s, group, I, std::move(work))...};
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

// --- select over tasks: each branch resumed by the selecting task --------
//
// When an operand is a task (or any awaitable that is not one of asyncrt's
// operations, run as a small task of its own), select resumes each branch
// itself, in its own task, as tokio polls a select's futures: a branch runs
// only when the select resumes it, from the start index, and a branch's
// wake-up only marks it woken (task_branches) and resumes the select. The
// first branch to finish wins; the branches after it in that round never
// start. Each loser is cancelled; one parked on an asyncrt operation is
// then destroyed where it is parked, without being resumed (its
// destructors run and the operation gives back what it was granted, as
// when tokio drops a losing future), once its wake-up has arrived; any
// other loser is resumed until it finishes (it sees asyncrt::cancelled at
// its next cancellation point). select returns when every branch has.

/// Calls \p f with std::integral_constant<std::size_t, index>.
template <class F, std::size_t... I>
void at_index(std::size_t index, F &&f, std::index_sequence<I...>) {
  ((index == I ? f(std::integral_constant<std::size_t, I>{}) : void()), ...);
}

// While it is linked, cancelling the running task cancels the select's
// branches at once. The select links it only before it first suspends:
// until then it runs on its own thread without a pause, and a cancellation
// from another thread meanwhile is found by link(), which cancels the
// branches then, wherever they wait, before the select parks. So a select
// decided without suspending, the common case, takes the task's lock not
// at all, where linking at its start took it twice.
class branches_link {
public:
  branches_link(task_context *self, task_branches &branches) noexcept
      : self_(self), branches_(branches) {}
  branches_link(const branches_link &) = delete;
  branches_link &operator=(const branches_link &) = delete;
  ~branches_link() {
    if (!linked_)
      return;
    std::lock_guard lock(self_->mutex);
    self_->cancel_children = {};
  }

  /// The select is about to suspend. Idempotent.
  void link() {
    if (linked_ || !self_)
      return;
    std::lock_guard lock(self_->mutex);
    self_->cancel_children = {&task_branches::cancel_all, &branches_};
    linked_ = true;
    if (self_->is_cancelled())
      task_branches::cancel_all(&branches_);
  }

private:
  task_context *self_;
  task_branches &branches_;
  bool linked_ = false;
};

// Suspends the select until a branch is woken. A branch woken while the
// select is undecided (one that yielded, or one another branch woke) runs
// again only after the select's task has yielded, as tokio's select!
// returns Pending and is polled again: a branch that keeps waking itself
// must not hold the thread. Once decided, the losers are dropped or
// unwound at once, while the task's cooperative budget lasts.
struct await_branches {
  task_branches &branches;
  branches_link &link;
  bool await_ready() const noexcept {
    return branches.decided() && branches.any_woken() &&
           scheduler::spend_budget();
  }
  bool await_suspend(std::coroutine_handle<> h) {
    link.link();
    if (branches.any_woken()) {
      yield_task(h);
      return true;
    }
    waiter self;
    self.capture(h);
    return branches.try_park(self);
  }
  void await_resume() const noexcept {}
};

// A won operation's outcome, at its index.
template <class Variant, std::size_t I, class Operation>
Variant outcome_of(Operation &operation) {
  if constexpr (std::is_void_v<decltype(operation.await_resume())>) {
    operation.await_resume();
    return Variant(std::in_place_index<I>, std::monostate{});
  } else {
    return Variant(std::in_place_index<I>, operation.await_resume());
  }
}

// A finished branch's outcome, at its index (a task's exception is rethrown).
template <class Variant, std::size_t I, class T>
Variant outcome_of(task<T> &branch) {
  if constexpr (std::is_void_v<T>) {
    task_access::frame(branch).promise().take();
    return Variant(std::in_place_index<I>, std::monostate{});
  } else {
    return Variant(std::in_place_index<I>,
                   task_access::frame(branch).promise().take());
  }
}

/// The outcome of \p branches' element \p winner (an operation or a task),
/// returned as it is made. Filling a std::optional<Variant> through
/// at_index and moving the variant out again made GCC store it in pieces
/// and load it whole at once, a store-forwarding stall that took about an
/// eighth of a two-branch select's own samples in a profile.
template <class Variant, std::size_t I = 0, class Branches>
Variant winner_outcome(std::size_t winner, Branches &branches) {
  if constexpr (I + 1 < std::tuple_size_v<Branches>)
    if (winner != I)
      return winner_outcome<Variant, I + 1>(winner, branches);
  return outcome_of<Variant, I>(std::get<I>(branches));
}

template <class... Ts>
task<std::variant<stored_t<Ts>...>> select_impl(bool biased, task<Ts>... work) {
  using result_type = std::variant<stored_t<Ts>...>;
  constexpr std::size_t count = sizeof...(Ts);
  static_assert(count <= task_branches::max_branches,
                "asyncrt::select: too many branches");
  constexpr auto indices = std::index_sequence_for<Ts...>{};
  // The operands are this select's now, run or not: dropping them here is
  // no forgotten task (debug builds would report one).
  (task_access::adopt(work), ...);
  throw_if_cancelled(); // a cancelled task starts no new branches
  scheduler &s = current_scheduler();
  task_context *self = scheduler::current_task();
  // Declared before the branches, which go first when the frame is
  // destroyed while parked (at shutdown): a select nested in a branch still
  // touches the branch's context as it goes.
  branch_contexts<count> contexts;
  std::array<std::coroutine_handle<>, count> resume_at{};
  task_branches branches(resume_at.data(), contexts.data(), count, self);
  std::tuple<task<Ts>...> branches_of(std::move(work)...);
  std::apply(
      [&](auto &...b) {
        resume_at = {task_access::frame(b)...}; // each starts at its top
      },
      branches_of);
  auto branch_done = [&](std::size_t i) {
    bool done = false;
    at_index(
        i,
        [&](auto b) {
          done = task_access::frame(std::get<b.value>(branches_of)).done();
        },
        indices);
    return done;
  };
  std::array<bool, count> finished{};
  for (std::size_t k = 0; k < count; ++k) {
    contexts[k].driven_by = &branches;
    contexts[k].driven_index = k;
    if (self)
      contexts[k].spawned_at = self->spawned_at;
  }
  {
    std::size_t k = 0;
    std::apply(
        [&](auto &...b) {
          ((contexts[k++].decided_by_first_select = task_access::is_select(b)),
           ...);
        },
        branches_of);
  }
  branches_link linked(self, branches);

  std::size_t first = biased ? 0 : s.random_index(count);
  std::size_t remaining = count;
  std::uint32_t woken = (1u << count) - 1; // every branch, to start it
  for (;;) {
    // This select's own branch lost meanwhile: no branch may win now.
    if (self && self->lost && !branches.decided())
      branches.give_up();
    for (std::size_t k = 0; k < count; ++k) {
      std::size_t i = (first + k) % count;
      if (!(woken & (1u << i)) || finished[i])
        continue;
      if (branches.decided() && branches.winner() != i &&
          (!branches.started(i) || contexts[i].parked_droppable)) {
        // A loser dropped where it is parked (or before it starts).
        at_index(
            i, [&](auto b) { std::get<b.value>(branches_of) = {}; }, indices);
        finished[i] = true;
        --remaining;
        continue;
      }
      branches.starting(i);
      contexts[i].parked_droppable = false;
      s.run_inline(branches.resume_at(i), &contexts[i]);
      if (!branch_done(i))
        continue;
      finished[i] = true;
      --remaining;
      branches.claim(i);
    }
    if (remaining == 0)
      break;
    co_await await_branches{branches, linked};
    woken = branches.take_woken();
  }
  std::optional<std::size_t> winner = branches.winner();
  if (!winner)
    throw cancelled();
  co_return winner_outcome<result_type>(*winner, branches_of);
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
  void await_suspend(std::coroutine_handle<> h) const { yield_task(h); }
  void await_resume() const noexcept {}
};

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
  // In a branch of a select over tasks: if that branch has lost, or this
  // select decides it (a nested select) and claiming it fails, what this
  // select took goes back.
  task_context *self = scheduler::current_task();
  if (self && self->driven_by &&
      (self->lost || (std::exchange(self->decided_by_first_select, false) &&
                      !self->driven_by->claim(self->driven_index)))) {
    at_index(
        *winner,
        [&](auto i) {
          inline_branch::give_back(std::get<i.value>(operations));
        },
        indices);
    throw cancelled();
  }
  co_return winner_outcome<result_type>(*winner, operations);
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
/// else each operand as a branch coroutine that the select resumes.
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

/// timeout: a biased select of the operand against the timer (operations
/// or branch coroutines, as select_of decides).
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
