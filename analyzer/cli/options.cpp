#include "cli/options.h"

#include <functional>
#include <map>

#include "common/error.h"

namespace kmodlint {

const char* usage_text() {
  return R"(usage: kmodlint [options] [PATH...]

Lints Linux kernel modules: finds the modules under each PATH (a module directory with a Kbuild
file or Makefile, or a .c file; default: the current directory), parses every source file with
Clang exactly as Kbuild compiles it, and reports unsafe shared globals, missing cleanup pairs and
symbol problems at the source line.

options:
  --kdir DIR                 kernel build directory (default: /lib/modules/$(uname -r)/build, else
                             the newest /lib/modules/*/build)
  -p, --compile-commands P   take compile commands from P (a compile_commands.json or its directory)
  --no-make                  never run the repository's own Makefiles: flags come from the kernel
                             directory and the literal ccflags-y lines (for untrusted code)
  --symvers FILE             another module's Module.symvers (like KBUILD_EXTRA_SYMBOLS); repeatable
  --rules FILE               an extra cleanup-pairs table (same format as rules/cleanup-pairs.yaml);
                             its pairs are added, or replace built-in pairs of the same id; repeatable
  -j, --jobs N               parse N files at once (default: number of cores)
  --format FORMAT            text (default), json, sarif or github
  -o, --output FILE          write the report to FILE (atomically) instead of standard output
  --color WHEN               auto (default), always or never
  --print-compile-command F  print the Clang command used for the file F, then exit
  --dump-facts F             print what kmodlint learnt from the file F (JSON), then exit
  --list-checks              list every check with its id, family, severity and summary
  --explain CHECK            print the documentation of CHECK (what, why, examples, how to suppress)
  -v, --verbose              say which files were skipped and why
  -q, --quiet                print findings only (no progress, notes or summary line)
  --version                  print the version
  -h, --help                 print this help

configuration (default: the nearest .kmodlint.yaml above each file; see docs/configuration.md):
  --config FILE              use FILE instead of searching for .kmodlint.yaml
  --checks GLOBS             enable/disable checks after the configuration's globs, e.g.
                             --checks='-*,missing-module-exit' (comma-separated; '-' disables)
  --fail-on LEVEL            exit 1 only for findings at or above LEVEL: error, warning or note;
                             bugs: for any finding but style ones (global-should-be-static,
                             extern-in-source)
                             (default: note, i.e. any finding)
  --exit-zero                exit 0 even with findings (report-only runs); errors still exit 2
  --dump-config FILE         print the merged configuration in force for FILE, then exit
  --verify-config [FILE...]  check configuration files (default: the nearest one) and report
                             unknown keys and check names with their line; exit 2 on errors

suppressions (/* kmodlint-disable-line CHECK */ and friends; see docs/suppressions.md):
  --no-suppressions          ignore every suppression comment
  --report-unused-suppressions  report suppressions that silence nothing

baseline and changed lines (see docs/baseline.md):
  --baseline-create FILE     record the current findings in FILE (.json, or .yaml/.yml); exit 0
  --baseline FILE            report only findings not recorded in FILE; list stale entries
  --diff-base REV            report only findings on lines changed since the git revision REV

fixes:
  --fix                      apply the fix-its of findings to the source files, report the rest

exit status: 0 no findings at or above --fail-on, 1 findings at or above it, 2 usage,
configuration or parse errors.
)";
}

namespace {

unsigned parse_jobs(const std::string& text) {
  try {
    std::size_t used = 0;
    long value = std::stol(text, &used);
    if (used == text.size() && value > 0 && value <= 1024) return static_cast<unsigned>(value);
  } catch (const std::exception&) {
  }
  throw InputError("", "-j takes a positive whole number, not '" + text + "'");
}

OutputFormat parse_format(const std::string& text) {
  static const std::map<std::string, OutputFormat> formats = {
      {"text", OutputFormat::Text}, {"json", OutputFormat::Json}, {"sarif", OutputFormat::Sarif}, {"github", OutputFormat::Github}};
  auto found = formats.find(text);
  if (found == formats.end()) throw InputError("", "--format takes text, json, sarif or github, not '" + text + "'");
  return found->second;
}

ColorMode parse_color(const std::string& text) {
  if (text == "auto") return ColorMode::Auto;
  if (text == "always") return ColorMode::Always;
  if (text == "never") return ColorMode::Never;
  throw InputError("", "--color takes auto, always or never, not '" + text + "'");
}

FailOn parse_fail_on_option(const std::string& text) {
  FailOn fail_on;
  if (!parse_fail_on(text, fail_on))
    throw InputError("", "--fail-on takes error, warning, note or bugs, not '" + text + "'");
  return fail_on;
}

}  // namespace

