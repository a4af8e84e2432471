#include "llvm/Support/JSON.h"
#include "report/reporters.h"
#include "report/source_cache.h"

namespace kmodlint {

namespace {

const char* sarif_level(Severity severity) {
  switch (severity) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Note: return "note";
  }
  return "warning";
}

std::string uri_encode(const std::string& path) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : path) {
    if (std::isalnum(c) || std::string("/-._~").find(static_cast<char>(c)) != std::string::npos) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

llvm::json::Object physical_location(const SourceLocation& location, const std::string& base) {
  std::string relative = relative_path(location.file, base);
  llvm::json::Object artifact{{"uri", uri_encode(relative)}};
  if (relative != location.file) artifact["uriBaseId"] = "SRCROOT";
  llvm::json::Object region{{"startLine", static_cast<int64_t>(std::max(1u, location.line))}};
  if (location.column > 0) region["startColumn"] = static_cast<int64_t>(location.column);
  return llvm::json::Object{
      {"physicalLocation", llvm::json::Object{{"artifactLocation", std::move(artifact)}, {"region", std::move(region)}}}};
}

// "missing-module-exit" -> "MissingModuleExit": SARIF wants a readable name distinct from the id.
std::string rule_name(const std::string& id) {
  std::string name;
  bool upper = true;
  for (char c : id) {
    if (c == '-' || c == '_') {
      upper = true;
      continue;
    }
    name += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return name;
}

// One code flow: the path's branch decisions in order, then the finding itself.
llvm::json::Array code_flow(const Finding& finding, const std::string& base) {
  llvm::json::Array locations;
  auto step = [&](const SourceLocation& at, const std::string& message, const char* importance) {
    llvm::json::Object location = physical_location(at, base);
    location["message"] = llvm::json::Object{{"text", message}};
    locations.push_back(llvm::json::Object{{"location", std::move(location)}, {"importance", importance}});
  };
  for (const FindingNote& decision : finding.path) step(decision.location, decision.message, "important");
  step(finding.location, finding.message, "essential");
  llvm::json::Array thread_flows{llvm::json::Object{{"locations", std::move(locations)}}};
  return llvm::json::Array{llvm::json::Object{{"threadFlows", std::move(thread_flows)}}};
}

}  // namespace

std::string format_sarif(const ReportInput& input) {
  llvm::json::Array rules;
  std::map<std::string, int64_t> rule_index;
  for (const CheckInfo* check : input.checks) {
    rule_index[check->id] = static_cast<int64_t>(rules.size());
    rules.push_back(llvm::json::Object{
        {"id", check->id},
        {"name", rule_name(check->id)},
        {"shortDescription", llvm::json::Object{{"text", check->summary}}},
        {"fullDescription", llvm::json::Object{{"text", check->summary}}},
        {"help", llvm::json::Object{{"text", "See docs/checks/" + check->id + ".md or run kmodlint --explain " + check->id}}},
        {"defaultConfiguration", llvm::json::Object{{"level", sarif_level(check->severity)}}},
        {"properties", llvm::json::Object{{"tags", llvm::json::Array{check->family, to_string(check->category)}}}},
    });
  }
  llvm::json::Array results;
  for (const Finding& finding : input.findings) {
    llvm::json::Object result{
        {"ruleId", finding.check_id},
        {"level", sarif_level(finding.severity)},
        {"message", llvm::json::Object{{"text", finding.message}}},
        {"locations", llvm::json::Array{physical_location(finding.location, input.machine_base())}},
        {"partialFingerprints",
         llvm::json::Object{{"kmodlintFingerprint/v1", fingerprint(finding, relative_path(finding.location.file, input.machine_base()))}}},
    };
    if (auto found = rule_index.find(finding.check_id); found != rule_index.end()) result["ruleIndex"] = found->second;
    llvm::json::Array related;
    int64_t id = 0;
    for (const FindingNote& note : finding.notes) {
      llvm::json::Object location = physical_location(note.location, input.machine_base());
      location["id"] = id++;
      location["message"] = llvm::json::Object{{"text", note.message}};
      related.push_back(std::move(location));
    }
    if (!related.empty()) result["relatedLocations"] = std::move(related);
    if (!finding.path.empty()) result["codeFlows"] = code_flow(finding, input.machine_base());
    if (!finding.fixits.empty()) {
      // One SARIF fix per finding: all its fix-its are applied together (kmodlint --fix).
      std::map<std::string, llvm::json::Array> by_file;
      std::string description;
      for (const FixIt& fix : finding.fixits) {
        if (description.empty()) description = fix.description;
        by_file[fix.file].push_back(llvm::json::Object{
            {"deletedRegion", llvm::json::Object{{"startLine", static_cast<int64_t>(fix.line)},
                                                 {"startColumn", static_cast<int64_t>(fix.column)},
                                                 {"endColumn", static_cast<int64_t>(fix.end_column)}}},
            {"insertedContent", llvm::json::Object{{"text", fix.text}}}});
      }
      llvm::json::Array changes;
      for (auto& [file, replacements] : by_file) {
        llvm::json::Object artifact = std::move(*physical_location({file, 1, 0}, input.machine_base())
                                                     .getObject("physicalLocation")
                                                     ->getObject("artifactLocation"));
        changes.push_back(llvm::json::Object{{"artifactLocation", std::move(artifact)}, {"replacements", std::move(replacements)}});
      }
      llvm::json::Object fix{{"artifactChanges", std::move(changes)}};
      if (!description.empty()) fix["description"] = llvm::json::Object{{"text", description}};
      result["fixes"] = llvm::json::Array{std::move(fix)};
    }
    results.push_back(std::move(result));
  }
  llvm::json::Array notifications;
  for (const ParseDiagnostic& error : input.parse_errors)
    notifications.push_back(llvm::json::Object{
        {"level", "error"},
        {"message", llvm::json::Object{{"text", error.message}}},
        {"locations", llvm::json::Array{physical_location(error.location, input.machine_base())}},
    });
  std::string base_uri = "file://" + uri_encode(input.machine_base().empty() || input.machine_base().back() == '/' ? input.machine_base() : input.machine_base() + "/");
  llvm::json::Object run{
      {"tool", llvm::json::Object{{"driver", llvm::json::Object{{"name", "kmodlint"},
                                                               {"version", KMODLINT_VERSION},
                                                               {"semanticVersion", KMODLINT_VERSION},
                                                               {"rules", std::move(rules)}}}}},
      {"originalUriBaseIds", llvm::json::Object{{"SRCROOT", llvm::json::Object{{"uri", base_uri}}}}},
      {"invocations", llvm::json::Array{llvm::json::Object{{"executionSuccessful", input.parse_errors.empty()},
                                                           {"toolExecutionNotifications", std::move(notifications)}}}},
      {"results", std::move(results)},
  };
  llvm::json::Object root{
      {"$schema", "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs", llvm::json::Array{std::move(run)}},
  };
  std::string text;
  llvm::raw_string_ostream stream(text);
  stream << llvm::formatv("{0:2}", llvm::json::Value(std::move(root))) << "\n";
  return stream.str();
}

}  // namespace kmodlint
