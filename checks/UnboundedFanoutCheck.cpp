//===--- UnboundedFanoutCheck.cpp - async-unbounded-fanout
//-----------------===//

#include "UnboundedFanoutCheck.h"
#include "utils/Annotations.h"
#include "utils/Awaitable.h"
#include "utils/BodyStatements.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include <optional>

using namespace clang::ast_matchers;

namespace clang::tidy::corolint {

namespace {

std::optional<llvm::APSInt> constantInt(const Expr *E, ASTContext &Ctx) {
  if (!E || E->isValueDependent())
    return std::nullopt;
  Expr::EvalResult Result;
  if (E->EvaluateAsInt(Result, Ctx))
    return Result.Val.getInt();
  return std::nullopt;
}

// True if every variable \p E reads is main's argc (a loop bound): the
// command line is not input data at scale.
bool readsOnlyArgc(const Expr *E, const FunctionDecl *F) {
  if (!F || !F->isMain() || F->getNumParams() == 0)
    return false;
  bool Only = true, Any = false;
  forEachStatement(E, [&](const Stmt *S) {
    if (const auto *Ref = dyn_cast<DeclRefExpr>(S))
      if (const auto *Var = dyn_cast<VarDecl>(Ref->getDecl())) {
        Any = true;
        Only &= Var == F->getParamDecl(0);
      }
    return Only;
  });
  return Any && Only;
}

// The number of hardware threads (std::thread::hardware_concurrency(),
// directly or through a local constant initialised from it): one task per
// core is bounded by the machine, not by input data.
bool boundedByMachine(const Expr *E) {
  E = stripWrappers(E);
  if (const auto *Call = dyn_cast<CallExpr>(E)) {
    const FunctionDecl *Callee = Call->getDirectCallee();
    return Callee && Callee->getDeclName().isIdentifier() &&
           Callee->getName() == "hardware_concurrency" &&
           llvm::StringRef(qualifiedName(Callee)).starts_with("std::");
  }
  if (const auto *Ref = dyn_cast<DeclRefExpr>(E))
    if (const auto *Var = dyn_cast<VarDecl>(Ref->getDecl()))
      return Var->hasLocalStorage() && Var->getType().isConstQualified() &&
             Var->getInit() && boundedByMachine(Var->getInit());
  return false;
}

// The number of elements of a range whose size is known at compile time.
std::optional<uint64_t> staticRangeSize(const Expr *Range) {
  Range = stripWrappers(Range);
  if (const auto *List = dyn_cast<CXXStdInitializerListExpr>(Range))
    if (const auto *Init =
            dyn_cast<InitListExpr>(stripWrappers(List->getSubExpr())))
      return Init->getNumInits();
  QualType T = Range->getType().getNonReferenceType();
  if (const auto *Array =
          dyn_cast_or_null<ConstantArrayType>(T->getAsArrayTypeUnsafe()))
    return Array->getSize().getZExtValue();
  if (const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
          T->getAsCXXRecordDecl()))
    if (qualifiedName(Spec) == "std::array" &&
        Spec->getTemplateArgs().size() == 2 &&
        Spec->getTemplateArgs()[1].getKind() == TemplateArgument::Integral)
      return Spec->getTemplateArgs()[1].getAsIntegral().getZExtValue();
  return std::nullopt;
}

const Stmt *loopBody(const Stmt *Loop) {
  if (const auto *While = dyn_cast<WhileStmt>(Loop))
    return While->getBody();
  if (const auto *Do = dyn_cast<DoStmt>(Loop))
    return Do->getBody();
  if (const auto *Range = dyn_cast<CXXForRangeStmt>(Loop))
    return Range->getBody();
  return cast<ForStmt>(Loop)->getBody();
}

// Awaiting a spawn that yields a join handle (a task group's spawn) only
// starts the task; it does not wait for it.
bool yieldsHandle(const CoawaitExpr *Await) {
  const CXXRecordDecl *Result = recordForType(Await->getType());
  return Result && annotations::hasAnnotation(Result, annotations::Discardable);
}

bool isLoop(const Stmt *S) {
  return isa<WhileStmt, DoStmt, ForStmt, CXXForRangeStmt>(S);
}

bool isBefore(const Stmt *A, const Stmt *B, const SourceManager &SM) {
  return SM.isBeforeInTranslationUnit(A->getBeginLoc(), B->getBeginLoc());
}

} // namespace

UnboundedFanoutCheck::UnboundedFanoutCheck(StringRef Name,
                                           ClangTidyContext *Context)
    : CoroutineBodyCheck(Name, Context, BodyKind::AllFunctions),
      MaxStaticFanout(Options.get("MaxStaticFanout", 1024U)) {
  roleOption(model::Role::Spawn, "SpawnFunctions");
  roleOption(model::Role::JoinAll, "JoinAllFunctions");
  roleOption(model::Role::Bounding, "BoundingFunctions");
}

