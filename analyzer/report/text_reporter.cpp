#include "report/reporters.h"
#include "report/source_cache.h"

namespace kmodlint {

namespace {

const char* kBold = "\033[1m";
const char* kReset = "\033[0m";

const char* severity_color(Severity severity) {
  switch (severity) {
    case Severity::Error: return "\033[1;31m";
    case Severity::Warning: return "\033[1;35m";
    case Severity::Note: return "\033[1;36m";
  }
  return "";
}

std::string describe(const FixIt& fix) {
  if (!fix.description.empty()) return fix.description;
  std::string where = "line " + std::to_string(fix.line) + ", column " + std::to_string(fix.column);
  if (fix.column == fix.end_column) return "insert '" + fix.text + "' at " + where;
  return "replace columns " + std::to_string(fix.column) + "-" + std::to_string(fix.end_column - 1) + " of line " +
         std::to_string(fix.line) + " with '" + fix.text + "'";
}

class TextWriter {
 public:
  TextWriter(const ReportInput& input, const TextStyle& style) : input_(input), style_(style) {}

  std::string run() {
    for (const Finding& finding : input_.findings) {
      line(finding.location, finding.severity, finding.message + " [" + finding.check_id + "]");
      for (const FindingNote& note : finding.notes) line(note.location, Severity::Note, note.message);
      for (const FindingNote& step : finding.path) line(step.location, Severity::Note, step.message);
      for (const FixIt& fix : finding.fixits) out_ += "  fix-it (kmodlint --fix): " + describe(fix) + "\n";
    }
    return out_;
  }

 private:
  void line(const SourceLocation& location, Severity severity, const std::string& message) {
    std::string where = relative_path(location.file, input_.base_dir) + ":" + std::to_string(location.line) + ":" +
                        std::to_string(location.column) + ": ";
    if (style_.color) {
      out_ += std::string(kBold) + where + severity_color(severity) + to_string(severity) + ":" + kReset + " " +
              kBold + message + kReset + "\n";
    } else {
      out_ += where + to_string(severity) + ": " + message + "\n";
    }
    if (!style_.show_source) return;
    const std::string& source = sources_.line(location.file, location.line);
    if (source.empty()) return;
    out_ += source + "\n";
    std::string indent;
    for (unsigned i = 1; i < location.column && i <= source.size(); ++i) indent += source[i - 1] == '\t' ? '\t' : ' ';
    out_ += indent + (style_.color ? std::string("\033[1;32m^") + kReset : std::string("^")) + "\n";
  }

  const ReportInput& input_;
  const TextStyle& style_;
  SourceCache sources_;
  std::string out_;
};

}  // namespace

std::string format_text(const ReportInput& input, const TextStyle& style) { return TextWriter(input, style).run(); }

}  // namespace kmodlint
