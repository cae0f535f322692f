//===--- Asyncrt.cpp - the model's table for asyncrt ---------------------===//

#include "model/LibraryTable.h"

namespace clang::tidy::corolint::model {

// Source of truth: runtime-support/include/asyncrt (time.hpp, spawn.hpp,
// blocking.hpp, mpsc.hpp, semaphore.hpp, stream_adaptors.hpp, task_group.hpp).
const LibraryTable AsyncrtTable = {
    {
        "use 'co_await asyncrt::sleep(...)'",
        "await the task or its join handle instead of a std::future",
        "await a join handle ('co_await asyncrt::spawn(...)') instead",
        "wait on an async primitive (a channel or a semaphore) instead",
        "use asynchronous I/O, or move the call into 'asyncrt::spawn_blocking'",
        ("'co_await' the task instead: blocking on the runtime from one of its "
         "worker threads deadlocks"),
        "move the call into 'asyncrt::spawn_blocking'",
        ("add 'co_await asyncrt::yield_now()' inside it, or move the work to "
         "'asyncrt::spawn_blocking'"),
    },
    {
        ("acquire a semaphore permit before spawning, or use "
         "'buffer_unordered(n)', 'for_each_concurrent(n, f)' or a task group "
         "with "
         "a concurrency limit"),
        ("use 'buffer_unordered(n)', 'for_each_concurrent(n, f)' or a task "
         "group "
         "with a concurrency limit"),
    },
};

} // namespace clang::tidy::corolint::model
