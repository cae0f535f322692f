// The umbrella header: everything asyncrt offers (docs/runtime.md).
#ifndef ASYNCRT_ASYNCRT_HPP
#define ASYNCRT_ASYNCRT_HPP

#include <asyncrt/annotations.hpp>
#include <asyncrt/blocking.hpp>
#include <asyncrt/broadcast.hpp>
#include <asyncrt/cancellation_token.hpp>
#include <asyncrt/cancelled.hpp>
#include <asyncrt/combinators.hpp>
#include <asyncrt/debug.hpp>
#include <asyncrt/join_set.hpp>
#include <asyncrt/mpsc.hpp>
#include <asyncrt/mutex.hpp>
#include <asyncrt/notify.hpp>
#include <asyncrt/oneshot.hpp>
#include <asyncrt/runtime.hpp>
#include <asyncrt/rwlock.hpp>
#include <asyncrt/semaphore.hpp>
#include <asyncrt/spawn.hpp>
#include <asyncrt/stream.hpp>
#include <asyncrt/stream_adaptors.hpp>
#include <asyncrt/task.hpp>
#include <asyncrt/task_group.hpp>
#include <asyncrt/time.hpp>
#include <asyncrt/waker.hpp>
#include <asyncrt/watch.hpp>

#endif // ASYNCRT_ASYNCRT_HPP
