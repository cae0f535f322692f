//===--- NameList.cpp - option lists of qualified names -------------------===//

#include "NameList.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
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

std::string qualifiedName(const NamedDecl *D) {
  // Built from the declaration contexts by name, so that the arguments of a
  // class template specialization among them are left out.
  llvm::SmallVector<llvm::StringRef, 4> Parts;
  std::string Own = D->getNameAsString();
  for (const DeclContext *DC = D->getDeclContext(); DC; DC = DC->getParent()) {
    const auto *Scope = dyn_cast<NamedDecl>(DC);
    if (!Scope)
      continue;
    if (const auto *NS = dyn_cast<NamespaceDecl>(Scope);
        NS && (NS->isInline() || NS->isAnonymousNamespace()))
      continue;
    if (Scope->getDeclName().isIdentifier())
      Parts.push_back(Scope->getName());
  }
  std::string Name;
  for (auto It = Parts.rbegin(); It != Parts.rend(); ++It)
    Name += (*It + "::").str();
  return Name + Own;
}

bool NameList::matches(const NamedDecl *D) const {
  if (!D || Patterns.empty())
    return false;
  return matches(qualifiedName(D));
}

} // namespace clang::tidy::corolint
