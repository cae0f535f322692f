//===--- AwaiterContractCheck.cpp - async-awaiter-contract ----------------===//

#include "AwaiterContractCheck.h"
#include "utils/Awaitable.h"
#include "utils/BodyStatements.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Analysis/CFG.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace clang::tidy::corolint {

namespace {

bool named(const NamedDecl *D, llvm::StringRef Name) {
  return D && D->getDeclName().isIdentifier() && D->getName() == Name;
}

// A class with the three members of the awaiter protocol, its own or
// inherited.
bool isAwaiterClass(const CXXRecordDecl *RD) {
  if (!RD || !RD->hasDefinition())
    return false;
  bool Ready = false, Suspend = false, Resume = false;
  auto Scan = [&](const CXXRecordDecl *C) {
    for (const CXXMethodDecl *M : C->methods()) {
      Ready |= named(M, "await_ready");
      Suspend |= named(M, "await_suspend");
      Resume |= named(M, "await_resume");
    }
    for (const Decl *D : C->decls())
      if (const auto *T = dyn_cast<FunctionTemplateDecl>(D)) {
        Suspend |= named(T, "await_suspend");
        Resume |= named(T, "await_resume");
      }
    return true;
  };
  Scan(RD);
  RD->forallBases(Scan);
  return Ready && Suspend && Resume;
}

bool isCoroutineHandle(QualType T) {
  const CXXRecordDecl *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  if (!RD)
    if (const CXXRecordDecl *Pattern = recordForType(T))
      RD = Pattern;
  return RD && qualifiedName(RD) == "std::coroutine_handle";
}

// Does \p E denote the handle \p H (the parameter or a local copy of it)?
bool isHandle(const Expr *E, const ParmVarDecl *H,
              const llvm::SmallPtrSetImpl<const VarDecl *> &Copies) {
  const auto *Ref = dyn_cast<DeclRefExpr>(stripWrappers(E));
  if (!Ref)
    return false;
  const auto *Var = dyn_cast<VarDecl>(Ref->getDecl());
  return Var && (Var == H || Copies.contains(Var));
}

// Does \p E mention the handle anywhere, a lambda's captures included?
bool mentions(const Stmt *S, const ParmVarDecl *H) {
  bool Found = false;
  forEachStatement(S, [&](const Stmt *Node) {
    if (const auto *Ref = dyn_cast<DeclRefExpr>(Node))
      Found |= Ref->getDecl() == H;
    if (const auto *Lambda = dyn_cast<LambdaExpr>(Node))
      for (const LambdaCapture &Capture : Lambda->captures())
        Found |= Capture.capturesVariable() && Capture.getCapturedVar() == H;
    return !Found;
  });
  return Found;
}

// Is the handle given to \p Call: as an argument, or inside the object a
// member function is called on (`asyncrt::waker(h).wake()`)?
bool givenTo(const CallExpr *Call, const ParmVarDecl *H) {
  if (llvm::any_of(Call->arguments(),
                   [&](const Expr *A) { return mentions(A, H); }))
    return true;
  const auto *Member = dyn_cast<CXXMemberCallExpr>(Call);
  return Member && mentions(Member->getImplicitObjectArgument(), H);
}

// The local copies of the handle made in \p Body (`auto c = h;`).
void collectCopies(const Stmt *Body, const ParmVarDecl *H,
                   llvm::SmallPtrSetImpl<const VarDecl *> &Copies) {
  forEachStatement(Body, [&](const Stmt *S) {
    if (const auto *Decl = dyn_cast<DeclStmt>(S))
      for (const auto *D : Decl->decls())
        if (const auto *Var = dyn_cast<VarDecl>(D);
            Var && Var->getInit() && isHandle(Var->getInit(), H, Copies))
          Copies.insert(Var);
    return true;
  });
}

// `x.resume()` or `x()` on a std::coroutine_handle: the object, else null.
const Expr *resumedHandle(const Stmt *S) {
  if (const auto *Call = dyn_cast<CXXMemberCallExpr>(S)) {
    const CXXMethodDecl *Method = Call->getMethodDecl();
    if (named(Method, "resume") &&
        isCoroutineHandle(Call->getImplicitObjectArgument()->getType()))
      return Call->getImplicitObjectArgument();
  }
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(S);
      Op && Op->getOperator() == OO_Call && Op->getNumArgs() == 1 &&
      isCoroutineHandle(Op->getArg(0)->getType()))
    return Op->getArg(0);
  return nullptr;
}

