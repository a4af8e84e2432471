#include "config/config.h"

#include <fnmatch.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>

#include <yaml-cpp/yaml.h>

#include "checks/registry.h"
#include "common/error.h"
#include "common/file_io.h"

namespace kmodlint {

namespace fs = std::filesystem;

std::string ConfigProblem::text() const {
  return (line > 0 ? file + ":" + std::to_string(line) : file) + ": " + message;
}

bool check_glob_matches(const std::string& glob, const std::string& id) {
  return fnmatch(glob.c_str(), id.c_str(), 0) == 0;
}

namespace {

const std::vector<std::string> kKeys = {"inherit", "checks", "severity", "options", "exclude", "kernel-dir",
                                        "symvers", "fail-on"};

int line_of(const YAML::Node& node) { return node.Mark().line >= 0 ? node.Mark().line + 1 : 0; }

bool has_wildcard(const std::string& glob) { return glob.find_first_of("*?[") != std::string::npos; }

class LayerParser {
 public:
  LayerParser(const std::string& path, std::vector<ConfigProblem>& problems) : problems_(problems) {
    layer_.path = path;
    layer_.directory = fs::path(path).parent_path().string();
  }

  ConfigLayer run() {
    try {
      parse();
    } catch (const YAML::Exception& error) {  // a value of a type nothing above expected
      problem(error.mark.line >= 0 ? error.mark.line + 1 : 0, "unexpected value: " + error.msg);
    }
    return layer_;
  }

 private:
  void parse() {
    YAML::Node root;
    std::string why;
    std::optional<std::string> text = try_read_regular_file(layer_.path, kMaxTableBytes, why);
    if (!text) {
      problem(0, "cannot read this configuration file (" + why + "); check that it is a readable regular file");
      return;
    }
    try {
      root = YAML::Load(*text);
    } catch (const YAML::ParserException& error) {
      problem(error.mark.line + 1, "invalid YAML: " + error.msg);
      return;
    }
    if (!root || root.IsNull()) return;  // an empty file: the defaults
    if (!root.IsMap()) {
      problem(line_of(root), "expected a mapping of keys (checks, severity, options, exclude, ...) to values");
      return;
    }
    for (const auto& entry : root) {
      std::string key;
      if (!key_text(entry.first, key)) continue;
      const YAML::Node& value = entry.second;
      if (key == "inherit") inherit(value);
      else if (key == "checks") checks(value);
      else if (key == "severity") severity(value);
      else if (key == "options") options(value);
      else if (key == "exclude") layer_.exclude = strings(value, key);
      else if (key == "kernel-dir") {
        std::string text = scalar(value, key);
        if (value.IsScalar())
          if (std::optional<ConfiguredPath> dir = path_value(value, text, key)) layer_.kernel_dir = dir;
      } else if (key == "symvers") {
        for (const std::string& file : strings(value, key))
          if (std::optional<ConfiguredPath> path = path_value(value, file, key)) layer_.symvers.push_back(*path);
      } else if (key == "fail-on") {
        FailOn fail_on;
        std::string text = scalar(value, key);
        if (parse_fail_on(text, fail_on)) layer_.fail_on = fail_on;
        else if (!text.empty())
          problem(line_of(value), "key 'fail-on': expected error, warning, note or bugs, not '" + text + "'");
      } else {
        std::string known;
        for (const std::string& name : kKeys) known += (known.empty() ? "" : ", ") + name;
        problem(line_of(entry.first), "unknown key '" + key + "' (known keys: " + known + ")");
      }
    }
  }

  void problem(int line, const std::string& message) { problems_.push_back({layer_.path, line, message}); }

  // A mapping key as text; a key that is itself a list or a mapping is a problem.
  bool key_text(const YAML::Node& key, std::string& out) {
    if (!key.IsScalar()) {
      problem(line_of(key), "a key must be a plain name, not a list or a mapping");
      return false;
    }
    out = key.as<std::string>();
    return true;
  }

  std::optional<ConfiguredPath> path_value(const YAML::Node& node, const std::string& value, const std::string& key) {
    if (value.empty()) {
      problem(line_of(node), "key '" + key + "': an empty path; remove the key or name a file");
      return std::nullopt;
    }
    return ConfiguredPath{(fs::path(layer_.directory) / value).lexically_normal().string(),
                          layer_.path + ":" + std::to_string(line_of(node))};
  }

