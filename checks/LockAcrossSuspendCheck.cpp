//===--- LockAcrossSuspendCheck.cpp - async-lock-across-suspend -----------===//
//
// A forward "may hold" dataflow over the CFG of each coroutine body. The
// state maps each lock that may be held to where it was taken; it grows at
// acquisitions, shrinks at releases, and is the union of the predecessors'
// states at a join. Every co_await/co_yield reached with a non-empty state is
// reported, once per lock.
//
//===----------------------------------------------------------------------===//

#include "LockAcrossSuspendCheck.h"
#include "utils/Annotations.h"
#include "utils/Awaitable.h"
#include "utils/BodyStatements.h"
#include "utils/FunctionBodies.h"
#include "utils/NameList.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Analysis/CFG.h"
#include "clang/Lex/Lexer.h"
#include <deque>
#include <map>
#include <optional>

using namespace clang::ast_matchers;

namespace clang::tidy::corolint {

namespace {

struct Hold {
  SourceLocation Acquired;
  /// How the diagnostic names the lock: the guard's or the mutex's spelling.
  std::string Name;
  bool IsGuard = false;
  /// For a guard, the mutex it locks (its lockKey), when it can be named.
  std::string Mutex;
};

// Keyed by a stable spelling of the lock's identity (see lockKey); ordered so
// that reports come out in a deterministic order.
using HoldMap = std::map<std::string, Hold>;

struct LockState {
  HoldMap Held;
  /// Guards just passed to std::move: a guard declared from one of them
  /// takes its hold over; anything else that consumes it ends the hold.
  HoldMap MovedOut;

  bool mergeFrom(const LockState &Other) {
    bool Changed = false;
    for (const auto &[Key, Lock] : Other.Held)
      Changed |= Held.emplace(Key, Lock).second;
    for (const auto &[Key, Lock] : Other.MovedOut)
      Changed |= MovedOut.emplace(Key, Lock).second;
    return Changed;
  }
};

std::string declKey(const ValueDecl *D) {
  return "d" +
         std::to_string(reinterpret_cast<uintptr_t>(D->getCanonicalDecl()));
}

// Identifies the object an expression denotes, as far as it can be named
// without running the program: a variable, a member of one, `this`'s member,
// or what a pointer variable points to. Empty when it cannot.
std::string lockKey(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (const auto *Ref = dyn_cast<DeclRefExpr>(E))
    return declKey(Ref->getDecl());
  if (const auto *Member = dyn_cast<MemberExpr>(E)) {
    std::string Base = lockKey(Member->getBase());
    if (Base.empty())
      return "";
    return Base + "." +
           std::to_string(reinterpret_cast<uintptr_t>(
               Member->getMemberDecl()->getCanonicalDecl()));
  }
  if (isa<CXXThisExpr>(E))
    return "this";
  if (const auto *Deref = dyn_cast<UnaryOperator>(E);
      Deref && Deref->getOpcode() == UO_Deref) {
    std::string Inner = lockKey(Deref->getSubExpr());
    return Inner.empty() ? "" : "*" + Inner;
  }
  return "";
}

std::string spelling(const Expr *E, const ASTContext &Ctx) {
  CharSourceRange Range = CharSourceRange::getTokenRange(E->getSourceRange());
  return Lexer::getSourceText(Range, Ctx.getSourceManager(), Ctx.getLangOpts())
      .str();
}

bool isStdFunction(const FunctionDecl *F, llvm::StringRef Name) {
  return F && F->isInStdNamespace() && F->getDeclName().isIdentifier() &&
         F->getName() == Name;
}

// The object a member call acts on, looking through `p->` to what p points to.
struct CallObject {
  std::string Key;
  QualType Type;
  const Expr *Spelled;
};

std::optional<CallObject> callObject(const CXXMemberCallExpr *Call) {
  const Expr *Object = Call->getImplicitObjectArgument();
  if (!Object)
    return std::nullopt;
  std::string Key = lockKey(Object);
  QualType Type = Object->getType();
  if (Type->isPointerType()) {
    Type = Type->getPointeeType();
    Key = Key.empty() ? "" : "*" + Key;
  }
  if (Key.empty())
    return std::nullopt;
  return CallObject{Key, Type, Object};
}

llvm::StringRef methodName(const CXXMemberCallExpr *Call) {
  const CXXMethodDecl *Method = Call->getMethodDecl();
  if (!Method || !Method->getDeclName().isIdentifier())
    return "";
  return Method->getName();
}

class Analysis {
public:
  Analysis(const LockAcrossSuspendCheck &Check, ASTContext &Ctx)
      : Check(Check), Ctx(Ctx) {}

