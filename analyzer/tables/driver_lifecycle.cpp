#include "tables/driver_lifecycle.h"

#include <mutex>

#include "tables/yaml_table.h"

namespace kmodlint {

const DriverLifecycleStruct* DriverLifecycleTable::find(const std::string& record) const {
  for (const DriverLifecycleStruct& s : structs)
    if (s.record == record) return &s;
  return nullptr;
}

DriverLifecycleTable load_driver_lifecycle(const std::string& path) {
  return with_yaml_errors(path, [&]() -> DriverLifecycleTable {
    YAML::Node root = load_yaml_file(path);
    if (!root.IsMap() || yaml_string(root, "table", path) != "entry-points")
      yaml_fail(root, path, "expected an entry-points table (table: entry-points)");
    DriverLifecycleTable table;
    YAML::Node structs = root["structs"];
    if (!structs || !structs.IsSequence()) yaml_fail(root, path, "key 'structs': expected a list");
    for (const YAML::Node& s : structs) {
      DriverLifecycleStruct entry;
      entry.record = yaml_string(s, "struct", path);
      if (entry.record.empty()) yaml_fail(s, path, "a struct entry needs a 'struct' name");
      YAML::Node fields = s["fields"];
      if (!fields) continue;
      if (!fields.IsSequence()) yaml_fail(fields, path, "key 'fields': expected a list");
      for (const YAML::Node& f : fields) {
        std::string role = yaml_string(f, "role", path);
        std::string field = yaml_string(f, "field", path);
        if (field.empty()) yaml_fail(f, path, "a field entry needs a 'field' name");
        if (role == "probe") {
          entry.probe_fields.push_back(field);
          entry.pairs_with.emplace_back(field, yaml_string_list(f, "pairs_with", path));
        } else if (role == "remove") {
          entry.remove_fields.push_back(field);
          entry.bus_releases.emplace_back(field, yaml_string_list(f, "bus_releases", path));
        }
      }
      for (auto& [probe, releases] : entry.pairs_with)
        if (releases.empty()) releases = entry.remove_fields;
      if (!entry.probe_fields.empty() || !entry.remove_fields.empty()) table.structs.push_back(std::move(entry));
    }
    return table;
  });
}

const DriverLifecycleTable& default_driver_lifecycle() {
  static std::once_flag once;
  static DriverLifecycleTable table;
  std::call_once(once, [] { table = load_driver_lifecycle(data_dir() + "/rules/entry-points.yaml"); });
  return table;
}

}  // namespace kmodlint
