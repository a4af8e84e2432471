#include "cli/run.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <thread>

#include "checks/registry.h"
#include "common/error.h"
#include "facts/facts_json.h"
#include "frontend/parse_units.h"
#include "link/module_model.h"
#include "project/discovery.h"
#include "report/output_file.h"
#include "report/reporters.h"
#include "report/source_cache.h"
#include "tables/cleanup_pairs.h"

namespace kmodlint {

namespace fs = std::filesystem;

namespace {

std::string shell_quote(const std::string& word) {
  if (!word.empty() && word.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=,:+@") ==
                           std::string::npos)
    return word;
  std::string quoted = "'";
  for (char c : word) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

int list_checks() {
  for (const CheckInfo& check : all_checks())
    std::cout << check.id << "\t" << check.family << "\t" << to_string(check.severity) << "\t" << check.summary << "\n";
  return 0;
}

const CompileCommand& command_for(const Project& project, const std::string& file) {
  std::string wanted = fs::weakly_canonical(fs::absolute(file)).string();
  for (const ModuleSpec& module : project.modules)
    for (const CompileCommand& unit : module.units)
      if (unit.file == wanted) return unit;
  throw InputError(file, "no module builds this file; run kmodlint -v on its directory to see why");
}

int print_compile_command(const CompileCommand& unit) {
  std::string line;
  for (const std::string& word : frontend::clang_arguments(unit)) line += (line.empty() ? "" : " ") + shell_quote(word);
  std::cout << "cd " << shell_quote(unit.directory) << " && " << line << "\n";
  return 0;
}

int dump_facts(const CompileCommand& unit) {
  UnitFacts facts = frontend::parse_unit(unit);
  llvm::outs() << llvm::formatv("{0:1}", unit_to_json(facts)) << "\n";
  llvm::outs().flush();
  return facts.parsed ? 0 : 2;
}

bool use_color(ColorMode mode, const std::string& output_file) {
  if (mode == ColorMode::Always) return true;
  if (mode == ColorMode::Never || !output_file.empty()) return false;
  const char* term = std::getenv("TERM");
  return isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR") && term && std::string(term) != "dumb";
}

void print_parse_errors(const UnitFacts& unit, const std::string& base) {
  for (const ParseDiagnostic& error : unit.errors)
    std::cerr << relative_path(error.location.file, base) << ":" << error.location.line << ":" << error.location.column
              << ": error: " << error.message << "\n";
  std::cerr << "kmodlint: " << relative_path(unit.source_file, base)
            << ": could not be parsed; run kmodlint --print-compile-command " << relative_path(unit.source_file, base)
            << " to reproduce with clang-19\n";
}

}  // namespace

int run(const Options& options) {
  if (options.show_help) {
    std::cout << usage_text();
    return 0;
  }
  if (options.show_version) {
    std::cout << "kmodlint " << KMODLINT_VERSION << "\n";
    return 0;
  }
  if (options.list_checks) return list_checks();

  // Load (and validate) the cleanup-pair rules before any parsing, so a bad --rules file fails fast.
  configure_cleanup_pairs(options.rule_files);

  DiscoveryOptions discovery{options.paths, options.kernel_dir, options.compile_db, options.no_make};
  std::string single_file = !options.print_compile_command.empty() ? options.print_compile_command : options.dump_facts;
  if (!single_file.empty()) discovery.paths = {single_file};
  Project project = discover_project(discovery);
  if (!options.quiet)
    for (const std::string& remark : project.remarks) std::cerr << "kmodlint: note: " << remark << "\n";
  if (options.verbose)
    for (const std::string& line : project.verbose) std::cerr << "kmodlint: " << line << "\n";
  if (!options.print_compile_command.empty()) return print_compile_command(command_for(project, single_file));
  if (!options.dump_facts.empty()) return dump_facts(command_for(project, single_file));

  std::vector<CompileCommand> commands;
  for (const ModuleSpec& module : project.modules) commands.insert(commands.end(), module.units.begin(), module.units.end());
  unsigned jobs = options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  std::vector<UnitFacts> units = frontend::parse_units(commands, jobs);

  std::string base = fs::current_path().string();
  ReportInput report;
  report.base_dir = base;
  for (const UnitFacts& unit : units) {
    if (unit.parsed) continue;
    print_parse_errors(unit, base);
    report.parse_errors.insert(report.parse_errors.end(), unit.errors.begin(), unit.errors.end());
  }
  LinkedProject linked = link_project(project, std::move(units), options.extra_symvers);
  for (const CheckInfo& check : all_checks()) report.checks.push_back(&check);
  report.findings = run_checks(linked, report.checks);
  if (!project.report_only_files.empty())
    std::erase_if(report.findings, [&](const Finding& finding) { return !project.report_only_files.count(finding.location.file); });

  std::string text;
  switch (options.format) {
    case OutputFormat::Text: text = format_text(report, {use_color(options.color, options.output_file), true}); break;
    case OutputFormat::Json: text = format_json(report); break;
    case OutputFormat::Sarif: text = format_sarif(report); break;
    case OutputFormat::Github: text = format_github(report); break;
  }
  if (options.output_file.empty())
    std::cout << text << std::flush;
  else
    write_file_atomically(options.output_file, text);
  if (!report.parse_errors.empty()) return 2;
  return report.findings.empty() ? 0 : 1;
}

}  // namespace kmodlint
