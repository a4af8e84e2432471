#include "report/finding.h"

#include <algorithm>
#include <tuple>

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/SHA1.h"

namespace kmodlint {

const char* to_string(Severity severity) {
  switch (severity) {
    case Severity::Note: return "note";
    case Severity::Warning: return "warning";
    case Severity::Error: return "error";
  }
  return "warning";
}

bool parse_severity(const std::string& text, Severity& out) {
  if (text == "note") out = Severity::Note;
  else if (text == "warning") out = Severity::Warning;
  else if (text == "error") out = Severity::Error;
  else return false;
  return true;
}

bool parse_fail_on(const std::string& text, FailOn& out) {
  if (text == "bugs") {
    out = FailOn{Severity::Note, true};
    return true;
  }
  Severity level;
  if (!parse_severity(text, level)) return false;
  out = FailOn{level, false};
  return true;
}

std::string to_string(const FailOn& fail_on) { return fail_on.bugs_only ? "bugs" : to_string(fail_on.level); }

void sort_findings(std::vector<Finding>& findings) {
  std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    return std::tie(a.style, a.location.file, a.location.line, a.location.column, a.check_id, a.message) <
           std::tie(b.style, b.location.file, b.location.line, b.location.column, b.check_id, b.message);
  });
  findings.erase(std::unique(findings.begin(), findings.end(),
                             [](const Finding& a, const Finding& b) {
                               return a.check_id == b.check_id && a.location == b.location && a.message == b.message;
                             }),
                 findings.end());
}

std::string fingerprint(const Finding& finding, const std::string& relative_path) {
  llvm::SHA1 hash;
  hash.update(finding.check_id);
  hash.update("\n");
  hash.update(relative_path);
  hash.update("\n");
  hash.update(finding.function);
  hash.update("\n");
  hash.update(finding.message);
  std::array<uint8_t, 20> digest = hash.final();
  return llvm::toHex(digest, true).substr(0, 32);
}

}  // namespace kmodlint
