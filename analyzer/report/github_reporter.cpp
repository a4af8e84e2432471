#include "report/reporters.h"
#include "report/source_cache.h"

namespace kmodlint {

namespace {

// Workflow-command escaping: data needs %, CR, LF escaped; properties also ':' and ','.
std::string escape(const std::string& text, bool property) {
  std::string out;
  for (char c : text) {
    if (c == '%') out += "%25";
    else if (c == '\r') out += "%0D";
    else if (c == '\n') out += "%0A";
    else if (property && c == ':') out += "%3A";
    else if (property && c == ',') out += "%2C";
    else out += c;
  }
  return out;
}

const char* command_for(Severity severity) {
  switch (severity) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Note: return "notice";
  }
  return "warning";
}

}  // namespace

std::string format_github(const ReportInput& input) {
  std::string out;
  for (const Finding& finding : input.findings) {
    std::string message = finding.message;
    for (const auto* notes : {&finding.notes, &finding.path})
      for (const FindingNote& note : *notes)
        message += "\n" + relative_path(note.location.file, input.machine_base()) + ":" +
                   std::to_string(note.location.line) + ": " + note.message;
    out += std::string("::") + command_for(finding.severity) +
           " file=" + escape(relative_path(finding.location.file, input.machine_base()), true) +
           ",line=" + std::to_string(finding.location.line) + ",col=" + std::to_string(finding.location.column) +
           ",title=" + escape("kmodlint " + finding.check_id, true) + "::" + escape(message, false) + "\n";
  }
  for (const ParseDiagnostic& error : input.parse_errors)
    out += "::error file=" + escape(relative_path(error.location.file, input.machine_base()), true) +
           ",line=" + std::to_string(error.location.line) + ",title=kmodlint parse error::" +
           escape(error.message, false) + "\n";
  return out;
}

}  // namespace kmodlint
