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

#include "clang/AST/Decl.h"
#include "llvm/Support/Regex.h"
#include <string>
#include <vector>

namespace clang::tidy::corolint {

class NameList {
public:
  NameList() = default;
  explicit NameList(llvm::StringRef SemicolonSeparated);
  NameList(std::initializer_list<llvm::StringRef> Patterns);

  bool matches(llvm::StringRef QualifiedName) const;
  /// Matches qualifiedName(D).
  bool matches(const NamedDecl *D) const;
  bool empty() const { return Patterns.empty(); }

private:
  void add(llvm::StringRef Pattern);
  std::vector<llvm::Regex> Patterns;
};

/// \p D's fully qualified name without template arguments or inline
/// namespaces: "std::future::get" for std::future<int>::get, "std::mutex"
/// for std::__1::mutex.
std::string qualifiedName(const NamedDecl *D);

} // namespace clang::tidy::corolint

#endif
