// The report writers, on hand-made findings: no parsing involved.
#include "Output.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sstream>

namespace corolint {
namespace {

Finding makeFinding(const std::string &File, unsigned Line, unsigned Column,
                    const std::string &LineText) {
  Finding F;
  F.Check = "async-unawaited-task";
  F.Severity = "warning";
  F.Message = "coroutine task returned by 'f' is never awaited";
  F.Position = {File, Line, Column, LineText, 3};
  return F;
}

TEST(Text, ClangLayoutWithGutterCaretAndRange) {
  RunResults R;
  R.Findings.push_back(makeFinding("/src/a.cpp", 12, 3, "  f();"));
  R.Findings[0].Notes.push_back(
      {"declared here", {"/src/a.h", 4, 1, "task f();", 0}});
  std::ostringstream OS;
  writeText(R, OS);
  EXPECT_EQ(OS.str(),
            "/src/a.cpp:12:3: warning: coroutine task returned by 'f' is "
            "never awaited [async-unawaited-task]\n"
            "   12 |   f();\n"
            "      |   ^~~\n"
            "/src/a.h:4:1: note: declared here\n"
            "    4 | task f();\n"
            "      | ^\n");
}

TEST(Text, CaretKeepsTabs) {
  RunResults R;
  R.Findings.push_back(makeFinding("/src/a.cpp", 1, 3, "\t\tf();"));
  R.Findings[0].Position.RangeLength = 0;
  std::ostringstream OS;
  writeText(R, OS);
  EXPECT_NE(OS.str().find("      | \t\t^\n"), std::string::npos) << OS.str();
}

TEST(Json, ShapeAndNotes) {
  RunResults R;
  R.Findings.push_back(makeFinding("/src/a.cpp", 2, 5, "x"));
  R.Findings[0].Notes.push_back({"here", {"/src/b.cpp", 7, 9, "", 0}});
  R.Errors.push_back(
      {"/src/c.cpp", "expected ';'", {"/src/c.cpp", 3, 4, "", 0}});
  std::ostringstream OS;
  writeJson(R, OS);
  auto J = nlohmann::json::parse(OS.str());
  EXPECT_EQ(J["version"], 1);
  ASSERT_EQ(J["diagnostics"].size(), 1u);
  EXPECT_EQ(J["diagnostics"][0]["check"], "async-unawaited-task");
  EXPECT_EQ(J["diagnostics"][0]["line"], 2);
  EXPECT_EQ(J["diagnostics"][0]["column"], 5);
  EXPECT_EQ(J["diagnostics"][0]["notes"][0]["file"], "/src/b.cpp");
  EXPECT_EQ(J["diagnostics"][0]["notes"][0]["line"], 7);
  ASSERT_EQ(J["errors"].size(), 1u);
  EXPECT_EQ(J["errors"][0]["translation_unit"], "/src/c.cpp");
}

TEST(Fingerprint, IgnoresLineNumbersAndIndentation) {
  Finding A = makeFinding("/r/a.cpp", 10, 3, "  f();");
  Finding B = makeFinding("/r/a.cpp", 42, 7, "      f();");
  EXPECT_EQ(fingerprint(A, "a.cpp", 0), fingerprint(B, "a.cpp", 0));
}

TEST(Fingerprint, DistinguishesCodeFileCheckAndOccurrence) {
  Finding A = makeFinding("/r/a.cpp", 10, 3, "  f();");
  Finding OtherCode = makeFinding("/r/a.cpp", 10, 3, "  g();");
  Finding OtherCheck = A;
  OtherCheck.Check = "async-other";
  EXPECT_NE(fingerprint(A, "a.cpp", 0), fingerprint(OtherCode, "a.cpp", 0));
  EXPECT_NE(fingerprint(A, "a.cpp", 0), fingerprint(A, "b.cpp", 0));
  EXPECT_NE(fingerprint(A, "a.cpp", 0), fingerprint(OtherCheck, "a.cpp", 0));
  EXPECT_NE(fingerprint(A, "a.cpp", 0), fingerprint(A, "a.cpp", 1));
}

TEST(Paths, RelativeTo) {
  EXPECT_EQ(relativeTo("/repo/src/a.cpp", "/repo"), "src/a.cpp");
  EXPECT_EQ(relativeTo("/repo/src/a.cpp", "/repo/"), "src/a.cpp");
  EXPECT_EQ(relativeTo("/repository/a.cpp", "/repo"), "");
  EXPECT_EQ(relativeTo("/other/a.cpp", "/repo"), "");
}

TEST(Sarif, RelativeUrisRulesAndOccurrences) {
  RunResults R;
  // Two identical findings in one file get distinct fingerprints.
  R.Findings.push_back(makeFinding("/repo/src/a.cpp", 3, 3, "  f();"));
  R.Findings.push_back(makeFinding("/repo/src/a.cpp", 9, 3, "  f();"));
  R.Findings.push_back(makeFinding("/elsewhere/b.cpp", 1, 1, "f();"));
  SarifOptions O;
  O.ToolVersion = "1.2.3";
  O.InformationUri = "https://example.invalid/corolint";
  O.HelpUriBase = "https://example.invalid/docs/";
  O.SourceRoot = "/repo";
  O.Rules.push_back({"async-unawaited-task", "Short.", "Full text.", "# doc"});
  std::ostringstream OS;
  writeSarif(R, O, OS);
  auto J = nlohmann::json::parse(OS.str());
  EXPECT_EQ(J["version"], "2.1.0");
  auto &Run = J["runs"][0];
  EXPECT_EQ(Run["tool"]["driver"]["rules"][0]["name"], "AsyncUnawaitedTask");
  EXPECT_EQ(Run["tool"]["driver"]["rules"][0]["helpUri"],
            "https://example.invalid/docs/async-unawaited-task.md");
  EXPECT_EQ(Run["originalUriBaseIds"]["SRCROOT"]["uri"], "file:///repo/");
  auto &Results = Run["results"];
  ASSERT_EQ(Results.size(), 3u);
  auto Loc = [&](int I) {
    return Results[I]["locations"][0]["physicalLocation"]["artifactLocation"];
  };
  EXPECT_EQ(Loc(0)["uri"], "src/a.cpp");
  EXPECT_EQ(Loc(0)["uriBaseId"], "SRCROOT");
  EXPECT_EQ(Loc(2)["uri"], "file:///elsewhere/b.cpp");
  EXPECT_FALSE(Loc(2).contains("uriBaseId"));
  EXPECT_NE(Results[0]["partialFingerprints"]["corolintFingerprint/v1"],
            Results[1]["partialFingerprints"]["corolintFingerprint/v1"]);
  EXPECT_EQ(Results[0]["ruleIndex"], 0);
}

TEST(Dedup, RemovesTheSameFindingFromSeveralUnits) {
  std::vector<Finding> Fs = {makeFinding("/b.h", 2, 1, "x"),
                             makeFinding("/a.cpp", 5, 1, "x"),
                             makeFinding("/b.h", 2, 1, "x")};
  sortAndDeduplicate(Fs);
  ASSERT_EQ(Fs.size(), 2u);
  EXPECT_EQ(Fs[0].Position.File, "/a.cpp");
  EXPECT_EQ(Fs[1].Position.File, "/b.h");
}

} // namespace
} // namespace corolint
