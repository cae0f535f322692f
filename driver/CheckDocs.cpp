//===--- CheckDocs.cpp - the check pages built into the binary ------------===//

#include "CheckDocs.h"
#include <sstream>

namespace corolint {

namespace {
struct EmbeddedDoc {
  const char *Name;
  const char *Markdown;
};
#include "CheckDocs.inc" // defines EmbeddedDocs[]
} // namespace

CheckInfo describeCheck(const std::string &Name, const std::string &Markdown) {
  CheckInfo Info{Name, "", "", Markdown};
  std::istringstream In(Markdown);
  std::string Line, Paragraph;
  while (std::getline(In, Line)) {
    bool Blank = Line.find_first_not_of(" \t\r") == std::string::npos;
    if (Line.rfind('#', 0) == 0 || Blank) {
      if (!Paragraph.empty())
        break;
      continue;
    }
    if (!Paragraph.empty())
      Paragraph += ' ';
    Paragraph += Line;
  }
  Info.FullDescription = Paragraph;
  size_t End = Paragraph.find(". ");
  Info.ShortDescription =
      End == std::string::npos ? Paragraph : Paragraph.substr(0, End + 1);
  return Info;
}

std::vector<CheckInfo> documentedChecks() {
  std::vector<CheckInfo> Checks;
  for (const EmbeddedDoc &Doc : EmbeddedDocs)
    Checks.push_back(describeCheck(Doc.Name, Doc.Markdown));
  return Checks;
}

std::optional<CheckInfo> findCheckDoc(const std::string &Name) {
  for (const EmbeddedDoc &Doc : EmbeddedDocs)
    if (Name == Doc.Name)
      return describeCheck(Doc.Name, Doc.Markdown);
  return std::nullopt;
}

} // namespace corolint
