//===--- Compilations.cpp - where each unit's compile command comes from --===//

#include "Compilations.h"

#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/CommonOptionsParser.h"
#include "clang/Tooling/JSONCompilationDatabase.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

using namespace clang::tooling;

namespace corolint {

namespace {

llvm::Error failure(const llvm::Twine &Message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Message);
}

// JSON is checked here, with llvm::json, before clang's loader sees it: the
// loader's YAML parser prints its own errors to stderr and returns none.
llvm::Expected<LoadedDatabase> loadJson(const std::string &Path) {
  auto Buffer = llvm::MemoryBuffer::getFile(Path);
  if (!Buffer)
    return failure("cannot read '" + Path +
                   "': " + Buffer.getError().message());
  llvm::Expected<llvm::json::Value> Parsed =
      llvm::json::parse((*Buffer)->getBuffer());
  if (!Parsed)
    return failure("'" + Path + "' is not valid JSON: " +
                   llvm::toString(Parsed.takeError()));
  llvm::json::Array *Entries = Parsed->getAsArray();
  if (!Entries)
    return failure("'" + Path +
                   "' is not a compilation database: expected a JSON array "
                   "of compile commands");
  LoadedDatabase Loaded;
  Loaded.Path = Path;
  llvm::SmallString<256> Folder(Path);
  llvm::sys::path::remove_filename(Folder);
  llvm::sys::fs::make_absolute(Folder);
  llvm::sys::path::remove_dots(Folder, /*remove_dot_dot=*/true);
  unsigned Relative = 0;
  for (size_t I = 0; I < Entries->size(); ++I) {
    llvm::json::Object *Entry = (*Entries)[I].getAsObject();
    if (!Entry)
      return failure("'" + Path + "': entry " + llvm::Twine(I + 1) +
                     " is not a JSON object");
    std::optional<llvm::StringRef> Directory = Entry->getString("directory");
    if (!Directory)
      return failure("'" + Path + "': entry " + llvm::Twine(I + 1) +
                     " has no \"directory\"");
    // The format leaves a relative directory undefined; clang's loader would
    // take it relative to wherever corolint runs. Relative to the database
    // is what its author meant.
    if (llvm::sys::path::is_relative(*Directory)) {
      llvm::SmallString<256> Absolute(Folder);
      llvm::sys::path::append(Absolute, *Directory);
      llvm::sys::path::remove_dots(Absolute, /*remove_dot_dot=*/true);
      (*Entry)["directory"] = std::string(Absolute);
      ++Relative;
    }
  }
  if (Relative)
    Loaded.Notes.push_back("'" + Path + "': " + std::to_string(Relative) +
                           (Relative == 1 ? " entry has" : " entries have") +
                           " a relative \"directory\", taken relative to '" +
                           std::string(Folder) + "'");
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  OS << llvm::json::Value(std::move(*Entries));
  OS.flush();
  std::string Error;
  Loaded.Database = JSONCompilationDatabase::loadFromBuffer(
      Text, Error, JSONCommandLineSyntax::AutoDetect);
  if (!Loaded.Database)
    return failure("'" + Path + "' is not a compilation database: " + Error);
  return Loaded;
}

llvm::Expected<LoadedDatabase> loadFlags(const std::string &Path) {
  std::string Error;
  LoadedDatabase Loaded;
  Loaded.Path = Path;
  Loaded.Database = FixedCompilationDatabase::loadFromFile(Path, Error);
  if (!Loaded.Database)
    return failure("cannot read '" + Path + "': " + Error);
  return Loaded;
}

} // namespace

// The file -p names: the path itself, or the database inside the directory.
static llvm::Expected<std::string> databaseFile(const std::string &BuildPath) {
  llvm::sys::fs::file_status Status;
  if (llvm::sys::fs::status(BuildPath, Status))
    return failure("the build directory '" + BuildPath + "' does not exist");
  if (!llvm::sys::fs::is_directory(Status))
    return BuildPath;
  for (const char *Name : {"compile_commands.json", "compile_flags.txt"}) {
    llvm::SmallString<256> Candidate(BuildPath);
    llvm::sys::path::append(Candidate, Name);
    if (llvm::sys::fs::exists(Candidate))
      return std::string(Candidate);
  }
  return failure("no compile_commands.json (nor compile_flags.txt) in '" +
                 BuildPath +
                 "'; CMake writes one with -DCMAKE_EXPORT_COMPILE_COMMANDS=ON");
}

llvm::Expected<LoadedDatabase> loadBuildDatabase(const std::string &BuildPath) {
  llvm::Expected<std::string> File = databaseFile(BuildPath);
  if (!File)
    return File.takeError();
  llvm::Expected<LoadedDatabase> Loaded =
      llvm::sys::path::filename(*File) == "compile_flags.txt" ? loadFlags(*File)
                                                              : loadJson(*File);
  if (!Loaded)
    return Loaded.takeError();
  // Headers and new files get the command of their closest neighbour.
  Loaded->Database = inferMissingCompileCommands(std::move(Loaded->Database));
  return Loaded;
}

std::unique_ptr<CompilationDatabase>
withExtraArguments(std::unique_ptr<CompilationDatabase> Inner,
                   std::vector<std::string> Before,
                   std::vector<std::string> After) {
  if (Before.empty() && After.empty())
    return Inner;
  auto Adjusted =
      std::make_unique<ArgumentsAdjustingCompilations>(std::move(Inner));
  Adjusted->appendArgumentsAdjuster(
      getInsertArgumentAdjuster(Before, ArgumentInsertPosition::BEGIN));
  Adjusted->appendArgumentsAdjuster(
      getInsertArgumentAdjuster(After, ArgumentInsertPosition::END));
  return Adjusted;
}

} // namespace corolint
