// What owns a spawned task's frame in place of a task object: its join
// state (spawn.hpp). Not a public API.
//
// The scheduler resumes a spawned task's frame directly; when the body has
// finished, the final suspend hands the frame to its owner, which takes the
// outcome and destroys it, instead of resuming an awaiter. So a spawn needs
// no driver coroutine of its own (one frame and one allocation fewer). The
// scheduler reaches the owner through the task's root_context
// (task_context.hpp) for the two events it sees first.
#ifndef ASYNCRT_DETAIL_TASK_OWNER_HPP
#define ASYNCRT_DETAIL_TASK_OWNER_HPP

#include <coroutine>

namespace asyncrt::detail {

struct task_owner {
  /// The body has finished (the promise holds its value or exception) and
  /// the frame is suspended for good: the owner takes the outcome and
  /// destroys the frame.
  virtual void body_finished(std::coroutine_handle<> frame) noexcept = 0;
  /// The frame is being destroyed before its body finished (shutdown).
  virtual void frame_dropped() noexcept = 0;
  /// The task was cancelled before its first turn: the scheduler calls this
  /// instead of resuming it, and the owner destroys the frame unrun and
  /// finishes the task as cancelled, as tokio drops a task aborted before
  /// its first poll.
  virtual void drop_unstarted() noexcept = 0;
  /// Shutdown is about to destroy the task's suspended frame: the owner
  /// marks the task finished as cancelled without waking anyone.
  virtual void abandon() noexcept = 0;

protected:
  ~task_owner() = default;
};

} // namespace asyncrt::detail

#endif // ASYNCRT_DETAIL_TASK_OWNER_HPP