  std::string scalar(const YAML::Node& node, const std::string& key) {
    if (!node.IsScalar()) {
      problem(line_of(node), "key '" + key + "': expected a string");
      return {};
    }
    return node.as<std::string>();
  }

  std::vector<std::string> strings(const YAML::Node& node, const std::string& key) {
    std::vector<std::string> result;
    if (node.IsScalar()) return {node.as<std::string>()};
    if (!node.IsSequence()) {
      problem(line_of(node), "key '" + key + "': expected a list of strings");
      return result;
    }
    for (const YAML::Node& item : node) {
      if (!item.IsScalar()) problem(line_of(item), "key '" + key + "': expected a list of strings");
      else result.push_back(item.as<std::string>());
    }
    return result;
  }

  void inherit(const YAML::Node& node) {
    try {
      layer_.inherit = node.as<bool>();
    } catch (const YAML::Exception&) {
      problem(line_of(node), "key 'inherit': expected true or false");
    }
  }

  // Names a registered check; `what` is the key, for the message.
  bool known_check(const YAML::Node& node, const std::string& id, const std::string& what) {
    if (find_check(id)) return true;
    problem(line_of(node), "key '" + what + "': unknown check '" + id + "'; kmodlint --list-checks lists them");
    return false;
  }

  void checks(const YAML::Node& node) {
    if (node.IsScalar()) {  // "checks: '*,-foo'" as clang-tidy writes it
      std::string text = node.as<std::string>();
      std::size_t start = 0;
      while (start <= text.size()) {
        std::size_t comma = text.find(',', start);
        std::string glob = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        glob.erase(0, glob.find_first_not_of(" \t"));
        glob.erase(glob.find_last_not_of(" \t") + 1);
        if (!glob.empty()) check_glob(node, glob);
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
      return;
    }
    if (!node.IsSequence()) {
      problem(line_of(node), "key 'checks': expected a list of check globs, e.g. [\"*\", \"-missing-module-exit\"]");
      return;
    }
    for (const YAML::Node& item : node) {
      if (!item.IsScalar()) problem(line_of(item), "key 'checks': expected a list of check globs");
      else check_glob(item, item.as<std::string>());
    }
  }

  void check_glob(const YAML::Node& node, const std::string& glob) {
    std::string pattern = glob[0] == '-' ? glob.substr(1) : glob;
    bool any = false;
    for (const CheckInfo& check : all_checks()) any = any || check_glob_matches(pattern, check.id);
    if (!any) {
      if (has_wildcard(pattern)) problem(line_of(node), "key 'checks': '" + glob + "' matches no check");
      else known_check(node, pattern, "checks");
    }
    layer_.checks.push_back(glob);
  }

  void severity(const YAML::Node& node) {
    if (!node.IsMap()) {
      problem(line_of(node), "key 'severity': expected a mapping of check ids to error, warning or note");
      return;
    }
    for (const auto& entry : node) {
      std::string id;
      if (!key_text(entry.first, id)) continue;
      std::string text = entry.second.IsScalar() ? entry.second.as<std::string>() : "";
      Severity level;
      if (!parse_severity(text, level)) {
        problem(line_of(entry.second), "key 'severity': check '" + id + "': expected error, warning or note, not '" + text + "'");
        continue;
      }
      if (known_check(entry.first, id, "severity")) layer_.severity[id] = level;
    }
  }

  void options(const YAML::Node& node) {
    if (!node.IsMap()) {
      problem(line_of(node), "key 'options': expected a mapping of check ids to their options");
      return;
    }
    for (const auto& entry : node) {
      std::string id;
      if (!key_text(entry.first, id) || !known_check(entry.first, id, "options")) continue;
      if (!entry.second.IsMap()) {
        problem(line_of(entry.second), "key 'options': check '" + id + "': expected a mapping of option names to values");
        continue;
      }
      CheckOptions& options = layer_.options[id];
      for (const auto& option : entry.second) {
        std::string key;
        if (!key_text(option.first, key)) continue;
        options[key] = strings(option.second, "options: " + id + ": " + key);
      }
    }
  }

  std::vector<ConfigProblem>& problems_;
  ConfigLayer layer_;
};

[[noreturn]] void throw_problems(const std::vector<ConfigProblem>& problems) {
  std::string text;
  for (std::size_t i = 0; i < problems.size(); ++i)
    text += (i ? "\nkmodlint: " : "") + problems[i].text();
  throw InputError("", text + "\n(kmodlint --verify-config FILE lists every problem of a configuration file)");
}

std::string absolute_normal(const std::string& path) { return fs::absolute(path).lexically_normal().string(); }

}  // namespace

ConfigLayer parse_config_file(const std::string& path, std::vector<ConfigProblem>& problems) {
  return LayerParser(absolute_normal(path), problems).run();
}

bool Config::check_enabled(const std::string& id) const {
  // Every check runs unless a glob turns it off; an opt-in check only when a glob turns it on.
  const CheckInfo* info = find_check(id);
  bool enabled = !info || info->enabled_by_default;
  for (const ConfigLayer& layer : layers)
    for (const std::string& glob : layer.checks) {
      bool negative = !glob.empty() && glob[0] == '-';
      if (check_glob_matches(negative ? glob.substr(1) : glob, id)) enabled = !negative;
    }
  return enabled;
}

Severity Config::severity_of(const CheckInfo& check) const {
  Severity level = check.severity;
  for (const ConfigLayer& layer : layers)
    if (auto found = layer.severity.find(check.id); found != layer.severity.end()) level = found->second;
  return level;
}

const CheckOptions* Config::options_of(const std::string& id) const {
  const CheckOptions* result = nullptr;
  int count = 0;
  for (const ConfigLayer& layer : layers)
    if (auto found = layer.options.find(id); found != layer.options.end()) {
      result = &found->second;
      ++count;
    }
  if (count <= 1) return result;
  // Several layers set options of this check: the inner one wins key by key.
  CheckOptions& merged = merged_options_[id];
  merged.clear();
  for (const ConfigLayer& layer : layers)
    if (auto found = layer.options.find(id); found != layer.options.end())
      for (const auto& [key, value] : found->second) merged[key] = value;
  return &merged;
}

bool Config::excluded(const std::string& file) const {
  for (const ConfigLayer& layer : layers) {
    if (layer.exclude.empty()) continue;
    std::string base = layer.directory.empty() ? absolute_normal(".") : layer.directory;
    std::string prefix = base.back() == '/' ? base : base + "/";
    if (file.compare(0, prefix.size(), prefix) != 0) continue;
    std::string relative = file.substr(prefix.size());
    for (std::string pattern : layer.exclude) {
      if (!pattern.empty() && pattern[0] == '/') pattern.erase(0, 1);
      while (pattern.size() > 1 && pattern.back() == '/') pattern.pop_back();
      // The file itself or any directory above it may match: "tests" excludes tests/x/y.c.
      for (std::size_t slash = 0; slash != std::string::npos;) {
        slash = relative.find('/', slash + 1);
        std::string part = relative.substr(0, slash);
        if (fnmatch(pattern.c_str(), part.c_str(), 0) == 0) return true;
      }
    }
  }
  return false;
}

std::optional<ConfiguredPath> Config::kernel_dir() const {
  std::optional<ConfiguredPath> dir;
  for (const ConfigLayer& layer : layers)
    if (layer.kernel_dir) dir = layer.kernel_dir;
  return dir;
}

std::vector<ConfiguredPath> Config::symvers() const {
  std::vector<ConfiguredPath> files;
  for (const ConfigLayer& layer : layers) files.insert(files.end(), layer.symvers.begin(), layer.symvers.end());
  return files;
}

std::optional<FailOn> Config::fail_on() const {
  std::optional<FailOn> level;
  for (const ConfigLayer& layer : layers)
    if (layer.fail_on) level = layer.fail_on;
  return level;
}

std::string Config::dump() const {
  YAML::Emitter out;
  out << YAML::BeginMap;
  out << YAML::Key << "files" << YAML::Comment("merged in this order; the command line comes last");
  out << YAML::Value << YAML::BeginSeq;
  for (const ConfigLayer& layer : layers) out << (layer.path.empty() ? std::string("(command line)") : layer.path);
  out << YAML::EndSeq;
  out << YAML::Key << "checks" << YAML::Value << YAML::Flow << YAML::BeginSeq;
  for (const ConfigLayer& layer : layers)
    for (const std::string& glob : layer.checks) out << glob;
  out << YAML::EndSeq;
  out << YAML::Key << "enabled-checks" << YAML::Value << YAML::BeginMap;
  for (const CheckInfo& check : all_checks())
    if (check_enabled(check.id)) out << YAML::Key << check.id << YAML::Value << to_string(severity_of(check));
  out << YAML::EndMap;
  out << YAML::Key << "disabled-checks" << YAML::Value << YAML::Flow << YAML::BeginSeq;
  for (const CheckInfo& check : all_checks())
    if (!check_enabled(check.id)) out << check.id;
  out << YAML::EndSeq;
  out << YAML::Key << "options" << YAML::Value << YAML::BeginMap;
  for (const CheckInfo& check : all_checks()) {
    const CheckOptions* options = options_of(check.id);
    if (!options) continue;
    out << YAML::Key << check.id << YAML::Value << YAML::BeginMap;
    for (const auto& [key, values] : *options) {
      out << YAML::Key << key << YAML::Value;
      if (values.size() == 1) out << values.front();
      else {
        out << YAML::Flow << YAML::BeginSeq;
        for (const std::string& value : values) out << value;
        out << YAML::EndSeq;
      }
    }
    out << YAML::EndMap;
  }
  out << YAML::EndMap;
  out << YAML::Key << "exclude" << YAML::Value << YAML::BeginSeq;
  for (const ConfigLayer& layer : layers)
    for (const std::string& pattern : layer.exclude)
      out << (layer.directory.empty() ? pattern : (fs::path(layer.directory) / pattern).string());
  out << YAML::EndSeq;
  out << YAML::Key << "kernel-dir" << YAML::Value << (kernel_dir() ? kernel_dir()->path : std::string());
  out << YAML::Key << "symvers" << YAML::Value << YAML::BeginSeq;
  for (const ConfiguredPath& file : symvers()) out << file.path;
  out << YAML::EndSeq;
  out << YAML::Key << "fail-on" << YAML::Value << (fail_on() ? to_string(*fail_on()) : "note");
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

std::string find_config_file(const std::string& directory) {
  fs::path dir = absolute_normal(directory);
  std::error_code error;
  while (true) {
    fs::path candidate = dir / kConfigFileName;
    if (fs::is_regular_file(candidate, error)) return candidate.string();
    if (!dir.has_parent_path() || dir.parent_path() == dir) return {};
    dir = dir.parent_path();
  }
}

ConfigSet::ConfigSet(std::string explicit_file, ConfigLayer cli)
    : explicit_file_(explicit_file.empty() ? "" : absolute_normal(explicit_file)), cli_(std::move(cli)) {
  if (!explicit_file_.empty()) layer(explicit_file_);
}

const ConfigLayer& ConfigSet::layer(const std::string& path) {
  auto found = files_.find(path);
  if (found != files_.end()) return found->second;
  if (policy_ && policy_->links_out(path))
    throw InputError(path, "leads out of the linted tree (a symbolic link); --no-make does not read it");
  std::vector<ConfigProblem> problems;
  ConfigLayer parsed = parse_config_file(path, problems);
  if (!problems.empty()) throw_problems(problems);
  return files_.emplace(path, std::move(parsed)).first->second;
}

std::vector<ConfigLayer> ConfigSet::chain_from(const std::string& directory) {
  std::vector<ConfigLayer> chain;  // innermost first
  std::string file = explicit_file_.empty() ? find_config_file(directory) : explicit_file_;
  std::set<std::string> seen;
  while (!file.empty() && seen.insert(file).second) {
    const ConfigLayer& found = layer(file);
    chain.push_back(found);
    if (!found.inherit) break;
    fs::path above = fs::path(found.directory).parent_path();
    if (above == fs::path(found.directory)) break;
    file = find_config_file(above.string());
  }
  std::reverse(chain.begin(), chain.end());
  return chain;
}

const Config& ConfigSet::for_directory(const std::string& directory) {
  std::string dir = absolute_normal(directory);
  auto found = by_directory_.find(dir);
  if (found != by_directory_.end()) return *found->second;
  auto config = std::make_unique<Config>();
  config->layers = chain_from(dir);
  config->layers.push_back(cli_);
  return *by_directory_.emplace(dir, std::move(config)).first->second;
}

const Config& ConfigSet::for_file(const std::string& file) {
  return for_directory(fs::path(absolute_normal(file)).parent_path().string());
}

const Config& ConfigSet::for_path(const std::string& path) {
  std::error_code error;
  return fs::is_directory(path, error) ? for_directory(path) : for_file(path);
}

}  // namespace kmodlint
