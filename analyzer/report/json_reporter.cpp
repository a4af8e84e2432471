#include "llvm/Support/JSON.h"
#include "report/reporters.h"
#include "report/source_cache.h"

namespace kmodlint {

namespace {

llvm::json::Object location_json(const SourceLocation& location, const std::string& base) {
  return llvm::json::Object{{"file", relative_path(location.file, base)},
                            {"line", static_cast<int64_t>(location.line)},
                            {"column", static_cast<int64_t>(location.column)}};
}

}  // namespace

std::string format_json(const ReportInput& input) {
  llvm::json::Array findings;
  for (const Finding& finding : input.findings) {
    llvm::json::Array notes;
    for (const FindingNote& note : finding.notes) {
      llvm::json::Object object = location_json(note.location, input.machine_base());
      object["message"] = note.message;
      notes.push_back(std::move(object));
    }
    llvm::json::Object object = location_json(finding.location, input.machine_base());
    object["check"] = finding.check_id;
    object["severity"] = to_string(finding.severity);
    object["category"] = finding.style ? "style" : "bug";
    object["message"] = finding.message;
    object["function"] = finding.function;
    object["module"] = finding.module;
    object["notes"] = std::move(notes);
    llvm::json::Array path;
    for (const FindingNote& step : finding.path) {
      llvm::json::Object object = location_json(step.location, input.machine_base());
      object["message"] = step.message;
      path.push_back(std::move(object));
    }
    object["path"] = std::move(path);
    llvm::json::Array fixits;
    for (const FixIt& fix : finding.fixits)
      fixits.push_back(llvm::json::Object{{"file", relative_path(fix.file, input.machine_base())},
                                          {"line", static_cast<int64_t>(fix.line)},
                                          {"column", static_cast<int64_t>(fix.column)},
                                          {"end_column", static_cast<int64_t>(fix.end_column)},
                                          {"text", fix.text},
                                          {"description", fix.description}});
    object["fixits"] = std::move(fixits);
    findings.push_back(std::move(object));
  }
  llvm::json::Array errors;
  for (const ParseDiagnostic& error : input.parse_errors) {
    llvm::json::Object object = location_json(error.location, input.machine_base());
    object["message"] = error.message;
    errors.push_back(std::move(object));
  }
  llvm::json::Object root{{"tool", "kmodlint"}, {"version", KMODLINT_VERSION}, {"findings", std::move(findings)},
                          {"parse_errors", std::move(errors)}};
  std::string text;
  llvm::raw_string_ostream stream(text);
  stream << llvm::formatv("{0:2}", llvm::json::Value(std::move(root))) << "\n";
  return stream.str();
}

}  // namespace kmodlint
