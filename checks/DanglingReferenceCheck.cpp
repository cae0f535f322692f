//===--- DanglingReferenceCheck.cpp - async-dangling-reference ------------===//

#include "DanglingReferenceCheck.h"
#include "utils/BodyStatements.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Analysis/Analyses/ExprMutationAnalyzer.h"

namespace clang::tidy::corolint {

namespace {

bool isViewClass(const CXXRecordDecl *RD) {
  if (!RD)
    return false;
  std::string Name = qualifiedName(RD);
  return Name == "std::basic_string_view" || Name == "std::span";
}

bool isView(QualType T) {
  return isViewClass(T.getNonReferenceType()->getAsCXXRecordDecl());
}

// A parameter the coroutine frame keeps as a reference to the caller's
// object: a reference, or a view (string_view, span) into it, also in a
// template's pattern.
bool borrows(const ParmVarDecl *P) {
  QualType T = P->getType();
  if (T->isReferenceType())
    return true;
  const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
  return isViewClass(RD ? RD : recordForType(T));
}

// The temporary an argument makes for the parameter to borrow from: the
// temporary a reference binds to, or the owner a view is made from (a
// std::string returned by value, converted to a string_view). Null when
// the argument borrows from nothing that dies with the full-expression.
const MaterializeTemporaryExpr *borrowedTemporary(const Expr *Arg) {
  const MaterializeTemporaryExpr *Found = nullptr;
  forEachStatement(Arg, [&](const Stmt *S) {
    if (Found)
      return false;
    // Stop at a call that takes the temporary and returns something else
    // by value: the parameter borrows its result, not the temporary.
    if (isa<CallExpr>(S) && !isa<CXXMemberCallExpr>(S) && S != Arg &&
        !isa<CXXOperatorCallExpr>(S))
      return false;
    if (const auto *Temp = dyn_cast<MaterializeTemporaryExpr>(S);
        Temp && Temp->getStorageDuration() == SD_FullExpression &&
        !isView(Temp->getType()))
      Found = Temp;
    return !Found;
  });
  return Found;
}

// The parameters of \p Callee and the arguments of \p Call they bind to.
template <class Visit>
void forEachParameter(const CallExpr *Call, const FunctionDecl *Callee,
                      Visit V) {
  unsigned Offset =
      isa<CXXOperatorCallExpr>(Call) && isa<CXXMethodDecl>(Callee) ? 1 : 0;
  for (unsigned I = 0; I < Callee->getNumParams(); ++I)
    if (I + Offset < Call->getNumArgs())
      V(Callee->getParamDecl(I), Call->getArg(I + Offset));
}

const FunctionDecl *definitionOf(const FunctionDecl *F) {
  const FunctionDecl *Def = nullptr;
  if (F->hasBody(Def) && Def)
    return Def;
  if (const FunctionDecl *Pattern = F->getTemplateInstantiationPattern())
    if (Pattern->hasBody(Def) && Def)
      return Def;
  return nullptr;
}

// Is \p P used at or after the first suspension of the coroutine \p Def?
// An eager coroutine runs to its first suspension inside the call, while
// the caller's temporaries are alive.
bool usedAfterFirstSuspension(const FunctionDecl *Def, unsigned Index,
                              const SourceManager &SM) {
  const auto *Body = dyn_cast_or_null<CoroutineBodyStmt>(Def->getBody());
  if (!Body || Index >= Def->getNumParams())
    return true;
  const ParmVarDecl *P = Def->getParamDecl(Index);
  SourceLocation First;
  forEachStatement(Body->getBody(), [&](const Stmt *S) {
    if (const auto *Suspend = dyn_cast<CoroutineSuspendExpr>(S))
      if (First.isInvalid() ||
          SM.isBeforeInTranslationUnit(Suspend->getBeginLoc(), First))
        First = Suspend->getBeginLoc();
    return true;
  });
  if (First.isInvalid())
    return false;
  bool Used = false;
  forEachStatement(Body->getBody(), [&](const Stmt *S) {
    if (const auto *Ref = dyn_cast<DeclRefExpr>(S);
        Ref && Ref->getDecl() == P &&
        !SM.isBeforeInTranslationUnit(Ref->getBeginLoc(), First))
      Used = true;
    return !Used;
  });
  return Used;
}

// How a parameter refers to the caller's object.
enum class BorrowKind { Reference, View, Pointer };

// The local variable of \p Function (its own, not one a lambda captured
// from outside) that parameter \p P refers to when given \p Arg: a local
// bound to a reference, a view made of a local (`std::string_view(buf)`,
// `buf` converted, `std::span(v)`, `buf.data()`), or a pointer to one
// (`&counter`, an array, `buf.data()`). Locals that are themselves
// references, pointers or views refer to something else and are not it.
const VarDecl *borrowedLocal(const ParmVarDecl *P, const Expr *Arg,
                             const FunctionDecl *Function, BorrowKind &Kind) {
  QualType T = P->getType();
  const Expr *E = Arg->IgnoreParenImpCasts();
  // The object a member call that hands out its storage is made on.
  auto storageOf = [](const Expr *Call) -> const Expr * {
    const auto *Member = dyn_cast<CXXMemberCallExpr>(Call);
    const CXXMethodDecl *Method = Member ? Member->getMethodDecl() : nullptr;
    if (!Method)
      return nullptr;
    if (isa<CXXConversionDecl>(Method) ||
        (Method->getDeclName().isIdentifier() &&
         (Method->getName() == "data" || Method->getName() == "c_str")))
      return Member->getImplicitObjectArgument()->IgnoreParenImpCasts();
    return nullptr;
  };
  if (T->isPointerType()) {
    Kind = BorrowKind::Pointer;
    if (const auto *Address = dyn_cast<UnaryOperator>(E);
        Address && Address->getOpcode() == UO_AddrOf)
      E = Address->getSubExpr()->IgnoreParenImpCasts();
    else if (E->getType()->isArrayType())
      ; // the array decays to a pointer to its first element
    else if (const Expr *Owner = storageOf(E))
      E = Owner;
    else
      return nullptr;
  } else if (isView(T)) {
    Kind = BorrowKind::View;
    while (!isa<DeclRefExpr>(E)) {
      if (const auto *Construct = dyn_cast<CXXConstructExpr>(E);
          Construct && Construct->getNumArgs() > 0)
        E = Construct->getArg(0)->IgnoreParenImpCasts();
      else if (const auto *Cast = dyn_cast<ExplicitCastExpr>(E))
        E = Cast->getSubExpr()->IgnoreParenImpCasts();
      else if (const auto *Temp = dyn_cast<MaterializeTemporaryExpr>(E))
        E = Temp->getSubExpr()->IgnoreParenImpCasts();
      else if (const auto *Bind = dyn_cast<CXXBindTemporaryExpr>(E))
        E = Bind->getSubExpr()->IgnoreParenImpCasts();
      else if (const Expr *Owner = storageOf(E))
        E = Owner;
      else
        return nullptr;
    }
  } else if (T->isReferenceType()) {
    Kind = BorrowKind::Reference;
    E = stripWrappers(Arg); // std::move(local) binds the local itself
  } else {
    return nullptr;
  }
  const auto *Ref = dyn_cast<DeclRefExpr>(E);
  const auto *Local = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
  if (!Local || !Local->hasLocalStorage() ||
      Local->getDeclContext() != Function ||
      Local->getType()->isReferenceType() ||
      Local->getType()->isPointerType() || isView(Local->getType()))
    return nullptr;
  return Local;
}

// Is a change to an object of type \p T one the task would see as its
// data changing under it: a scalar, an array, a string or a container (a
// class with begin() or data())? Objects of other classes (atomics,
// latches, channels) are shared between tasks on purpose.
bool holdsData(QualType T) {
  T = T.getNonReferenceType();
  if (T->isScalarType() || T->isArrayType())
    return true;
  const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
  if (!RD || !RD->hasDefinition())
    return false;
  auto HasRangeMember = [](const CXXRecordDecl *Class) {
    return llvm::any_of(Class->methods(), [](const CXXMethodDecl *M) {
      return M->getDeclName().isIdentifier() &&
             (M->getName() == "begin" || M->getName() == "data");
    });
  };
  if (HasRangeMember(RD))
    return true;
  bool Found = false;
  RD->forallBases([&](const CXXRecordDecl *Base) {
    Found |= HasRangeMember(Base);
    return !Found;
  });
  return Found;
}

// The innermost loop of \p Body that contains \p S.
const Stmt *enclosingLoop(const Stmt *S, const Stmt *Body, ASTContext &Ctx) {
  DynTypedNode Node = DynTypedNode::create(*S);
  while (true) {
    DynTypedNodeList Parents = Ctx.getParents(Node);
    if (Parents.empty())
      return nullptr;
    if (Parents[0].get<FunctionDecl>())
      return nullptr;
    const auto *Parent = Parents[0].get<Stmt>();
    if (Parent == Body || isa_and_nonnull<LambdaExpr>(Parent))
      return nullptr;
    if (isa_and_nonnull<ForStmt, WhileStmt, DoStmt, CXXForRangeStmt>(Parent))
      return Parent;
    Node = Parents[0]; // a statement, or the variable a task initialises
  }
}

// The statement \p Local lives in: the block of its declaration, the loop
// that declares it, or the body of the function for a parameter.
const Stmt *scopeOf(const VarDecl *Local, const Stmt *Body, ASTContext &Ctx) {
  if (isa<ParmVarDecl>(Local))
    return Body;
  DynTypedNode Node = DynTypedNode::create(*Local);
  while (true) {
    DynTypedNodeList Parents = Ctx.getParents(Node);
    if (Parents.empty())
      return Body;
    const auto *Parent = Parents[0].get<Stmt>();
    if (Parent && (isa<CompoundStmt, ForStmt, WhileStmt, CXXForRangeStmt,
                       IfStmt, SwitchStmt>(Parent)))
      return Parent;
    Node = Parents[0];
  }
}

bool within(SourceLocation Loc, const Stmt *S, const SourceManager &SM) {
  return SM.isPointWithin(Loc, S->getBeginLoc(), S->getEndLoc());
}

bool mentions(const Stmt *S, const VarDecl *Var) {
  bool Found = false;
  forEachStatement(S, [&](const Stmt *Node) {
    if (const auto *Ref = dyn_cast<DeclRefExpr>(Node))
      Found |= Ref->getDecl() == Var;
    return !Found;
  });
  return Found;
}
} // namespace

DanglingReferenceCheck::DanglingReferenceCheck(StringRef Name,
                                               ClangTidyContext *Context)
    : CoroutineBodyCheck(Name, Context, BodyKind::AllFunctions),
      Classifier(Model) {
  roleOption(model::Role::Spawn, "SpawnFunctions");
  roleOption(model::Role::TaskType, "TaskTypes");
}

bool DanglingReferenceCheck::spawns(const CallExpr *Call) {
  // A bounded spawn (a bounded task group's, which waits for a slot) is a
  // spawn too: the task runs on after it.
  return Model.isCall(model::Role::Spawn, Call) ||
         Model.isCall(model::Role::Bounding, Call);
}

bool DanglingReferenceCheck::isCoroutineCall(const CallExpr *Call) {
  const FunctionDecl *Callee = Call->getDirectCallee();
  // [[clang::coro_disable_lifetimebound]]: its author says the parameters
  // need not outlive the call, as clang's -Wdangling takes it.
  if (!Callee || Callee->hasAttr<CoroWrapperAttr>() ||
      Callee->hasAttr<CoroDisableLifetimeBoundAttr>())
    return false;
  if (const FunctionDecl *Def = definitionOf(Callee))
    return isa<CoroutineBodyStmt>(Def->getBody());
  // Only declared: a coroutine if its return type says every function
  // returning it is one ([[clang::coro_return_type]], without
  // [[clang::coro_wrapper]]); anything else may be a wrapper that moves its
  // arguments into a coroutine of its own.
  const CXXRecordDecl *Result = recordForType(Call->getType());
  return Result && hasCoroReturnTypeAttr(Result);
}

DanglingReferenceCheck::Fate
DanglingReferenceCheck::fateOf(const Expr *E, bool Eager, ASTContext &Ctx,
                               Destination *Where) {
  Destination Ignored;
  Destination &To = Where ? *Where : Ignored;
  DynTypedNode Node = DynTypedNode::create(*E);
  while (true) {
    DynTypedNodeList Parents = Ctx.getParents(Node);
    if (Parents.empty())
      return Fate::Unknown;
    if (const auto *Var = Parents[0].get<VarDecl>()) {
      To.Variable = Var;
      return Fate::Stored; // kept in a variable past the full-expression
    }
    const auto *S = Parents[0].get<Stmt>();
    if (!S)
      return Fate::Unknown;
    if (const auto *Await = dyn_cast<CoawaitExpr>(S);
        Await && !Await->getType()->isDependentType() &&
        canBeAwaited(Await->getType(), Ctx)) {
      // The await gives back another awaitable (a bounded group's spawn
      // gives the join handle once a slot is free): its fate is the task's.
      Node = Parents[0];
      continue;
    }
    if (isa<CoawaitExpr, DependentCoawaitExpr>(S))
      return Fate::Awaited;
    if (isa<ReturnStmt, CoreturnStmt>(S)) {
      To.Returned = true;
      return Fate::Stored; // handed to the caller
    }
    if (const auto *Bin = dyn_cast<BinaryOperator>(S);
        Bin && Bin->isAssignmentOp()) {
      To.Target = Bin->getLHS();
      return Fate::Stored;
    }
    if (const auto *Call = dyn_cast<CallExpr>(S)) {
      const FunctionDecl *Callee = Call->getDirectCallee();
      if (spawns(Call))
        return Fate::Stored; // runs on after the full-expression
      if (Callee && Model.blocking(Call, Callee, nullptr, Ctx) ==
                        model::BlockingKind::BlockOn)
        return Fate::Awaited; // run to completion here
      if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Call);
          Op && Op->getOperator() == OO_Equal) {
        To.Target = Op->getArg(0);
        return Fate::Stored;
      }
      if (const auto *Member = dyn_cast<CXXMemberCallExpr>(Call);
          Member && Callee && Callee->getDeclName().isIdentifier() &&
          (Callee->getName().starts_with("push") ||
           Callee->getName().starts_with("emplace") ||
           Callee->getName() == "insert")) {
        To.Target = Member->getImplicitObjectArgument();
        return Fate::Stored; // put in a container
      }
      // Passed on into another task or awaitable (a join, a when_all):
      // its fate is that one's.
      if (Classifier.classify(Call->getType(), Ctx) != AwaitableKind::None) {
        Node = Parents[0];
        continue;
      }
      // Given to a function that may run it to completion before it
      // returns: corolint cannot tell.
      return Fate::Unknown;
    }
    if (!isa<Expr>(S) || isa<LambdaExpr>(S))
      // A statement of its own: a lazy task dropped here never runs; an
      // eager one runs on, detached.
      return isa<Expr>(S) ? Fate::Unknown
                          : (Eager ? Fate::Stored : Fate::Unknown);
    Node = Parents[0];
  }
}

