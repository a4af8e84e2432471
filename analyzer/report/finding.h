// A finding: what a check reports, at a source location, with related notes.
#pragma once

#include <string>
#include <vector>

#include "facts/facts.h"

namespace kmodlint {

enum class Severity { Note, Warning, Error };

const char* to_string(Severity severity);
bool parse_severity(const std::string& text, Severity& out);

struct FindingNote {
  SourceLocation location;
  std::string message;
};

// A mechanical fix: replace columns [column, end_column) of `line` in `file` with `text`
// (end_column == column: insert). Columns are 1-based byte offsets; `text` may hold newlines.
struct FixIt {
  std::string file;  // absolute path
  unsigned line = 0;
  unsigned column = 0;
  unsigned end_column = 0;
  std::string text;
  std::string description;  // e.g. "insert MODULE_LICENSE(\"GPL\");"
};

struct Finding {
  std::string check_id;
  Severity severity = Severity::Warning;
  bool style = false;  // from a style check (global-should-be-static): listed and counted after the bugs
  SourceLocation location;
  std::string message;
  std::vector<FindingNote> notes;
  // The branch decisions of the path that leads to it, in path order ("assuming 'ret' is false"),
  // shown after the notes and as a SARIF code flow.
  std::vector<FindingNote> path;
  std::string function;  // enclosing function, "" at file scope
  std::string module;    // foo for foo.ko
  std::vector<FixIt> fixits;  // applied together by --fix; empty when no fix is mechanical
};

// Which findings make the exit status 1: those at or above `level`; with bugs_only, not style ones.
struct FailOn {
  Severity level = Severity::Note;
  bool bugs_only = false;
  bool fails(const Finding& finding) const { return finding.severity >= level && !(bugs_only && finding.style); }
  auto operator<=>(const FailOn&) const = default;
};

// error, warning or note (that severity and above), or bugs (every finding of a bug check).
bool parse_fail_on(const std::string& text, FailOn& out);
std::string to_string(const FailOn& fail_on);

// Orders bug findings before style ones, each by file, line, column, check id and message, so
// output is stable whatever -j is.
void sort_findings(std::vector<Finding>& findings);

// A stable fingerprint of a finding that survives line moves (for SARIF partialFingerprints).
std::string fingerprint(const Finding& finding, const std::string& relative_path);

}  // namespace kmodlint
