// Output formats. Each writes the complete report for one run to a string.
#pragma once

#include <string>
#include <vector>

#include "checks/check.h"
#include "report/finding.h"

namespace kmodlint {

struct ReportInput {
  std::vector<Finding> findings;
  std::vector<ParseDiagnostic> parse_errors;  // files that could not be parsed
  std::vector<const CheckInfo*> checks;       // the checks that ran (SARIF rules)
  std::string base_dir;  // the text report writes paths relative to it (the working directory)
  // The json, sarif and github reports write paths relative to it: the root of the linted tree
  // (a repository, a DKMS package), so that they are the same from any working directory.
  // Empty (no .git or dkms.conf marks the tree): base_dir.
  std::string report_root;
  const std::string& machine_base() const { return report_root.empty() ? base_dir : report_root; }
};

struct TextStyle {
  bool color = false;
  bool show_source = true;
};

std::string format_text(const ReportInput& input, const TextStyle& style);
std::string format_json(const ReportInput& input);
std::string format_sarif(const ReportInput& input);
std::string format_github(const ReportInput& input);

}  // namespace kmodlint