// Is \p E reached through the handle's promise (`h.promise().continuation`):
// the coroutine that awaits the one suspending?
bool throughPromise(const Expr *E, const ParmVarDecl *H,
                    const llvm::SmallPtrSetImpl<const VarDecl *> &Copies) {
  bool Found = false;
  forEachStatement(E, [&](const Stmt *S) {
    if (const auto *Call = dyn_cast<CXXMemberCallExpr>(S))
      Found |= named(Call->getMethodDecl(), "promise") &&
               isHandle(Call->getImplicitObjectArgument(), H, Copies);
    return !Found;
  });
  return Found;
}

bool isLockGuard(const VarDecl *Var) {
  const CXXRecordDecl *RD = Var->getType()->getAsCXXRecordDecl();
  if (!RD)
    return false;
  llvm::StringRef Name = RD->getName();
  return Name.ends_with("lock_guard") || Name == "unique_lock" ||
         Name == "scoped_lock" || Name == "shared_lock" ||
         Name.ends_with("ScopedLock") || Name.ends_with("LockGuard");
}

bool isFalseLiteral(const Expr *E) {
  const auto *Literal =
      E ? dyn_cast<CXXBoolLiteralExpr>(E->IgnoreParenImpCasts()) : nullptr;
  return Literal && !Literal->getValue();
}

} // namespace

AwaiterContractCheck::AwaiterContractCheck(StringRef Name,
                                           ClangTidyContext *Context)
    : CoroutineBodyCheck(Name, Context, BodyKind::AllFunctions) {
  roleOption(model::Role::HandOff, "HandOffFunctions", /*Replace=*/false,
             NameList::Matching::Upstream);
}

void AwaiterContractCheck::checkBody(const FunctionDecl *Function,
                                     const Stmt *Body, ASTContext &Ctx) {
  const auto *Method = dyn_cast<CXXMethodDecl>(Function);
  if (!Method || !Method->getDeclName().isIdentifier())
    return;
  llvm::StringRef Name = Method->getName();
  // What a promise hands back to the coroutine machinery: the owner of the
  // coroutine resumes it, through its own handle.
  if (Name == "initial_suspend" || Name == "final_suspend" ||
      Name == "yield_value" || Name == "await_transform") {
    if (const CXXRecordDecl *RD = recordForType(Method->getReturnType()))
      PromiseAwaiters.insert(RD->getCanonicalDecl());
    return;
  }
  if (Name != "await_ready" && Name != "await_suspend")
    return;
  const CXXRecordDecl *Awaiter = Method->getParent();
  if (!isAwaiterClass(Awaiter))
    return;
  if (Name == "await_ready") {
    checkDeadSuspension(Method);
    return;
  }
  if (Name != "await_suspend" || Method->getNumParams() != 1)
    return;
  const ParmVarDecl *H = Method->getParamDecl(0);
  if (!isCoroutineHandle(H->getType()) && !H->getType()->isDependentType())
    return;
  llvm::SmallPtrSet<const VarDecl *, 4> Copies;
  collectCopies(Body, H, Copies);
  checkInlineResume(Method, H, Copies, Body);
  checkBusyRewake(Method, H, Copies, Body);
  checkTouchAfterHandOff(Method, H, Body, Ctx);
  findLeak(Method, H, Body, Ctx);
}

void AwaiterContractCheck::noteAwaiter(const CXXRecordDecl *Awaiter) {
  diag(Awaiter->getLocation(), "awaiter %0 declared here", DiagnosticIDs::Note)
      << Awaiter;
}

