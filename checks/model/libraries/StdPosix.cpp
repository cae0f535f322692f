//===--- StdPosix.cpp - the model's table for the standard library and POSIX =//

#include "model/LibraryTable.h"
#include "utils/BodyStatements.h"
#include "utils/NameList.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/StringSwitch.h"

namespace clang::tidy::corolint::model {

namespace {

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

// Does \p Body compare against EAGAIN, EWOULDBLOCK or EINPROGRESS? Code
// that handles "would block" works on non-blocking descriptors (the
// read-until-EAGAIN loop, the non-blocking connect then poll), where the
// descriptor calls return at once.
bool handlesWouldBlock(const Stmt *Body, ASTContext &Ctx) {
  if (!Body)
    return false;
  const SourceManager &SM = Ctx.getSourceManager();
  bool Found = false;
  forEachStatement(Body, [&](const Stmt *S) {
    const auto *Literal = dyn_cast<IntegerLiteral>(S);
    for (SourceLocation Loc = Literal ? Literal->getBeginLoc()
                                      : SourceLocation();
         !Found && Loc.isMacroID(); Loc = SM.getImmediateMacroCallerLoc(Loc)) {
      llvm::StringRef Macro =
          Lexer::getImmediateMacroName(Loc, SM, Ctx.getLangOpts());
      Found =
          Macro == "EAGAIN" || Macro == "EWOULDBLOCK" || Macro == "EINPROGRESS";
    }
    return !Found;
  });
  return Found;
}

// `write(fd, &counter, sizeof counter)` with a 64-bit integer: signalling
// an eventfd, which returns at once (it waits only when the counter would
// overflow 2^64 - 1).
bool signalsEventfd(const CallExpr *Call, ASTContext &Ctx) {
  if (Call->getNumArgs() != 3)
    return false;
  const auto *Address =
      dyn_cast<UnaryOperator>(Call->getArg(1)->IgnoreParenImpCasts());
  if (!Address || Address->getOpcode() != UO_AddrOf)
    return false;
  QualType Counter = Address->getSubExpr()->getType();
  Expr::EvalResult Size;
  return Counter->isIntegerType() && Ctx.getTypeSize(Counter) == 64 &&
         Call->getArg(2)->EvaluateAsInt(Size, Ctx) && Size.Val.getInt() == 8;
}

bool isGlobalCFunction(const FunctionDecl *F) {
  return F->isExternC() ||
         F->getDeclContext()->getRedeclContext()->isTranslationUnit();
}

// Which calls block depends on the object a method is called on (the class
// it is called on, not the one declaring it: std::future<T>::wait is
// inherited from std::__basic_future) and on an argument's type (getline on
// a string stream does not block), so this table is code.
std::optional<BlockingKind> stdBlocking(const CallExpr *Call,
                                        const FunctionDecl *F, const Stmt *Body,
                                        ASTContext &Ctx) {
  if (!F->getDeclName().isIdentifier())
    return std::nullopt;
  llvm::StringRef Name = F->getName();
  std::string Qualified = qualifiedName(F);
  if (isa<CXXMethodDecl>(F)) {
    std::string ObjectClass =
        llvm::StringRef(Qualified).rsplit("::").first.str();
    if (const auto *Member = dyn_cast<CXXMemberCallExpr>(Call))
      if (const Expr *Object = Member->getImplicitObjectArgument())
        if (const CXXRecordDecl *RD = classOfExpr(Object))
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
  bool OnDescriptor =
      llvm::StringSwitch<bool>(Name)
          .Cases("read", "write", "recv", "send", "recvfrom", "sendto", true)
          .Cases("recvmsg", "sendmsg", "accept", "accept4", "connect", true)
          .Default(false);
  if (OnDescriptor && ((Name == "write" && signalsEventfd(Call, Ctx)) ||
                       handlesWouldBlock(Body, Ctx)))
    return std::nullopt;
  return llvm::StringSwitch<std::optional<BlockingKind>>(Name)
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

// Source of truth: the C++20 standard library (<thread>, <future>,
// <condition_variable>, <latch>, <barrier>, <semaphore>, <mutex>,
// <shared_mutex>, <istream>, <stop_token>) and POSIX.1-2017.
LibraryTable stdPosixTable() {
  LibraryTable T;
  T.Name = "the standard library";
  T.Source = "C++20 standard library headers; POSIX.1-2017";
  T.Namespaces = {"std::"};
  T.BlockingByShape = stdBlocking;
  // The defaults of upstream cppcoreguidelines-no-suspend-with-lock's and
  // misc-coroutine-hostile-raii's lists, which LockGuards keeps the name of.
  T.role(Role::LockGuard) = {"::std::lock_guard", "::std::scoped_lock",
                             "::std::unique_lock", "::std::shared_lock"};
  // A thread started with the handle, or an atomic that publishes it.
  T.role(Role::HandOff) = {
      "std::j?thread::j?thread",
      "std::(atomic|__atomic_base|__atomic_ref|__atomic_float)::(store|"
      "exchange|compare_exchange_weak|compare_exchange_strong)"};
  T.role(Role::Mutex) = {"::std::mutex",        "::std::recursive_mutex",
                         "::std::timed_mutex",  "::std::recursive_timed_mutex",
                         "::std::shared_mutex", "::std::shared_timed_mutex"};
  return T;
}

} // namespace clang::tidy::corolint::model
