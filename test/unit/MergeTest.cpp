// corolint merge, on hand-made reports: what the shards' reports cannot
// show in an end-to-end run.
#include "Merge.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace corolint {
namespace {

using nlohmann::json;

json diagnostic(const std::string &File, int Line, bool InBaseline) {
  return {{"file", File},
          {"line", Line},
          {"column", 3},
          {"check", "async-unawaited-task"},
          {"message", "m"},
          {"severity", "warning"},
          {"notes", json::array()},
          {"fingerprint", File + "-fp"},
          {"baseline", InBaseline}};
}

// A header's baseline entry: found by one shard (its units include the
// header), absent for the other. Found anywhere means not fixed.
TEST(Merge, AbsentOnlyWhereNoShardFoundIt) {
  json Found = {{"version", 1},
                {"diagnostics", {diagnostic("/p/h.h", 4, true)}},
                {"errors", json::array()},
                {"absent", json::array()}};
  json Missed = {{"version", 1},
                 {"diagnostics", json::array()},
                 {"errors", json::array()},
                 {"absent",
                  {{{"file", "h.h"},
                    {"check", "async-unawaited-task"},
                    {"fingerprint", "/p/h.h-fp"},
                    {"message", "m"}},
                   {{"file", "gone.cpp"},
                    {"check", "async-unawaited-task"},
                    {"fingerprint", "gone-fp"},
                    {"message", "m"}}}}};
  MergeOutcome Out =
      mergeReports({{"a.json", Found.dump()}, {"b.json", Missed.dump()}});
  ASSERT_TRUE(Out.Error.empty()) << Out.Error;
  json Merged = json::parse(Out.Report);
  ASSERT_EQ(Merged["absent"].size(), 1u);
  EXPECT_EQ(Merged["absent"][0]["file"], "gone.cpp");
  EXPECT_EQ(Out.NewFindings, 0u);
  EXPECT_FALSE(Out.Failed);
}

TEST(Merge, ErrorsOfAnyShardFailTheMerge) {
  json Clean = {{"version", 1},
                {"diagnostics", json::array()},
                {"errors", json::array()}};
  json Broken = Clean;
  Broken["errors"].push_back({{"translation_unit", "/p/b.cpp"},
                              {"kind", "compile"},
                              {"message", "expected ';'"}});
  MergeOutcome Out =
      mergeReports({{"a.json", Clean.dump()}, {"b.json", Broken.dump()}});
  EXPECT_TRUE(Out.Failed);
  EXPECT_EQ(json::parse(Out.Report)["errors"].size(), 1u);
}

json sarifResult(const std::string &Level, int Line) {
  return {{"ruleId", "async-unawaited-task"},
          {"level", Level},
          {"message", {{"text", "m"}}},
          {"locations",
           {{{"physicalLocation",
              {{"artifactLocation", {{"uri", "a.cpp"}}},
               {"region", {{"startLine", Line}}}}}}}},
          {"partialFingerprints",
           {{"corolintFingerprint/v1", std::to_string(Line)}}}};
}

json sarifReport(std::vector<json> Results) {
  return {{"version", "2.1.0"},
          {"runs",
           {{{"tool",
              {{"driver", {{"name", "corolint"}, {"rules", json::array()}}}}},
             {"invocations", {{{"executionSuccessful", true}}}},
             {"results", Results}}}}};
}

// Beyond GitHub's limit the most severe are kept, and the rest counted.
TEST(Merge, SarifLimitKeepsErrorsFirst) {
  json A = sarifReport({sarifResult("warning", 1), sarifResult("warning", 2)});
  json B = sarifReport({sarifResult("error", 3)});
  MergeOutcome Out =
      mergeReports({{"a.sarif", A.dump()}, {"b.sarif", B.dump()}}, 2);
  ASSERT_TRUE(Out.Error.empty()) << Out.Error;
  json Results = json::parse(Out.Report)["runs"][0]["results"];
  ASSERT_EQ(Results.size(), 2u);
  EXPECT_EQ(Results[0]["level"], "error");
  EXPECT_EQ(Results[1]["level"], "warning");
  EXPECT_EQ(Out.DroppedForLimit, 1u);
}

// The same result from two shards (a header's) once.
TEST(Merge, SarifDuplicatesOnce) {
  json A = sarifReport({sarifResult("warning", 7)});
  MergeOutcome Out =
      mergeReports({{"a.sarif", A.dump()}, {"b.sarif", A.dump()}});
  EXPECT_EQ(json::parse(Out.Report)["runs"][0]["results"].size(), 1u);
  EXPECT_EQ(Out.NewFindings, 1u);
}

} // namespace
} // namespace corolint