void AwaiterContractCheck::checkInlineResume(const CXXMethodDecl *Suspend,
                                             const ParmVarDecl *H,
                                             const HandleCopies &Copies,
                                             const Stmt *Body) {
  forEachStatement(Body, [&](const Stmt *S) {
    const Expr *Resumed = resumedHandle(S);
    if (!Resumed)
      return true;
    bool Self = isHandle(Resumed, H, Copies);
    // A handle the awaiter owns (a child it starts, as a when_all's awaiter
    // does) is not the suspending coroutine nor the one waiting for it.
    if (!Self && !throughPromise(Resumed, H, Copies))
      return true;
    if (!firstReport(S->getBeginLoc()))
      return true;
    diag(S->getBeginLoc(),
         "'await_suspend' resumes %select{the coroutine that is suspending|the "
         "coroutine waiting for this one}0 inline: the stack grows with "
         "every such resumption and the coroutine re-enters code that is "
         "still running; return the handle from 'await_suspend' to transfer "
         "to it%select{, or return false to resume without suspending|}0")
        << (Self ? 0 : 1) << S->getSourceRange();
    noteAwaiter(Suspend->getParent());
    return true;
  });
}

void AwaiterContractCheck::checkBusyRewake(const CXXMethodDecl *Suspend,
                                           const ParmVarDecl *H,
                                           const HandleCopies &Copies,
                                           const Stmt *Body) {
  // A poll: await_ready tests a condition, await_resume reports whether it
  // was met (a bool, an optional, a pointer), and await_suspend does
  // nothing with the handle but give it straight back to the executor (or
  // resume it): nothing will wake the coroutine when the condition changes,
  // so a caller that loops until it is met spins on a worker.
  const CXXRecordDecl *Awaiter = Suspend->getParent();
  const CXXMethodDecl *Ready = nullptr, *Resume = nullptr;
  for (const CXXMethodDecl *M : Awaiter->methods()) {
    if (named(M, "await_ready"))
      Ready = M;
    if (named(M, "await_resume"))
      Resume = M;
  }
  if (!Ready || !Resume || constantBoolResult(Ready).has_value())
    return;
  QualType Result = Resume->getReturnType();
  const CXXRecordDecl *ResultClass = recordForType(Result);
  if (!Result->isBooleanType() && !Result->isPointerType() &&
      !(ResultClass && qualifiedName(ResultClass) == "std::optional"))
    return;
  // Uses of the handle inside a rescheduling call or a resumption are the
  // re-wake; any other use (stored, returned, passed on) registers it.
  const Stmt *Rewake = nullptr;
  bool Registered = false;
  forEachStatement(Body, [&](const Stmt *S) {
    const auto *Call = dyn_cast<CallExpr>(S);
    const Expr *Resumed = resumedHandle(S);
    if ((Call && Model.isCall(model::Role::Reschedule, Call) &&
         givenTo(Call, H)) ||
        (Resumed && isHandle(Resumed, H, Copies))) {
      if (!Rewake)
        Rewake = S;
      return false;
    }
    // `auto copy = h;` only names the handle again.
    if (const auto *Declaration = dyn_cast<DeclStmt>(S);
        Declaration &&
        llvm::all_of(Declaration->decls(), [&](const clang::Decl *D) {
          const auto *Var = dyn_cast<VarDecl>(D);
          return Var && Copies.contains(Var);
        }))
      return false;
    if (const auto *Ref = dyn_cast<DeclRefExpr>(S)) {
      const auto *Var = dyn_cast<VarDecl>(Ref->getDecl());
      Registered |= Var && (Var == H || Copies.contains(Var));
    }
    return !Registered;
  });
  if (!Rewake || Registered)
    return;
  if (!firstReport(Rewake->getBeginLoc()))
    return;
  diag(Rewake->getBeginLoc(),
       "'await_suspend' gives the handle straight back to be run again and "
       "registers it nowhere, while 'await_resume' reports whether the "
       "awaited condition was met: a caller that awaits until it is spins "
       "on a worker; register the handle with whatever makes the condition "
       "true, and resume it from there");
  noteAwaiter(Awaiter);
}

