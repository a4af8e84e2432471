#include "checks/release_order.h"

#include "checks/cleanup_common.h"

namespace kmodlint {

// Reported at the early release, with the dependent's release and acquire as notes.
void ReleaseOrderCheck::check_module(const ModuleModel& module, CheckContext& ctx) {
  std::vector<CleanupReport> reports;
  for (const ReleasedOutOfOrder& e : lifetime_events(module, ctx).out_of_order)
    reports.push_back({e.early_release,
                       e.early_release_by + "() releases " + describe(e.base) + " while " + describe(e.dependent) +
                           ", which depends on it, is still live; release that first (" + e.dependent_release_by +
                           "() at " + short_location(e.dependent_release) + ")",
                       {{e.dependent_release, "the dependent resource is only released here"},
                        {e.dependent.location, "acquired here"}},
                       e.function});
  report_once(module, ctx, std::move(reports));
}

}  // namespace kmodlint
