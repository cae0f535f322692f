//===--- LibraryTable.h - one library's entries in the model ----*- C++ -*-===//
//
// What the model knows of one library, as data: each library's table lives
// in its own file under model/libraries/ and names its source of truth;
// AsyncLibrary.cpp picks the table for a library. Adding a library's
// advice is one such file and one case there.
//
//===----------------------------------------------------------------------===//

#ifndef COROLINT_CHECKS_MODEL_LIBRARYTABLE_H
#define COROLINT_CHECKS_MODEL_LIBRARYTABLE_H

#include "model/AsyncLibrary.h"

namespace clang::tidy::corolint::model {

struct LibraryTable {
  /// Indexed by BlockingKind.
  const char *Blocking[static_cast<size_t>(BlockingKind::Spin) + 1];
  /// Indexed by FanoutKind.
  const char *Fanout[static_cast<size_t>(FanoutKind::JoinAll) + 1];
};

extern const LibraryTable AsyncrtTable;
extern const LibraryTable BoostAsioTable;
/// Any library without a table: advice that names no API.
extern const LibraryTable NeutralTable;

} // namespace clang::tidy::corolint::model

#endif
