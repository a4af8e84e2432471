// Command-line options of kmodlint.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "report/finding.h"

namespace kmodlint {

enum class OutputFormat { Text, Json, Sarif, Github };
enum class ColorMode { Auto, Always, Never };

struct Options {
  std::vector<std::string> paths;
  std::string kernel_dir;
  std::string compile_db;
  bool no_make = false;
  unsigned jobs = 0;  // 0: number of cores
  OutputFormat format = OutputFormat::Text;
  std::string output_file;
  ColorMode color = ColorMode::Auto;
  std::vector<std::string> extra_symvers;
  std::vector<std::string> rule_files;  // --rules: user cleanup-pair tables, merged by id
  std::string print_compile_command;  // a file
  std::string dump_facts;             // a file
  bool list_checks = false;
  bool verbose = false;
  bool quiet = false;
  bool show_help = false;
  bool show_version = false;

  // Configuration (docs/configuration.md)
  std::string config_file;            // --config FILE: instead of the nearest .kmodlint.yaml
  std::vector<std::string> checks;    // --checks GLOBS, applied after the files' globs
  std::optional<FailOn> fail_on;      // --fail-on LEVEL|bugs
  std::string dump_config;            // --dump-config FILE
  bool verify_config = false;         // --verify-config [FILE...]: the paths are configuration files
  bool exit_zero = false;             // --exit-zero
  // Suppressions (docs/suppressions.md)
  bool no_suppressions = false;
  bool report_unused_suppressions = false;
  // Baseline and changed lines (docs/baseline.md)
  std::string baseline;         // --baseline FILE
  std::string baseline_create;  // --baseline-create FILE
  std::string diff_base;        // --diff-base REV
  // Help and fixes
  std::string explain;  // --explain CHECK
  bool fix = false;     // --fix
};

// Throws InputError("", "...") on a usage error.
Options parse_options(const std::vector<std::string>& args);

const char* usage_text();

}  // namespace kmodlint
