#include "checks/missing_module_license.h"

#include <filesystem>

#include "report/source_cache.h"
#include "tables/licenses.h"

namespace kmodlint {

void MissingModuleLicenseCheck::check_module(const ModuleModel& module, CheckContext& ctx) {
  const LicenseTable& licenses = *ctx.tables().licenses;
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
  auto init = module.module_init();
  if (init) where = init->second.location;
  std::string object = std::filesystem::path(module.units().front()->source_file).stem().string() + ".o";
  Finding& finding = ctx.report(module, where,
             "module '" + module.name() + "' has no MODULE_LICENSE(); modpost stops the build with "
             "\"missing MODULE_LICENSE() in " + object + "\"; add MODULE_LICENSE(\"GPL\") (or another "
             "license string from include/linux/license.h)");
  if (!init || init->second.legacy_name) return;
  // Fix-it: a MODULE_LICENSE("GPL") line after module_exit() (when it follows module_init() in the
  // same file) or after module_init(), where module metadata usually goes.
  SourceLocation after = where;
  if (auto exit = module.module_exit(); exit && !exit->second.legacy_name &&
                                        exit->second.location.file == where.file && exit->second.location.line > where.line)
    after = exit->second.location;
  SourceCache sources;
  const std::string& line = sources.line(after.file, after.line);
  if (line.empty()) return;
  unsigned end = static_cast<unsigned>(line.size()) + 1;
  finding.fixits.push_back({after.file, after.line, end, end, "\nMODULE_LICENSE(\"GPL\");",
                            "insert MODULE_LICENSE(\"GPL\"); after line " + std::to_string(after.line) +
                                " (check that GPL is the module's license)"});
}

}  // namespace kmodlint
