//===--- Awaitable.cpp - classify coroutine task and awaitable types ------===//

#include "Awaitable.h"
#include "Annotations.h"
#include "clang/AST/Attr.h"
#include "clang/AST/DeclFriend.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"

namespace clang::tidy::corolint {

namespace {

const CXXRecordDecl *definitionOrPattern(const CXXRecordDecl *RD);

// Bases of real task types are shallow; the bound only guards against
// pathological or cyclic (invalid) hierarchies.
constexpr unsigned MaxBaseDepth = 8;

bool sameClassOrTemplate(const CXXRecordDecl *A, const CXXRecordDecl *B) {
  if (!A || !B)
    return false;
  return A->getCanonicalDecl() == B->getCanonicalDecl() ||
         patternOf(A)->getCanonicalDecl() == patternOf(B)->getCanonicalDecl();
}

const NamedDecl *findMember(const CXXRecordDecl *RD, DeclarationName Name,
                            unsigned Depth = 0) {
  if (!RD || Depth > MaxBaseDepth)
    return nullptr;
  auto Found = RD->lookup(Name);
  if (!Found.empty())
    return Found.front();
  if (!RD->hasDefinition())
    return nullptr;
  for (const CXXBaseSpecifier &Base : RD->bases())
    if (const NamedDecl *D =
            findMember(recordForType(Base.getType()), Name, Depth + 1))
      return D;
  return nullptr;
}

const NamedDecl *findMember(const CXXRecordDecl *RD, llvm::StringRef Name,
                            const ASTContext &Ctx) {
  return findMember(RD, DeclarationName(&Ctx.Idents.get(Name)));
}

const CXXRecordDecl *recordForTypeDecl(const NamedDecl *D) {
  if (const auto *TD = dyn_cast<TypedefNameDecl>(D))
    return recordForType(TD->getUnderlyingType());
  if (const auto *RD = dyn_cast<CXXRecordDecl>(D))
    return definitionOrPattern(RD);
  return nullptr;
}

struct PromiseInfo {
  bool HasPromise = false;
  /// The promise's class (or its pattern) when it could be resolved.
  const CXXRecordDecl *Promise = nullptr;
};

const ClassTemplateDecl *findCoroutineTraits(const ASTContext &Ctx) {
  const TranslationUnitDecl *TU = Ctx.getTranslationUnitDecl();
  for (const NamedDecl *Std : TU->lookup(&Ctx.Idents.get("std")))
    if (const auto *NS = dyn_cast<NamespaceDecl>(Std))
      for (const NamedDecl *D : NS->lookup(&Ctx.Idents.get("coroutine_traits")))
        if (const auto *CTD = dyn_cast<ClassTemplateDecl>(D))
          return CTD;
  return nullptr;
}

const CXXRecordDecl *promiseMemberOf(const CXXRecordDecl *Traits,
                                     const ASTContext &Ctx) {
  if (const NamedDecl *D = findMember(Traits, "promise_type", Ctx))
    return recordForTypeDecl(D);
  return nullptr;
}

// Libraries such as Boost.Asio attach the promise through a specialization of
// std::coroutine_traits instead of a nested promise_type.
PromiseInfo promiseFromCoroutineTraits(const CXXRecordDecl *RD,
                                       const ASTContext &Ctx) {
  const ClassTemplateDecl *Traits = findCoroutineTraits(Ctx);
  if (!Traits)
    return {};
  for (const ClassTemplateSpecializationDecl *Spec :
       Traits->specializations()) {
    const TemplateArgumentList &Args = Spec->getTemplateArgs();
    if (Args.size() == 0 || Args[0].getKind() != TemplateArgument::Type)
      continue;
    if (sameClassOrTemplate(recordForType(Args[0].getAsType()), RD) &&
        Spec->hasDefinition() && findMember(Spec, "promise_type", Ctx))
      return {true, promiseMemberOf(Spec, Ctx)};
  }
  llvm::SmallVector<ClassTemplatePartialSpecializationDecl *, 4> Partials;
  const_cast<ClassTemplateDecl *>(Traits)->getPartialSpecializations(Partials);
  for (const ClassTemplatePartialSpecializationDecl *Partial : Partials) {
    const TemplateArgumentList &Args = Partial->getTemplateArgs();
    if (Args.size() == 0 || Args[0].getKind() != TemplateArgument::Type)
      continue;
    if (sameClassOrTemplate(recordForType(Args[0].getAsType()), RD))
      return {true, promiseMemberOf(Partial, Ctx)};
  }
  return {};
}

PromiseInfo promiseFor(const CXXRecordDecl *RD, const ASTContext &Ctx) {
  if (const NamedDecl *D = findMember(RD, "promise_type", Ctx))
    return {true, recordForTypeDecl(D)};
  return promiseFromCoroutineTraits(RD, Ctx);
}

const ReturnStmt *firstReturn(const Stmt *S) {
  if (!S)
    return nullptr;
  if (const auto *R = dyn_cast<ReturnStmt>(S))
    return R;
  for (const Stmt *Child : S->children())
    if (const ReturnStmt *R = firstReturn(Child))
      return R;
  return nullptr;
}

// The type a function returns, looking through an undeduced `auto` in a
// template's pattern by reading its first return statement.
QualType effectiveReturnType(const FunctionDecl *FD) {
  QualType RT = FD->getReturnType();
  // In a template's pattern an undeduced `auto` counts as "deduced" to a
  // dependent type, so test for the missing deduced type instead.
  if (const AutoType *Auto = RT->getContainedAutoType();
      Auto && Auto->getDeducedType().isNull())
    if (const ReturnStmt *R = firstReturn(FD->getBody()))
      if (const Expr *Value = R->getRetValue())
        return Value->getType();
  return RT;
}

AwaitableKind lazinessOf(const CXXRecordDecl *Promise, const ASTContext &Ctx) {
  if (!Promise)
    return AwaitableKind::Task;
  const NamedDecl *D = findMember(Promise, "initial_suspend", Ctx);
  const FunctionDecl *FD = D ? D->getAsFunction() : nullptr;
  if (!FD)
    return AwaitableKind::Task;
  const CXXRecordDecl *Awaiter = recordForType(effectiveReturnType(FD));
  if (!Awaiter)
    return AwaitableKind::Task;
  if (Awaiter->isInStdNamespace() && Awaiter->getName() == "suspend_always")
    return AwaitableKind::LazyTask;
  if (Awaiter->isInStdNamespace() && Awaiter->getName() == "suspend_never")
    return AwaitableKind::EagerTask;
  const NamedDecl *Ready = findMember(Awaiter, "await_ready", Ctx);
  if (std::optional<bool> Value =
          Ready ? constantBoolResult(Ready->getAsFunction()) : std::nullopt)
    return *Value ? AwaitableKind::EagerTask : AwaitableKind::LazyTask;
  return AwaitableKind::Task;
}

bool hasAwaiterMembers(const CXXRecordDecl *RD, const ASTContext &Ctx) {
  return findMember(RD, "await_ready", Ctx) &&
         findMember(RD, "await_suspend", Ctx) &&
         findMember(RD, "await_resume", Ctx);
}

bool hasCoawaitOperator(const CXXRecordDecl *RD, const ASTContext &Ctx) {
  DeclarationName Op = Ctx.DeclarationNames.getCXXOperatorName(OO_Coawait);
  if (findMember(RD, Op))
    return true;
  // Hidden friends are found only by argument-dependent lookup.
  // (The pattern of a specialization may be only declared: no friends then.)
  if (const CXXRecordDecl *Pattern = patternOf(RD)->getDefinition())
    for (const FriendDecl *Friend : Pattern->friends())
      if (const NamedDecl *ND = Friend->getFriendDecl())
        if (ND->getDeclName() == Op)
          return true;
  // A free operator in the class's namespace (what ADL would find) or at
  // global scope.
  const DeclContext *Scope = RD->getDeclContext();
  while (Scope && !Scope->isFileContext())
    Scope = Scope->getParent();
  llvm::SmallVector<const DeclContext *, 2> Scopes;
  if (Scope)
    Scopes.push_back(Scope);
  if (!Scope || !Scope->isTranslationUnit())
    Scopes.push_back(Ctx.getTranslationUnitDecl());
  for (const DeclContext *DC : Scopes)
    for (const NamedDecl *ND : DC->lookup(Op)) {
      const FunctionDecl *FD = ND->getAsFunction();
      if (FD && FD->getNumParams() >= 1 &&
          sameClassOrTemplate(recordForType(FD->getParamDecl(0)->getType()),
                              RD))
        return true;
    }
  return false;
}

} // namespace

namespace {
const CXXRecordDecl *definitionOrPattern(const CXXRecordDecl *RD) {
  if (const CXXRecordDecl *Def = RD->getDefinition())
    return Def;
  // Nothing has required the class to be instantiated yet (a specialization
  // only named in a signature, or a member class such as
  // task<long>::promise_type): its pattern says what it will contain.
  if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(RD))
    return Spec->getSpecializedTemplate()->getTemplatedDecl()->getDefinition();
  if (const CXXRecordDecl *Member = RD->getInstantiatedFromMemberClass())
    return Member->getDefinition();
  return nullptr;
}
} // namespace

