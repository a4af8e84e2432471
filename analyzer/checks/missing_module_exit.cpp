#include "checks/missing_module_exit.h"

#include "checks/cleanup_common.h"

namespace kmodlint {

namespace {

// The sibling case: an exit function that is empty while init keeps resources.
void report_empty_exit(const ModuleModel& module, CheckContext& ctx) {
  std::vector<CleanupReport> reports;
  for (const EmptyExit& empty : lifetime_events(module, ctx).empty_exits) {
    std::string list;
    std::vector<FindingNote> notes;
    for (const AcquireSite& site : empty.kept) {
      list += (list.empty() ? "" : ", ") + describe(site);
      notes.push_back({site.location, "acquired here"});
    }
    reports.push_back({empty.exit_macro,
                       "module exit function " + empty.exit_function + "() is empty, but " + empty.init_function +
                           "() acquires what only exit can release: " + list,
                       notes, empty.exit_function});
  }
  report_once(module, ctx, std::move(reports));
}

}  // namespace

void MissingModuleExitCheck::check_module(const ModuleModel& module, CheckContext& ctx) {
  auto init = module.module_init();
  if (!init) return;
  if (module.module_exit()) {
    report_empty_exit(module, ctx);
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
