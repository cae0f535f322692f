//===--- Baseline.cpp - findings recorded to adopt corolint gradually -----===//

#include "Baseline.h"
#include "Output.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <tuple>

namespace corolint {

static llvm::Error malformed(const std::string &Path, const llvm::Twine &Why) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "invalid baseline '" + Path + "': " + Why);
}

llvm::Expected<std::vector<BaselineEntry>>
readBaseline(const std::string &Path) {
  auto Buffer = llvm::MemoryBuffer::getFile(Path);
  if (!Buffer)
    return llvm::createStringError(Buffer.getError(),
                                   "cannot read baseline '" + Path +
                                       "': " + Buffer.getError().message());
  llvm::Expected<llvm::json::Value> Parsed =
      llvm::json::parse((*Buffer)->getBuffer());
  if (!Parsed)
    return malformed(Path, llvm::toString(Parsed.takeError()));
  const llvm::json::Object *Root = Parsed->getAsObject();
  if (!Root)
    return malformed(Path, "expected a JSON object");
  std::optional<int64_t> Version = Root->getInteger("version");
  if (!Version || *Version != 1)
    return malformed(Path, "expected \"version\": 1");
  const llvm::json::Array *Entries = Root->getArray("findings");
  if (!Entries)
    return malformed(Path, "expected a \"findings\" array");
  std::vector<BaselineEntry> Baseline;
  for (size_t I = 0; I < Entries->size(); ++I) {
    const llvm::json::Object *Entry = (*Entries)[I].getAsObject();
    if (!Entry)
      return malformed(Path,
                       "finding " + llvm::Twine(I + 1) + " is not an object");
    BaselineEntry E;
    for (auto [Key, Field] :
         {std::pair{"check", &E.Check}, std::pair{"file", &E.File},
          std::pair{"fingerprint", &E.Fingerprint}}) {
      std::optional<llvm::StringRef> Value = Entry->getString(Key);
      if (!Value || Value->empty())
        return malformed(Path, "finding " + llvm::Twine(I + 1) + " has no \"" +
                                   Key + "\" string");
      *Field = Value->str();
    }
    if (std::optional<llvm::StringRef> Message = Entry->getString("message"))
      E.Message = Message->str();
    Baseline.push_back(std::move(E));
  }
  return Baseline;
}

std::string renderBaseline(const std::vector<Finding> &Findings) {
  std::vector<BaselineEntry> Entries;
  for (const Finding &F : Findings)
    Entries.push_back({F.Check, F.RelativePath, F.Fingerprint, F.Message});
  std::sort(Entries.begin(), Entries.end(),
            [](const BaselineEntry &A, const BaselineEntry &B) {
              return std::tie(A.File, A.Check, A.Fingerprint, A.Message) <
                     std::tie(B.File, B.Check, B.Fingerprint, B.Message);
            });
  nlohmann::ordered_json List = nlohmann::ordered_json::array();
  for (const BaselineEntry &E : Entries)
    List.push_back({{"file", E.File},
                    {"check", E.Check},
                    {"fingerprint", E.Fingerprint},
                    {"message", E.Message}});
  nlohmann::ordered_json Root = {{"version", 1}, {"findings", List}};
  return Root.dump(2, ' ', false,
                   nlohmann::ordered_json::error_handler_t::replace) +
         "\n";
}

void applyBaseline(RunResults &Results,
                   const std::vector<BaselineEntry> &Baseline,
                   const std::string &Root) {
  Results.BaselineApplied = true;
  // Each entry absorbs one finding: a second identical finding is new.
  std::map<std::tuple<std::string, std::string, std::string>,
           std::vector<const BaselineEntry *>>
      Remaining;
  for (const BaselineEntry &E : Baseline)
    Remaining[{E.Check, E.File, E.Fingerprint}].push_back(&E);
  for (Finding &F : Results.Findings) {
    auto It = Remaining.find({F.Check, F.RelativePath, F.Fingerprint});
    if (It == Remaining.end() || It->second.empty())
      continue;
    It->second.pop_back();
    F.InBaseline = true;
  }
  for (const auto &[Key, Entries] : Remaining)
    for (const BaselineEntry *E : Entries) {
      Finding Absent;
      Absent.Check = E->Check;
      Absent.Severity = "warning";
      Absent.Message = E->Message;
      Absent.RelativePath = E->File;
      Absent.Fingerprint = E->Fingerprint;
      llvm::SmallString<256> Path(E->File);
      if (!llvm::sys::path::is_absolute(Path)) {
        Path = Root;
        llvm::sys::path::append(Path, E->File);
      }
      Absent.Position.File = std::string(Path);
      Results.Absent.push_back(std::move(Absent));
    }
}

} // namespace corolint
