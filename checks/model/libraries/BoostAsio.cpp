//===--- BoostAsio.cpp - the model's table for Boost.Asio -----------------===//

#include "model/LibraryTable.h"
#include "utils/Awaitable.h"
#include "utils/BodyStatements.h"
#include "utils/NameList.h"
#include "clang/AST/ExprCXX.h"

namespace clang::tidy::corolint::model {

namespace {

bool isAsioOr(const FunctionDecl *F) {
  return F && F->getOverloadedOperator() == OO_PipePipe &&
         llvm::StringRef(qualifiedName(F))
             .starts_with("boost::asio::experimental::awaitable_operators::");
}

// `a || b || c` (experimental/awaitable_operators.hpp), flattened.
void flattenOr(const Expr *E, SelectForm &Out) {
  const Expr *S = stripWrappers(E);
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(S);
      Op && isAsioOr(Op->getDirectCallee()) && Op->getNumArgs() == 2) {
    Out.Inner.insert(Op);
    flattenOr(Op->getArg(0), Out);
    flattenOr(Op->getArg(1), Out);
    return;
  }
  Out.Branches.push_back(E);
}

// `a || b` and `make_parallel_group(ops...).async_wait(wait_for_one(), ...)`
// (experimental/parallel_group.hpp): the first to finish wins and the
// others are cancelled.
bool asioSelect(const CallExpr *Call, SelectForm &Out) {
  const FunctionDecl *Callee = Call->getDirectCallee();
  if (isAsioOr(Callee)) {
    Out.What = "'operator||'";
    flattenOr(Call, Out);
    return true;
  }
  const auto *Member = dyn_cast<CXXMemberCallExpr>(Call);
  if (!Member || !Callee || !Callee->getDeclName().isIdentifier() ||
      Callee->getName() != "async_wait" || Member->getNumArgs() < 1)
    return false;
  const auto *Group =
      dyn_cast<CallExpr>(stripWrappers(Member->getImplicitObjectArgument()));
  const CXXRecordDecl *Condition = recordForType(Member->getArg(0)->getType());
  if (!Group || !Group->getDirectCallee() ||
      qualifiedName(Group->getDirectCallee()) !=
          "boost::asio::experimental::make_parallel_group" ||
      !Condition || !Condition->getName().starts_with("wait_for_one"))
    return false;
  Out.What = "'make_parallel_group(...).async_wait'";
  for (const Expr *Op : Group->arguments())
    Out.Branches.push_back(Op);
  return true;
}

} // namespace

// Source of truth: Boost.Asio 1.81 (Debian's libboost1.81-dev:
// boost/asio/co_spawn.hpp, steady_timer.hpp, use_awaitable.hpp, post.hpp,
// thread_pool.hpp, io_context.hpp, read.hpp, write.hpp, connect.hpp,
// basic_stream_socket.hpp, basic_socket_acceptor.hpp,
// experimental/channel.hpp, experimental/parallel_group.hpp,
// experimental/awaitable_operators.hpp) and its documentation of which
// operations may be cancelled without loss. Asio has no semaphore: a
// channel of capacity n serves as one.
LibraryTable boostAsioTable() {
  LibraryTable T;
  T.Name = "Boost.Asio";
  T.Source = "Boost.Asio 1.81 headers";
  T.Namespaces = {"boost::asio::"};
  T.role(Role::LazyTaskType) = {"boost::asio::awaitable"};
  T.role(Role::Spawn) = {"boost::asio::co_spawn"};
  T.role(Role::JoinAll) = {"boost::asio::experimental::make_parallel_group"};
  // A composed read or write of an exact amount loses what it has already
  // transferred; a single read_some/receive, a timer wait, an accept or a
  // channel receive takes nothing until it completes.
  T.role(Role::CancelUnsafe) = {
      "boost::asio::async_read",
      "boost::asio::async_write",
      "boost::asio::async_read_until",
      "boost::asio::async_read_at",
      "boost::asio::async_write_at",
      "boost::asio::experimental::basic_(concurrent_)?channel::async_send",
      "boost::asio::experimental::detail::channel_send_functions::async_send"};
  T.role(Role::CancelSafe) = {
      "boost::asio::basic_[a-z_]*socket::async_(read_some|receive|receive_"
      "from)",
      "boost::asio::basic_[a-z_]*timer::async_wait",
      "boost::asio::basic_signal_set::async_wait",
      "boost::asio::basic_socket_acceptor::async_accept",
      "boost::asio::experimental::basic_(concurrent_)?channel::async_receive"};
  // The synchronous forms of the asynchronous operations.
  T.blocking(BlockingKind::IO) = {
      "boost::asio::(read|write|read_until|read_at|write_at|connect)",
      "boost::asio::basic_[a-z_]*socket::(read_some|write_some|receive|send|"
      "receive_from|send_to|connect|wait)",
      "boost::asio::basic_socket_acceptor::accept"};
  T.blocking(BlockingKind::Sleep) = {"boost::asio::basic_[a-z_]*timer::wait"};
  T.blocking(BlockingKind::BlockOn) = {
      "boost::asio::io_context::(run|run_one|run_for|run_until)"};
  T.blocking(BlockingKind::Join) = {"boost::asio::thread_pool::(join|wait)"};
  T.SelectByShape = asioSelect;
  T.advice(BlockingKind::Sleep) =
      "'co_await' a 'boost::asio::steady_timer' "
      "('timer.async_wait(boost::asio::use_awaitable)')";
  T.advice(BlockingKind::Future) =
      "'co_await' the asynchronous operation ('boost::asio::use_awaitable') "
      "instead of blocking on a std::future";
  T.advice(BlockingKind::Join) =
      "'co_await' the work ('boost::asio::co_spawn(..., "
      "boost::asio::use_awaitable)') instead of joining a thread";
  T.advice(BlockingKind::Wait) =
      "wait on an asynchronous primitive (a 'boost::asio::steady_timer' the "
      "notifier cancels, or a 'boost::asio::experimental::channel') instead";
  T.advice(BlockingKind::IO) =
      "use Boost.Asio's asynchronous I/O ('async_read', 'async_write' with "
      "'boost::asio::use_awaitable'), or switch to a "
      "'boost::asio::thread_pool' first ('co_await boost::asio::post(pool, "
      "boost::asio::use_awaitable)')";
  T.advice(BlockingKind::BlockOn) =
      "'co_await' the operation instead: running the 'io_context' from one of "
      "its own threads deadlocks";
  T.advice(BlockingKind::Offload) =
      "switch to a 'boost::asio::thread_pool' first ('co_await "
      "boost::asio::post(pool, boost::asio::use_awaitable)')";
  T.advice(BlockingKind::Spin) =
      "yield inside it ('co_await boost::asio::post(co_await "
      "boost::asio::this_coro::executor, boost::asio::use_awaitable)'), or "
      "move the work to a 'boost::asio::thread_pool'";
  T.advice(FanoutKind::SpawnInLoop) =
      "take a slot from a 'boost::asio::experimental::channel' of capacity n "
      "before each 'co_spawn' and give it back when the task ends, or spawn "
      "in batches awaited with "
      "'boost::asio::experimental::make_parallel_group'";
  T.advice(FanoutKind::JoinAll) =
      "wait on batches of at most n operations (one 'make_parallel_group' per "
      "batch), or bound them with a 'boost::asio::experimental::channel' of "
      "capacity n";
  return T;
}

} // namespace clang::tidy::corolint::model
