#include "project/kbuild_dry_run.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <regex>
#include <sstream>

#include <fcntl.h>
#include <unistd.h>

#include "common/error.h"
#include "common/process_guard.h"
#include "common/subprocess.h"
#include "project/kbuild_file.h"
#include "project/make_variables.h"
#include "project/shell_words.h"

namespace kmodlint {

namespace fs = std::filesystem;

namespace {

constexpr unsigned kDryRunTimeoutSeconds = 120;
constexpr const char* kProbeName = "kmodlint_probe";

bool is_compiler(const std::string& word) {
  static const std::regex compiler(R"((^|.*/)([A-Za-z0-9_.-]*-)?(gcc|cc|clang)(-[0-9.]+)?$)");
  return std::regex_match(word, compiler);
}

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string absolute(const std::string& path, const std::string& directory) {
  if (!path.empty() && path[0] == '/') return fs::path(path).lexically_normal().string();
  return (fs::path(directory) / path).lexically_normal().string();
}

void parse_command(const ShellCommand& command, const std::string& directory, DryRun& out) {
  const std::vector<std::string>& words = command.words;
  if (words.size() < 3 || !is_compiler(words[0])) return;
  bool compiles = false;
  for (const std::string& word : words) {
    if (word == "-E") return;
    compiles = compiles || word == "-c";
  }
  if (!compiles || !ends_with(words.back(), ".c")) return;
  DryRunCompile compile{absolute(words.back(), directory), directory, words};
  compile.words.back() = compile.source_file;
  out.compiles.push_back(std::move(compile));
}

// printf '%s\n' a.o b.o | awk '...print("DIR/"$0)...' > DIR/foo.mod
void parse_mod_pipeline(const ShellPipeline& pipeline, const std::string& directory, DryRun& out) {
  if (pipeline.size() < 2 || pipeline.front().words.empty() || pipeline.front().words[0] != "printf") return;
  const std::string& target = pipeline.back().redirect_to;
  if (!ends_with(target, ".mod")) return;
  std::string mod_file = absolute(target, directory);
  DryRunModule module;
  module.directory = fs::path(mod_file).parent_path().string();
  module.name = fs::path(mod_file).stem().string();
  // The objects are relative to $(obj), the directory of the Kbuild file, which awk prefixes; it is
  // not the .mod file's directory for `obj-m += ../staging/echo/echo.o` (dahdi builds echo.ko so).
  std::string objects_dir = module.directory;
  static const std::regex prefix(R"re(print\("([^"]*)/"\s*\$0\))re");
  std::smatch match;
  for (const std::string& word : pipeline[1].words)
    if (std::regex_search(word, match, prefix)) objects_dir = absolute(match[1].str(), directory);
  const std::vector<std::string>& words = pipeline.front().words;
  for (std::size_t i = 2; i < words.size(); ++i)
    if (ends_with(words[i], ".o")) module.objects.push_back(absolute(words[i], objects_dir));
  out.modules.push_back(module);
}

std::string first_error_line(const std::string& text) {
  std::istringstream lines(text);
  std::string line, fallback;
  while (std::getline(lines, line)) {
    if (line.find("***") != std::string::npos || line.find("rror") != std::string::npos) return line;
    if (fallback.empty() && !line.empty()) fallback = line;
  }
  return fallback;
}

// "No rule to make target '.../foo.o'" where foo.c does not exist either: the source is made by a
// step before the build (a configure script, a command of dkms.conf's MAKE line) that has not run.
std::string missing_source_hint(const std::string& error_line, const std::string& module_dir) {
  static const std::regex no_rule(R"(No rule to make target '([^']+)\.o')");
  std::smatch match;
  if (!std::regex_search(error_line, match, no_rule)) return "";
  std::string source = match[1].str() + ".c";
  std::error_code error;
  if (fs::exists(source, error) || fs::exists(match[1].str() + ".S", error)) return "";
  std::string shown = fs::path(source).lexically_normal().lexically_relative(module_dir).string();
  if (shown.empty() || shown.starts_with("..")) shown = source;
  return shown + " does not exist: the step that creates it (a configure script, or a command of dkms.conf's "
                 "MAKE line) has not been run; run it, then lint again";
}

// Creates the file (it must not exist yet: the directory is fresh and private).
void write_probe_file(const std::string& path, const std::string& text) {
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  bool ok = fd >= 0 && write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  if (fd >= 0) ok = close(fd) == 0 && ok;
  if (!ok) throw InputError(path, "cannot write kmodlint's probe module; check TMPDIR");
}

}  // namespace

DryRun parse_dry_run_output(const std::string& output, const std::string& initial_directory) {
  static const std::regex entering(R"(^make(\[\d+\])?: Entering directory '(.*)'$)");
  DryRun result;
  std::vector<std::string> directories{initial_directory};
  std::istringstream lines(output);
  std::string line;
  std::smatch match;
  while (std::getline(lines, line)) {
    if (std::regex_match(line, match, entering)) {
      directories.push_back(match[2].str());
      continue;
    }
    if (line.rfind("make", 0) == 0 && line.find(": Leaving directory") != std::string::npos) {
      if (directories.size() > 1) directories.pop_back();
      continue;
    }
    for (const ShellPipeline& pipeline : split_shell_line(line)) {
      for (const ShellCommand& command : pipeline) parse_command(command, directories.back(), result);
      parse_mod_pipeline(pipeline, directories.back(), result);
    }
  }
  return result;
}

DryRun kbuild_dry_run(const KernelDir& kernel, const std::string& module_dir, const std::vector<std::string>& make_variables) {
  // The goal is the module directory itself: Kbuild's rule that compiles it and writes the .mod
  // lists. The `modules` goal would also run modpost, which fails in a dry run. The trailing "/."
  // keeps a directory named like "clean" from matching Kbuild's %clean goals.
  if (module_dir.find_first_of(" \t\n:#$") != std::string::npos)
    throw InputError(module_dir, "Kbuild cannot build a module whose path contains a space, ':', '#' or '$'; "
                                 "rename the directory, or lint it with --no-make or -p compile_commands.json");
  std::string goal = module_dir + "/.";
  // PWD as if make were run in the module directory, as its author runs it: a Kbuild file that
  // writes -I$(PWD)/include means the module's own directory, wherever kmodlint was started.
  // The variables the module's own build passes (CONFIG_FOO=m from dkms.conf or its Makefile).
  std::vector<std::string> argv{"make", "-k", "-B", "-n", "-C", kernel.path, "M=" + goal, "PWD=" + module_dir};
  for (const std::string& variable : make_variables)
    if (std::size_t equals = variable.find('='); equals != std::string::npos && passable_make_variable(variable.substr(0, equals)))
      argv.push_back(variable);
  argv.push_back(goal);
  ProcessResult run = run_process(argv, module_dir,
                                  kDryRunTimeoutSeconds, {"MAKEFLAGS", "MFLAGS", "MAKELEVEL"});
  std::string kbuild = kbuild_file_in(module_dir);
  if (kbuild.empty()) kbuild = module_dir;
  if (run.timed_out)
    throw InputError(kbuild, "Kbuild's dry run did not finish in " + std::to_string(kDryRunTimeoutSeconds) +
                                 " s; check the Makefile, or use --no-make");
  if (run.exit_code == 127 || run.exit_code < 0)
    throw InputError(kbuild, "could not run make; install it (Debian: apt-get install make)");
  DryRun result = parse_dry_run_output(run.out, kernel.path);
  std::string error_line = run.exit_code != 0 ? first_error_line(run.err + run.out) : std::string();
  std::string hint = missing_source_hint(error_line, module_dir);
  if (run.exit_code != 0 && result.modules.empty())
    throw InputError(kbuild, hint.empty() ? "make rejected it: " + error_line +
                                                "; fix the Kbuild file, or use --no-make or -p compile_commands.json"
                                          : hint);
  if (run.exit_code != 0) result.partial_failure = hint.empty() ? error_line : hint;
  return result;
}

DryRunCompile kernel_compile_template(const KernelDir& kernel) {
  static std::mutex mutex;
  static std::map<std::string, DryRunCompile> cache;
  std::lock_guard<std::mutex> lock(mutex);
  auto found = cache.find(kernel.real_path);
  if (found != cache.end()) return found->second;

  // A private directory (mode 0700, a fresh name) that nobody else can plant files in.
  PrivateTempDir probe_dir("kmodlint-probe");
  write_probe_file(probe_dir.path() + "/Kbuild", std::string("obj-m := ") + kProbeName + ".o\n");
  write_probe_file(probe_dir.path() + "/" + kProbeName + ".c", "\n");
  DryRun run;
  try {
    run = kbuild_dry_run(kernel, probe_dir.path());
  } catch (const InputError&) {
    throw InputError(kernel.path, "Kbuild of this kernel directory fails even for an empty module; "
                                  "reinstall the kernel headers or pass another --kdir");
  }
  if (run.compiles.empty())
    throw InputError(kernel.path, "Kbuild printed no compiler command for a module; pass another --kdir");
  DryRunCompile result = run.compiles.front();
  cache[kernel.real_path] = result;
  return result;
}

std::vector<std::string> instantiate_template(const DryRunCompile& template_command, const std::string& source_file,
                                              const std::string& module_name, const std::vector<std::string>& extra_flags) {
  std::string basename = fs::path(source_file).stem().string();
  std::string modname = module_name;
  for (char& c : modname)
    if (c == '-') c = '_';
  std::vector<std::string> words;
  for (const std::string& word : template_command.words) {
    if (word == template_command.source_file) continue;
    if (word.rfind("-DKBUILD_BASENAME=", 0) == 0) {
      words.push_back("-DKBUILD_BASENAME=\"" + basename + "\"");
    } else if (word.rfind("-DKBUILD_MODNAME=", 0) == 0) {
      words.push_back("-DKBUILD_MODNAME=\"" + modname + "\"");
    } else if (word.rfind("-D__KBUILD_MODNAME=", 0) == 0) {
      words.push_back("-D__KBUILD_MODNAME=kmod_" + modname);
    } else {
      words.push_back(word);
    }
  }
  words.insert(words.end(), extra_flags.begin(), extra_flags.end());
  words.push_back(source_file);
  return words;
}

}  // namespace kmodlint
