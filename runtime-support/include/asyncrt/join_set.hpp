// asyncrt::join_set: a set of spawned tasks of one result type, joined in
// the order they finish (tokio's JoinSet).
//
//   asyncrt::join_set<int> set;
//   for (int id : ids)
//     set.spawn(fetch(id));              // an abort_handle for each
//   while (std::optional<int> r = co_await set.join_next())
//     use(*r);                           // first finished, first out
//
// join_next() yields the result of a task that has finished, in the order
// they finish, waiting while none has; std::nullopt once the set is empty.
// A task that failed has its exception rethrown by join_next, and a task
// that was aborted throws asyncrt::cancelled there, as awaiting its join
// handle would; either way it has left the set. abort_handle::abort() and
// abort_all() cancel tasks of the set; detach_all() lets them run on their
// own. Destroying the set aborts every task still in it (they unwind on
// their own; nothing waits for them) and reports, through the runtime's
// diagnostics sink, a failure nobody joined, as dropping a join handle does.
//
// Thread safety: a join_set is one owner's (one task spawns into and joins
// it at a time); abort handles may be used from any thread. spawn() must be
// called on a runtime's thread.
// Cancellation: join_next() is cancel-safe and a cancellation point: a
// join_next cancelled while it waits takes nothing out of the set.
#ifndef ASYNCRT_JOIN_SET_HPP
#define ASYNCRT_JOIN_SET_HPP

#include <asyncrt/annotations.hpp>
#include <asyncrt/notify.hpp>
#include <asyncrt/spawn.hpp>
#include <asyncrt/task.hpp>

#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <source_location>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace asyncrt {

/// Cancels one task of a join_set (tokio's AbortHandle). Copyable;
/// thread-safe.
class abort_handle {
public:
  abort_handle() = default;
  /// Requests cancellation, as join_handle::abort. Idempotent; does nothing
  /// once the task has finished.
  void abort() const {
    if (state_ && !is_finished())
      state_->context.request_cancel();
  }
  /// True once the task has finished (value, exception or cancellation).
  bool is_finished() const noexcept {
    return state_ && state_->done.load(std::memory_order_acquire);
  }

private:
  template <class T> friend class join_set;
  explicit abort_handle(std::shared_ptr<detail::join_state_base> state)
      : state_(std::move(state)) {}
  std::shared_ptr<detail::join_state_base> state_;
};

namespace detail {

// What a join_set shares with the completion callbacks of its tasks, which
// may run on any worker after the set is gone.
template <class T> struct join_set_core {
  std::mutex mutex;
  std::unordered_map<std::size_t, std::shared_ptr<join_state<T>>> running;
  std::deque<std::shared_ptr<join_state<T>>> finished;
  // Tasks that finished before spawn() had recorded them (guarded by mutex).
  std::unordered_set<std::size_t> finished_early;
  std::size_t next_id = 0;
  notify ready; // a task finished

  static void task_finished(void *target, std::size_t id,
                            const join_state_base &) {
    auto &core = *static_cast<join_set_core *>(target);
    {
      std::lock_guard lock(core.mutex);
      auto it = core.running.find(id);
      if (it == core.running.end()) {
        core.finished_early.insert(id);
        return;
      }
      core.finished.push_back(std::move(it->second));
      core.running.erase(it);
    }
    core.ready.notify_one();
  }
};

} // namespace detail

template <class T> class join_set {
public:
  using value_type = detail::stored_t<T>;

  join_set() : core_(std::make_shared<detail::join_set_core<T>>()) {}
  join_set(const join_set &) = delete;
  join_set &operator=(const join_set &) = delete;
  /// Aborts every task still in the set; see the header comment.
  ~join_set() {
    abort_all();
    detach_all();
  }

  /// Spawns \p work on the current runtime into the set. Must be called on
  /// one of the runtime's threads.
  ASYNCRT_SPAWN_LIKE abort_handle
  spawn(task<T> work,
        std::source_location where = std::source_location::current()) {
    detail::join_set_core<T> &core = *core_;
    std::size_t id;
    {
      std::lock_guard lock(core.mutex);
      id = core.next_id++;
    }
    detail::completion_callback done{&detail::join_set_core<T>::task_finished,
                                     &core, id, core_};
    join_handle<T> handle =
        detail::spawn_on(detail::current_scheduler(), std::move(work),
                         {where, std::move(done), /*report_if_lost=*/true});
    // The set holds the state instead of the handle (the handle, emptied,
    // detaches nothing).
    std::shared_ptr<detail::join_state<T>> state =
        std::move(detail::handle_access::state(handle));
    bool already_finished;
    {
      std::lock_guard lock(core.mutex);
      already_finished = core.finished_early.erase(id) > 0;
      if (already_finished)
        core.finished.push_back(state);
      else
        core.running.emplace(id, state);
    }
    if (already_finished)
      core.ready.notify_one();
    return abort_handle(std::move(state));
  }

  /// The result of the next task to finish, waiting while none has;
  /// std::nullopt when the set is empty. Rethrows a failed task's exception
  /// (asyncrt::cancelled for an aborted one). Cancel-safe.
  ASYNCRT_CANCEL_SAFE task<std::optional<value_type>> join_next() {
    std::shared_ptr<detail::join_set_core<T>> core = core_;
    while (true) {
      // A join_next that has lost a select (or was aborted) takes nothing:
      // between this check and co_return nothing suspends.
      detail::throw_if_cancelled();
      std::shared_ptr<detail::join_state<T>> done;
      bool empty;
      {
        std::lock_guard lock(core->mutex);
        if (!core->finished.empty()) {
          done = std::move(core->finished.front());
          core->finished.pop_front();
        }
        empty = !done && core->running.empty();
      }
      if (done) {
        if (done->error) {
          done->observe_error();
          done->handle_dropped();
          std::rethrow_exception(done->error);
        }
        done->handle_dropped();
        co_return std::move(*done->value);
      }
      if (empty)
        co_return std::nullopt;
      co_await core->ready.notified();
    }
  }

  /// Requests cancellation of every task in the set; they stay in it until
  /// joined.
  void abort_all() {
    std::lock_guard lock(core_->mutex);
    for (auto &[id, state] : core_->running)
      state->context.request_cancel();
  }

  /// Removes every task from the set and lets it run on its own; a failure
  /// nobody observes is reported, as for a dropped join handle.
  void detach_all() {
    std::vector<std::shared_ptr<detail::join_state<T>>> dropped;
    {
      std::lock_guard lock(core_->mutex);
      for (auto &[id, state] : core_->running)
        dropped.push_back(std::move(state));
      for (auto &state : core_->finished)
        dropped.push_back(std::move(state));
      core_->running.clear();
      core_->finished.clear();
    }
    for (auto &state : dropped)
      state->handle_dropped();
  }

  /// Tasks in the set: running, or finished and not yet joined.
  std::size_t size() const {
    std::lock_guard lock(core_->mutex);
    return core_->running.size() + core_->finished.size();
  }
  bool empty() const { return size() == 0; }

private:
  std::shared_ptr<detail::join_set_core<T>> core_;
};

} // namespace asyncrt

#endif // ASYNCRT_JOIN_SET_HPP