  struct Finding {
    SourceLocation Suspension;
    Hold Lock;
  };

  std::vector<Finding> run(const FunctionDecl *Function) {
    CFG::BuildOptions Options;
    Options.AddImplicitDtors = true;
    Options.AddTemporaryDtors = true;
    Options.setAllAlwaysAdd();
    std::unique_ptr<CFG> Graph =
        CFG::buildCFG(Function, Function->getBody(), &Ctx, Options);
    if (!Graph)
      return {};
    solve(*Graph);
    std::vector<Finding> Findings;
    for (const CFGBlock *Block : *Graph) {
      LockState State = In[Block->getBlockID()];
      for (const CFGElement &Element : *Block)
        transfer(Element, State, &Findings);
    }
    return Findings;
  }

private:
  void solve(const CFG &Graph) {
    In.assign(Graph.getNumBlockIDs(), {});
    std::vector<bool> Queued(Graph.getNumBlockIDs(), true);
    std::deque<const CFGBlock *> Work;
    // Every block once, then again whenever its input grows. States only
    // grow and are bounded by the locks in the body, so this terminates.
    for (const CFGBlock *Block : Graph)
      Work.push_back(Block);
    while (!Work.empty()) {
      const CFGBlock *Block = Work.front();
      Work.pop_front();
      Queued[Block->getBlockID()] = false;
      LockState Out = In[Block->getBlockID()];
      for (const CFGElement &Element : *Block)
        transfer(Element, Out, nullptr);
      unsigned EdgeIndex = 0;
      for (const CFGBlock::AdjacentBlock &Succ : Block->succs()) {
        const CFGBlock *Next = Succ.getReachableBlock();
        LockState Edge = Out;
        applyBranch(*Block, EdgeIndex++, Edge);
        if (!Next)
          continue;
        bool Changed = In[Next->getBlockID()].mergeFrom(Edge);
        if (Changed && !Queued[Next->getBlockID()]) {
          Queued[Next->getBlockID()] = true;
          Work.push_back(Next);
        }
      }
    }
  }

  // `if (m.try_lock())` holds the lock on the true edge only (on the false
  // edge for `if (!m.try_lock())`).
  void applyBranch(const CFGBlock &Block, unsigned EdgeIndex,
                   LockState &State) {
    HoldMap &S = State.Held;
    const Expr *Cond = dyn_cast_or_null<Expr>(Block.getTerminatorCondition());
    if (!Cond || Block.succ_size() != 2)
      return;
    bool Negated = false;
    Cond = Cond->IgnoreParenImpCasts();
    while (const auto *Not = dyn_cast<UnaryOperator>(Cond)) {
      if (Not->getOpcode() != UO_LNot)
        return;
      Negated = !Negated;
      Cond = Not->getSubExpr()->IgnoreParenImpCasts();
    }
    const auto *Call = dyn_cast<CXXMemberCallExpr>(Cond);
    if (!Call || (methodName(Call) != "try_lock" &&
                  methodName(Call) != "try_lock_shared"))
      return;
    bool SuccessEdge = (EdgeIndex == 0) != Negated;
    std::optional<CallObject> Object = callObject(Call);
    if (!SuccessEdge || !Object)
      return;
    bool IsGuard = Check.isLockGuardType(Object->Type);
    if (IsGuard || Check.isMutexType(Object->Type))
      S.emplace(Object->Key,
                Hold{Call->getExprLoc(),
                     "'" + spelling(Object->Spelled, Ctx) + "'", IsGuard, ""});
  }

  void transfer(const CFGElement &Element, LockState &State,
                std::vector<Finding> *Findings) {
    HoldMap &S = State.Held;
    if (auto Dtor = Element.getAs<CFGAutomaticObjDtor>()) {
      S.erase(declKey(Dtor->getVarDecl()));
      return;
    }
    auto Stmt = Element.getAs<CFGStmt>();
    if (!Stmt)
      return;
    const clang::Stmt *S0 = Stmt->getStmt();
    if (const auto *Decl = dyn_cast<DeclStmt>(S0)) {
      for (const clang::Decl *D : Decl->decls())
        if (const auto *Var = dyn_cast<VarDecl>(D))
          declareGuard(Var, State);
      return;
    }
    if (const auto *Member = dyn_cast<CXXMemberCallExpr>(S0)) {
      memberCall(Member, S);
      return;
    }
    if (const auto *Call = dyn_cast<CallExpr>(S0)) {
      freeCall(Call, State);
      return;
    }
    if (const auto *Suspend = dyn_cast<CoroutineSuspendExpr>(S0)) {
      if (Findings && !S.empty() && suspends(Suspend)) {
        llvm::SmallVector<std::string, 4> Given = handedOver(Suspend);
        for (const auto &[Key, Lock] : S)
          if (!llvm::is_contained(Given, Key) &&
              (Lock.Mutex.empty() || !llvm::is_contained(Given, Lock.Mutex)))
            Findings->push_back({Suspend->getBeginLoc(), Lock});
      }
      return;
    }
  }

