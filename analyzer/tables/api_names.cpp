#include "tables/api_names.h"

#include <algorithm>
#include <map>
#include <mutex>

#include "tables/yaml_table.h"

namespace kmodlint {

bool ApiNameTable::borrows_only(const std::string& callee) const {
  return std::any_of(borrows.begin(), borrows.end(), [&](const std::string& p) { return callee.starts_with(p); });
}

bool ApiNameTable::self_synchronised(const std::string& type) const {
  return std::any_of(self_synchronised_types.begin(), self_synchronised_types.end(),
                     [&](const std::string& p) { return type.starts_with(p); });
}

bool ApiNameTable::unregisters_by_name(const std::string& callee) const {
  return std::any_of(unregisters.begin(), unregisters.end(),
                     [&](const std::string& part) { return callee.find(part) != std::string::npos; });
}

bool ApiNameTable::tests_for_error(const std::string& callee) const {
  return std::find(error_tests.begin(), error_tests.end(), callee) != error_tests.end();
}

namespace {

// A section: {source, notes, names: [non-empty strings, each once]}.
std::vector<std::string> names_of(const YAML::Node& root, const std::string& key, const std::string& path) {
  YAML::Node section = yaml_require(root, key, path);
  if (!section.IsMap()) yaml_fail(section, path, "key '" + key + "': expected a mapping with source and names");
  yaml_reject_unknown_keys(section, {"source", "notes", "names"}, path);
  yaml_required_string(section, "source", path);
  yaml_string(section, "notes", path);
  YAML::Node names = yaml_require(section, "names", path);
  if (!names.IsSequence() || names.size() == 0)
    yaml_fail(names, path, "key 'names' of '" + key + "': expected a non-empty list of names");
  std::vector<std::string> out;
  std::map<std::string, int> seen;  // name -> line
  for (const YAML::Node& name : names) {
    if (!name.IsScalar() || name.as<std::string>().empty())
      yaml_fail(name, path, "key 'names' of '" + key + "': expected a non-empty string");
    std::string text = name.as<std::string>();
    auto [it, fresh] = seen.emplace(text, name.Mark().line + 1);
    if (!fresh)
      yaml_fail(name, path, "'" + text + "' is listed twice in '" + key + "' (first at line " +
                                std::to_string(it->second) + ")");
    out.push_back(text);
  }
  return out;
}

}  // namespace

ApiNameTable load_api_name_table(const std::string& path) {
  return with_yaml_errors(path, [&]() -> ApiNameTable {
    YAML::Node root = load_yaml_file(path);
    if (!root.IsMap() || yaml_string(root, "table", path) != "api-names")
      yaml_fail(root, path, "expected an API names table (table: api-names)");
    yaml_reject_unknown_keys(root, {"schema_version", "table", "borrows", "self_synchronised_types", "unregisters",
                                    "error_tests"},
                             path);
    if (yaml_int(root, "schema_version", path, 0) != 1) yaml_fail(root, path, "key 'schema_version': expected 1");
    ApiNameTable table;
    table.borrows = names_of(root, "borrows", path);
    table.self_synchronised_types = names_of(root, "self_synchronised_types", path);
    table.unregisters = names_of(root, "unregisters", path);
    if (root["error_tests"]) table.error_tests = names_of(root, "error_tests", path);  // optional
    return table;
  });
}

const ApiNameTable& default_api_name_table() {
  static std::once_flag once;
  static ApiNameTable table;
  std::call_once(once, [] { table = load_api_name_table(data_dir() + "/rules/api-names.yaml"); });
  return table;
}

}  // namespace kmodlint
