//===--- CoroutineBodyCheck.h - base of the checks of bodies ----*- C++ -*-===//
//
// What every corolint check shares: each function body (a lambda's
// included) is matched and analysed once per translation unit; the checks
// run on C++20 only; what they remember is reset between units; their
// library knowledge comes from one model (model/LibraryModel.h), with the
// project's options for it read, validated and stored the same way; and one
// template policy:
//
//   A template is analysed in its pattern and in each instantiation: the
//   pattern finds what does not depend on the template's arguments even
//   when nothing instantiates it; an instantiation resolves the calls and
//   types that do. They share source locations, so a finding is reported
//   once per location (firstReport), whichever body finds it first.
//
//===----------------------------------------------------------------------===//

#ifndef COROLINT_CHECKS_COROUTINEBODYCHECK_H
#define COROLINT_CHECKS_COROUTINEBODYCHECK_H

#include "ClangTidyCheck.h"
#include "model/LibraryModel.h"
#include "utils/FunctionBodies.h"
#include "utils/NameList.h"
#include <set>

namespace clang::tidy::corolint {

class CoroutineBodyCheck : public ClangTidyCheck {
public:
  enum class BodyKind {
    /// Coroutine bodies only: checks about suspension cost nothing on
    /// ordinary functions.
    Coroutines,
    /// Every function body (fan-out and discarded tasks happen in main and
    /// in plain functions too).
    AllFunctions,
  };

  CoroutineBodyCheck(StringRef Name, ClangTidyContext *Context,
                     BodyKind Bodies);

  void registerMatchers(ast_matchers::MatchFinder *Finder) final;
  void check(const ast_matchers::MatchFinder::MatchResult &Result) final;
  void onEndOfTranslationUnit() final;
  bool isLanguageVersionSupported(const LangOptions &LangOpts) const override {
    return LangOpts.CPlusPlus20;
  }
  /// Stores the options read with nameListOption or roleOption; a check
  /// with options of its own stores them after calling this.
  void storeOptions(ClangTidyOptions::OptionMap &Opts) override;

protected:
  /// Analyses one body: a coroutine's user-written body, or (with
  /// BodyKind::AllFunctions) any function's.
  virtual void checkBody(const FunctionDecl *Function, const Stmt *Body,
                         ASTContext &Ctx) = 0;
  /// Reports what can only be decided once the whole unit has been seen
  /// (firstReport still answers).
  virtual void onUnitEnd() {}
  /// Forgets what was learnt about the unit that ended.
  virtual void resetUnit() {}

  /// The template policy: true the first time a finding at \p Loc (with
  /// \p Key, for checks that report several findings at one place) is
  /// reported in this unit.
  bool firstReport(SourceLocation Loc, llvm::StringRef Key = "");

  /// Reads the name-list option \p Option (the check's own, else with \p
  /// Global the global one), reports entries that are not regular
  /// expressions, and remembers it for storeOptions.
  NameList
  nameListOption(llvm::StringRef Option, bool Global,
                 llvm::StringRef Default = "",
                 NameList::Matching How = NameList::Matching::Qualified);
  /// Reads the project's list for model role \p R from \p Option (check's
  /// own, else global) and gives it to the model. With \p Replace the list
  /// replaces the model's tables for that role (an upstream option whose
  /// value is the whole list), and when unset it shows the tables' list.
  void roleOption(model::Role R, llvm::StringRef Option, bool Replace = false,
                  NameList::Matching How = NameList::Matching::Qualified);

  model::AsyncModel Model;

private:
  ClangTidyContext *const TidyContext;
  FunctionBodies Bodies;
  const BodyKind Which;
  std::set<std::pair<unsigned, std::string>> Reported;
  std::vector<std::pair<std::string, std::string>> NameListOptions;
};

} // namespace clang::tidy::corolint

#endif