const CXXRecordDecl *patternOf(const CXXRecordDecl *RD) {
  if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(RD))
    return Spec->getSpecializedTemplate()->getTemplatedDecl();
  return RD;
}

bool hasCoroReturnTypeAttr(const CXXRecordDecl *RD) {
  return RD->hasAttr<CoroReturnTypeAttr>() ||
         patternOf(RD)->hasAttr<CoroReturnTypeAttr>();
}

const CXXRecordDecl *recordForType(QualType T) {
  if (T.isNull())
    return nullptr;
  T = T.getNonReferenceType();
  if (const CXXRecordDecl *RD = T->getAsCXXRecordDecl())
    return definitionOrPattern(RD);
  if (const auto *TST = T->getAs<TemplateSpecializationType>())
    if (const auto *CTD = dyn_cast_or_null<ClassTemplateDecl>(
            TST->getTemplateName().getAsTemplateDecl()))
      return CTD->getTemplatedDecl()->getDefinition();
  if (const auto *Injected = T->getAs<InjectedClassNameType>())
    return Injected->getDecl()->getDefinition();
  return nullptr;
}

std::optional<bool> constantBoolResult(const FunctionDecl *F) {
  const auto *Body = dyn_cast_or_null<CompoundStmt>(F ? F->getBody() : nullptr);
  if (!Body || Body->size() != 1)
    return std::nullopt;
  const auto *Return = dyn_cast<ReturnStmt>(Body->body_front());
  if (!Return || !Return->getRetValue())
    return std::nullopt;
  if (const auto *Literal = dyn_cast<CXXBoolLiteralExpr>(
          Return->getRetValue()->IgnoreParenImpCasts()))
    return Literal->getValue();
  return std::nullopt;
}

