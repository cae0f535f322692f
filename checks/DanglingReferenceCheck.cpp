//===--- DanglingReferenceCheck.cpp - async-dangling-reference ------------===//

#include "DanglingReferenceCheck.h"
#include "utils/BodyStatements.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"

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

} // namespace

DanglingReferenceCheck::DanglingReferenceCheck(StringRef Name,
                                               ClangTidyContext *Context)
    : CoroutineBodyCheck(Name, Context, BodyKind::AllFunctions),
      Classifier(Model) {
  roleOption(model::Role::Spawn, "SpawnFunctions");
  roleOption(model::Role::TaskType, "TaskTypes");
}

bool DanglingReferenceCheck::isCoroutineCall(const CallExpr *Call) {
  const FunctionDecl *Callee = Call->getDirectCallee();
  if (!Callee || Callee->hasAttr<CoroWrapperAttr>())
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
DanglingReferenceCheck::fateOf(const Expr *E, bool Eager, ASTContext &Ctx) {
  DynTypedNode Node = DynTypedNode::create(*E);
  while (true) {
    DynTypedNodeList Parents = Ctx.getParents(Node);
    if (Parents.empty())
      return Fate::Unknown;
    if (Parents[0].get<VarDecl>())
      return Fate::Stored; // kept in a variable past the full-expression
    const auto *S = Parents[0].get<Stmt>();
    if (!S)
      return Fate::Unknown;
    if (isa<CoawaitExpr, DependentCoawaitExpr>(S))
      return Fate::Awaited;
    if (isa<ReturnStmt, CoreturnStmt>(S))
      return Fate::Stored; // handed to the caller
    if (const auto *Bin = dyn_cast<BinaryOperator>(S);
        Bin && Bin->isAssignmentOp())
      return Fate::Stored;
    if (const auto *Call = dyn_cast<CallExpr>(S)) {
      const FunctionDecl *Callee = Call->getDirectCallee();
      if (Model.isCall(model::Role::Spawn, Call))
        return Fate::Stored; // runs on after the full-expression
      if (Callee && Model.blocking(Call, Callee, nullptr, Ctx) ==
                        model::BlockingKind::BlockOn)
        return Fate::Awaited; // run to completion here
      if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Call);
          Op && Op->getOperator() == OO_Equal)
        return Fate::Stored;
      if (isa<CXXMemberCallExpr>(Call) && Callee &&
          Callee->getDeclName().isIdentifier() &&
          (Callee->getName().starts_with("push") ||
           Callee->getName().starts_with("emplace") ||
           Callee->getName() == "insert"))
        return Fate::Stored; // put in a container
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

bool DanglingReferenceCheck::awaitedInFullExpression(const Expr *E,
                                                     ASTContext &Ctx) {
  return fateOf(E, /*Eager=*/false, Ctx) == Fate::Awaited;
}

void DanglingReferenceCheck::checkBody(const FunctionDecl *Function,
                                       const Stmt *Body, ASTContext &Ctx) {
  forEachStatement(Body, [&](const Stmt *S) {
    const auto *Call = dyn_cast<CallExpr>(S);
    if (!Call)
      return true;
    if (Model.isCall(model::Role::Spawn, Call))
      checkSpawnedLocals(Function, Body, Call, Ctx);
    if (isCoroutineCall(Call))
      checkTemporaries(Call, Ctx);
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

void DanglingReferenceCheck::checkSpawnedLocals(const FunctionDecl *Function,
                                                const Stmt *Body,
                                                const CallExpr *Spawn,
                                                ASTContext &Ctx) {
  if (awaitedInFullExpression(Spawn, Ctx))
    return;
  // After the spawn, a function that awaits or blocks (runs the event
  // loop, waits on a latch, joins, sync_waits) may be waiting for the task:
  // only one that returns without either surely leaves it running.
  const SourceManager &SM = Ctx.getSourceManager();
  bool Waits = false;
  forEachStatement(Body, [&](const Stmt *S) {
    if (!SM.isBeforeInTranslationUnit(Spawn->getEndLoc(), S->getBeginLoc()))
      return true;
    if (isa<CoawaitExpr>(S))
      Waits = true;
    else if (const auto *Call = dyn_cast<CallExpr>(S))
      if (const FunctionDecl *Callee = Call->getDirectCallee())
        Waits |= Model.blocking(Call, Callee, Body, Ctx).has_value();
    return !Waits;
  });
  if (Waits)
    return;
  for (const Expr *Arg : Spawn->arguments()) {
    const auto *Task = dyn_cast<CallExpr>(stripWrappers(Arg));
    if (!Task || !isCoroutineCall(Task))
      continue;
    const FunctionDecl *Callee = Task->getDirectCallee();
    forEachParameter(Task, Callee, [&](const ParmVarDecl *P, const Expr *A) {
      const auto *Ref = dyn_cast<DeclRefExpr>(A->IgnoreParenImpCasts());
      const auto *Local = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
      if (!borrows(P) || !Local || !Local->hasLocalStorage() ||
          Local->getType()->isReferenceType() ||
          Local->getType()->isPointerType() || isView(Local->getType()) ||
          !firstReport(A->getBeginLoc()))
        return;
      diag(A->getBeginLoc(),
           "%0 is spawned with a reference to %1, a local of %2 that is "
           "destroyed when it returns, while the spawned task may still "
           "run; pass it by value, or await the task before %1 goes out of "
           "scope")
          << Callee << Local << Function << A->getSourceRange();
      diag(P->getLocation(), "parameter %0 refers to the caller's object",
           DiagnosticIDs::Note)
          << P;
    });
  }
}

} // namespace clang::tidy::corolint
