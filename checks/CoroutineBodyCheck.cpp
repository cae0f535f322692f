//===--- CoroutineBodyCheck.cpp - base of the checks of bodies ------------===//

#include "CoroutineBodyCheck.h"

using namespace clang::ast_matchers;

namespace clang::tidy::corolint {

CoroutineBodyCheck::CoroutineBodyCheck(StringRef Name,
                                       ClangTidyContext *Context,
                                       BodyKind Bodies)
    : ClangTidyCheck(Name, Context), Model(Context, Options),
      TidyContext(Context), Which(Bodies) {}

void CoroutineBodyCheck::registerMatchers(MatchFinder *Finder) {
  Bodies.registerMatchers(Finder, this,
                          /*CoroutinesOnly=*/Which == BodyKind::Coroutines);
}

void CoroutineBodyCheck::check(const MatchFinder::MatchResult &Result) {
  const FunctionDecl *Function = Bodies.take(Result);
  if (!Function)
    return;
  const Stmt *Body = coroutineBody(Function);
  if (!Body && Which == BodyKind::AllFunctions)
    Body = Function->getBody();
  if (Body)
    checkBody(Function, Body, *Result.Context);
}

void CoroutineBodyCheck::onEndOfTranslationUnit() {
  onUnitEnd();
  Bodies.reset();
  Reported.clear();
  resetUnit();
}

bool CoroutineBodyCheck::firstReport(SourceLocation Loc, llvm::StringRef Key) {
  return Reported.emplace(Loc.getRawEncoding(), Key.str()).second;
}

NameList CoroutineBodyCheck::nameListOption(llvm::StringRef Option, bool Global,
                                            llvm::StringRef Default,
                                            NameList::Matching How) {
  std::string Raw = (Global ? Options.getLocalOrGlobal(Option, Default)
                            : Options.get(Option, Default))
                        .str();
  NameList List(Raw, How);
  diagnoseInvalidEntries(TidyContext, Options, getID(), Option, Global, List);
  NameListOptions.emplace_back(Option.str(), Raw);
  return List;
}

void CoroutineBodyCheck::roleOption(model::Role R, llvm::StringRef Option,
                                    bool Replace, NameList::Matching How) {
  bool Set = Options.getLocalOrGlobal(Option).has_value();
  if (Replace && !Set) {
    // The option's value is the whole list: show the tables' in
    // --dump-config, and let the tables answer.
    NameListOptions.emplace_back(Option.str(),
                                 model::LibraryModel::builtin()->patterns(R));
    return;
  }
  Model.configure(R, nameListOption(Option, /*Global=*/true, "", How), Replace);
}

void CoroutineBodyCheck::storeOptions(ClangTidyOptions::OptionMap &Opts) {
  for (const auto &[Option, Raw] : NameListOptions)
    Options.store(Opts, Option, Raw);
}

} // namespace clang::tidy::corolint
