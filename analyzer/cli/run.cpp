#include "cli/run.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <thread>

#include "checks/registry.h"
#include "common/error.h"
#include "common/file_io.h"
#include "common/read_policy.h"
#include "config/config.h"
#include "facts/facts_json.h"
#include "report/baseline.h"
#include "report/changed_lines.h"
#include "report/fixits.h"
#include "report/suppressions.h"
#include "tables/yaml_table.h"
#include "frontend/parse_units.h"
#include "link/module_model.h"
#include "project/configure_step.h"
#include "project/discovery.h"
#include "project/kernel_dir.h"
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
    std::cout << check.id << "\t" << check.family << "\t" << to_string(check.severity) << "\t" << to_string(check.category)
              << "\t"
              << (check.enabled_by_default ? "" : "(off by default) ") << check.summary << "\n";
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

int dump_facts(const CompileCommand& unit, const ReadPolicy& policy) {
  UnitFacts facts = frontend::parse_unit(unit, policy);
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
  for (const ParseDiagnostic& error : unit.errors) {
    std::cerr << relative_path(error.location.file, base);
    if (error.location.line) std::cerr << ":" << error.location.line << ":" << error.location.column;
    std::cerr << ": error: " << error.message << "\n";
  }
  std::cerr << "kmodlint: " << relative_path(unit.source_file, base)
            << ": could not be parsed; run kmodlint --print-compile-command " << relative_path(unit.source_file, base)
            << " to reproduce with clang-19\n";
}

std::string plural(std::size_t count, const std::string& word) {
  return std::to_string(count) + " " + word + (count == 1 ? "" : "s");
}

