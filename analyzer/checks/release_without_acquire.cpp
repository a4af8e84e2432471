#include "checks/release_without_acquire.h"

#include "checks/cleanup_common.h"

namespace kmodlint {

// Reported at the release, with the acquire and the test that saw it fail as notes.
void ReleaseWithoutAcquireCheck::check_module(const ModuleModel& module, CheckContext& ctx) {
  std::vector<CleanupReport> reports;
  for (const ReleaseWithoutAcquire& r : lifetime_events(module, ctx).releases_without_acquire) {
    const std::string& acquire = r.resource.api->name;
    std::vector<FindingNote> notes{{r.resource.location, "acquired here"}};
    std::string message;
    if (r.how == ReleaseWithoutAcquire::How::AcquireFailed) {
      message = r.by + "() releases " + resource_kind(r.resource) + " that " + acquire + "() at " +
                short_location(r.resource.location) + " failed to acquire on this path (failure seen at " +
                short_location(r.failure_learnt_at) + "); release only what succeeded";
      // The path's first decision is usually that test.
      if (r.path.empty() || !(r.path.front().location == r.failure_learnt_at))
        notes.push_back({r.failure_learnt_at, "the failure branch is taken here"});
    } else {
      message = r.by + "() after " + acquire + "() at " + short_location(r.resource.location) +
                " failed: a failed " + acquire + "() still holds a reference that only " + r.expected +
                "() drops; call " + r.expected + "() on this path instead";
    }
    reports.push_back({r.at, std::move(message), std::move(notes), r.function, r.path});
  }
  report_once(module, ctx, std::move(reports));
}

}  // namespace kmodlint