bool canBeAwaited(QualType T, const ASTContext &Ctx) {
  const CXXRecordDecl *RD =
      T.isNull() ? nullptr : recordForType(T.getNonReferenceType());
  return RD && (hasAwaiterMembers(RD, Ctx) || hasCoawaitOperator(RD, Ctx));
}

AwaitableKind AwaitableClassifier::classify(QualType T, const ASTContext &Ctx) {
  if (T.isNull())
    return AwaitableKind::None;
  T = T.getNonReferenceType();
  if (T->isDependentType() || !T->isRecordType())
    return AwaitableKind::None;
  const Type *Key = T.getCanonicalType().getTypePtr();
  if (auto It = Cache.find(Key); It != Cache.end())
    return It->second;
  AwaitableKind Kind = AwaitableKind::None;
  if (const CXXRecordDecl *RD = recordForType(T))
    Kind = classifyRecord(RD, Ctx);
  Cache[Key] = Kind;
  return Kind;
}

AwaitableKind AwaitableClassifier::classifyRecord(const CXXRecordDecl *RD,
                                                  const ASTContext &Ctx) {
  if (Model.is(model::Role::FireAndForgetType, RD))
    return AwaitableKind::None;
  PromiseInfo Promise = promiseFor(RD, Ctx);
  bool Lazy = Model.is(model::Role::LazyTaskType, RD);
  bool Eager = !Lazy && Model.is(model::Role::EagerTaskType, RD);
  // Model.is(TaskType) includes [[clang::coro_return_type]].
  if (Lazy || Eager || Model.is(model::Role::TaskType, RD)) {
    // The structure decides when it can; else what the library says.
    AwaitableKind Kind = lazinessOf(Promise.Promise, Ctx);
    if (Kind == AwaitableKind::Task && (Lazy || Eager))
      return Lazy ? AwaitableKind::LazyTask : AwaitableKind::EagerTask;
    return Kind;
  }
  if (Promise.HasPromise) {
    AwaitableKind Kind = lazinessOf(Promise.Promise, Ctx);
    // An eager coroutine type that cannot be awaited (cppwinrt's
    // fire_and_forget, a detached task) exists to be dropped: its body has
    // already started, and there is nothing a caller could await.
    if (Kind == AwaitableKind::EagerTask && !hasAwaiterMembers(RD, Ctx) &&
        !hasCoawaitOperator(RD, Ctx))
      return AwaitableKind::None;
    return Kind;
  }
  if (hasAwaiterMembers(RD, Ctx) || hasCoawaitOperator(RD, Ctx))
    return AwaitableKind::Awaitable;
  return AwaitableKind::None;
}

} // namespace clang::tidy::corolint