  // The locks the awaited operation is given as arguments: an async
  // condition variable's `co_await cv.wait(lock, pred)` releases the lock
  // while it waits and takes it back before it resumes, so the coroutine
  // does not hold it while suspended.
  static llvm::SmallVector<std::string, 4>
  handedOver(const CoroutineSuspendExpr *Suspend) {
    llvm::SmallVector<std::string, 4> Keys;
    const Expr *Operand =
        Suspend->getOperand() ? stripWrappers(Suspend->getOperand()) : nullptr;
    if (const auto *Call = dyn_cast_or_null<CallExpr>(Operand))
      for (const Expr *Arg : Call->arguments()) {
        if (isa<CXXOperatorCallExpr>(Call) && Arg == Call->getArg(0))
          continue; // the object of an overloaded operator
        if (std::string Key = lockKey(Arg); !Key.empty())
          Keys.push_back(Key);
      }
    return Keys;
  }

  bool suspends(const CoroutineSuspendExpr *Suspend) const {
    if (const auto *Await = dyn_cast<CoawaitExpr>(Suspend);
        Await && Await->isImplicit())
      return false;
    if (const Expr *Operand = Suspend->getOperand())
      if (Check.isAllowedAwaitable(Operand->getType()))
        return false;
    // An awaiter whose await_ready() is `return true;` never suspends.
    if (const auto *Ready = dyn_cast_or_null<CXXMemberCallExpr>(
            Suspend->getReadyExpr()->IgnoreImplicit()))
      if (constantBoolResult(Ready->getMethodDecl()).value_or(false))
        return false;
    return true;
  }

  void declareGuard(const VarDecl *Var, LockState &State) {
    HoldMap &S = State.Held;
    if (!Check.isLockGuardType(Var->getType()) || !Var->getInit())
      return;
    const auto *Construct =
        dyn_cast<CXXConstructExpr>(Var->getInit()->IgnoreImplicit());
    if (!Construct || Construct->getNumArgs() == 0)
      return; // a default-constructed guard owns nothing
    std::string Key = declKey(Var);
    const Expr *First = Construct->getArg(0)->IgnoreParenImpCasts();
    // Moving from another guard carries its state over.
    if (const auto *Move = dyn_cast<CallExpr>(First);
        Move && isStdFunction(Move->getDirectCallee(), "move") &&
        Move->getNumArgs() == 1)
      First = Move->getArg(0)->IgnoreParenImpCasts();
    if (Check.isLockGuardType(First->getType())) {
      std::string From = lockKey(First);
      std::string Mutex;
      for (const HoldMap *Map : {&S, &State.MovedOut})
        if (auto It = Map->find(From); It != Map->end())
          Mutex = It->second.Mutex;
      if (S.erase(From) + State.MovedOut.erase(From))
        S[Key] = Hold{Var->getLocation(), "'" + Var->getName().str() + "'",
                      true, Mutex};
      return;
    }
    for (const Expr *Arg : Construct->arguments())
      if (const CXXRecordDecl *Tag = Arg->getType()->getAsCXXRecordDecl();
          Tag && Tag->isInStdNamespace() && Tag->getName() == "defer_lock_t")
        return;
    S[Key] = Hold{Var->getLocation(), "'" + Var->getName().str() + "'", true,
                  lockKey(First)};
  }

  void memberCall(const CXXMemberCallExpr *Call, HoldMap &S) {
    std::optional<CallObject> Object = callObject(Call);
    if (!Object)
      return;
    llvm::StringRef Name = methodName(Call);
    bool IsGuard = Check.isLockGuardType(Object->Type);
    if (!IsGuard && !Check.isMutexType(Object->Type))
      return;
    if (Name == "unlock" || Name == "unlock_shared" ||
        (IsGuard && Name == "release")) {
      S.erase(Object->Key);
    } else if (Name == "lock" || Name == "lock_shared") {
      S[Object->Key] =
          Hold{Call->getExprLoc(), "'" + spelling(Object->Spelled, Ctx) + "'",
               IsGuard, ""};
    } else if (IsGuard && Name == "swap" && Call->getNumArgs() == 1) {
      // The two guards trade whatever they own.
      std::string Other = lockKey(Call->getArg(0));
      auto Mine = S.extract(Object->Key);
      auto Theirs = S.extract(Other);
      if (!Mine.empty() && !Other.empty()) {
        Mine.key() = Other;
        S.insert(std::move(Mine));
      }
      if (!Theirs.empty()) {
        Theirs.key() = Object->Key;
        S.insert(std::move(Theirs));
      }
    }
  }