void DanglingReferenceCheck::checkBody(const FunctionDecl *Function,
                                       const Stmt *Body, ASTContext &Ctx) {
  forEachStatement(Body, [&](const Stmt *S) {
    const auto *Call = dyn_cast<CallExpr>(S);
    if (!Call)
      return true;
    if (spawns(Call))
      checkSpawnedLocals(Function, Body, Call, Ctx);
    if (isCoroutineCall(Call)) {
      checkTemporaries(Call, Ctx);
      checkEscapingLocals(Function, Body, Call, Ctx);
    }
    return true;
  });
}

void DanglingReferenceCheck::checkTemporaries(const CallExpr *Call,
                                              ASTContext &Ctx) {
  const FunctionDecl *Callee = Call->getDirectCallee();
  const SourceManager &SM = Ctx.getSourceManager();
  const FunctionDecl *Def = definitionOf(Callee);
  bool Eager =
      Classifier.classify(Call->getType(), Ctx) == AwaitableKind::EagerTask;
  // What dies at the end of the full-expression and what the frame keeps.
  struct Borrow {
    const Expr *At;
    int Kind; // 0 parameter, 1 lambda captures, 2 object
    const ParmVarDecl *Param;
  };
  llvm::SmallVector<Borrow, 2> Borrows;
  unsigned Index = 0;
  forEachParameter(Call, Callee, [&](const ParmVarDecl *P, const Expr *Arg) {
    unsigned I = Index++;
    if (!borrows(P) || !borrowedTemporary(Arg))
      return;
    // An eager coroutine that is done with the parameter before it first
    // suspends has finished with the temporary too.
    if (Eager && (!Def || !usedAfterFirstSuspension(Def, I, SM)))
      return;
    Borrows.push_back({Arg, 0, P});
  });
  if (const auto *Method = dyn_cast<CXXMethodDecl>(Callee)) {
    const Expr *Object = nullptr;
    if (const auto *Member = dyn_cast<CXXMemberCallExpr>(Call))
      Object = Member->getImplicitObjectArgument();
    else if (isa<CXXOperatorCallExpr>(Call) && Call->getNumArgs() > 0)
      Object = Call->getArg(0);
    const auto *Temp =
        Object ? dyn_cast<MaterializeTemporaryExpr>(Object->IgnoreImpCasts())
               : nullptr;
    if (Temp && Temp->getStorageDuration() == SD_FullExpression &&
        !Method->isStatic()) {
      const auto *Lambda =
          dyn_cast<LambdaExpr>(stripWrappers(Temp->getSubExpr()));
      if (Lambda && Lambda->capture_size() > 0)
        Borrows.push_back({Object, 1, nullptr});
      else if (!Lambda && !Eager)
        Borrows.push_back({Object, 2, nullptr});
    }
  }
  if (Borrows.empty() || fateOf(Call, Eager, Ctx) != Fate::Stored)
    return;
  for (const Borrow &B : Borrows) {
    if (!firstReport(B.At->getBeginLoc()))
      continue;
    diag(B.At->getBeginLoc(),
         "%select{the coroutine %1 keeps a reference to this temporary in "
         "its frame|the captures of this temporary lambda live in its "
         "closure, which the coroutine it starts refers to|%1 is a coroutine "
         "called on this temporary object, which its frame refers to}0, but "
         "%select{the temporary|the closure|the object}0 is destroyed at the "
         "end of the full-expression while the task lives on; await the task "
         "in the same expression, or %select{take the parameter by "
         "value|pass what it needs as parameters taken by value|call it on an "
         "object that outlives the task}0")
        << B.Kind << Callee << B.At->getSourceRange();
    if (B.Param)
      diag(B.Param->getLocation(), "parameter %0 refers to the caller's object",
           DiagnosticIDs::Note)
          << B.Param;
  }
}

