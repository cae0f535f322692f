//===--- FanoutAlternatives.cpp - fan-out: who does it, how to bound it ---===//
//
// One table per library, each naming its source of truth. A library
// without a table gets the library-neutral one.
//
//===----------------------------------------------------------------------===//

#include "model/AsyncLibrary.h"

namespace clang::tidy::corolint::model {

namespace {

// Indexed by FanoutKind.
using Table = const char *const[2];

// asyncrt: runtime-support/include/asyncrt (semaphore.hpp,
// stream_adaptors.hpp, task_group.hpp).
Table Asyncrt = {
    ("acquire a semaphore permit before spawning, or use "
     "'buffer_unordered(n)', 'for_each_concurrent(n, f)' or a task group with "
     "a concurrency limit"),
    ("use 'buffer_unordered(n)', 'for_each_concurrent(n, f)' or a task group "
     "with a concurrency limit"),
};

// Boost.Asio 1.81 (Debian's libboost1.81-dev: boost/asio/co_spawn.hpp,
// experimental/channel.hpp, experimental/parallel_group.hpp): Asio has no
// semaphore; a channel of capacity n serves as one.
Table BoostAsio = {
    ("take a slot from a 'boost::asio::experimental::channel' of capacity n "
     "before each 'co_spawn' and give it back when the task ends, or spawn "
     "in batches awaited with "
     "'boost::asio::experimental::make_parallel_group'"),
    ("wait on batches of at most n operations (one 'make_parallel_group' per "
     "batch), or bound them with a 'boost::asio::experimental::channel' of "
     "capacity n"),
};

// Any other library: advice that names no API.
Table Neutral = {
    ("bound how many run at once: take a semaphore permit before each spawn, "
     "or spawn and await them in batches"),
    "await them in batches of at most n, or bound them with a semaphore",
};

} // namespace

// asyncrt: spawn.hpp (spawn carries corolint::spawn_like), combinators.hpp
// (join_all). Boost.Asio 1.81: co_spawn.hpp, experimental/parallel_group.hpp.
llvm::StringRef knownSpawnFunctions() { return "::boost::asio::co_spawn"; }

llvm::StringRef knownJoinAllFunctions() {
  return "::asyncrt::join_all;::boost::asio::experimental::make_parallel_group";
}

llvm::StringRef fanoutAlternative(FanoutKind Kind, AsyncLibrary Library) {
  auto Index = static_cast<size_t>(Kind);
  switch (Library) {
  case AsyncLibrary::Asyncrt:
    return Asyncrt[Index];
  case AsyncLibrary::BoostAsio:
    return BoostAsio[Index];
  default:
    return Neutral[Index];
  }
}

} // namespace clang::tidy::corolint::model
