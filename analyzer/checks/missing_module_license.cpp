#include "checks/missing_module_license.h"

#include <filesystem>

#include "tables/licenses.h"

namespace kmodlint {

void MissingModuleLicenseCheck::check_module(const ModuleModel& module, CheckContext& ctx) {
  const LicenseTable& licenses = default_license_table();
  auto entries = module.module_info("license");
  for (const auto& [unit, entry] : entries) {
    if (licenses.is_known(entry.value)) continue;
    ctx.report(module, entry.location,
               "MODULE_LICENSE(\"" + entry.value + "\") is not a license string the kernel knows: it loads as "
               "proprietary, taints the kernel and cannot use EXPORT_SYMBOL_GPL symbols; use e.g. \"GPL\" or "
               "\"Dual BSD/GPL\"");
  }
  if (!entries.empty()) return;

  SourceLocation where{module.units().front()->source_file, 1, 1};
  if (auto init = module.module_init()) where = init->second.location;
  std::string object = std::filesystem::path(module.units().front()->source_file).stem().string() + ".o";
  ctx.report(module, where,
             "module '" + module.name() + "' has no MODULE_LICENSE(); modpost stops the build with "
             "\"missing MODULE_LICENSE() in " + object + "\"; add MODULE_LICENSE(\"GPL\") (or another "
             "license string from include/linux/license.h)");
}

}  // namespace kmodlint