const Stmt *DanglingReferenceCheck::firstWaitAfter(const Stmt *Spawn,
                                                   const Stmt *Region,
                                                   const VarDecl *Handle,
                                                   const Stmt *Body,
                                                   ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  const Stmt *Wait = nullptr;
  forEachStatement(Region, [&](const Stmt *S) {
    if (Wait)
      return false;
    if (!SM.isBeforeInTranslationUnit(Spawn->getEndLoc(), S->getBeginLoc()))
      return true;
    const auto *Call = dyn_cast<CallExpr>(S);
    bool Waits = isa<CoawaitExpr>(S) ||
                 (Call && Call->getDirectCallee() &&
                  Model.blocking(Call, Call->getDirectCallee(), Body, Ctx));
    if (Waits && (!Handle || mentions(S, Handle)))
      Wait = S;
    return !Wait;
  });
  return Wait;
}

DanglingReferenceCheck::Change DanglingReferenceCheck::changedWhileSpawned(
    const VarDecl *Local, const Stmt *Spawn, const Stmt *Scope,
    const VarDecl *Handle, const Stmt *Body, ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  if (!holdsData(Local->getType()))
    return {};
  // In a loop that the local outlives, the next iteration comes after the
  // spawn: any change in the loop counts, unless this iteration awaits the
  // task's handle. Otherwise a change after the spawn counts until the
  // function first waits (it may be waiting for the task).
  const Stmt *Loop = enclosingLoop(Spawn, Body, Ctx);
  if (Loop && within(Local->getLocation(), Loop, SM))
    Loop = nullptr;
  if (Loop && Handle && firstWaitAfter(Spawn, Loop, Handle, Body, Ctx))
    return {};
  const Stmt *Region = Loop ? Loop : Scope;
  const Stmt *Wait =
      Loop ? nullptr : firstWaitAfter(Spawn, Scope, nullptr, Body, Ctx);
  SourceLocation FirstWait = Wait ? Wait->getBeginLoc() : SourceLocation();
  ExprMutationAnalyzer Mutations(*Region, Ctx);
  const Stmt *Change = nullptr;
  forEachStatement(Region, [&](const Stmt *S) {
    if (Change || S == Spawn)
      return false;
    const auto *Ref = dyn_cast<DeclRefExpr>(S);
    if (!Ref || Ref->getDecl() != Local)
      return true;
    if (!Loop && (!SM.isBeforeInTranslationUnit(Spawn->getEndLoc(),
                                                Ref->getBeginLoc()) ||
                  (FirstWait.isValid() && !SM.isBeforeInTranslationUnit(
                                              Ref->getBeginLoc(), FirstWait))))
      return true;
    if (Mutations.isMutated(Ref))
      Change = Ref;
    return !Change;
  });
  return {Change, Loop != nullptr};
}

