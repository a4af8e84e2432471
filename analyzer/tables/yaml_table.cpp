#include "tables/yaml_table.h"

#include <filesystem>
#include <fstream>

#include "common/error.h"
#include "common/file_io.h"

namespace kmodlint {

namespace fs = std::filesystem;

void yaml_fail(const YAML::Node& node, const std::string& path, const std::string& message) {
  int line = node.Mark().line >= 0 ? node.Mark().line + 1 : 0;
  throw InputError(line > 0 ? path + ":" + std::to_string(line) : path, message);
}

YAML::Node load_yaml_file(const std::string& path, const std::string& what) {
  std::string text = read_regular_file(path, kMaxTableBytes, what);
  try {
    return YAML::Load(text);
  } catch (const YAML::ParserException& error) {
    throw InputError(path + ":" + std::to_string(error.mark.line + 1), "invalid YAML: " + error.msg);
  }
}

void rethrow_yaml_error(const YAML::Exception& error, const std::string& path) {
  std::string where = error.mark.line >= 0 ? path + ":" + std::to_string(error.mark.line + 1) : path;
  throw InputError(where, "unexpected value: " + error.msg);
}

std::string yaml_key(const YAML::Node& key, const std::string& path) {
  if (!key.IsScalar()) yaml_fail(key, path, "a key must be a plain name, not a list or a mapping");
  return key.as<std::string>();
}

std::vector<std::string> yaml_string_list(const YAML::Node& map, const std::string& key, const std::string& path) {
  std::vector<std::string> result;
  YAML::Node node = map[key];
  if (!node) return result;
  if (!node.IsSequence()) yaml_fail(node, path, "key '" + key + "': expected a list of strings");
  for (const YAML::Node& item : node) {
    if (!item.IsScalar()) yaml_fail(item, path, "key '" + key + "': expected a list of strings");
    result.push_back(item.as<std::string>());
  }
  return result;
}

std::string yaml_string(const YAML::Node& map, const std::string& key, const std::string& path) {
  YAML::Node node = map[key];
  if (!node) return {};
  if (!node.IsScalar()) yaml_fail(node, path, "key '" + key + "': expected a string");
  return node.as<std::string>();
}

bool yaml_bool(const YAML::Node& map, const std::string& key, const std::string& path, bool fallback) {
  YAML::Node node = map[key];
  if (!node) return fallback;
  try {
    return node.as<bool>();
  } catch (const YAML::Exception&) {
    yaml_fail(node, path, "key '" + key + "': expected true or false");
  }
}

int yaml_int(const YAML::Node& map, const std::string& key, const std::string& path, int fallback) {
  YAML::Node node = map[key];
  if (!node) return fallback;
  try {
    return node.as<int>();
  } catch (const YAML::Exception&) {
    yaml_fail(node, path, "key '" + key + "': expected a whole number");
  }
}

YAML::Node yaml_require(const YAML::Node& map, const std::string& key, const std::string& path) {
  YAML::Node node = map[key];
  if (!node) yaml_fail(map, path, "missing required key '" + key + "'");
  return node;
}

std::string yaml_required_string(const YAML::Node& map, const std::string& key, const std::string& path) {
  yaml_require(map, key, path);
  std::string value = yaml_string(map, key, path);
  if (value.empty()) yaml_fail(map[key], path, "key '" + key + "': must not be empty");
  return value;
}

void yaml_reject_unknown_keys(const YAML::Node& map, const std::vector<std::string>& known, const std::string& path) {
  if (!map.IsMap()) yaml_fail(map, path, "expected a mapping of keys to values");
  for (const auto& entry : map) {
    std::string key = yaml_key(entry.first, path);
    bool found = false;
    for (const std::string& name : known) found = found || name == key;
    if (!found) yaml_fail(entry.first, path, "unknown key '" + key + "'");
  }
}

std::string data_dir() {
  if (const char* env = std::getenv("KMODLINT_DATA_DIR")) return env;
  std::error_code error;
  fs::path self = fs::read_symlink("/proc/self/exe", error);
  if (!error) {
    fs::path installed = self.parent_path().parent_path() / "share" / "kmodlint";
    if (fs::exists(installed / "rules", error)) return installed.string();
  }
  if (fs::exists(fs::path(KMODLINT_SOURCE_DATA_DIR) / "rules", error)) return KMODLINT_SOURCE_DATA_DIR;
  return KMODLINT_INSTALL_DATA_DIR;
}

}  // namespace kmodlint
