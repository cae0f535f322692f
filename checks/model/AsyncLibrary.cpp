//===--- AsyncLibrary.cpp - which async library a coroutine uses ----------===//

#include "model/AsyncLibrary.h"
#include "model/LibraryTable.h"
#include "utils/Awaitable.h"
#include "utils/NameList.h"

namespace clang::tidy::corolint::model {

AsyncLibrary libraryOfName(llvm::StringRef Name) {
  struct Prefix {
    llvm::StringRef Namespace;
    AsyncLibrary Library;
  };
  static const Prefix Prefixes[] = {
      {"asyncrt::", AsyncLibrary::Asyncrt},
      {"boost::asio::", AsyncLibrary::BoostAsio},
      {"boost::cobalt::", AsyncLibrary::BoostCobalt},
      {"cppcoro::", AsyncLibrary::Cppcoro},
      {"coro::", AsyncLibrary::Libcoro},
      {"folly::coro::", AsyncLibrary::FollyCoro},
      {"async_simple::", AsyncLibrary::AsyncSimple},
      {"concurrencpp::", AsyncLibrary::Concurrencpp},
      {"QCoro::", AsyncLibrary::QCoro},
      {"exec::", AsyncLibrary::Stdexec},
  };
  for (const Prefix &P : Prefixes)
    if (Name.starts_with(P.Namespace))
      return P.Library;
  return AsyncLibrary::Unknown;
}

AsyncLibrary libraryOfCoroutine(const FunctionDecl *Coroutine) {
  const CXXRecordDecl *Result =
      Coroutine ? recordForType(Coroutine->getReturnType()) : nullptr;
  return Result ? libraryOfName(qualifiedName(Result)) : AsyncLibrary::Unknown;
}

llvm::StringRef libraryName(AsyncLibrary Library) {
  switch (Library) {
  case AsyncLibrary::Unknown:
    return "";
  case AsyncLibrary::Asyncrt:
    return "asyncrt";
  case AsyncLibrary::BoostAsio:
    return "Boost.Asio";
  case AsyncLibrary::BoostCobalt:
    return "Boost.Cobalt";
  case AsyncLibrary::Cppcoro:
    return "cppcoro";
  case AsyncLibrary::Libcoro:
    return "libcoro";
  case AsyncLibrary::FollyCoro:
    return "folly::coro";
  case AsyncLibrary::AsyncSimple:
    return "async_simple";
  case AsyncLibrary::Concurrencpp:
    return "concurrencpp";
  case AsyncLibrary::QCoro:
    return "QCoro";
  case AsyncLibrary::Stdexec:
    return "stdexec";
  }
  return "";
}

static const LibraryTable &tableOf(AsyncLibrary Library) {
  switch (Library) {
  case AsyncLibrary::Asyncrt:
    return AsyncrtTable;
  case AsyncLibrary::BoostAsio:
    return BoostAsioTable;
  default:
    return NeutralTable;
  }
}

llvm::StringRef blockingAlternative(BlockingKind Kind, AsyncLibrary Library) {
  return tableOf(Library).Blocking[static_cast<size_t>(Kind)];
}

llvm::StringRef fanoutAlternative(FanoutKind Kind, AsyncLibrary Library) {
  return tableOf(Library).Fanout[static_cast<size_t>(Kind)];
}

// asyncrt: spawn.hpp (spawn carries corolint::spawn_like), combinators.hpp
// (join_all). Boost.Asio 1.81: co_spawn.hpp, experimental/parallel_group.hpp.
llvm::StringRef knownSpawnFunctions() { return "::boost::asio::co_spawn"; }

llvm::StringRef knownJoinAllFunctions() {
  return "::asyncrt::join_all;::boost::asio::experimental::make_parallel_group";
}

} // namespace clang::tidy::corolint::model
