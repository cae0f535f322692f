//===--- LibraryFile.h - a user's library, from a file ----------*- C++ -*-===//
//
// A library the built-in tables do not know, described in a YAML file in the
// form of model/LibraryTable.h (docs/library-models.md): names and patterns
// only, never code. Every problem is reported with the file, the line and
// what is wrong.
//
//===----------------------------------------------------------------------===//

#ifndef COROLINT_CHECKS_MODEL_LIBRARYFILE_H
#define COROLINT_CHECKS_MODEL_LIBRARYFILE_H

#include "model/LibraryTable.h"
#include "llvm/Support/Error.h"

namespace clang::tidy::corolint::model {

/// The libraries that the YAML text \p Text (read from \p Path, for the
/// messages) describes; or every problem found, one per line, each starting
/// with "<Path>:<line>:<column>: " where the position is known.
llvm::Expected<std::vector<LibraryTable>>
parseLibraryFile(llvm::StringRef Text, llvm::StringRef Path);

} // namespace clang::tidy::corolint::model

#endif
