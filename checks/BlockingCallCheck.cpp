//===--- BlockingCallCheck.cpp - async-blocking-call ----------------------===//

#include "BlockingCallCheck.h"
#include "utils/BodyStatements.h"
#include "clang/AST/Expr.h"

namespace clang::tidy::corolint {

BlockingCallCheck::BlockingCallCheck(StringRef Name, ClangTidyContext *Context)
    : CoroutineBodyCheck(Name, Context, BodyKind::Coroutines),
      AllowedFunctions(nameListOption("AllowedFunctions", /*Global=*/false)) {
  Model.configureBlocking(nameListOption("BlockingFunctions", /*Global=*/true));
}

void BlockingCallCheck::checkBody(const FunctionDecl *Function,
                                  const Stmt *Body, ASTContext &Ctx) {
  forEachStatement(Body, [&](const Stmt *S) {
    const auto *Call = dyn_cast<CallExpr>(S);
    const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
    if (!Callee || AllowedFunctions.matches(Callee))
      return true;
    std::optional<model::BlockingKind> Kind =
        Model.blocking(Call, Callee, Body, Ctx);
    if (!Kind || !firstReport(Call->getBeginLoc()))
      return true;
    // A customisation-point object is known by its own name, not by its
    // call operator's.
    const NamedDecl *Named = model::calledObject(Call);
    if (!Named)
      Named = Callee;
    // The advice is in the terms of the coroutine's own library.
    diag(Call->getBeginLoc(),
         "%0 blocks the thread that runs this coroutine; %1")
        << Named->getDeclName()
        << Model.advice(*Kind, Model.libraryOfCoroutine(Function))
        << Call->getSourceRange();
    return true;
  });
}

} // namespace clang::tidy::corolint
