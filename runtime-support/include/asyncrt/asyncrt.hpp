// The umbrella header: everything asyncrt offers.
//
// Status: asyncrt is being built (see docs/runtime.md). What exists today is
// the task type and the linter annotations; the scheduler, timers,
// synchronisation, channels and streams follow.
#ifndef ASYNCRT_ASYNCRT_HPP
#define ASYNCRT_ASYNCRT_HPP

#include <asyncrt/annotations.hpp>
#include <asyncrt/task.hpp>

#endif // ASYNCRT_ASYNCRT_HPP
