// The umbrella header: everything asyncrt offers.
//
// Status: asyncrt is being built (see docs/runtime.md). What exists today:
// tasks, a current-thread runtime with spawn/abort, sleep, yield_now and a
// paused test clock, and the linter annotations. The multi-thread scheduler,
// join/select/timeout, synchronisation, channels and streams follow.
#ifndef ASYNCRT_ASYNCRT_HPP
#define ASYNCRT_ASYNCRT_HPP

#include <asyncrt/annotations.hpp>
#include <asyncrt/cancelled.hpp>
#include <asyncrt/combinators.hpp>
#include <asyncrt/runtime.hpp>
#include <asyncrt/semaphore.hpp>
#include <asyncrt/spawn.hpp>
#include <asyncrt/task.hpp>
#include <asyncrt/time.hpp>

#endif // ASYNCRT_ASYNCRT_HPP
