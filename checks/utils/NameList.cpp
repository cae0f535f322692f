//===--- NameList.cpp - option lists of qualified names -------------------===//

#include "NameList.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "llvm/ADT/SmallVector.h"

namespace clang::tidy::corolint {

NameList::NameList(llvm::StringRef SemicolonSeparated, Matching How) {
  llvm::SmallVector<llvm::StringRef, 8> Parts;
  SemicolonSeparated.split(Parts, ';', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef Part : Parts)
    add(Part, How);
}

NameList::NameList(std::initializer_list<llvm::StringRef> Patterns) {
  for (llvm::StringRef Pattern : Patterns)
    add(Pattern, Matching::Qualified);
}

void NameList::add(llvm::StringRef Pattern, Matching How) {
  Pattern = Pattern.trim();
  Pattern.consume_front("::");
  if (Pattern.empty())
    return;
  bool Unqualified = How == Matching::Upstream && !Pattern.contains("::");
  llvm::Regex Re(("^(::)?(" + Pattern + ")$").str());
  if (std::string Error; !Re.isValid(Error)) {
    InvalidPatterns.push_back({Pattern.str(), Error});
    return;
  }
  Patterns.push_back({std::move(Re), Unqualified});
}

bool NameList::matches(llvm::StringRef QualifiedName) const {
  llvm::StringRef Unqualified = QualifiedName.rsplit("::").second;
  if (Unqualified.empty())
    Unqualified = QualifiedName;
  for (const Entry &E : Patterns)
    if (E.Re.match(E.Unqualified ? Unqualified : QualifiedName))
      return true;
  return false;
}

void diagnoseInvalidEntries(ClangTidyContext *Context,
                            const ClangTidyCheck::OptionsView &Options,
                            llvm::StringRef CheckName, llvm::StringRef Option,
                            bool Global, const NameList &List) {
  std::string Key = (!Global || Options.get(Option))
                        ? (CheckName + "." + Option).str()
                        : Option.str();
  for (const NameList::Invalid &Entry : List.invalid())
    Context->configurationDiag(
        "invalid regular expression '%0' in option '%1': %2")
        << Entry.Pattern << Key << Entry.Error;
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
