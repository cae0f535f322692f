//===--- LibraryModel.cpp - what each async library's calls do ------------===//

#include "model/LibraryModel.h"
#include "model/LibraryFile.h"
#include "utils/Annotations.h"
#include "utils/Awaitable.h"
#include "clang/AST/Attr.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include <map>
#include <mutex>
#include <set>

namespace clang::tidy::corolint::model {

llvm::StringRef roleKey(Role R) {
  switch (R) {
  case Role::TaskType:
    return "task-types";
  case Role::LazyTaskType:
    return "lazy-task-types";
  case Role::EagerTaskType:
    return "eager-task-types";
  case Role::FireAndForgetType:
    return "fire-and-forget-types";
  case Role::Spawn:
    return "spawn";
  case Role::Select:
    return "select";
  case Role::JoinAll:
    return "join-all";
  case Role::Bounding:
    return "bounding";
  case Role::CancelSafe:
    return "cancel-safe";
  case Role::CancelUnsafe:
    return "cancel-unsafe";
  case Role::CancellationCheck:
    return "cancellation-checks";
  case Role::HandOff:
    return "hand-off";
  case Role::Reschedule:
    return "reschedule";
  case Role::LockGuard:
    return "lock-guards";
  case Role::Mutex:
    return "mutexes";
  }
  return "";
}

llvm::StringRef blockingKey(BlockingKind K) {
  switch (K) {
  case BlockingKind::Sleep:
    return "sleep";
  case BlockingKind::Future:
    return "future";
  case BlockingKind::Join:
    return "join";
  case BlockingKind::Wait:
    return "wait";
  case BlockingKind::IO:
    return "io";
  case BlockingKind::BlockOn:
    return "block-on";
  case BlockingKind::Offload:
    return "offload";
  case BlockingKind::Spin:
    return "spin";
  }
  return "";
}

llvm::StringRef fanoutKey(FanoutKind K) {
  return K == FanoutKind::SpawnInLoop ? "spawn-in-loop" : "join-all";
}

static NameList compile(const std::vector<std::string> &Patterns) {
  return NameList(llvm::join(Patterns, ";"));
}

Library::Library(LibraryTable T) : Table(std::move(T)) {
  for (size_t R = 0; R < NumRoles; ++R)
    Roles[R] = compile(Table.Roles[R]);
  for (size_t K = 0; K < NumBlockingKinds; ++K)
    Blocking[K] = compile(Table.Blocking[K]);
}

size_t Library::owns(llvm::StringRef QualifiedName) const {
  size_t Longest = 0;
  for (const std::string &Namespace : Table.Namespaces)
    if (QualifiedName.starts_with(Namespace))
      Longest = std::max(Longest, Namespace.size());
  return Longest;
}

std::optional<BlockingKind>
Library::blocking(llvm::StringRef QualifiedName) const {
  if (!applies(QualifiedName))
    return std::nullopt;
  for (size_t K = 0; K < NumBlockingKinds; ++K)
    if (Blocking[K].matches(QualifiedName))
      return static_cast<BlockingKind>(K);
  return std::nullopt;
}

std::vector<std::string> Library::invalidEntries() const {
  std::vector<std::string> Out;
  auto Add = [&](const NameList &List, llvm::StringRef Key) {
    for (const NameList::Invalid &I : List.invalid())
      Out.push_back("'" + I.Pattern + "' in '" + Key.str() + "': " + I.Error);
  };
  for (size_t R = 0; R < NumRoles; ++R)
    Add(Roles[R], roleKey(static_cast<Role>(R)));
  for (size_t K = 0; K < NumBlockingKinds; ++K)
    Add(Blocking[K],
        ("blocking." + blockingKey(static_cast<BlockingKind>(K))).str());
  return Out;
}

LibraryModel::LibraryModel(std::vector<LibraryTable> UserTables)
    : Neutral(neutralTable()) {
  for (LibraryTable &T : UserTables)
    Libraries.emplace_back(std::move(T));
  for (LibraryTable (*Make)() :
       {stdPosixTable, asyncrtTable, boostAsioTable, boostCobaltTable,
        cppcoroTable, libcoroTable, follyCoroTable, asyncSimpleTable,
        concurrencppTable, qcoroTable, stdexecTable, cppwinrtTable,
        neutralTable})
    Libraries.emplace_back(Make());
}

std::shared_ptr<const LibraryModel> LibraryModel::builtin() {
  static const std::shared_ptr<const LibraryModel> Model =
      std::make_shared<LibraryModel>(std::vector<LibraryTable>{});
  return Model;
}

const Library *LibraryModel::libraryOf(llvm::StringRef QualifiedName) const {
  const Library *Best = nullptr;
  size_t BestLength = 0;
  for (const Library &L : Libraries)
    if (size_t Length = L.owns(QualifiedName); Length > BestLength) {
      Best = &L;
      BestLength = Length;
    }
  return Best;
}

bool LibraryModel::has(Role R, llvm::StringRef QualifiedName) const {
  for (const Library &L : Libraries)
    if (L.applies(QualifiedName) && L.has(R, QualifiedName))
      return true;
  return false;
}

std::string LibraryModel::patterns(Role R) const {
  std::vector<std::string> All;
  for (const Library &L : Libraries)
    for (const std::string &P : L.table().Roles[static_cast<size_t>(R)])
      All.push_back(P);
  return llvm::join(All, ";");
}

std::optional<BlockingKind> LibraryModel::blocking(const CallExpr *Call,
                                                   const FunctionDecl *Callee,
                                                   const Stmt *Body,
                                                   ASTContext &Ctx) const {
  std::string Name = qualifiedName(Callee);
  for (const Library &L : Libraries) {
    if (L.table().BlockingByShape)
      if (std::optional<BlockingKind> K =
              L.table().BlockingByShape(Call, Callee, Body, Ctx))
        return K;
    if (std::optional<BlockingKind> K = L.blocking(Name))
      return K;
  }
  return std::nullopt;
}

std::optional<BlockingKind>
LibraryModel::blocking(llvm::StringRef QualifiedName) const {
  for (const Library &L : Libraries)
    if (std::optional<BlockingKind> K = L.blocking(QualifiedName))
      return K;
  return std::nullopt;
}

bool LibraryModel::selectByShape(const CallExpr *Call, SelectForm &Out) const {
  for (const Library &L : Libraries)
    if (L.table().SelectByShape && L.table().SelectByShape(Call, Out))
      return true;
  return false;
}

llvm::StringRef LibraryModel::advice(BlockingKind K, const Library *L) const {
  size_t I = static_cast<size_t>(K);
  if (L && !L->table().BlockingAdvice[I].empty())
    return L->table().BlockingAdvice[I];
  return Neutral.BlockingAdvice[I];
}

llvm::StringRef LibraryModel::advice(FanoutKind K, const Library *L) const {
  size_t I = static_cast<size_t>(K);
  if (L && !L->table().FanoutAdvice[I].empty())
    return L->table().FanoutAdvice[I];
  return Neutral.FanoutAdvice[I];
}

std::string resolveLibraryFile(llvm::StringRef Path, llvm::StringRef FromFile) {
  if (llvm::sys::path::is_absolute(Path))
    return Path.str();
  if (!FromFile.empty()) {
    llvm::SmallString<256> Folder(FromFile);
    llvm::sys::fs::make_absolute(Folder);
    llvm::sys::path::remove_filename(Folder);
    while (!Folder.empty()) {
      llvm::SmallString<256> Candidate(Folder);
      llvm::sys::path::append(Candidate, Path);
      if (llvm::sys::fs::is_regular_file(Candidate))
        return std::string(Candidate);
      llvm::StringRef Parent = llvm::sys::path::parent_path(Folder);
      if (Parent == Folder)
        break;
      Folder = Parent;
    }
  }
  llvm::SmallString<256> FromCwd(Path);
  llvm::sys::fs::make_absolute(FromCwd);
  return std::string(FromCwd);
}

namespace {

// Library files are read once per process and version of the file (its
// size and modification time), whatever the number of checks and units.
struct LoadedFile {
  llvm::sys::TimePoint<> Modified;
  uint64_t Size = 0;
  std::vector<LibraryTable> Tables;
  std::string Error;
};

std::mutex CacheMutex;
std::map<std::string, LoadedFile> FileCache;
std::map<std::string, std::shared_ptr<const LibraryModel>> ModelCache;

const LoadedFile &loadFile(const std::string &Path) {
  llvm::sys::fs::file_status Status;
  std::error_code StatError = llvm::sys::fs::status(Path, Status);
  auto It = FileCache.find(Path);
  if (It != FileCache.end() && !StatError &&
      It->second.Modified == Status.getLastModificationTime() &&
      It->second.Size == Status.getSize())
    return It->second;
  LoadedFile &F = FileCache[Path];
  F = LoadedFile();
  if (StatError) {
    F.Error = Path + ": cannot read the library file: " + StatError.message();
    return F;
  }
  F.Modified = Status.getLastModificationTime();
  F.Size = Status.getSize();
  auto Buffer = llvm::MemoryBuffer::getFile(Path);
  if (!Buffer) {
    F.Error =
        Path + ": cannot read the library file: " + Buffer.getError().message();
    return F;
  }
  auto Parsed = parseLibraryFile((*Buffer)->getBuffer(), Path);
  if (!Parsed)
    F.Error = llvm::toString(Parsed.takeError());
  else
    F.Tables = std::move(*Parsed);
  return F;
}

} // namespace

std::shared_ptr<const LibraryModel>
LibraryModel::withFiles(llvm::ArrayRef<std::string> Files,
                        llvm::StringRef FromFile,
                        std::vector<std::string> &Errors) {
  if (Files.empty())
    return builtin();
  std::lock_guard<std::mutex> Lock(CacheMutex);
  std::vector<LibraryTable> Tables;
  std::string Key;
  for (const std::string &Name : Files) {
    std::string Path = resolveLibraryFile(Name, FromFile);
    const LoadedFile &F = loadFile(Path);
    if (!F.Error.empty()) {
      Errors.push_back(F.Error);
      continue;
    }
    Tables.insert(Tables.end(), F.Tables.begin(), F.Tables.end());
    Key += Path + "@" + std::to_string(F.Modified.time_since_epoch().count()) +
           ";";
  }
  if (Tables.empty())
    return builtin();
  std::shared_ptr<const LibraryModel> &Model = ModelCache[Key];
  if (!Model)
    Model = std::make_shared<LibraryModel>(std::move(Tables));
  return Model;
}

// --- A check's view ---------------------------------------------------------

AsyncModel::AsyncModel(ClangTidyContext *Context,
                       const ClangTidyCheck::OptionsView &Options) {
  llvm::SmallVector<llvm::StringRef, 4> Parts;
  llvm::StringRef Raw = Options.getLocalOrGlobal("LibraryModels", "");
  Raw.split(Parts, ';', -1, /*KeepEmpty=*/false);
  std::vector<std::string> Files;
  for (llvm::StringRef Part : Parts)
    if (!Part.trim().empty())
      Files.push_back(Part.trim().str());
  std::vector<std::string> Errors;
  Libraries = LibraryModel::withFiles(Files, Context->getCurrentFile(), Errors);
  // Every check of a unit loads the same files: report each problem once.
  static std::mutex ReportedMutex;
  static std::set<std::string> Reported;
  std::lock_guard<std::mutex> Lock(ReportedMutex);
  for (const std::string &Error : Errors) {
    llvm::SmallVector<llvm::StringRef, 4> Lines;
    llvm::StringRef(Error).split(Lines, '\n', -1, /*KeepEmpty=*/false);
    for (llvm::StringRef Line : Lines)
      if (Reported
              .insert(std::to_string(reinterpret_cast<uintptr_t>(Context)) +
                      Context->getCurrentFile().str() + Line.str())
              .second)
        Context->configurationDiag("in option 'LibraryModels': %0") << Line;
  }
}

void AsyncModel::configure(Role R, NameList List, bool Replace) {
  Configured[static_cast<size_t>(R)] = std::move(List);
  Replaced[static_cast<size_t>(R)] = Replace;
}

// The annotation (or clang attribute) that says the same as a role.
static bool annotated(Role R, const NamedDecl *D) {
  switch (R) {
  case Role::TaskType:
    return isa<CXXRecordDecl>(D) &&
           hasCoroReturnTypeAttr(cast<CXXRecordDecl>(D));
  case Role::FireAndForgetType:
    return annotations::hasAnnotation(D, annotations::Discardable);
  case Role::Spawn:
    return annotations::hasAnnotation(D, annotations::SpawnLike);
  case Role::Select:
    return annotations::hasAnnotation(D, annotations::SelectLike);
  case Role::Bounding:
    return annotations::hasAnnotation(D, annotations::BoundsConcurrency);
  case Role::CancelSafe:
    return annotations::hasAnnotation(D, annotations::CancelSafe);
  case Role::CancelUnsafe:
    return annotations::hasAnnotation(D, annotations::CancelUnsafe);
  case Role::LazyTaskType:
  case Role::EagerTaskType:
  case Role::JoinAll:
  case Role::CancellationCheck:
  case Role::HandOff:
  case Role::Reschedule:
  case Role::LockGuard:
  case Role::Mutex:
    return false;
  }
  return false;
}

bool AsyncModel::is(Role R, const NamedDecl *D) const {
  if (!D)
    return false;
  size_t I = static_cast<size_t>(R);
  std::string Name = qualifiedName(D);
  if (Configured[I].matches(Name))
    return true;
  if (Replaced[I])
    return false;
  return annotated(R, D) || Libraries->has(R, Name);
}

const VarDecl *calledObject(const CallExpr *Call) {
  const auto *Op = dyn_cast<CXXOperatorCallExpr>(Call);
  if (!Op || Op->getOperator() != OO_Call || Op->getNumArgs() == 0)
    return nullptr;
  const auto *Ref = dyn_cast<DeclRefExpr>(Op->getArg(0)->IgnoreParenImpCasts());
  const auto *Var = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
  if (!Var || !Var->getDeclContext()->getRedeclContext()->isFileContext())
    return nullptr;
  return Var;
}

std::string calledName(const CallExpr *Call) {
  if (const VarDecl *Object = calledObject(Call))
    return qualifiedName(Object);
  const FunctionDecl *Callee = Call->getDirectCallee();
  return Callee ? qualifiedName(Callee) : "";
}

bool AsyncModel::isCall(Role R, const CallExpr *Call) const {
  if (is(R, Call->getDirectCallee()))
    return true;
  const VarDecl *Object = calledObject(Call);
  return Object && is(R, Object);
}

AsyncModel::Safety AsyncModel::cancelSafety(const FunctionDecl *F) const {
  std::string Name = qualifiedName(F);
  auto Configured = [&](Role R) {
    return this->Configured[static_cast<size_t>(R)].matches(Name);
  };
  // The project's word first, unsafe before safe; then the library's.
  if (Configured(Role::CancelUnsafe))
    return Safety::Unsafe;
  if (Configured(Role::CancelSafe))
    return Safety::Safe;
  if (annotated(Role::CancelUnsafe, F))
    return Safety::Unsafe;
  if (annotated(Role::CancelSafe, F))
    return Safety::Safe;
  if (Libraries->has(Role::CancelUnsafe, Name))
    return Safety::Unsafe;
  if (Libraries->has(Role::CancelSafe, Name))
    return Safety::Safe;
  return Safety::Unknown;
}

std::optional<BlockingKind> AsyncModel::blocking(const CallExpr *Call,
                                                 const FunctionDecl *Callee,
                                                 const Stmt *Body,
                                                 ASTContext &Ctx) const {
  if (std::optional<BlockingKind> K =
          Libraries->blocking(Call, Callee, Body, Ctx))
    return K;
  if (const VarDecl *Object = calledObject(Call))
    if (std::optional<BlockingKind> K =
            Libraries->blocking(qualifiedName(Object)))
      return K;
  if (annotations::hasAnnotation(Callee, annotations::Blocking) ||
      ConfiguredBlocking.matches(Callee))
    return BlockingKind::Offload;
  return std::nullopt;
}

const Library *
AsyncModel::libraryOfCoroutine(const FunctionDecl *Coroutine) const {
  const CXXRecordDecl *Result =
      Coroutine ? recordForType(Coroutine->getReturnType()) : nullptr;
  return libraryOf(Result);
}

const Library *AsyncModel::libraryOf(const NamedDecl *D) const {
  return D ? Libraries->libraryOf(qualifiedName(D)) : nullptr;
}

} // namespace clang::tidy::corolint::model
