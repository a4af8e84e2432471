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
  std::string base_dir;  // paths are written relative to it (the working directory)
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
