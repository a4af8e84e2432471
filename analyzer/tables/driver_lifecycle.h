// The probe/remove roles of driver structs, read from rules/entry-points.yaml (only the
// `structs[].fields[]` entries with role probe or remove, and their pairs_with).
#pragma once

#include <string>
#include <vector>

namespace kmodlint {

struct DriverLifecycleStruct {
  std::string record;                      // e.g. "platform_driver"
  std::vector<std::string> probe_fields;   // role: probe
  std::vector<std::string> remove_fields;  // role: remove
  // For each probe field, the fields that release what it acquired (pairs_with; all
  // remove fields when the table does not say).
  std::vector<std::pair<std::string, std::vector<std::string>>> pairs_with;
  // For each remove field, the cleanup pairs (rules/cleanup-pairs.yaml ids) the bus itself
  // releases around the call (bus_releases: the USB core kills an interface's URBs).
  std::vector<std::pair<std::string, std::vector<std::string>>> bus_releases;
};

struct DriverLifecycleTable {
  std::vector<DriverLifecycleStruct> structs;
  const DriverLifecycleStruct* find(const std::string& record) const;
};

// Throws InputError "file:line: ..." when the file is not an entry-points table.
DriverLifecycleTable load_driver_lifecycle(const std::string& path);
const DriverLifecycleTable& default_driver_lifecycle();

}  // namespace kmodlint
