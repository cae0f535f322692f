//===--- ResultCache.cpp - the findings of units already analysed ---------===//

#include "ResultCache.h"
#include "Config.h"
#include "FileWrite.h"

#include "clang/Tooling/Core/Diagnostic.h"
#include "clang/Tooling/DiagnosticsYaml.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MD5.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/YAMLTraits.h"
#include "llvm/Support/raw_ostream.h"

namespace corolint {

using clang::tidy::ClangTidyError;

// The entry format; a change makes older entries misses.
static constexpr int EntryVersion = 1;

llvm::Expected<std::unique_ptr<ResultCache>>
ResultCache::open(const std::string &Directory) {
  if (std::error_code EC = llvm::sys::fs::create_directories(Directory))
    return llvm::createStringError(EC, "cannot use cache directory '" +
                                           Directory + "': " + EC.message());
  if (!llvm::sys::fs::is_directory(Directory))
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "cannot use cache directory '" + Directory +
                                       "': not a directory");
  if (std::error_code EC =
          llvm::sys::fs::access(Directory, llvm::sys::fs::AccessMode::Write))
    return llvm::createStringError(EC, "cannot use cache directory '" +
                                           Directory + "': " + EC.message());
  return std::unique_ptr<ResultCache>(new ResultCache(Directory));
}

std::string ResultCache::key(const std::string &SourceHash,
                             const std::string &ConfigText,
                             const std::string &Settings,
                             const std::string &ToolIdentity) {
  llvm::MD5 Hash;
  for (const std::string *Part :
       {&SourceHash, &ConfigText, &Settings, &ToolIdentity}) {
    Hash.update(*Part);
    Hash.update(llvm::ArrayRef<uint8_t>{0});
  }
  llvm::MD5::MD5Result Result;
  Hash.final(Result);
  return std::string(Result.digest());
}

std::string ResultCache::entryPath(const std::string &Key) const {
  llvm::SmallString<256> Path(Directory);
  llvm::sys::path::append(Path, Key.substr(0, 2), Key + ".json");
  return std::string(Path);
}

std::optional<UnitOutcome> ResultCache::lookup(const std::string &Key) {
  auto Miss = [this]() -> std::optional<UnitOutcome> {
    ++Misses;
    return std::nullopt;
  };
  auto Buffer = llvm::MemoryBuffer::getFile(entryPath(Key));
  if (!Buffer)
    return Miss();
  llvm::Expected<llvm::json::Value> Parsed =
      llvm::json::parse((*Buffer)->getBuffer());
  if (!Parsed) {
    llvm::consumeError(Parsed.takeError());
    return Miss();
  }
  const llvm::json::Object *Entry = Parsed->getAsObject();
  if (!Entry || Entry->getInteger("version") != EntryVersion)
    return Miss();
  std::optional<llvm::StringRef> Yaml = Entry->getString("diagnostics");
  const llvm::json::Array *Dropped = Entry->getArray("dropped");
  if (!Yaml || !Dropped)
    return Miss();
  clang::tooling::TranslationUnitDiagnostics Diagnostics;
  llvm::yaml::Input Input(*Yaml);
  Input >> Diagnostics;
  if (Input.error())
    return Miss();
  UnitOutcome Outcome;
  for (const clang::tooling::Diagnostic &D : Diagnostics.Diagnostics) {
    // The level says "error" for a warning turned into one: the report's
    // severity is the same.
    ClangTidyError E(D.DiagnosticName, D.DiagLevel, D.BuildDirectory,
                     /*IsWarningAsError=*/false);
    E.Message = D.Message;
    E.Notes = D.Notes;
    Outcome.Errors.push_back(std::move(E));
  }
  for (const llvm::json::Value &Arg : *Dropped)
    if (std::optional<llvm::StringRef> Text = Arg.getAsString())
      Outcome.DroppedArguments.push_back(Text->str());
  ++Hits;
  return Outcome;
}

llvm::Error ResultCache::store(const std::string &Key,
                               const UnitOutcome &Outcome) {
  clang::tooling::TranslationUnitDiagnostics Diagnostics;
  for (const ClangTidyError &E : Outcome.Errors) {
    clang::tooling::Diagnostic D = E;
    if (E.IsWarningAsError)
      D.DiagLevel = clang::tooling::Diagnostic::Error;
    Diagnostics.Diagnostics.push_back(std::move(D));
  }
  std::string Yaml;
  llvm::raw_string_ostream YamlStream(Yaml);
  llvm::yaml::Output Output(YamlStream);
  Output << Diagnostics;
  YamlStream.flush();
  llvm::json::Array Dropped;
  for (const std::string &Arg : Outcome.DroppedArguments)
    Dropped.push_back(Arg);
  llvm::json::Object Entry{{"version", EntryVersion},
                           {"diagnostics", std::move(Yaml)},
                           {"dropped", std::move(Dropped)}};
  std::string Path = entryPath(Key);
  if (std::error_code EC =
          llvm::sys::fs::create_directories(llvm::sys::path::parent_path(Path)))
    return llvm::createStringError(EC, "cannot write cache entry '" + Path +
                                           "': " + EC.message());
  std::string Text;
  llvm::raw_string_ostream TextStream(Text);
  TextStream << llvm::json::Value(std::move(Entry));
  TextStream.flush();
  if (llvm::Error E = writeFileAtomically(Path, Text))
    return E;
  ++Stored;
  return llvm::Error::success();
}

std::string toolIdentity(const char *Argv0, void *MainAddress) {
  std::string Identity =
      std::string(COROLINT_VERSION) + "/" + LLVM_VERSION_STRING;
  std::string Executable = llvm::sys::fs::getMainExecutable(Argv0, MainAddress);
  llvm::sys::fs::file_status Status;
  if (!Executable.empty() && !llvm::sys::fs::status(Executable, Status))
    Identity +=
        "/" + std::to_string(Status.getSize()) + "/" +
        std::to_string(
            Status.getLastModificationTime().time_since_epoch().count());
  return Identity;
}

} // namespace corolint
