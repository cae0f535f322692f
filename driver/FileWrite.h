//===--- FileWrite.h - write a file whole or not at all ---------*- C++ -*-===//

#ifndef COROLINT_DRIVER_FILEWRITE_H
#define COROLINT_DRIVER_FILEWRITE_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>

namespace corolint {

/// Writes \p Contents to \p Path through a temporary file beside it and a
/// rename, so that a reader (or a crash, or a full disk) never sees it
/// half-written. An existing file keeps its permission bits. The error names
/// the path and what failed.
llvm::Error writeFileAtomically(const std::string &Path,
                                llvm::StringRef Contents);

} // namespace corolint

#endif