// One line for the files that miss headers a configure step of `tree` makes: the headers that
// explain most first (at most three named), and the step, with the template of the first.
// `guessed`: files of the tree no Kbuild file names, left out until the step has run.
void print_configure_step(const ConfigureStep& configure, const std::map<std::string, std::size_t>& missing_count,
                          const std::string& tree, const std::string& base, bool verbose, std::size_t guessed) {
  std::vector<std::pair<std::size_t, std::string>> by_count;
  std::size_t files = 0;
  for (const auto& [header, count] : missing_count) {
    by_count.push_back({count, header});
    files += count;
  }
  std::sort(by_count.begin(), by_count.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  std::string missing;
  for (std::size_t i = 0; i < by_count.size() && i < 3; ++i)
    missing += (i ? ", '" : "'") + by_count[i].second + "'" +
               (by_count.size() > 1 ? " (" + std::to_string(by_count[i].first) + ")" : "");
  if (by_count.size() > 3) missing += " and " + std::to_string(by_count.size() - 3) + " more headers";
  std::string step = configure.command;
  if (auto found = configure.templates.find(by_count[0].second); found != configure.templates.end())
    step += ", which makes " + fs::path(by_count[0].second).filename().string() + " from " +
            relative_path(found->second, tree);
  std::cerr << "kmodlint: " << relative_path(tree, base) << ": " << files << (files == 1 ? " file" : " files")
            << " could not be parsed: " << missing << (by_count.size() > 1 ? " are" : " is")
            << " missing until the tree's configure step has run (" << step
            << "); run it as the build does (dkms.conf's MAKE, or the README), then lint again"
            << (verbose ? "" : " (-v lists each file's errors)")
            << (guessed ? "; until then the " + plural(guessed, "file") + " no Kbuild file names " +
                              (guessed == 1 ? "is" : "are") + " not linted as single-file modules"
                        : std::string())
            << "\n";
}

// Until a tree's configure step has run, the Kbuild file it generates (openafs's) does not exist:
// the files kmodlint would guess to be single-file modules are not what the build makes, and their
// findings would be noise (openafs's AFS_component_version_number.c has no MODULE_LICENSE because
// the generated Kbuild links it into openafs.ko). Drops those modules under `tree` and their units
// (`units` holds the modules' units in order); returns how many files that leaves out.
std::size_t drop_single_file_modules(Project& project, std::vector<UnitFacts>& units, const std::string& tree) {
  std::vector<ModuleSpec> modules;
  std::vector<UnitFacts> kept;
  std::size_t next = 0, dropped = 0;
  for (ModuleSpec& module : project.modules) {
    bool guessed = module.single_file && path_is_under(module.directory, tree);
    for (std::size_t i = 0; i < module.units.size(); ++i, ++next)
      if (!guessed) kept.push_back(std::move(units[next]));
    if (guessed) {
      dropped += module.units.size();
      continue;
    }
    modules.push_back(std::move(module));
  }
  project.modules = std::move(modules);
  units = std::move(kept);
  return dropped;
}

// The absolute directory a given path names: the path itself, or the directory of a file.
std::string directory_of(const std::string& path) {
  std::error_code error;
  fs::path absolute = fs::weakly_canonical(fs::absolute(path), error);
  if (error) absolute = fs::absolute(path);
  return fs::is_directory(absolute, error) ? absolute.string() : absolute.parent_path().string();
}

// The root of the tree a path is in (a repository, a DKMS package), or "" when nothing marks one:
// then reports stay relative to the working directory.
std::string tree_root_of_path(const std::string& path) { return marked_tree_root(directory_of(path)); }

std::string first_path_directory(const std::string& path) {
  std::error_code error;
  return fs::is_directory(path, error) ? path : fs::absolute(path).parent_path().string();
}

int explain(const std::string& id) {
  const CheckInfo* check = find_check(id);
  if (!check) throw InputError("", "--explain: unknown check '" + id + "'; kmodlint --list-checks lists them");
  std::string page = (fs::path(data_dir()) / "docs" / "checks" / (id + ".md")).string();
  std::ifstream in(page);
  if (!in) throw InputError(page, "the documentation of " + id + " is missing from this installation");
  std::cout << in.rdbuf();
  return 0;
}

// --verify-config [FILE...]: every problem of each file, with its line.
int verify_config(const std::vector<std::string>& paths) {
  std::vector<std::string> files = paths;
  if (files.empty()) {
    std::string found = find_config_file(".");
    if (found.empty()) throw InputError("", "--verify-config: no " + std::string(kConfigFileName) +
                                                " in this directory or above; name the file to check");
    files.push_back(found);
  }
  bool bad = false;
  for (const std::string& file : files) {
    std::error_code error;
    std::string path = fs::is_directory(file, error) ? find_config_file(file) : file;
    if (path.empty()) throw InputError(file, "no " + std::string(kConfigFileName) + " here or above");
    std::vector<ConfigProblem> problems;
    parse_config_file(path, problems);
    for (const ConfigProblem& problem : problems) std::cerr << problem.text() << "\n";
    if (problems.empty()) std::cout << path << ": ok\n";
    bad = bad || !problems.empty();
  }
  return bad ? 2 : 0;
}

// Comma-separated --checks values as globs; names that match no check are usage errors.
std::vector<std::string> split_check_globs(const std::vector<std::string>& values) {
  std::vector<std::string> globs;
  for (const std::string& value : values) {
    std::stringstream stream(value);
    for (std::string glob; std::getline(stream, glob, ',');) {
      glob.erase(0, glob.find_first_not_of(" \t"));
      glob.erase(glob.find_last_not_of(" \t") + 1);
      if (glob.empty()) continue;
      std::string pattern = glob[0] == '-' ? glob.substr(1) : glob;
      bool any = false;
      for (const CheckInfo& check : all_checks()) any = any || check_glob_matches(pattern, check.id);
      if (!any) throw InputError("", "--checks: '" + glob + "' matches no check; kmodlint --list-checks lists them");
      globs.push_back(glob);
    }
  }
  return globs;
}

// "[3/12] drivers/foo.c" on one terminal line, redrawn.
class Progress {
 public:
  Progress(bool enabled, std::size_t total, std::string base) : enabled_(enabled && total > 1), total_(total), base_(std::move(base)) {}
  void step(std::size_t index, const std::string& file) {
    if (!enabled_) return;
    std::string line = "[" + std::to_string(index + 1) + "/" + std::to_string(total_) + "] " + relative_path(file, base_);
    if (line.size() > 100) line = line.substr(0, 97) + "...";
    std::cerr << "\r\033[K" << line << std::flush;
  }
  void done() {
    if (enabled_) std::cerr << "\r\033[K" << std::flush;
  }

 private:
  bool enabled_;
  std::size_t total_;
  std::string base_;
};

// "2 warnings, 25 style findings in ...": the bugs by severity, the style findings apart.
std::string summary_line(const std::vector<Finding>& findings, std::size_t files, std::size_t modules, double seconds) {
  std::size_t counts[3] = {0, 0, 0};
  std::size_t style = 0;
  for (const Finding& finding : findings) {
    if (finding.style) ++style;
    else ++counts[static_cast<int>(finding.severity)];
  }
  std::string what;
  for (int level : {2, 1, 0}) {
    if (!counts[level]) continue;
    static const char* names[] = {"note", "warning", "error"};
    what += (what.empty() ? "" : ", ") + plural(counts[level], names[level]);
  }
  if (style) what += (what.empty() ? "" : ", ") + plural(style, "style finding");
  if (what.empty()) what = "no findings";
  char time[32];
  std::snprintf(time, sizeof time, "%.1f s", seconds);
  return "kmodlint: " + what + " in " + plural(files, "file") + " of " + plural(modules, "module") + " (" + time + ")";
}

// Safe mode (--no-make) reads only inside the linted trees, the kernel directory, Clang's builtin
// headers and kmodlint's own data (docs/security.md). The linted trees: each given path's git work
// tree, or the path itself.
ReadPolicy safe_mode_policy(const std::vector<std::string>& paths) {
  std::vector<std::string> linted;
  for (const std::string& path : paths.empty() ? std::vector<std::string>{"."} : paths) {
    linted.push_back(enclosing_repository(directory_of(path)));
  }
  return ReadPolicy::confined(linted, {frontend::clang_resource_dir(), data_dir()});
}

// The kernel directory: --kdir, else the configuration's kernel-dir (refused in safe mode: Kbuild
// of that directory runs its Makefiles), else the default. A bad configured one names its file.
std::string chosen_kernel_dir(const Options& options, const Config& config) {
  if (!options.kernel_dir.empty()) return options.kernel_dir;
  std::optional<ConfiguredPath> configured = config.kernel_dir();
  if (!configured) return {};
  if (options.no_make)
    throw InputError(configured->origin, "kernel-dir is not used with --no-make: Kbuild would run that directory's "
                                         "Makefiles, and a configuration file belongs to the repository; pass "
                                         "--kdir DIR on the command line");
  try {
    find_kernel_dir(configured->path);
  } catch (const InputError& error) {
    throw InputError(configured->origin, std::string("kernel-dir: ") + error.what());
  }
  return configured->path;
}

// Module.symvers files: the configuration's (in safe mode only inside the linted trees), then
// --symvers. Each must be a readable regular file.
std::vector<std::string> chosen_symvers(const Options& options, const Config& config, const ReadPolicy& policy) {
  std::vector<std::string> files;
  for (const ConfiguredPath& configured : config.symvers()) {
    if (!policy.allows(configured.path))
      throw InputError(configured.origin, "symvers '" + configured.path + "' is outside the linted tree; with "
                                          "--no-make a configuration file may only name files inside it; pass "
                                          "--symvers FILE on the command line");
    std::string why;
    if (!try_read_regular_file(configured.path, kMaxDataBytes, why))
      throw InputError(configured.origin, "symvers '" + configured.path + "': " + why);
    files.push_back(configured.path);
  }
  for (const std::string& file : options.extra_symvers) {
    std::string why;
    if (!try_read_regular_file(file, kMaxDataBytes, why)) throw InputError(file, "--symvers: " + why);
    files.push_back(file);
  }
  return files;
}

}  // namespace

