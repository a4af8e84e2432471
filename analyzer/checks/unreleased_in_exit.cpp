#include "checks/unreleased_in_exit.h"

#include "checks/cleanup_common.h"

namespace kmodlint {

// Reported at the acquire, with the release function as a note and its first release API as the fix.
void UnreleasedInExitCheck::check_module(const ModuleModel& module, CheckContext& ctx) {
  std::vector<CleanupReport> reports;
  for (const NeverReleased& never : lifetime_events(module, ctx).never_released) {
    const AcquireSite& site = never.resource;
    const ReleaseApi* fix = site.pair->release.empty() ? nullptr : &site.pair->release[0];
    reports.push_back({site.location,
                       resource_kind(site) + " acquired by " + site.api->name + "() in " + never.acquire_function +
                           "() is never released by " + never.release_function + "()" +
                           (fix ? "; call " + fix->name + "() there" : ""),
                       {{never.release_function_location, never.release_function + "() is here"}}, site.function});
  }
  report_once(module, ctx, std::move(reports));
}

}  // namespace kmodlint
