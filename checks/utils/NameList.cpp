//===--- NameList.cpp - option lists of qualified names -------------------===//

#include "NameList.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/PrettyPrinter.h"
#include "llvm/ADT/SmallVector.h"

namespace clang::tidy::corolint {

NameList::NameList(llvm::StringRef SemicolonSeparated) {
  llvm::SmallVector<llvm::StringRef, 8> Parts;
  SemicolonSeparated.split(Parts, ';', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef Part : Parts)
    add(Part);
}

NameList::NameList(std::initializer_list<llvm::StringRef> Patterns) {
  for (llvm::StringRef Pattern : Patterns)
    add(Pattern);
}

void NameList::add(llvm::StringRef Pattern) {
  Pattern = Pattern.trim();
  Pattern.consume_front("::");
  if (!Pattern.empty())
    Patterns.emplace_back(("^(::)?(" + Pattern + ")$").str());
}

bool NameList::matches(llvm::StringRef QualifiedName) const {
  for (const llvm::Regex &Re : Patterns)
    if (Re.match(QualifiedName))
      return true;
  return false;
}

bool NameList::matches(const NamedDecl *D) const {
  if (!D || Patterns.empty())
    return false;
  // libstdc++ declares std types in inline namespaces (std::__n4861::...);
  // the printing policy leaves inline namespaces out of the name.
  PrintingPolicy Policy(D->getASTContext().getLangOpts());
  Policy.SuppressInlineNamespace = true;
  Policy.SuppressUnwrittenScope = true;
  std::string Name;
  llvm::raw_string_ostream OS(Name);
  D->printQualifiedName(OS, Policy);
  return matches(OS.str());
}

} // namespace clang::tidy::corolint
