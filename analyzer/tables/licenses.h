// rules/licenses.yaml: the MODULE_LICENSE strings the kernel knows.
#pragma once

#include <string>
#include <vector>

namespace kmodlint {

struct LicenseTable {
  std::vector<std::string> gpl_compatible;
  std::vector<std::string> not_gpl_compatible;

  bool is_known(const std::string& license) const;
  bool is_gpl_compatible(const std::string& license) const;
};

LicenseTable load_license_table(const std::string& path);
const LicenseTable& default_license_table();

}  // namespace kmodlint