void UnboundedFanoutCheck::storeOptions(ClangTidyOptions::OptionMap &Opts) {
  CoroutineBodyCheck::storeOptions(Opts);
  Options.store(Opts, "MaxStaticFanout", MaxStaticFanout);
}

UnboundedFanoutCheck::TripCount
UnboundedFanoutCheck::tripCount(const Stmt *Loop, const FunctionDecl *F,
                                ASTContext &Ctx) const {
  auto BySize = [&](uint64_t Size) {
    return Size <= MaxStaticFanout ? TripCount::Small
                                   : TripCount::LargeConstant;
  };
  if (const auto *Range = dyn_cast<CXXForRangeStmt>(Loop)) {
    if (std::optional<uint64_t> Size = staticRangeSize(Range->getRangeInit()))
      return BySize(*Size);
    return TripCount::FromData;
  }
  const Expr *Cond = nullptr;
  if (const auto *For = dyn_cast<ForStmt>(Loop))
    Cond = For->getCond();
  else if (const auto *While = dyn_cast<WhileStmt>(Loop))
    Cond = While->getCond();
  else
    Cond = cast<DoStmt>(Loop)->getCond();
  if (!Cond)
    return TripCount::Endless;
  if (Cond->isValueDependent())
    return TripCount::Small; // decided per instantiation
  if (bool Value; Cond->EvaluateAsBooleanCondition(Value, Ctx))
    return Value ? TripCount::Endless : TripCount::Small;
  // `i < n` and its kin: a constant bound is a static fan-out.
  if (const auto *Cmp = dyn_cast<BinaryOperator>(Cond->IgnoreParenImpCasts());
      Cmp && Cmp->isComparisonOp()) {
    for (const Expr *Side : {Cmp->getLHS(), Cmp->getRHS()})
      if (std::optional<llvm::APSInt> Bound = constantInt(Side, Ctx))
        return BySize(Bound->isNegative() ? 0 : Bound->getZExtValue());
    for (const Expr *Side : {Cmp->getLHS(), Cmp->getRHS()})
      if (readsOnlyArgc(Side, F) || boundedByMachine(Side))
        return TripCount::Small;
    return TripCount::FromData;
  }
  // `while (auto m = co_await rx.recv())`: a loop over what arrives. A loop
  // on a flag or a predicate is not a loop over input items.
  const auto *While = dyn_cast<WhileStmt>(Loop);
  const Stmt *Variable =
      While ? While->getConditionVariableDeclStmt() : nullptr;
  bool Awaits =
      containsSuspension(Cond) || (Variable && containsSuspension(Variable));
  return Awaits ? TripCount::FromData : TripCount::Small;
}

void UnboundedFanoutCheck::checkBody(const FunctionDecl *Function,
                                     const Stmt *Body, ASTContext &Ctx) {
  // Pre-order: outer loops first. Checked innermost first, so that a spawn
  // is reported against the loop closest to it.
  llvm::SmallVector<std::pair<const Stmt *, TripCount>, 8> Loops;
  llvm::SmallVector<const CallExpr *, 4> JoinAlls;
  forEachStatement(Body, [&](const Stmt *S) {
    if (isLoop(S))
      Loops.push_back({S, tripCount(S, Function, Ctx)});
    else if (const auto *Call = dyn_cast<CallExpr>(S))
      if (Model.isCall(model::Role::JoinAll, Call))
        JoinAlls.push_back(Call);
    return true;
  });
  for (auto It = Loops.rbegin(); It != Loops.rend(); ++It)
    if (It->second == TripCount::FromData ||
        It->second == TripCount::LargeConstant)
      checkLoop(It->first, It->second, Ctx);
  for (const CallExpr *Call : JoinAlls)
    checkJoinAll(Call, Loops, Ctx);
}

void UnboundedFanoutCheck::noteLoop(const Stmt *Loop, TripCount Count) {
  if (Count == TripCount::LargeConstant)
    diag(loopKeyword(Loop),
         "the loop runs more times than MaxStaticFanout allows",
         DiagnosticIDs::Note);
  else
    diag(loopKeyword(Loop), "the loop runs once per input item",
         DiagnosticIDs::Note);
}