void DanglingReferenceCheck::checkSpawnedLocals(const FunctionDecl *Function,
                                                const Stmt *Body,
                                                const CallExpr *Spawn,
                                                ASTContext &Ctx) {
  Destination Where;
  if (fateOf(Spawn, /*Eager=*/false, Ctx, &Where) == Fate::Awaited)
    return;
  for (const Expr *Arg : Spawn->arguments()) {
    const auto *Task = dyn_cast<CallExpr>(stripWrappers(Arg));
    if (!Task || !isCoroutineCall(Task))
      continue;
    const FunctionDecl *Callee = Task->getDirectCallee();
    forEachParameter(Task, Callee, [&](const ParmVarDecl *P, const Expr *A) {
      BorrowKind Kind;
      const VarDecl *Local = borrowedLocal(P, A, Function, Kind);
      if (!Local)
        return;
      // A change while the task may read it: the buffer a server reuses
      // for the next request.
      const Stmt *Scope = scopeOf(Local, Body, Ctx);
      if (Change Changed = changedWhileSpawned(Local, Spawn, Scope,
                                               Where.Variable, Body, Ctx);
          Changed.At) {
        if (!firstReport(A->getBeginLoc()))
          return;
        diag(A->getBeginLoc(),
             "%0 is spawned with %select{a reference to|a view of|a pointer "
             "to}1 %2, which is changed while the spawned task may still read "
             "it; give the task its own copy (take the parameter by value), "
             "or await the task before %2 changes")
            << Callee << static_cast<int>(Kind) << Local << A->getSourceRange();
        diag(Changed.At->getBeginLoc(),
             "%0 is changed here%select{|, on the loop's next iteration at "
             "the latest}1",
             DiagnosticIDs::Note)
            << Local << Changed.NextIteration;
      } else if (!firstWaitAfter(Spawn, Scope, nullptr, Body, Ctx)) {
        // After the spawn, a function that awaits or blocks (runs the event
        // loop, waits on a latch, joins, sync_waits) before the local goes
        // out of scope may be waiting for the task; one that does neither
        // surely leaves it running.
        if (!firstReport(A->getBeginLoc()))
          return;
        diag(A->getBeginLoc(),
             "%0 is spawned with %select{a reference to|a view of|a pointer "
             "to}1 %2, a local of %3 that is destroyed %select{when it "
             "returns|at the end of its block}4, while the spawned task may "
             "still run; pass it by value, or await the task before %2 goes "
             "out of scope")
            << Callee << static_cast<int>(Kind) << Local << Function
            << (Scope == Body ? 0 : 1) << A->getSourceRange();
      } else {
        return;
      }
      diag(P->getLocation(), "parameter %0 refers to the caller's object",
           DiagnosticIDs::Note)
          << P;
    });
  }
}

