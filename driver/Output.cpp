//===--- Output.cpp - text, JSON and SARIF writers ------------------------===//

#include "Output.h"
#include "SarifLimit.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/ConvertUTF.h"
#include "llvm/Support/Unicode.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <iomanip>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <tuple>

namespace corolint {

using nlohmann::json;

void sortAndDeduplicate(std::vector<Finding> &Findings) {
  auto Key = [](const Finding &F) {
    return std::tie(F.Position.File, F.Position.Line, F.Position.Column,
                    F.Check, F.Message);
  };
  std::sort(
      Findings.begin(), Findings.end(),
      [&](const Finding &A, const Finding &B) { return Key(A) < Key(B); });
  Findings.erase(std::unique(Findings.begin(), Findings.end(),
                             [&](const Finding &A, const Finding &B) {
                               return Key(A) == Key(B);
                             }),
                 Findings.end());
}

const char *kindName(ErrorKind Kind) {
  switch (Kind) {
  case ErrorKind::Compile:
    return "compile";
  case ErrorKind::Input:
    return "input";
  case ErrorKind::Crash:
    return "crash";
  case ErrorKind::Config:
    return "config";
  }
  return "compile";
}

namespace {

/// One decoded UTF-8 sequence, or one byte that does not start a valid one.
struct CodePoint {
  uint32_t Value = 0;
  unsigned Bytes = 1;
  bool Valid = false;
};

CodePoint decodeAt(const std::string &Text, size_t I) {
  CodePoint C;
  auto *Begin = reinterpret_cast<const llvm::UTF8 *>(Text.data() + I);
  auto *End = reinterpret_cast<const llvm::UTF8 *>(Text.data() + Text.size());
  const llvm::UTF8 *Next = Begin;
  llvm::UTF32 Value = 0;
  if (llvm::convertUTF8Sequence(&Next, End, &Value, llvm::strictConversion) !=
      llvm::conversionOK)
    return C;
  C.Value = Value;
  C.Bytes = static_cast<unsigned>(Next - Begin);
  C.Valid = true;
  return C;
}

std::string hexEscape(uint32_t Value, bool CodePointForm) {
  std::ostringstream OS;
  OS << '<' << (CodePointForm ? "U+" : "") << std::uppercase << std::hex
     << std::setw(CodePointForm ? 4 : 2) << std::setfill('0') << Value << '>';
  return OS.str();
}

/// Text as a terminal may show it without being steered by it: control
/// characters become <U+001B> and bytes that are not UTF-8 <FF>, as clang
/// prints them; tabs are expanded to the next multiple of 8, as clang does.
/// DisplayColumn[i] is the 0-based screen column at which byte i starts
/// (one entry more for the end of the text).
struct Printable {
  std::string Text;
  std::vector<size_t> DisplayColumn;
};

Printable printable(const std::string &Raw) {
  Printable P;
  size_t Column = 0;
  for (size_t I = 0; I < Raw.size();) {
    CodePoint C = decodeAt(Raw, I);
    std::string Shown;
    size_t Width = 0;
    if (!C.Valid) {
      Shown = hexEscape(static_cast<unsigned char>(Raw[I]), false);
      Width = Shown.size();
    } else if (C.Value == '\t') {
      Width = 8 - Column % 8;
      Shown.assign(Width, ' ');
    } else {
      int Columns = llvm::sys::unicode::columnWidthUTF8(
          llvm::StringRef(Raw.data() + I, C.Bytes));
      if (Columns < 0 || C.Value < 0x20 || C.Value == 0x7f ||
          (C.Value >= 0x80 && C.Value < 0xa0)) {
        Shown = hexEscape(C.Value, true);
        Width = Shown.size();
      } else {
        Shown = Raw.substr(I, C.Bytes);
        Width = static_cast<size_t>(Columns);
      }
    }
    for (unsigned B = 0; B < C.Bytes; ++B)
      P.DisplayColumn.push_back(Column);
    P.Text += Shown;
    Column += Width;
    I += C.Bytes;
  }
  P.DisplayColumn.push_back(Column);
  return P;
}

void writeLocated(std::ostream &OS, const SourcePosition &Pos,
                  const char *Level, const std::string &Message,
                  const std::string &Suffix) {
  if (!Pos.File.empty())
    OS << printable(Pos.File).Text << ':' << Pos.Line << ':' << Pos.Column
       << ": ";
  OS << Level << ": " << printable(Message).Text << Suffix << '\n';
  if (Pos.LineText.empty() || Pos.Column == 0)
    return;
  // clang's layout: a gutter with the line number, then the caret line.
  std::string Number = std::to_string(Pos.Line);
  size_t Width = std::max<size_t>(5, Number.size() + 1);
  Printable Line = printable(Pos.LineText);
  OS << std::string(Width - Number.size(), ' ') << Number << " | " << Line.Text
     << '\n';
  size_t LastByte = Pos.LineText.size();
  size_t StartByte = std::min<size_t>(Pos.Column - 1, LastByte);
  size_t EndByte = std::min<size_t>(StartByte + Pos.RangeLength, LastByte);
  size_t Start = Line.DisplayColumn[StartByte];
  size_t End = std::max(Line.DisplayColumn[EndByte], Start + 1);
  std::string Marker(Start, ' ');
  Marker += '^';
  Marker.append(End - Start - 1, '~');
  OS << std::string(Width, ' ') << " | " << Marker << '\n';
}

} // namespace

unsigned utf16Column(const std::string &LineText, unsigned ByteColumn) {
  if (ByteColumn == 0)
    return 0;
  size_t Target = ByteColumn - 1;
  size_t Limit = std::min(Target, LineText.size());
  unsigned Units = 0;
  size_t I = 0;
  while (I < Limit) {
    CodePoint C = decodeAt(LineText, I);
    Units += C.Valid && C.Value >= 0x10000 ? 2 : 1;
    I += C.Bytes;
  }
  // Past the end of the line, bytes count one each.
  if (Target > I)
    Units += static_cast<unsigned>(Target - I);
  return Units + 1;
}

void writeText(const RunResults &Results, std::ostream &OS) {
  for (const CompileError &E : Results.Errors)
    writeLocated(OS, E.Position, "error", E.Message, "");
  for (const Finding &F : Results.Findings) {
    if (F.InBaseline)
      continue; // counted in the summary line; JSON and SARIF list them
    writeLocated(OS, F.Position, F.Severity.c_str(), F.Message,
                 " [" + F.Check + "]");
    for (const Note &N : F.Notes)
      writeLocated(OS, N.Position, "note", N.Message, "");
  }
}

// Strings from source files, compiler messages and paths may hold any bytes:
// the writers replace what is not UTF-8 with U+FFFD rather than fail.
static std::string dumpJson(const nlohmann::json &Root) {
  return Root.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

static json positionJson(const SourcePosition &Pos) {
  return {{"file", Pos.File}, {"line", Pos.Line}, {"column", Pos.Column}};
}

void writeJson(const RunResults &Results, std::ostream &OS) {
  json Diagnostics = json::array();
  for (const Finding &F : Results.Findings) {
    json D = positionJson(F.Position);
    D["check"] = F.Check;
    D["severity"] = F.Severity;
    D["message"] = F.Message;
    D["notes"] = json::array();
    for (const Note &N : F.Notes) {
      json JN = positionJson(N.Position);
      JN["message"] = N.Message;
      D["notes"].push_back(std::move(JN));
    }
    if (!F.Fingerprint.empty())
      D["fingerprint"] = F.Fingerprint;
    if (Results.BaselineApplied)
      D["baseline"] = F.InBaseline;
    Diagnostics.push_back(std::move(D));
  }
  json Errors = json::array();
  for (const CompileError &E : Results.Errors) {
    json JE = positionJson(E.Position);
    JE["translation_unit"] = E.TranslationUnit;
    JE["kind"] = kindName(E.Kind);
    JE["message"] = E.Message;
    Errors.push_back(std::move(JE));
  }
  json Root = {{"version", 1},
               {"diagnostics", std::move(Diagnostics)},
               {"errors", std::move(Errors)}};
  if (Results.BaselineApplied) {
    json Absent = json::array();
    for (const Finding &F : Results.Absent)
      Absent.push_back({{"file", F.RelativePath},
                        {"check", F.Check},
                        {"fingerprint", F.Fingerprint},
                        {"message", F.Message}});
    Root["absent"] = std::move(Absent);
  }
  OS << dumpJson(Root) << '\n';
}

std::string relativeTo(const std::string &Path, const std::string &Root) {
  std::string Prefix = Root;
  if (Prefix.empty())
    return "";
  if (Prefix.back() != '/')
    Prefix += '/';
  if (Path.compare(0, Prefix.size(), Prefix) != 0)
    return "";
  return Path.substr(Prefix.size());
}

uint64_t fnv1a(const std::string &Data, uint64_t Hash) {
  for (unsigned char C : Data) {
    Hash ^= C;
    Hash *= 1099511628211ULL;
  }
  return Hash;
}

static std::string trim(const std::string &S) {
  const char *Space = " \t\r\n";
  size_t Begin = S.find_first_not_of(Space);
  if (Begin == std::string::npos)
    return "";
  return S.substr(Begin, S.find_last_not_of(Space) - Begin + 1);
}

std::string fingerprint(const Finding &F, const std::string &RelativePath,
                        unsigned Occurrence) {
  uint64_t Hash = fnv1a("");
  for (const std::string &Part :
       {F.Check, RelativePath, F.Message, trim(F.Position.LineText)}) {
    Hash = fnv1a(Part, Hash);
    Hash = fnv1a(std::string(1, '\0'), Hash);
  }
  std::ostringstream OS;
  OS << std::hex << std::setw(16) << std::setfill('0') << Hash << ':'
     << std::dec << Occurrence;
  return OS.str();
}

void assignFingerprints(std::vector<Finding> &Findings,
                        const std::string &Root) {
  std::map<std::string, unsigned> Occurrences;
  for (Finding &F : Findings) {
    std::string Relative = relativeTo(F.Position.File, Root);
    F.RelativePath = Relative.empty() ? F.Position.File : Relative;
    // Identical findings in one file are told apart by their order.
    unsigned Occurrence = Occurrences[fingerprint(F, F.RelativePath, 0)]++;
    F.Fingerprint = fingerprint(F, F.RelativePath, Occurrence);
  }
}

static std::string percentEncodePath(const std::string &Path) {
  std::ostringstream OS;
  for (unsigned char C : Path) {
    if (std::isalnum(C) || C == '/' || C == '-' || C == '_' || C == '.' ||
        C == '~')
      OS << C;
    else
      OS << '%' << std::uppercase << std::hex << std::setw(2)
         << std::setfill('0') << static_cast<int>(C) << std::dec;
  }
  return OS.str();
}

static json artifactLocation(const std::string &File, const std::string &Root) {
  std::string Relative = relativeTo(File, Root);
  if (!Relative.empty())
    return {{"uri", percentEncodePath(Relative)}, {"uriBaseId", "SRCROOT"}};
  return {{"uri", "file://" + percentEncodePath(File)}};
}

static json physicalLocation(const SourcePosition &Pos,
                             const std::string &Root) {
  json Region = {{"startLine", std::max(Pos.Line, 1u)}};
  if (Pos.Column > 0) {
    Region["startColumn"] = utf16Column(Pos.LineText, Pos.Column);
    if (Pos.RangeLength > 0)
      Region["endColumn"] =
          utf16Column(Pos.LineText, Pos.Column + Pos.RangeLength);
  }
  if (!Pos.LineText.empty())
    Region["snippet"] = {{"text", Pos.LineText}};
  return {{"physicalLocation",
           {{"artifactLocation", artifactLocation(Pos.File, Root)},
            {"region", Region}}}};
}

// "async-unawaited-task" -> "AsyncUnawaitedTask", SARIF's rule name form.
static std::string friendlyName(const std::string &CheckName) {
  std::string Name;
  bool Upper = true;
  for (char C : CheckName) {
    if (!std::isalnum(static_cast<unsigned char>(C))) {
      Upper = true;
      continue;
    }
    Name += Upper
                ? static_cast<char>(std::toupper(static_cast<unsigned char>(C)))
                : C;
    Upper = false;
  }
  return Name;
}

size_t writeSarif(const RunResults &Results, const SarifOptions &Options,
                  std::ostream &OS) {
  json Rules = json::array();
  std::map<std::string, size_t> RuleIndex;
  for (const CheckInfo &Rule : Options.Rules) {
    RuleIndex[Rule.Name] = Rules.size();
    Rules.push_back(
        {{"id", Rule.Name},
         {"name", friendlyName(Rule.Name)},
         {"shortDescription", {{"text", Rule.ShortDescription}}},
         {"fullDescription", {{"text", Rule.FullDescription}}},
         {"help",
          {{"text", Rule.FullDescription}, {"markdown", Rule.Markdown}}},
         {"helpUri", Options.HelpUriBase + Rule.Name + ".md"},
         {"defaultConfiguration", {{"level", "warning"}}}});
  }

  // Findings reach here with their fingerprints (corolint assigns them for
  // the baseline); any without one get them here, against the SARIF root.
  std::vector<Finding> Fingerprinted;
  const std::vector<Finding> *Findings = &Results.Findings;
  if (std::any_of(Results.Findings.begin(), Results.Findings.end(),
                  [](const Finding &F) { return F.Fingerprint.empty(); })) {
    Fingerprinted = Results.Findings;
    assignFingerprints(Fingerprinted, Options.SourceRoot);
    Findings = &Fingerprinted;
  }
  json SarifResults = json::array();
  for (const Finding &F : *Findings) {
    const std::string &Fingerprint = F.Fingerprint;
    json Result = {
        {"ruleId", F.Check},
        {"level", F.Severity == "error" ? "error" : "warning"},
        {"message", {{"text", F.Message}}},
        {"locations",
         json::array({physicalLocation(F.Position, Options.SourceRoot)})},
        {"partialFingerprints", {{"corolintFingerprint/v1", Fingerprint}}}};
    if (Results.BaselineApplied)
      Result["baselineState"] = F.InBaseline ? "unchanged" : "new";
    if (auto It = RuleIndex.find(F.Check); It != RuleIndex.end())
      Result["ruleIndex"] = It->second;
    if (!F.Notes.empty()) {
      json Related = json::array();
      int Id = 1;
      for (const Note &N : F.Notes) {
        json Loc = physicalLocation(N.Position, Options.SourceRoot);
        Loc["id"] = Id++;
        Loc["message"] = {{"text", N.Message}};
        Related.push_back(std::move(Loc));
      }
      Result["relatedLocations"] = std::move(Related);
    }
    SarifResults.push_back(std::move(Result));
  }
  // Fixed since the baseline: where it was, with no line any more.
  for (const Finding &F : Results.Absent) {
    json Result = {
        {"ruleId", F.Check},
        {"level", "warning"},
        {"message", {{"text", F.Message.empty() ? F.Check : F.Message}}},
        {"locations",
         json::array(
             {{{"physicalLocation",
                {{"artifactLocation",
                  artifactLocation(F.Position.File, Options.SourceRoot)}}}}})},
        {"partialFingerprints", {{"corolintFingerprint/v1", F.Fingerprint}}},
        {"baselineState", "absent"}};
    if (auto It = RuleIndex.find(F.Check); It != RuleIndex.end())
      Result["ruleIndex"] = It->second;
    SarifResults.push_back(std::move(Result));
  }

  size_t Dropped = keepMostSevere(SarifResults, Options.MaxResults);

  json Notifications = json::array();
  for (const CompileError &E : Results.Errors) {
    json Notification = {
        {"level", "error"},
        {"message", {{"text", E.Message}}},
        {"descriptor", {{"id", std::string("corolint-") + kindName(E.Kind)}}}};
    if (!E.Position.File.empty())
      Notification["locations"] =
          json::array({physicalLocation(E.Position, Options.SourceRoot)});
    Notifications.push_back(std::move(Notification));
  }

  std::string RootUri = "file://" + percentEncodePath(Options.SourceRoot);
  if (RootUri.back() != '/')
    RootUri += '/';
  json Run = {{"tool",
               {{"driver",
                 {{"name", "corolint"},
                  {"version", Options.ToolVersion},
                  {"semanticVersion", Options.ToolVersion},
                  {"informationUri", Options.InformationUri},
                  {"rules", std::move(Rules)}}}}},
              {"originalUriBaseIds", {{"SRCROOT", {{"uri", RootUri}}}}},
              // GitHub code scanning counts columns this way.
              {"columnKind", "utf16CodeUnits"},
              {"invocations",
               json::array({{{"executionSuccessful", Results.Errors.empty()},
                             {"toolExecutionNotifications",
                              std::move(Notifications)}}})},
              {"results", std::move(SarifResults)}};
  json Root = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
               {"version", "2.1.0"},
               {"runs", json::array({std::move(Run)})}};
  OS << dumpJson(Root) << '\n';
  return Dropped;
}

} // namespace corolint
