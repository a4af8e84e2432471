// Command-line options of kmodlint.
#pragma once

#include <string>
#include <vector>

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
};

// Throws InputError("", "...") on a usage error.
Options parse_options(const std::vector<std::string>& args);

const char* usage_text();

}  // namespace kmodlint
