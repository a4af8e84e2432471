// .kmodlint.yaml: which checks run, their severity and options, excluded paths, the kernel
// directory, extra Module.symvers files and the exit-code threshold. See docs/configuration.md.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "checks/check.h"
#include "common/read_policy.h"
#include "report/finding.h"

namespace kmodlint {

inline constexpr const char* kConfigFileName = ".kmodlint.yaml";

// A mistake in a configuration file, with its line (0 when unknown).
struct ConfigProblem {
  std::string file;
  int line = 0;
  std::string message;
  std::string text() const;  // "file:line: message"
};

// A path a configuration file names, and where: "FILE:LINE" (for messages, and because safe mode
// refuses paths that come from the repository).
struct ConfiguredPath {
  std::string path;    // absolute
  std::string origin;  // "/repo/.kmodlint.yaml:3"
};

// One configuration file as written.
struct ConfigLayer {
  std::string path;       // absolute path of the file ("" for the command line)
  std::string directory;  // its directory: relative paths in it are relative to this
  bool inherit = false;
  std::vector<std::string> checks;  // ordered globs; "-glob" disables
  std::map<std::string, Severity> severity;
  std::map<std::string, CheckOptions> options;
  std::vector<std::string> exclude;  // globs relative to `directory`
  std::optional<ConfiguredPath> kernel_dir;
  std::vector<ConfiguredPath> symvers;
  std::optional<FailOn> fail_on;
};

// Parses one file; every mistake is appended to `problems` (the rest of the file still loads).
ConfigLayer parse_config_file(const std::string& path, std::vector<ConfigProblem>& problems);

// The configuration in force for one directory: its layers merged, outermost first, then the
// command line's.
class Config {
 public:
  std::vector<ConfigLayer> layers;

  bool check_enabled(const std::string& id) const;
  Severity severity_of(const CheckInfo& check) const;
  const CheckOptions* options_of(const std::string& id) const;  // nullptr when none
  bool excluded(const std::string& file) const;  // `file` absolute
  std::optional<ConfiguredPath> kernel_dir() const;
  std::vector<ConfiguredPath> symvers() const;
  std::optional<FailOn> fail_on() const;

  // The merged configuration as YAML (what --dump-config prints).
  std::string dump() const;

 private:
  mutable std::map<std::string, CheckOptions> merged_options_;  // options_of() of several layers
};

// True when the glob (fnmatch syntax) matches the check id.
bool check_glob_matches(const std::string& glob, const std::string& id);

// Finds and caches the configuration of each directory.
class ConfigSet {
 public:
  // `explicit_file`: --config FILE (used for every file instead of searching). `cli`: the command
  // line's layer (--checks, --fail-on), applied last. Problems in any file loaded throw InputError.
  ConfigSet(std::string explicit_file, ConfigLayer cli);
  // Safe mode: a configuration file in a linted tree that links out of it is refused.
  void confine(const ReadPolicy* policy) { policy_ = policy; }

  const Config& for_directory(const std::string& directory);  // absolute
  const Config& for_file(const std::string& file);            // absolute
  // for_file for a file, for_directory for a directory.
  const Config& for_path(const std::string& path);

 private:
  std::vector<ConfigLayer> chain_from(const std::string& directory);
  const ConfigLayer& layer(const std::string& path);

  std::string explicit_file_;
  ConfigLayer cli_;
  const ReadPolicy* policy_ = nullptr;
  std::map<std::string, std::unique_ptr<Config>> by_directory_;
  std::map<std::string, ConfigLayer> files_;
};

// The nearest .kmodlint.yaml in `directory` or above it; "" when none.
std::string find_config_file(const std::string& directory);

}  // namespace kmodlint