void AwaiterContractCheck::checkTouchAfterHandOff(const CXXMethodDecl *Suspend,
                                                  const ParmVarDecl *H,
                                                  const Stmt *Body,
                                                  ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  // The first statement that hands the handle to someone who may resume it
  // at once on another thread: a call of a HandOffFunctions function, a
  // thread started, or an atomic store, given the handle (or a lambda that
  // captures it).
  const Expr *HandOff = nullptr;
  forEachStatement(Body, [&](const Stmt *S) {
    if (HandOff)
      return false;
    if (const auto *Call = dyn_cast<CallExpr>(S);
        Call && Model.isCall(model::Role::HandOff, Call) && givenTo(Call, H))
      HandOff = Call;
    if (const auto *Construct = dyn_cast<CXXConstructExpr>(S);
        Construct &&
        Model.is(model::Role::HandOff, Construct->getConstructor()))
      for (const Expr *Arg : Construct->arguments())
        if (mentions(Arg, H))
          HandOff = Construct;
    return !HandOff;
  });
  if (!HandOff)
    return;
  // Lock guards declared before the hand-off: what happens under one of
  // them happens before whoever resumes the coroutine can take the lock.
  llvm::SmallVector<SourceRange, 2> Guarded;
  forEachStatement(Body, [&](const Stmt *S) {
    if (const auto *Compound = dyn_cast<CompoundStmt>(S))
      for (const Stmt *Child : Compound->body())
        if (const auto *Decl = dyn_cast<DeclStmt>(Child))
          for (const auto *D : Decl->decls())
            if (const auto *Var = dyn_cast<VarDecl>(D);
                Var && isLockGuard(Var) &&
                SM.isBeforeInTranslationUnit(Var->getLocation(),
                                             HandOff->getBeginLoc()))
              Guarded.push_back({Var->getLocation(), Compound->getEndLoc()});
    return true;
  });
  auto UnderLock = [&](SourceLocation Loc) {
    for (SourceRange R : Guarded)
      if (SM.isBeforeInTranslationUnit(Loc, R.getEnd()))
        return true;
    return false;
  };
  // The other branch of an `if` whose one branch hands off never runs
  // after it.
  llvm::SmallVector<SourceRange, 2> OtherBranches;
  auto Inside = [&](SourceRange R, SourceLocation L) {
    return R.isValid() && !SM.isBeforeInTranslationUnit(L, R.getBegin()) &&
           !SM.isBeforeInTranslationUnit(R.getEnd(), L);
  };
  forEachStatement(Body, [&](const Stmt *S) {
    if (const auto *If = dyn_cast<IfStmt>(S); If && If->getElse()) {
      SourceRange Then = If->getThen()->getSourceRange(),
                  Else = If->getElse()->getSourceRange();
      if (Inside(Then, HandOff->getBeginLoc()))
        OtherBranches.push_back(Else);
      else if (Inside(Else, HandOff->getBeginLoc()))
        OtherBranches.push_back(Then);
    }
    return true;
  });
  auto OnAnotherBranch = [&](SourceLocation L) {
    return llvm::any_of(OtherBranches,
                        [&](SourceRange R) { return Inside(R, L); });
  };
  const Stmt *Touch = nullptr;
  bool Returns = false;
  forEachStatement(Body, [&](const Stmt *S) {
    if (Touch)
      return false;
    if (!SM.isBeforeInTranslationUnit(HandOff->getEndLoc(), S->getBeginLoc()) ||
        OnAnotherBranch(S->getBeginLoc()))
      return true;
    if (isa<CXXThisExpr>(S) && !UnderLock(S->getBeginLoc())) {
      Touch = S;
      return false;
    }
    if (const auto *Return = dyn_cast<ReturnStmt>(S))
      if (const Expr *Value = Return->getRetValue();
          Value && (isFalseLiteral(Value) || mentions(Value, H))) {
        Touch = S;
        Returns = true;
        return false;
      }
    return true;
  });
  if (!Touch || !firstReport(Touch->getBeginLoc()))
    return;
  diag(Touch->getBeginLoc(),
       "%select{'await_suspend' uses the awaiter|'await_suspend' resumes the "
       "coroutine}0 after handing its handle to another thread or queue, "
       "where it may already have been resumed and the awaiter destroyed with "
       "its frame; %select{copy what is needed into locals before the "
       "hand-off|return true (or nothing) once the handle is handed off}0")
      << (Returns ? 1 : 0) << Touch->getSourceRange();
  diag(HandOff->getBeginLoc(), "the handle is handed off here",
       DiagnosticIDs::Note)
      << HandOff->getSourceRange();
  noteAwaiter(Suspend->getParent());
}

