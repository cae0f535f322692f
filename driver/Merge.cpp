//===--- Merge.cpp - one report from the reports of several shards --------===//

#include "Merge.h"
#include "SarifLimit.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>

namespace corolint {

using json = nlohmann::ordered_json;

namespace {

std::string dump(const json &Value) {
  return Value.dump(2, ' ', false, json::error_handler_t::replace);
}

std::string text(const json &Object, const char *Key) {
  auto It = Object.find(Key);
  return It != Object.end() && It->is_string() ? It->get<std::string>() : "";
}

MergeOutcome mergeJson(const std::vector<json> &Reports) {
  MergeOutcome Out;
  using Key =
      std::tuple<std::string, long long, long long, std::string, std::string>;
  std::map<Key, json> Diagnostics;
  std::vector<json> Errors;
  std::set<std::string> SeenErrors;
  std::map<std::pair<std::string, std::string>, json> Absent;
  bool Baseline = false;
  for (const json &Report : Reports) {
    for (const json &D : Report["diagnostics"])
      Diagnostics.emplace(Key{text(D, "file"), D.value("line", 0LL),
                              D.value("column", 0LL), text(D, "check"),
                              text(D, "message")},
                          D);
    for (const json &E : Report["errors"])
      if (SeenErrors.insert(dump(E)).second)
        Errors.push_back(E);
    if (Report.contains("absent")) {
      Baseline = true;
      for (const json &A : Report["absent"])
        Absent.emplace(std::pair{text(A, "check"), text(A, "fingerprint")}, A);
    }
  }
  json Merged = {
      {"version", 1}, {"diagnostics", json::array()}, {"errors", Errors}};
  for (auto &[K, D] : Diagnostics) {
    // Found by one shard: not absent, even if another shard says so.
    Absent.erase({text(D, "check"), text(D, "fingerprint")});
    Out.NewFindings += !D.value("baseline", false);
    Merged["diagnostics"].push_back(D);
  }
  if (Baseline) {
    Merged["absent"] = json::array();
    for (auto &[K, A] : Absent)
      Merged["absent"].push_back(A);
  }
  Out.Failed = !Errors.empty();
  Out.Report = dump(Merged) + "\n";
  return Out;
}

std::string fingerprintOf(const json &Result) {
  auto It = Result.find("partialFingerprints");
  if (It == Result.end())
    return "";
  return text(*It, "corolintFingerprint/v1");
}

MergeOutcome mergeSarif(const std::vector<json> &Reports, size_t Limit) {
  MergeOutcome Out;
  json Run = Reports.front()["runs"][0];
  json Rules = json::array();
  std::set<std::string> RuleIds;
  std::vector<json> Results, AbsentResults;
  std::set<std::string> SeenResults;
  std::set<std::pair<std::string, std::string>> Found, SeenAbsent;
  json Notifications = json::array();
  bool Successful = true;
  for (const json &Report : Reports)
    for (const json &R : Report["runs"]) {
      for (const json &Rule : R["tool"]["driver"]["rules"])
        if (RuleIds.insert(text(Rule, "id")).second)
          Rules.push_back(Rule);
      for (const json &Result : R.value("results", json::array())) {
        std::pair Key{text(Result, "ruleId"), fingerprintOf(Result)};
        if (text(Result, "baselineState") == "absent") {
          if (SeenAbsent.insert(Key).second)
            AbsentResults.push_back(Result);
          continue;
        }
        json Identity = {Result["ruleId"], Result["message"],
                         Result["locations"]};
        if (!SeenResults.insert(dump(Identity)).second)
          continue; // a header's finding, from several shards
        Found.insert(Key);
        Results.push_back(Result);
      }
      for (const json &Invocation : R.value("invocations", json::array())) {
        Successful =
            Successful && Invocation.value("executionSuccessful", true);
        for (const json &N :
             Invocation.value("toolExecutionNotifications", json::array()))
          Notifications.push_back(N);
      }
    }
  for (const json &Result : AbsentResults)
    if (!Found.count({text(Result, "ruleId"), fingerprintOf(Result)}))
      Results.push_back(Result);
  for (const json &Result : Results)
    Out.NewFindings += text(Result, "baselineState") != "unchanged" &&
                       text(Result, "baselineState") != "absent";
  Out.DroppedForLimit = keepMostSevere(Results, Limit);
  // Rule indices point into the merged rule list.
  std::map<std::string, size_t> RuleIndex;
  for (size_t I = 0; I < Rules.size(); ++I)
    RuleIndex[text(Rules[I], "id")] = I;
  for (json &Result : Results)
    if (auto It = RuleIndex.find(text(Result, "ruleId")); It != RuleIndex.end())
      Result["ruleIndex"] = It->second;
    else
      Result.erase("ruleIndex");
  Run["tool"]["driver"]["rules"] = Rules;
  Run["invocations"] =
      json::array({{{"executionSuccessful", Successful},
                    {"toolExecutionNotifications", Notifications}}});
  Run["results"] = Results;
  json Merged = Reports.front();
  Merged["runs"] = json::array({Run});
  Out.Failed = !Successful;
  Out.Report = dump(Merged) + "\n";
  return Out;
}

} // namespace

MergeOutcome
mergeReports(const std::vector<std::pair<std::string, std::string>> &Reports,
             size_t Limit) {
  MergeOutcome Out;
  std::vector<json> Parsed;
  enum class Kind { Unknown, Json, Sarif } First = Kind::Unknown;
  for (const auto &[Name, Text] : Reports) {
    json Report = json::parse(Text, nullptr, /*allow_exceptions=*/false);
    if (Report.is_discarded() || !Report.is_object()) {
      Out.Error = "'" + Name + "' is not JSON";
      return Out;
    }
    Kind This = Kind::Unknown;
    if (Report.contains("runs") && Report["runs"].is_array() &&
        Report["runs"].size() == 1 && Report["runs"][0].is_object() &&
        Report["runs"][0].contains("tool"))
      This = Kind::Sarif;
    else if (Report.value("version", 0) == 1 &&
             Report.contains("diagnostics") &&
             Report["diagnostics"].is_array() && Report.contains("errors") &&
             Report["errors"].is_array())
      This = Kind::Json;
    if (This == Kind::Unknown) {
      Out.Error = "'" + Name +
                  "' is neither a corolint JSON report nor SARIF with one run";
      return Out;
    }
    if (First != Kind::Unknown && This != First) {
      Out.Error = "'" + Name + "' is " +
                  (This == Kind::Sarif ? "SARIF" : "JSON") +
                  " but the first report is not: merge reports of one format";
      return Out;
    }
    First = This;
    Parsed.push_back(std::move(Report));
  }
  if (Parsed.empty()) {
    Out.Error = "no reports to merge";
    return Out;
  }
  return First == Kind::Sarif ? mergeSarif(Parsed, Limit) : mergeJson(Parsed);
}

} // namespace corolint