Options parse_options(const std::vector<std::string>& args) {
  Options options;
  using Setter = std::function<void(const std::string&)>;
  const std::map<std::string, Setter> with_value = {
      {"--kdir", [&](const std::string& v) { options.kernel_dir = v; }},
      {"-p", [&](const std::string& v) { options.compile_db = v; }},
      {"--compile-commands", [&](const std::string& v) { options.compile_db = v; }},
      {"--symvers", [&](const std::string& v) { options.extra_symvers.push_back(v); }},
      {"--rules", [&](const std::string& v) { options.rule_files.push_back(v); }},
      {"-j", [&](const std::string& v) { options.jobs = parse_jobs(v); }},
      {"--jobs", [&](const std::string& v) { options.jobs = parse_jobs(v); }},
      {"--format", [&](const std::string& v) { options.format = parse_format(v); }},
      {"-o", [&](const std::string& v) { options.output_file = v; }},
      {"--output", [&](const std::string& v) { options.output_file = v; }},
      {"--color", [&](const std::string& v) { options.color = parse_color(v); }},
      {"--print-compile-command", [&](const std::string& v) { options.print_compile_command = v; }},
      {"--dump-facts", [&](const std::string& v) { options.dump_facts = v; }},
      {"--config", [&](const std::string& v) { options.config_file = v; }},
      {"--checks", [&](const std::string& v) { options.checks.push_back(v); }},
      {"--fail-on", [&](const std::string& v) { options.fail_on = parse_fail_on_option(v); }},
      {"--dump-config", [&](const std::string& v) { options.dump_config = v; }},
      {"--baseline", [&](const std::string& v) { options.baseline = v; }},
      {"--baseline-create", [&](const std::string& v) { options.baseline_create = v; }},
      {"--diff-base", [&](const std::string& v) { options.diff_base = v; }},
      {"--explain", [&](const std::string& v) { options.explain = v; }},
  };
  const std::map<std::string, std::function<void()>> flags = {
      {"--no-make", [&] { options.no_make = true; }},
      {"--list-checks", [&] { options.list_checks = true; }},
      {"-v", [&] { options.verbose = true; }},
      {"--verbose", [&] { options.verbose = true; }},
      {"-q", [&] { options.quiet = true; }},
      {"--quiet", [&] { options.quiet = true; }},
      {"--version", [&] { options.show_version = true; }},
      {"-h", [&] { options.show_help = true; }},
      {"--help", [&] { options.show_help = true; }},
      {"--verify-config", [&] { options.verify_config = true; }},
      {"--exit-zero", [&] { options.exit_zero = true; }},
      {"--no-suppressions", [&] { options.no_suppressions = true; }},
      {"--report-unused-suppressions", [&] { options.report_unused_suppressions = true; }},
      {"--fix", [&] { options.fix = true; }},
  };
  bool only_paths = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (only_paths || arg.empty() || arg[0] != '-' || arg == "-") {
      options.paths.push_back(arg);
      continue;
    }
    if (arg == "--") {
      only_paths = true;
      continue;
    }
    if (auto flag = flags.find(arg); flag != flags.end()) {
      flag->second();
      continue;
    }
    std::string name = arg, value;
    bool has_value = false;
    if (std::size_t equals = arg.find('='); arg.rfind("--", 0) == 0 && equals != std::string::npos) {
      name = arg.substr(0, equals);
      value = arg.substr(equals + 1);
      has_value = true;
    } else if (arg.size() > 2 && arg[1] != '-' && with_value.count(arg.substr(0, 2))) {
      name = arg.substr(0, 2);  // -j4, -pDIR
      value = arg.substr(2);
      has_value = true;
    }
    auto setter = with_value.find(name);
    if (setter == with_value.end()) throw InputError("", "unknown option '" + arg + "'; see kmodlint --help");
    if (!has_value) {
      if (i + 1 >= args.size()) throw InputError("", "option '" + arg + "' needs a value; see kmodlint --help");
      value = args[++i];
    }
    setter->second(value);
  }
  if (!options.baseline.empty() && !options.baseline_create.empty())
    throw InputError("", "--baseline and --baseline-create cannot be used together");
  if (options.fix && !options.baseline_create.empty())
    throw InputError("", "--fix and --baseline-create cannot be used together");
  return options;
}

}  // namespace kmodlint
