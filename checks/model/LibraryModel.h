//===--- LibraryModel.h - what each async library's calls do ----*- C++ -*-===//
//
// The one place the checks learn what a call or a type of an async library
// is: a task type, a spawn, a select, a join-all, a bound on concurrency, a
// blocking call (and what to use instead, in the library's terms), a
// cancel-safe or -unsafe operation, a cancellation check point, a
// synchronous lock. A check asks; the answer comes, in this order, from
//   1. the project's configuration (the check's own option, else the global
//      one: TaskTypes, SpawnFunctions, ...),
//   2. the corolint::* annotations and clang's own attributes,
//   3. the user's library files (the LibraryModels option), then
//   4. the built-in tables, one per library (model/libraries/).
//
//===----------------------------------------------------------------------===//

#ifndef COROLINT_CHECKS_MODEL_LIBRARYMODEL_H
#define COROLINT_CHECKS_MODEL_LIBRARYMODEL_H

#include "ClangTidyCheck.h"
#include "model/LibraryTable.h"
#include "utils/NameList.h"
#include "clang/AST/DeclCXX.h"
#include <memory>

namespace clang::tidy::corolint::model {

/// One library's table, with its patterns compiled.
class Library {
public:
  explicit Library(LibraryTable Table);
  const LibraryTable &table() const { return Table; }
  llvm::StringRef name() const { return Table.Name; }
  /// The length of the longest of the library's namespaces that \p
  /// QualifiedName is in; 0 if none.
  size_t owns(llvm::StringRef QualifiedName) const;
  bool applies(llvm::StringRef QualifiedName) const {
    return Table.Namespaces.empty() || owns(QualifiedName);
  }
  bool has(Role R, llvm::StringRef QualifiedName) const {
    return Roles[static_cast<size_t>(R)].matches(QualifiedName);
  }
  /// What \p QualifiedName blocks on by this table's names, if the table
  /// applies to it.
  std::optional<BlockingKind> blocking(llvm::StringRef QualifiedName) const;

  /// Each pattern that is not a valid regular expression: "'<pattern>' in
  /// '<key>': <why>".
  std::vector<std::string> invalidEntries() const;

private:
  LibraryTable Table;
  std::array<NameList, NumRoles> Roles;
  std::array<NameList, NumBlockingKinds> Blocking;
};

/// The built-in libraries and the user's, compiled once and shared by the
/// checks (immutable, so safe to share between threads).
class LibraryModel {
public:
  explicit LibraryModel(std::vector<LibraryTable> UserTables);

  /// The built-in tables only.
  static std::shared_ptr<const LibraryModel> builtin();

  /// The built-in tables and those of the library files \p Files (resolved
  /// as resolveLibraryFile does), loaded once per process and file version.
  /// Problems with a file are appended to \p Errors, each naming the file;
  /// a file with a problem contributes nothing.
  static std::shared_ptr<const LibraryModel>
  withFiles(llvm::ArrayRef<std::string> Files, llvm::StringRef FromFile,
            std::vector<std::string> &Errors);

  /// The library that owns \p QualifiedName (the longest namespace match; a
  /// user's library wins a tie), or null.
  const Library *libraryOf(llvm::StringRef QualifiedName) const;

  /// Whether any table that applies to \p QualifiedName gives it role \p R.
  bool has(Role R, llvm::StringRef QualifiedName) const;
  /// The patterns of role \p R in every table, as one option value.
  std::string patterns(Role R) const;
  /// What \p Call blocks on according to the tables, or nothing.
  std::optional<BlockingKind> blocking(const CallExpr *Call,
                                       const FunctionDecl *Callee,
                                       const Stmt *Body, ASTContext &Ctx) const;
  /// What a function (or function object) of that name blocks on according
  /// to the tables' names alone.
  std::optional<BlockingKind> blocking(llvm::StringRef QualifiedName) const;
  /// A select in a library's own syntax.
  bool selectByShape(const CallExpr *Call, SelectForm &Out) const;

  /// The advice of \p L (or the neutral advice when it has none).
  llvm::StringRef advice(BlockingKind K, const Library *L) const;
  llvm::StringRef advice(FanoutKind K, const Library *L) const;

  llvm::ArrayRef<Library> libraries() const { return Libraries; }

private:
  /// The user's first, then the built-in ones.
  std::vector<Library> Libraries;
  LibraryTable Neutral;
};

/// The function object a call goes through when it is declared at
/// namespace scope (a customisation-point object), or null.
const VarDecl *calledObject(const CallExpr *Call);
/// The qualified name of what \p Call calls: its callee, or its
/// customisation-point object.
std::string calledName(const CallExpr *Call);

/// Where a library file named \p Path is: as is when absolute; else the
/// first of \p FromFile's folder and its parents (where the .clang-tidy
/// that names it usually is) that has it, else the working directory's.
std::string resolveLibraryFile(llvm::StringRef Path, llvm::StringRef FromFile);

/// A check's view of the model: the shared libraries plus the project's
/// configuration for the roles the check reads.
class AsyncModel {
public:
  /// Loads the library files the LibraryModels option names, reporting
  /// their problems as configuration errors (once per translation unit).
  AsyncModel(ClangTidyContext *Context,
             const ClangTidyCheck::OptionsView &Options);

  /// The project's list for \p R. With \p Replace, it replaces the tables'
  /// (options that keep an upstream name whose value is the whole list:
  /// LockGuards); otherwise it comes first and the tables still count.
  void configure(Role R, NameList List, bool Replace = false);
  /// The project's list of functions that block (BlockingFunctions).
  void configureBlocking(NameList List) {
    ConfiguredBlocking = std::move(List);
  }

  /// Whether \p D has role \p R: configuration, then annotation or clang
  /// attribute, then the tables.
  bool is(Role R, const NamedDecl *D) const;
  /// Whether the function \p Call calls, or the function object it calls
  /// (a customisation-point object such as stdexec::when_any), has role \p R.
  bool isCall(Role R, const CallExpr *Call) const;

  enum class Safety { Unknown, Safe, Unsafe };
  /// An operation's cancel safety, by configuration, annotation, table.
  Safety cancelSafety(const FunctionDecl *F) const;

  /// What a call blocks on: configuration (the BlockingFunctions option, as
  /// an Offload) and annotation first, then the tables.
  std::optional<BlockingKind> blocking(const CallExpr *Call,
                                       const FunctionDecl *Callee,
                                       const Stmt *Body, ASTContext &Ctx) const;

  bool selectByShape(const CallExpr *Call, SelectForm &Out) const {
    return Libraries->selectByShape(Call, Out);
  }

  /// The library of a coroutine (from the class its return type names) or
  /// of a declaration.
  const Library *libraryOfCoroutine(const FunctionDecl *Coroutine) const;
  const Library *libraryOf(const NamedDecl *D) const;
  const Library *libraryOf(llvm::StringRef QualifiedName) const {
    return Libraries->libraryOf(QualifiedName);
  }

  llvm::StringRef advice(BlockingKind K, const Library *L) const {
    return Libraries->advice(K, L);
  }
  llvm::StringRef advice(FanoutKind K, const Library *L) const {
    return Libraries->advice(K, L);
  }

private:
  std::shared_ptr<const LibraryModel> Libraries;
  std::array<NameList, NumRoles> Configured;
  std::array<bool, NumRoles> Replaced{};
  NameList ConfiguredBlocking;
};

} // namespace clang::tidy::corolint::model

#endif
