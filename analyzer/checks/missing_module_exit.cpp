#include "checks/missing_module_exit.h"

#include "engines/lifetimes/lifetimes.h"

namespace kmodlint {

void MissingModuleExitCheck::check_module(const ModuleModel& module, CheckContext& ctx) {
  auto init = module.module_init();
  if (!init) return;
  if (module.module_exit()) {
    // The sibling case: an exit function that is empty while init keeps resources.
    report_cleanup_findings(module, ctx, "missing-module-exit");
    return;
  }
  const EntryMacro& entry = init->second;
  std::string how = entry.legacy_name ? "init_module() is defined but cleanup_module() is not"
                                      : "module_init(" + entry.function + ") has no matching module_exit()";
  ctx.report(module, entry.location,
             "module '" + module.name() + "' can never be unloaded: " + how +
                 "; add an exit function that undoes " + entry.function + "()",
             entry.function);
}

}  // namespace kmodlint
