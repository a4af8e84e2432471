#include "checks/double_release.h"

#include "checks/cleanup_common.h"

namespace kmodlint {

// Reported at the second release, with the first release and the acquire as notes.
void DoubleReleaseCheck::check_module(const ModuleModel& module, CheckContext& ctx) {
  std::vector<CleanupReport> reports;
  for (const DoubleRelease& d : lifetime_events(module, ctx).double_releases)
    reports.push_back({d.at,
                       describe(d.resource) + " is released twice on this path: " + d.by + "() here after " +
                           d.first_by + "() at " + short_location(d.first_at),
                       {{d.first_at, "first released here"}, {d.resource.location, "acquired here"}}, d.function,
                       d.path});
  report_once(module, ctx, std::move(reports));
}

}  // namespace kmodlint
