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

struct Finding {
  std::string check_id;
  Severity severity = Severity::Warning;
  SourceLocation location;
  std::string message;
  std::vector<FindingNote> notes;
  std::string function;  // enclosing function, "" at file scope
  std::string module;    // foo for foo.ko
};

// Orders findings by file, line, column, check id and message, so output is stable whatever -j is.
void sort_findings(std::vector<Finding>& findings);

// A stable fingerprint of a finding that survives line moves (for SARIF partialFingerprints).
std::string fingerprint(const Finding& finding, const std::string& relative_path);

}  // namespace kmodlint
