//===--- Neutral.cpp - the model's table for any other library -----------===//

#include "model/LibraryTable.h"

namespace clang::tidy::corolint::model {

// For a library without a table of its own: advice that names no API.
const LibraryTable NeutralTable = {
    {
        "'co_await' the runtime's timer instead",
        "'co_await' the operation instead of blocking on a std::future",
        "'co_await' the work (a task or its handle) instead of joining a "
        "thread",
        ("wait on an asynchronous primitive (an event, a channel, a semaphore) "
         "instead"),
        ("use asynchronous I/O, or run the call on a thread pool and "
         "'co_await' "
         "its result"),
        ("'co_await' the task instead: blocking on the runtime from one of its "
         "worker threads deadlocks"),
        "run the call on a thread pool and 'co_await' its result",
        ("suspend inside it (yield to the runtime), or run the work on a "
         "thread "
         "pool and 'co_await' its result"),
    },
    {
        ("bound how many run at once: take a semaphore permit before each "
         "spawn, "
         "or spawn and await them in batches"),
        "await them in batches of at most n, or bound them with a semaphore",
    },
};

} // namespace clang::tidy::corolint::model
