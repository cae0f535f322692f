//===--- NameList.h - option lists of qualified names -----------*- C++ -*-===//
//
// The semicolon-separated lists that options such as TaskTypes, LockGuards
// or BlockingFunctions take: each entry is a regular expression matched
// against the whole fully qualified name (no template arguments); a leading
// "::" is ignored, so "::std::mutex" and "std::mutex" mean the same.
//
//===----------------------------------------------------------------------===//

#ifndef COROLINT_CHECKS_UTILS_NAMELIST_H
#define COROLINT_CHECKS_UTILS_NAMELIST_H

#include "ClangTidyCheck.h"
#include "clang/AST/Decl.h"
#include "llvm/Support/Regex.h"
#include <string>
#include <vector>

namespace clang::tidy::corolint {

class NameList {
public:
  /// How an entry without "::" matches.
  enum class Matching {
    /// Against the whole qualified name, like every other entry.
    Qualified,
    /// Against the unqualified name, as upstream clang-tidy's name lists
    /// (matchers::matchesAnyListedName) do: for options that keep an
    /// upstream name and meaning.
    Upstream,
  };

  NameList() = default;
  explicit NameList(llvm::StringRef SemicolonSeparated,
                    Matching How = Matching::Qualified);
  NameList(std::initializer_list<llvm::StringRef> Patterns);

  bool matches(llvm::StringRef QualifiedName) const;
  /// Matches qualifiedName(D).
  bool matches(const NamedDecl *D) const;
  bool empty() const { return Patterns.empty(); }

  /// The entries that are not valid regular expressions, with why; they
  /// match nothing.
  struct Invalid {
    std::string Pattern;
    std::string Error;
  };
  const std::vector<Invalid> &invalid() const { return InvalidPatterns; }

private:
  struct Entry {
    llvm::Regex Re;
    bool Unqualified;
  };
  void add(llvm::StringRef Pattern, Matching How);
  std::vector<Entry> Patterns;
  std::vector<Invalid> InvalidPatterns;
};

/// Reports each invalid entry of \p List, the value of check \p CheckName's
/// option \p Option, as an error of the configuration (naming the key it
/// came from: the check's own, or the global one when \p Global and the
/// check has none).
void diagnoseInvalidEntries(ClangTidyContext *Context,
                            const ClangTidyCheck::OptionsView &Options,
                            llvm::StringRef CheckName, llvm::StringRef Option,
                            bool Global, const NameList &List);

/// \p D's fully qualified name without template arguments or inline
/// namespaces: "std::future::get" for std::future<int>::get, "std::mutex"
/// for std::__1::mutex.
std::string qualifiedName(const NamedDecl *D);

} // namespace clang::tidy::corolint

#endif
