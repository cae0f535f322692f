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

TEST(Text, TabsExpandAsClangDoesAndTheCaretFollows) {
  RunResults R;
  R.Findings.push_back(makeFinding("/src/a.cpp", 1, 3, "\t x\tf();"));
  R.Findings[0].Position.RangeLength = 0;
  std::ostringstream OS;
  writeText(R, OS);
  EXPECT_NE(OS.str().find("    1 |          x      f();\n"
                          "      |          ^\n"),
            std::string::npos)
      << OS.str();
}

TEST(Text, ControlCharactersAndInvalidBytesAreEscaped) {
  RunResults R;
  R.Findings.push_back(
      makeFinding("/src/\x1b[2Ja.cpp", 1, 11, "f(); // \x1b]0;t\x07 \xff x"));
  R.Findings[0].Message = "bad\x1b[31m message";
  R.Findings[0].Position.RangeLength = 1;
  std::ostringstream OS;
  writeText(R, OS);
  std::string Out = OS.str();
  EXPECT_EQ(Out.find('\x1b'), std::string::npos) << Out;
  EXPECT_EQ(Out.find('\x07'), std::string::npos) << Out;
  EXPECT_EQ(Out.find('\xff'), std::string::npos) << Out;
  EXPECT_NE(Out.find("/src/<U+001B>[2Ja.cpp:1:11: warning: bad<U+001B>[31m "
                     "message"),
            std::string::npos)
      << Out;
  // The caret stays under byte 11 ('0'), after the 8-column escape.
  EXPECT_NE(Out.find("    1 | f(); // <U+001B>]0;t<U+0007> <FF> x\n"
                     "      |                  ^\n"),
            std::string::npos)
      << Out;
}

TEST(Text, CaretsCountDisplayColumnsNotBytes) {
  RunResults R;
  // "é" is 2 bytes and 1 column; "中" 3 bytes and 2 columns.
  R.Findings.push_back(
      makeFinding("/a.cpp", 1, 8, "\xc3\xa9 \xe4\xb8\xad f();"));
  R.Findings[0].Position.RangeLength = 3;
  std::ostringstream OS;
  writeText(R, OS);
  EXPECT_NE(OS.str().find("      |      ^~~\n"), std::string::npos) << OS.str();
}

TEST(Columns, Utf16CodeUnits) {
  EXPECT_EQ(utf16Column("abc", 0), 0u);
  EXPECT_EQ(utf16Column("abc", 1), 1u);
  EXPECT_EQ(utf16Column("abc", 3), 3u);
  // "é" (2 bytes, 1 unit), "中" (3 bytes, 1 unit), "😀" (4 bytes, 2 units).
  EXPECT_EQ(utf16Column("\xc3\xa9x", 3), 2u);
  EXPECT_EQ(utf16Column("\xe4\xb8\xadx", 4), 2u);
  EXPECT_EQ(utf16Column("\xf0\x9f\x98\x80x", 5), 3u);
  // A byte that is not UTF-8 counts one; past the end, bytes count one.
  EXPECT_EQ(utf16Column("\xffx", 2), 2u);
  EXPECT_EQ(utf16Column("ab", 5), 5u);
}

TEST(Json, InvalidUtf8BecomesReplacementCharacters) {
  RunResults R;
  R.Findings.push_back(makeFinding("/src/\xff.cpp", 1, 1, "x \xf6"));
  R.Findings[0].Message = "Gr\xf6\xdf";
  R.Errors.push_back({"/src/\xfe.cpp", "#error \xf6", {}, ErrorKind::Crash});
  std::ostringstream OS;
  ASSERT_NO_THROW(writeJson(R, OS));
  auto J = nlohmann::json::parse(OS.str());
  EXPECT_EQ(J["diagnostics"][0]["file"], "/src/\xef\xbf\xbd.cpp");
  EXPECT_EQ(J["diagnostics"][0]["message"], "Gr\xef\xbf\xbd\xef\xbf\xbd");
  EXPECT_EQ(J["errors"][0]["kind"], "crash");
  std::ostringstream Sarif;
  SarifOptions Options;
  Options.SourceRoot = "/src";
  ASSERT_NO_THROW(writeSarif(R, Options, Sarif));
  auto S = nlohmann::json::parse(Sarif.str());
  auto Location =
      S["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
  EXPECT_EQ(Location["artifactLocation"]["uri"], "%FF.cpp");
  EXPECT_EQ(Location["region"]["snippet"]["text"], "x \xef\xbf\xbd");
  auto Notification =
      S["runs"][0]["invocations"][0]["toolExecutionNotifications"][0];
  EXPECT_EQ(Notification["descriptor"]["id"], "corolint-crash");
  EXPECT_EQ(S["runs"][0]["invocations"][0]["executionSuccessful"], false);
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

namespace corolint {
namespace {

// Beyond the results limit (GitHub's 25,000 per run), errors are kept
// first, then warnings in report order, and the rest counted.
TEST(Sarif, LimitKeepsErrorsFirst) {
  RunResults R;
  for (unsigned Line = 1; Line <= 4; ++Line)
    R.Findings.push_back(makeFinding("/repo/a.cpp", Line, 1, "f();"));
  R.Findings[2].Severity = "error";
  SarifOptions O;
  O.SourceRoot = "/repo";
  O.MaxResults = 2;
  std::ostringstream OS;
  EXPECT_EQ(writeSarif(R, O, OS), 2u);
  auto Results = nlohmann::json::parse(OS.str())["runs"][0]["results"];
  ASSERT_EQ(Results.size(), 2u);
  EXPECT_EQ(Results[0]["level"], "error");
  EXPECT_EQ(
      Results[0]["locations"][0]["physicalLocation"]["region"]["startLine"], 3);
  EXPECT_EQ(
      Results[1]["locations"][0]["physicalLocation"]["region"]["startLine"], 1);
}

} // namespace
} // namespace corolint
