#include "tables/licenses.h"

#include <algorithm>
#include <mutex>

#include "tables/yaml_table.h"

namespace kmodlint {

bool LicenseTable::is_gpl_compatible(const std::string& license) const {
  return std::find(gpl_compatible.begin(), gpl_compatible.end(), license) != gpl_compatible.end();
}

bool LicenseTable::is_known(const std::string& license) const {
  return is_gpl_compatible(license) ||
         std::find(not_gpl_compatible.begin(), not_gpl_compatible.end(), license) != not_gpl_compatible.end();
}

LicenseTable load_license_table(const std::string& path) {
  return with_yaml_errors(path, [&]() -> LicenseTable {
    YAML::Node root = load_yaml_file(path);
    yaml_reject_unknown_keys(root, {"schema_version", "gpl_compatible", "not_gpl_compatible"}, path);
    return {yaml_string_list(root, "gpl_compatible", path), yaml_string_list(root, "not_gpl_compatible", path)};
  });
}

const LicenseTable& default_license_table() {
  static std::once_flag once;
  static LicenseTable table;
  std::call_once(once, [] { table = load_license_table(data_dir() + "/rules/licenses.yaml"); });
  return table;
}

}  // namespace kmodlint
