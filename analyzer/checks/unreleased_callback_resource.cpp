#include "checks/unreleased_callback_resource.h"

#include "checks/cleanup_common.h"

namespace kmodlint {

// Reported at the acquire, with the first release of the pair as the fix.
void UnreleasedCallbackResourceCheck::check_module(const ModuleModel& module, CheckContext& ctx) {
  std::vector<CleanupReport> reports;
  for (const KeptWithoutRelease& kept : lifetime_events(module, ctx).kept_without_release) {
    const AcquireSite& site = kept.resource;
    const ReleaseApi* fix = site.pair->release.empty() ? nullptr : &site.pair->release[0];
    reports.push_back({site.location,
                       resource_kind(site) + " acquired by " + site.api->name + "() in " + kept.function +
                           "() and kept in " + kept.storage + " is released by no function of the module" +
                           (fix ? "; call " + fix->name + "() where it goes away (release, remove or module exit)"
                                : ""),
                       {},
                       site.function});
  }
  report_once(module, ctx, std::move(reports));
}

}  // namespace kmodlint
