//===--- LockAcrossSuspendCheck.h - async-lock-across-suspend ---*- C++ -*-===//

#ifndef COROLINT_CHECKS_LOCKACROSSSUSPENDCHECK_H
#define COROLINT_CHECKS_LOCKACROSSSUSPENDCHECK_H

#include "ClangTidyCheck.h"
#include "utils/FunctionBodies.h"
#include "utils/NameList.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include <set>
#include <string>
#include <tuple>

namespace clang::tidy::corolint {

/// Finds suspension points (co_await, co_yield) in a coroutine reached on
/// some path while a synchronous lock is held: a lock guard that still owns
/// its lock, or a mutex locked with lock()/lock_shared()/a successful
/// try_lock() and not unlocked since. A dataflow over the coroutine body's
/// CFG, so unlock(), release(), moving the guard away and the end of its
/// scope all end the hold.
///
/// For the user-facing documentation see
/// docs/checks/async-lock-across-suspend.md.
class LockAcrossSuspendCheck : public ClangTidyCheck {
public:
  LockAcrossSuspendCheck(StringRef Name, ClangTidyContext *Context);
  void storeOptions(ClangTidyOptions::OptionMap &Opts) override;
  void registerMatchers(ast_matchers::MatchFinder *Finder) override;
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;
  void onEndOfTranslationUnit() override;
  bool isLanguageVersionSupported(const LangOptions &LangOpts) const override {
    return LangOpts.CPlusPlus20;
  }

  bool isLockGuardType(QualType T) const;
  bool isMutexType(QualType T) const;
  bool isAllowedAwaitable(QualType T) const;

private:
  enum class LockKind { None, Guard, Mutex };
  LockKind classify(QualType T) const;
  void analyseCoroutine(const FunctionDecl *Function, ASTContext &Ctx);

  const StringRef RawLockGuards;
  const StringRef RawMutexes;
  const StringRef RawAllowedAwaitables;
  const NameList LockGuards;
  const NameList Mutexes;
  const NameList AllowedAwaitables;
  FunctionBodies Bodies;
  mutable llvm::DenseMap<const Type *, LockKind> KindCache;
  /// Template instantiations share their pattern's locations: one report.
  std::set<std::tuple<unsigned, unsigned, std::string>> Reported;
};

} // namespace clang::tidy::corolint

#endif