int run(const Options& options) {
  auto started = std::chrono::steady_clock::now();
  if (options.show_help) {
    std::cout << usage_text();
    return 0;
  }
  if (options.show_version) {
    std::cout << "kmodlint " << KMODLINT_VERSION << "\n";
    return 0;
  }
  if (options.list_checks) return list_checks();
  if (!options.explain.empty()) return explain(options.explain);
  if (options.verify_config) return verify_config(options.paths);

  // Load (and validate) the cleanup-pair rules and the baseline before any parsing, so a bad file
  // fails fast.
  configure_cleanup_pairs(options.rule_files);
  std::vector<BaselineEntry> baseline_entries;
  if (!options.baseline.empty()) baseline_entries = read_baseline(options.baseline);

  ConfigLayer cli_layer;
  cli_layer.checks = split_check_globs(options.checks);
  cli_layer.fail_on = options.fail_on;
  ConfigSet configs(options.config_file, cli_layer);
  std::string single_file = !options.print_compile_command.empty() ? options.print_compile_command : options.dump_facts;
  ReadPolicy policy = options.no_make ? safe_mode_policy(single_file.empty() ? options.paths
                                                                             : std::vector<std::string>{single_file})
                                      : ReadPolicy();
  configs.confine(&policy);
  if (!options.dump_config.empty()) {
    std::error_code error;
    if (!fs::exists(options.dump_config, error)) throw InputError(options.dump_config, "no such file or directory");
    std::cout << configs.for_path(options.dump_config).dump();
    return 0;
  }

  // The first path's configuration decides what is global to a run.
  std::string first_path = !single_file.empty()    ? single_file
                           : options.paths.empty() ? std::string(".")
                                                   : options.paths.front();
  std::error_code exists_error;
  const Config& run_config = fs::exists(first_path, exists_error) ? configs.for_path(first_path) : configs.for_path(".");
  FailOn fail_on = options.fail_on ? *options.fail_on : run_config.fail_on().value_or(FailOn{});
  std::vector<std::string> symvers = chosen_symvers(options, run_config, policy);
  unsigned jobs = options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());

  DiscoveryOptions discovery{options.paths, chosen_kernel_dir(options, run_config), options.compile_db, options.no_make,
                             jobs, &policy};
  if (!single_file.empty()) discovery.paths = {single_file};
  Project project = discover_project(discovery);
  for (const std::string& tree : project.kernel_trees) policy.add_trusted_root(tree);
  for (const std::string& problem : project.unreadable) std::cerr << "kmodlint: warning: " << problem << "\n";
  if (!options.quiet)
    for (const std::string& remark : project.remarks) std::cerr << "kmodlint: note: " << remark << "\n";
  if (options.verbose)
    for (const std::string& line : project.verbose) std::cerr << "kmodlint: " << line << "\n";
  if (!options.print_compile_command.empty()) return print_compile_command(command_for(project, single_file));
  if (!options.dump_facts.empty()) return dump_facts(command_for(project, single_file), policy);

  // A module all of whose files are excluded by the configuration is not analysed at all.
  std::erase_if(project.modules, [&](const ModuleSpec& module) {
    bool all_excluded = std::all_of(module.units.begin(), module.units.end(),
                                    [&](const CompileCommand& unit) { return configs.for_file(unit.file).excluded(unit.file); });
    if (all_excluded && options.verbose) std::cerr << "kmodlint: " << module.directory << ": " << module.name << ".ko excluded by the configuration\n";
    return all_excluded;
  });

  ChangedLines changed;
  if (!options.diff_base.empty()) changed = git_changed_lines(options.diff_base, first_path_directory(first_path));

  std::vector<CompileCommand> commands;
  for (const ModuleSpec& module : project.modules) commands.insert(commands.end(), module.units.begin(), module.units.end());
  std::string base = fs::current_path().string();
  Progress progress(!options.quiet && isatty(STDERR_FILENO), commands.size(), base);
  std::vector<UnitFacts> units =
      frontend::parse_units(commands, jobs, [&](std::size_t index, const std::string& file) { progress.step(index, file); },
                            policy);
  progress.done();

  ReportInput report;
  report.base_dir = base;
  report.report_root = tree_root_of_path(first_path);
  // Files that miss a header a configure step of the tree sets up: one line for all of them.
  std::map<std::string, std::size_t> missing_count;  // missing header -> files
  for (const UnitFacts& unit : units)
    if (std::string header = unit.parsed ? std::string() : missing_header(unit); !header.empty()) ++missing_count[header];
  std::string tree = report.report_root.empty() ? directory_of(first_path) : report.report_root;
  ConfigureStep configure;
  if (!missing_count.empty()) {
    std::set<std::string> headers;
    for (const auto& [header, files] : missing_count) headers.insert(header);
    configure = find_configure_step(tree, headers);
  }
  for (const UnitFacts& unit : units) {
    if (!options.quiet)
      for (const ParseDiagnostic& note : unit.notes)
        std::cerr << relative_path(note.location.file, base) << ":" << note.location.line << ": note: " << note.message << "\n";
    if (unit.parsed) continue;
    if (configure.command.empty() || missing_header(unit).empty() || options.verbose) print_parse_errors(unit, base);
    report.parse_errors.insert(report.parse_errors.end(), unit.errors.begin(), unit.errors.end());
  }
  if (!configure.command.empty()) {
    std::size_t dropped = drop_single_file_modules(project, units, tree);
    print_configure_step(configure, missing_count, tree, base, options.verbose, dropped);
  }
  if (!options.quiet)
    for (const ModuleSpec& module : project.modules)
      if (module.single_file)
        std::cerr << "kmodlint: note: " << module.units.front().file << ": no Kbuild file builds it; linted as the single-file module "
                  << module.name << ".ko\n";
  LinkedProject linked = link_project(project, std::move(units), symvers);

  // Every check enabled for some file of the run runs; findings are then kept per file.
  std::set<std::string> source_files;
  for (const UnitFacts& unit : linked.units) {
    source_files.insert(unit.source_file);
    source_files.insert(unit.included_files.begin(), unit.included_files.end());
  }
  std::vector<const CheckInfo*> to_run;
  for (const CheckInfo& check : all_checks()) {
    bool enabled = std::any_of(linked.units.begin(), linked.units.end(), [&](const UnitFacts& unit) {
      return configs.for_file(unit.source_file).check_enabled(check.id);
    });
    if (enabled || (linked.units.empty() && run_config.check_enabled(check.id))) to_run.push_back(&check);
  }
  report.checks = to_run;
  std::vector<Finding> findings = run_checks(linked, to_run, [&](const ModuleModel& module, const CheckInfo& check) {
    return configs.for_directory(module.spec().directory).options_of(check.id);
  });

  // Suppression comments, in every file the modules are made of.
  std::vector<Finding> suppression_problems;
  if (!options.no_suppressions) {
    std::set<std::string> known;
    for (const CheckInfo& check : all_checks()) known.insert(check.id);
    Suppressions suppressions(known);
    for (const std::string& file : source_files) suppressions.add_file(file);
    for (const Finding& finding : findings) suppressions.add_file(finding.location.file);
    std::erase_if(findings, [&](const Finding& finding) { return suppressions.suppresses(finding); });
    std::set<std::string> ran;
    for (const CheckInfo* check : to_run) ran.insert(check->id);
    suppression_problems = suppressions.problems(options.report_unused_suppressions, ran);
    std::erase_if(suppression_problems, [&](const Finding& problem) { return suppressions.suppresses(problem); });
    findings.insert(findings.end(), suppression_problems.begin(), suppression_problems.end());
  }

  // The configuration of each finding's file: enabled checks, severities, excluded paths.
  std::erase_if(findings, [&](Finding& finding) {
    const Config& config = configs.for_file(finding.location.file);
    if (!config.check_enabled(finding.check_id) || config.excluded(finding.location.file)) return true;
    if (const CheckInfo* check = find_check(finding.check_id)) finding.severity = config.severity_of(*check);
    return false;
  });

  if (!project.report_only_files.empty()) {
    std::erase_if(findings, [&](const Finding& finding) { return !project.report_only_files.count(finding.location.file); });
    for (const std::string& file : project.report_only_files)
      if (fs::path(file).extension() != ".c" && !source_files.count(file) && !options.quiet)
        std::cerr << "kmodlint: note: " << relative_path(file, base) << ": no linted module includes this header\n";
  }
  if (!options.diff_base.empty())
    std::erase_if(findings, [&](const Finding& finding) { return !is_changed(changed, finding.location.file, finding.location.line); });
  sort_findings(findings);

  std::size_t file_count = commands.size(), module_count = project.modules.size();
  auto seconds = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(); };
  if (!options.baseline_create.empty()) {
    write_baseline(options.baseline_create, findings);
    if (!options.quiet)
      std::cerr << "kmodlint: recorded " << plural(findings.size(), "finding") << " in " << options.baseline_create << " ("
                << plural(file_count, "file") << " of " << plural(module_count, "module") << ")\n";
    return report.parse_errors.empty() ? 0 : 2;
  }
  std::vector<BaselineEntry> stale;
  std::size_t in_baseline = 0;
  if (!options.baseline.empty()) {
    BaselineResult result = apply_baseline(findings, baseline_entries, baseline_directory(options.baseline));
    findings = std::move(result.new_findings);
    stale = std::move(result.stale);
    in_baseline = result.known;
  }
  if (options.fix) {
    FixResult fixed = apply_fixits(findings);
    findings = std::move(fixed.remaining);
    if (!options.quiet && fixed.fixed)
      std::cerr << "kmodlint: fixed " << plural(fixed.fixed, "finding") << " in " << plural(fixed.files.size(), "file") << "\n";
  }
  report.findings = findings;

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

  if (!options.quiet) {
    if (!stale.empty()) {
      std::cerr << "kmodlint: " << std::to_string(stale.size()) << (stale.size() == 1 ? " baseline entry" : " baseline entries") << " matched no finding (fixed, or the code moved "
                << "to another function); run --baseline-create " << options.baseline << " to drop them:\n";
      for (const BaselineEntry& entry : stale)
        std::cerr << "kmodlint:   " << entry.file << (entry.function.empty() ? "" : " (" + entry.function + ")") << ": ["
                  << entry.check << "] " << entry.message << "\n";
    }
    std::string line = summary_line(findings, file_count, module_count, seconds());
    if (!options.baseline.empty()) line += "; " + std::to_string(in_baseline) + " more in the baseline";
    std::cerr << line << "\n";
  }
  if (!report.parse_errors.empty()) return 2;
  if (options.exit_zero) return 0;
  if (!project.unreadable.empty()) return 2;
  bool failing = std::any_of(findings.begin(), findings.end(), [&](const Finding& finding) { return fail_on.fails(finding); });
  return failing ? 1 : 0;
}

}  // namespace kmodlint
