//===--- Annotations.cpp - corolint annotation names ----------------------===//

#include "Annotations.h"
#include "clang/AST/Attr.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"

namespace clang::tidy::corolint::annotations {

static bool hasOwnAnnotation(const Decl *D, llvm::StringRef Name) {
  for (const auto *Attr : D->specific_attrs<AnnotateAttr>())
    if (Attr->getAnnotation() == Name)
      return true;
  return false;
}

bool hasAnnotation(const Decl *D, llvm::StringRef Name) {
  if (!D)
    return false;
  if (hasOwnAnnotation(D, Name))
    return true;
  // Attributes written on a class template's pattern are not copied onto
  // specializations that were only declared, so look at the pattern too.
  if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(D))
    return hasOwnAnnotation(Spec->getSpecializedTemplate()->getTemplatedDecl(),
                            Name);
  if (const auto *FD = dyn_cast<FunctionDecl>(D))
    if (const FunctionDecl *Pattern = FD->getTemplateInstantiationPattern())
      return hasOwnAnnotation(Pattern, Name);
  return false;
}

} // namespace clang::tidy::corolint::annotations
