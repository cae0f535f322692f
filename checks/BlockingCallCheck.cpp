//===--- BlockingCallCheck.cpp - async-blocking-call ----------------------===//

#include "BlockingCallCheck.h"
#include "model/AsyncLibrary.h"
#include "utils/Annotations.h"
#include "utils/BodyStatements.h"
#include "clang/AST/ExprCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "llvm/ADT/StringSwitch.h"
#include <optional>

using namespace clang::ast_matchers;

namespace clang::tidy::corolint {

namespace {

// What a call blocks on, or nothing.
using Advice = std::optional<model::BlockingKind>;
using model::BlockingKind;

// Reading a string stream never waits; any other stream may be a terminal,
// a pipe or a socket.
bool isStringStream(llvm::StringRef ClassName) {
  return ClassName == "std::basic_istringstream" ||
         ClassName == "std::basic_stringstream";
}

// The class of an expression as written, before derived-to-base conversions.
const CXXRecordDecl *classOfExpr(const Expr *E) {
  QualType T = E->IgnoreParenImpCasts()->getType().getNonReferenceType();
  if (T->isPointerType())
    T = T->getPointeeType();
  return T->getAsCXXRecordDecl();
}

const CXXRecordDecl *objectClass(const CXXMemberCallExpr *Call) {
  const Expr *Object = Call->getImplicitObjectArgument();
  return Object ? classOfExpr(Object) : nullptr;
}

bool isGlobalCFunction(const FunctionDecl *F) {
  return F->isExternC() ||
         F->getDeclContext()->getRedeclContext()->isTranslationUnit();
}

// What the standard library and POSIX offer that blocks, and what to use
// instead.
Advice builtinAdvice(const CallExpr *Call, const FunctionDecl *F) {
  if (!F->getDeclName().isIdentifier())
    return std::nullopt;
  llvm::StringRef Name = F->getName();
  std::string Qualified = qualifiedName(F);
  // A runtime's own blocking entry points, in any library.
  if (Name == "block_on" || Name == "sync_wait")
    return BlockingKind::BlockOn;
  if (isa<CXXMethodDecl>(F)) {
    // The class the call is made on, not the one declaring the method:
    // std::future<T>::wait is inherited from std::__basic_future.
    std::string ObjectClass =
        llvm::StringRef(Qualified).rsplit("::").first.str();
    if (const auto *Member = dyn_cast<CXXMemberCallExpr>(Call))
      if (const CXXRecordDecl *RD = objectClass(Member))
        ObjectClass = qualifiedName(RD);
    llvm::StringRef Class = ObjectClass;
    if ((Class == "std::future" || Class == "std::shared_future") &&
        (Name == "get" || Name.starts_with("wait")))
      return BlockingKind::Future;
    if ((Class == "std::thread" || Class == "std::jthread") && Name == "join")
      return BlockingKind::Join;
    if ((Class == "std::condition_variable" ||
         Class == "std::condition_variable_any") &&
        Name.starts_with("wait"))
      return BlockingKind::Wait;
    if ((Class == "std::latch" && Name == "wait") ||
        (Class == "std::barrier" && Name == "arrive_and_wait") ||
        (Class == "std::counting_semaphore" &&
         (Name == "acquire" || Name.starts_with("try_acquire_"))))
      return BlockingKind::Wait;
    if (Name == "getline" &&
        llvm::StringRef(Qualified).starts_with("std::basic_istream::") &&
        !isStringStream(Class))
      return BlockingKind::IO;
    return std::nullopt;
  }
  if (Qualified == "std::this_thread::sleep_for" ||
      Qualified == "std::this_thread::sleep_until")
    return BlockingKind::Sleep;
  if (Qualified == "std::getline" && Call->getNumArgs() >= 1) {
    const CXXRecordDecl *Stream = classOfExpr(Call->getArg(0));
    if (Stream && isStringStream(qualifiedName(Stream)))
      return std::nullopt;
    return BlockingKind::IO;
  }
  if (!isGlobalCFunction(F))
    return std::nullopt;
  return llvm::StringSwitch<Advice>(Name)
      .Cases("sleep", "usleep", "nanosleep", "clock_nanosleep",
             BlockingKind::Sleep)
      .Cases("read", "write", "recv", "send", "recvfrom", "sendto",
             BlockingKind::IO)
      .Cases("recvmsg", "sendmsg", "accept", "accept4", "connect",
             BlockingKind::IO)
      .Cases("poll", "ppoll", "select", "pselect", "epoll_wait",
             BlockingKind::IO)
      .Cases("fread", "fgets", "getline", "system", "waitpid", BlockingKind::IO)
      .Default(std::nullopt);
}

} // namespace

BlockingCallCheck::BlockingCallCheck(StringRef Name, ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context),
      RawBlockingFunctions(Options.getLocalOrGlobal("BlockingFunctions", "")),
      RawAllowedFunctions(Options.get("AllowedFunctions", "")),
      BlockingFunctions(RawBlockingFunctions),
      AllowedFunctions(RawAllowedFunctions) {
  diagnoseInvalidEntries(Context, Options, Name, "BlockingFunctions", true,
                         BlockingFunctions);
  diagnoseInvalidEntries(Context, Options, Name, "AllowedFunctions", false,
                         AllowedFunctions);
}

void BlockingCallCheck::storeOptions(ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "BlockingFunctions", RawBlockingFunctions);
  Options.store(Opts, "AllowedFunctions", RawAllowedFunctions);
}

void BlockingCallCheck::registerMatchers(MatchFinder *Finder) {
  Bodies.registerMatchers(Finder, this, /*CoroutinesOnly=*/true);
}

void BlockingCallCheck::check(const MatchFinder::MatchResult &Result) {
  const FunctionDecl *Function = Bodies.take(Result);
  const Stmt *Body = Function ? coroutineBody(Function) : nullptr;
  // A template is seen in its pattern and in each instantiation; calls that
  // are dependent in the pattern resolve only in an instantiation. Both
  // share the template's source locations: report each location once.
  if (!Body)
    return;
  forEachStatement(Body, [&](const Stmt *S) {
    const auto *Call = dyn_cast<CallExpr>(S);
    const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
    if (!Callee || AllowedFunctions.matches(Callee))
      return true;
    Advice A = builtinAdvice(Call, Callee);
    if (!A && (annotations::hasAnnotation(Callee, annotations::Blocking) ||
               BlockingFunctions.matches(Callee)))
      A = BlockingKind::Offload;
    if (!A || !Reported.insert(Call->getBeginLoc()).second)
      return true;
    // The advice is in the terms of the coroutine's own library.
    diag(Call->getBeginLoc(),
         "%0 blocks the thread that runs this coroutine; %1")
        << Callee->getDeclName()
        << model::blockingAlternative(*A, model::libraryOfCoroutine(Function))
        << Call->getSourceRange();
    return true;
  });
}

} // namespace clang::tidy::corolint