void DanglingReferenceCheck::checkEscapingLocals(const FunctionDecl *Function,
                                                 const Stmt *Body,
                                                 const CallExpr *Call,
                                                 ASTContext &Ctx) {
  // A coroutine's locals live in its frame until it finishes, possibly
  // after awaiting the task it made; a function's die when it returns.
  if (isa_and_nonnull<CoroutineBodyStmt>(Function->getBody()))
    return;
  bool Eager =
      Classifier.classify(Call->getType(), Ctx) == AwaitableKind::EagerTask;
  Destination Where;
  if (fateOf(Call, Eager, Ctx, &Where) != Fate::Stored)
    return;
  const ValueDecl *Into = nullptr;
  if (Where.Variable) {
    // Kept in a local: it escapes if that local is returned.
    bool Returned = false;
    forEachStatement(Body, [&](const Stmt *S) {
      if (const auto *Return = dyn_cast<ReturnStmt>(S);
          Return && Return->getRetValue())
        if (const auto *Ref =
                dyn_cast<DeclRefExpr>(stripWrappers(Return->getRetValue())))
          Returned |= Ref->getDecl() == Where.Variable;
      return !Returned;
    });
    if (!Returned)
      return;
  } else if (Where.Target) {
    // Assigned to, or put into, something outside the function: a member
    // of `this`, of an object given by reference, or of a global.
    const Expr *Target = Where.Target->IgnoreParenImpCasts();
    if (const auto *Member = dyn_cast<MemberExpr>(Target))
      Into = Member->getMemberDecl();
    while (const auto *Member = dyn_cast<MemberExpr>(Target))
      Target = Member->getBase()->IgnoreParenImpCasts();
    const auto *Ref = dyn_cast<DeclRefExpr>(Target);
    const auto *Var = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
    bool Outside =
        isa<CXXThisExpr>(Target) ||
        (Var && (!Var->hasLocalStorage() || Var->getType()->isReferenceType() ||
                 Var->getType()->isPointerType()));
    if (!Outside)
      return;
    if (!Into)
      Into = Var;
  } else if (!Where.Returned) {
    return; // spawned: checkSpawnedLocals
  }
  const FunctionDecl *Callee = Call->getDirectCallee();
  const FunctionDecl *Def = definitionOf(Callee);
  unsigned Index = 0;
  forEachParameter(Call, Callee, [&](const ParmVarDecl *P, const Expr *Arg) {
    unsigned I = Index++;
    BorrowKind Kind;
    const VarDecl *Local = borrowedLocal(P, Arg, Function, Kind);
    if (!Local ||
        (Eager &&
         (!Def || !usedAfterFirstSuspension(Def, I, Ctx.getSourceManager()))) ||
        !firstReport(Arg->getBeginLoc()))
      return;
    diag(Arg->getBeginLoc(),
         "the coroutine %0 keeps %select{a reference to|a view of|a pointer "
         "to}1 %2 in its frame, but the task %select{is returned|is stored "
         "in %5}3 and outlives %2, a local of %4 destroyed when it returns; "
         "take the parameter by value")
        << Callee << static_cast<int>(Kind) << Local << (Into ? 1 : 0)
        << Function << Into << Arg->getSourceRange();
    diag(P->getLocation(), "parameter %0 refers to the caller's object",
         DiagnosticIDs::Note)
        << P;
  });
}

} // namespace clang::tidy::corolint