  void freeCall(const CallExpr *Call, LockState &State) {
    HoldMap &S = State.Held;
    const FunctionDecl *Callee = Call->getDirectCallee();
    // Moving a guard away ends this frame's hold on the lock, unless a guard
    // declared right here takes it over (see declareGuard).
    if ((isStdFunction(Callee, "move") || isStdFunction(Callee, "exchange")) &&
        Call->getNumArgs() >= 1) {
      const Expr *Arg = Call->getArg(0);
      if (Check.isLockGuardType(Arg->getType()))
        if (auto Moved = S.extract(lockKey(Arg)); !Moved.empty())
          State.MovedOut.insert(std::move(Moved));
      return;
    }
    if (isStdFunction(Callee, "lock")) {
      for (const Expr *Arg : Call->arguments())
        if (Check.isMutexType(Arg->getType()))
          if (std::string Key = lockKey(Arg); !Key.empty())
            S[Key] = Hold{Call->getBeginLoc(), "'" + spelling(Arg, Ctx) + "'",
                          false, ""};
    }
  }

  const LockAcrossSuspendCheck &Check;
  ASTContext &Ctx;
  std::vector<LockState> In;
};

} // namespace

LockAcrossSuspendCheck::LockAcrossSuspendCheck(StringRef Name,
                                               ClangTidyContext *Context)
    : CoroutineBodyCheck(Name, Context, BodyKind::Coroutines),
      AllowedAwaitables(nameListOption("AllowedAwaitablesList",
                                       /*Global=*/false, "",
                                       NameList::Matching::Upstream)) {
  // Upstream's LockGuards is the whole list; so is Mutexes.
  roleOption(model::Role::LockGuard, "LockGuards", /*Replace=*/true,
             NameList::Matching::Upstream);
  roleOption(model::Role::Mutex, "Mutexes", /*Replace=*/true);
}

LockAcrossSuspendCheck::LockKind
LockAcrossSuspendCheck::classify(QualType T) const {
  T = T.getNonReferenceType();
  if (T.isNull() || T->isPointerType() || !T->isRecordType())
    return LockKind::None;
  const Type *Key = T.getCanonicalType().getTypePtr();
  if (auto It = KindCache.find(Key); It != KindCache.end())
    return It->second;
  LockKind Kind = LockKind::None;
  const CXXRecordDecl *RD = recordForType(T);
  if (RD && !annotations::hasAnnotation(RD, annotations::SuspendSafeGuard)) {
    if (RD->hasAttr<ScopedLockableAttr>() ||
        Model.is(model::Role::LockGuard, RD))
      Kind = LockKind::Guard;
    else if (RD->hasAttr<CapabilityAttr>() || Model.is(model::Role::Mutex, RD))
      Kind = LockKind::Mutex;
  }
  KindCache[Key] = Kind;
  return Kind;
}

bool LockAcrossSuspendCheck::isLockGuardType(QualType T) const {
  return classify(T) == LockKind::Guard;
}

bool LockAcrossSuspendCheck::isMutexType(QualType T) const {
  return classify(T) == LockKind::Mutex;
}

bool LockAcrossSuspendCheck::isAllowedAwaitable(QualType T) const {
  const CXXRecordDecl *RD = recordForType(T);
  return RD && AllowedAwaitables.matches(RD);
}

void LockAcrossSuspendCheck::checkBody(const FunctionDecl *Function,
                                       const Stmt *, ASTContext &Ctx) {
  for (const Analysis::Finding &F : Analysis(*this, Ctx).run(Function)) {
    if (!firstReport(F.Suspension,
                     std::to_string(F.Lock.Acquired.getRawEncoding()) +
                         F.Lock.Name))
      continue;
    diag(F.Suspension, "coroutine suspends while %select{%1 is locked|lock "
                       "guard %1 holds its lock}0; a synchronous lock held "
                       "across a suspension point blocks or deadlocks other "
                       "tasks")
        << (F.Lock.IsGuard ? 1 : 0) << F.Lock.Name;
    diag(F.Lock.Acquired,
         "lock acquired here; release it before the suspension (close the "
         "guard's scope, call unlock(), or copy the value out) or use an "
         "async mutex",
         DiagnosticIDs::Note);
  }
}

} // namespace clang::tidy::corolint
