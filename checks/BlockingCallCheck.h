//===--- BlockingCallCheck.h - async-blocking-call --------------*- C++ -*-===//

#ifndef COROLINT_CHECKS_BLOCKINGCALLCHECK_H
#define COROLINT_CHECKS_BLOCKINGCALLCHECK_H

#include "CoroutineBodyCheck.h"

namespace clang::tidy::corolint {

/// Finds calls, in a coroutine's own body, to functions that block the
/// thread: sleeps, waits on futures, threads and condition variables,
/// blocking POSIX and stdio I/O, a library's block_on/sync_wait and its
/// synchronous forms of asynchronous operations.
///
/// For the user-facing documentation see docs/checks/async-blocking-call.md.
class BlockingCallCheck : public CoroutineBodyCheck {
public:
  BlockingCallCheck(StringRef Name, ClangTidyContext *Context);

private:
  void checkBody(const FunctionDecl *Function, const Stmt *Body,
                 ASTContext &Ctx) override;
  const NameList AllowedFunctions;
};

} // namespace clang::tidy::corolint

#endif
