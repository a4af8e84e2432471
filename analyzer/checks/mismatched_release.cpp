#include "checks/mismatched_release.h"

#include "checks/cleanup_common.h"

namespace kmodlint {

void MismatchedReleaseCheck::check_module(const ModuleModel& module, CheckContext& ctx) {
  std::vector<CleanupReport> reports;
  for (const Mismatch& m : lifetime_events(module, ctx).mismatches) {
    std::string message =
        m.how == Mismatch::How::WrongFunction
            ? m.by + "() does not release " + describe(m.resource) + ": " + m.reason
            : m.by + "() is called on " + describe(m.resource) + " with different arguments than the acquire: " +
                  "every handle argument must match (for free_irq(), the dev_id cookie given to request_irq())";
    reports.push_back({m.at, message, {{m.resource.location, "acquired here"}}, m.function, m.path});
  }
  report_once(module, ctx, std::move(reports));
}

}  // namespace kmodlint