void UnboundedFanoutCheck::checkLoop(const Stmt *Loop, TripCount Count,
                                     ASTContext &Ctx) {
  const Stmt *Body = loopBody(Loop);
  const SourceManager &SM = Ctx.getSourceManager();
  llvm::SmallVector<const CallExpr *, 4> Spawns;
  llvm::SmallVector<const CallExpr *, 4> Bounds;
  llvm::SmallPtrSet<const Expr *, 4> Awaited;
  llvm::SmallPtrSet<const VarDecl *, 4> AwaitedVars;
  llvm::DenseMap<const VarDecl *, const CallExpr *> HandleVars;
  forEachStatement(Body, [&](const Stmt *S) {
    if (const auto *Await = dyn_cast<CoawaitExpr>(S);
        Await && !yieldsHandle(Await)) {
      const Expr *Operand = stripWrappers(Await->getOperand());
      Awaited.insert(Operand);
      auto Joins = [&](const Expr *E) {
        if (const auto *Ref = dyn_cast<DeclRefExpr>(stripWrappers(E)))
          if (const auto *Var = dyn_cast<VarDecl>(Ref->getDecl()))
            AwaitedVars.insert(Var);
      };
      Joins(Operand);
      // A handle given to the awaited call (a helper that awaits it) is
      // joined there, in the same iteration.
      if (const auto *Call = dyn_cast<CallExpr>(Operand))
        llvm::for_each(Call->arguments(), Joins);
    }
    if (const auto *Decl = dyn_cast<DeclStmt>(S))
      for (const auto *D : Decl->decls())
        if (const auto *Var = dyn_cast<VarDecl>(D); Var && Var->getInit())
          if (const auto *Init =
                  dyn_cast<CallExpr>(stripWrappers(Var->getInit())))
            HandleVars[Var] = Init;
    if (const auto *Call = dyn_cast<CallExpr>(S)) {
      if (Model.isCall(model::Role::Spawn, Call))
        Spawns.push_back(Call);
      else if (Model.isCall(model::Role::Bounding, Call))
        Bounds.push_back(Call);
    }
    return true;
  });
  for (const CallExpr *Spawn : Spawns) {
    // Awaited in the same iteration: one at a time, not a fan-out.
    if (Awaited.contains(Spawn))
      continue;
    bool AwaitedLater = false;
    for (const auto &[Var, Init] : HandleVars)
      AwaitedLater |= Init == Spawn && AwaitedVars.contains(Var);
    if (AwaitedLater)
      continue;
    bool Bounded = false;
    for (const CallExpr *Bound : Bounds)
      Bounded |= isBefore(Bound, Spawn, SM);
    if (Bounded)
      continue;
    if (!firstReport(Spawn->getBeginLoc()))
      continue;
    // The advice is in the terms of the spawning function's library.
    std::string Spawner = model::calledName(Spawn);
    diag(Spawn->getBeginLoc(),
         "'%0' starts a task on every iteration of a loop over input data and "
         "nothing bounds how many run at once; %1")
        << Spawner
        << Model.advice(model::FanoutKind::SpawnInLoop,
                        Model.libraryOf(Spawner))
        << Spawn->getSourceRange();
    noteLoop(Loop, Count);
  }
}

void UnboundedFanoutCheck::checkJoinAll(const CallExpr *Call, LoopList Loops,
                                        ASTContext &Ctx) {
  // The container handed to the join-all.
  const VarDecl *Container = nullptr;
  for (const Expr *Arg : Call->arguments())
    if (const auto *Ref = dyn_cast<DeclRefExpr>(stripWrappers(Arg)))
      if (const auto *Var = dyn_cast<VarDecl>(Ref->getDecl());
          Var && Var->hasLocalStorage() && !Var->getType()->isScalarType())
        Container = Var;
  if (!Container)
    return;
  const SourceManager &SM = Ctx.getSourceManager();
  // A loop before the call that adds one element per input item.
  const Stmt *FillingLoop = nullptr;
  TripCount FillingCount = TripCount::Small;
  // The loops with their trip counts, in source order (check() made them).
  for (const auto &Loop : Loops) {
    const Stmt *S = Loop.first;
    TripCount Count = Loop.second;
    if (FillingLoop || !isBefore(S, Call, SM))
      break;
    if (Count != TripCount::FromData && Count != TripCount::LargeConstant)
      continue;
    forEachStatement(loopBody(S), [&](const Stmt *Inner) {
      if (const auto *Member = dyn_cast<CXXMemberCallExpr>(Inner)) {
        const auto *Ref = dyn_cast<DeclRefExpr>(
            stripWrappers(Member->getImplicitObjectArgument()));
        const CXXMethodDecl *Method = Member->getMethodDecl();
        if (Ref && Ref->getDecl() == Container && Method &&
            llvm::StringSwitch<bool>(Method->getName())
                .Cases("push_back", "emplace_back", "push_front",
                       "emplace_front", "insert", "emplace", true)
                .Default(false)) {
          FillingLoop = S;
          FillingCount = Count;
        }
      }
      return !FillingLoop;
    });
  }
  if (!FillingLoop || !firstReport(Call->getBeginLoc()))
    return;
  std::string Joiner = model::calledName(Call);
  diag(Call->getBeginLoc(),
       "'%0' runs one operation per input item at once and nothing bounds how "
       "many run together; %1")
      << Joiner
      << Model.advice(model::FanoutKind::JoinAll, Model.libraryOf(Joiner))
      << Call->getSourceRange();
  diag(loopKeyword(FillingLoop),
       FillingCount == TripCount::LargeConstant
           ? "the operations are added here, more than MaxStaticFanout of them"
           : "the operations are added here, once per input item",
       DiagnosticIDs::Note);
}

} // namespace clang::tidy::corolint