void AwaiterContractCheck::findLeak(const CXXMethodDecl *Suspend,
                                    const ParmVarDecl *H, const Stmt *Body,
                                    ASTContext &Ctx) {
  // An empty body is std::suspend_always: the coroutine's owner resumes it.
  const auto *Compound = dyn_cast<CompoundStmt>(Body);
  if (!Compound || Compound->body_empty() || Suspend->isDependentContext())
    return;
  CFG::BuildOptions Options;
  std::unique_ptr<CFG> Graph =
      CFG::buildCFG(Suspend, const_cast<Stmt *>(Body), &Ctx, Options);
  if (!Graph)
    return;
  // A block passes the handle on if it mentions it (stores, passes,
  // returns or resumes it) or returns false (the coroutine resumes at once).
  auto PassesOn = [&](const CFGBlock *Block) {
    for (const CFGElement &E : *Block)
      if (std::optional<CFGStmt> S = E.getAs<CFGStmt>()) {
        const Stmt *St = S->getStmt();
        if (mentions(St, H))
          return true;
        if (const auto *Return = dyn_cast<ReturnStmt>(St);
            Return && isFalseLiteral(Return->getRetValue()))
          return true;
      }
    return false;
  };
  llvm::SmallPtrSet<const CFGBlock *, 16> Seen;
  llvm::SmallVector<const CFGBlock *, 16> Work{&Graph->getEntry()};
  bool ReachesExit = false;
  while (!Work.empty() && !ReachesExit) {
    const CFGBlock *Block = Work.pop_back_val();
    if (!Block || !Seen.insert(Block).second || PassesOn(Block))
      continue;
    if (Block == &Graph->getExit()) {
      ReachesExit = true;
      break;
    }
    for (const CFGBlock::AdjacentBlock &Next : Block->succs())
      Work.push_back(Next.getReachableBlock());
  }
  if (ReachesExit)
    Leaks.push_back(Suspend);
}

void AwaiterContractCheck::onUnitEnd() {
  for (const CXXMethodDecl *Suspend : Leaks) {
    const CXXRecordDecl *Awaiter = Suspend->getParent();
    if (PromiseAwaiters.contains(Awaiter->getCanonicalDecl()) ||
        PromiseAwaiters.contains(patternOf(Awaiter)->getCanonicalDecl()))
      continue;
    if (!firstReport(Suspend->getLocation()))
      continue;
    diag(Suspend->getLocation(),
         "on some path 'await_suspend' neither stores nor passes on the "
         "coroutine's handle, nor returns it or false: the coroutine stays "
         "suspended and nothing will resume it");
    noteAwaiter(Awaiter);
  }
}

void AwaiterContractCheck::checkDeadSuspension(const CXXMethodDecl *Ready) {
  if (!constantBoolResult(Ready).value_or(false))
    return;
  const CXXRecordDecl *Awaiter = Ready->getParent();
  for (const CXXMethodDecl *M : Awaiter->methods()) {
    const auto *Body = named(M, "await_suspend")
                           ? dyn_cast_or_null<CompoundStmt>(M->getBody())
                           : nullptr;
    if (!Body || Body->body_empty() || !firstReport(Ready->getLocation()))
      continue;
    diag(Ready->getLocation(),
         "'await_ready' always returns true, so 'await_suspend' never runs "
         "and the work it does is dead");
    diag(M->getLocation(), "'await_suspend' does work here",
         DiagnosticIDs::Note);
    return;
  }
}

} // namespace clang::tidy::corolint
