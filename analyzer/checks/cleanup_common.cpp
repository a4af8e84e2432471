#include "checks/cleanup_common.h"

#include <algorithm>
#include <filesystem>
#include <tuple>


namespace kmodlint {

const LifetimeEvents& lifetime_events(const ModuleModel& module, const CheckContext& ctx) {
  return module.memo<LifetimeEvents>("lifetimes", [&] {
    const RuleTables& t = ctx.tables();
    return analyze_lifetimes(module, {*t.cleanup_pairs, *t.driver_lifecycle, *t.ownership, *t.api_names, *t.locks});
  });
}

std::string short_location(const SourceLocation& location) {
  return std::filesystem::path(location.file).filename().string() + ":" + std::to_string(location.line);
}

std::string resource_kind(const AcquireSite& site) {
  return site.pair->summary.empty() ? site.pair->id : site.pair->summary;
}

std::string describe(const AcquireSite& site) {
  return resource_kind(site) + " from " + site.api->name + "() at " + short_location(site.location);
}

void report_once(const ModuleModel& module, CheckContext& ctx, std::vector<CleanupReport> reports) {
  auto key = [](const CleanupReport& r) { return std::tie(r.location, r.message); };
  std::stable_sort(reports.begin(), reports.end(),
                   [&](const CleanupReport& a, const CleanupReport& b) { return key(a) < key(b); });
  reports.erase(std::unique(reports.begin(), reports.end(),
                            [&](const CleanupReport& a, const CleanupReport& b) { return key(a) == key(b); }),
                reports.end());
  for (CleanupReport& r : reports) {
    Finding& finding = ctx.report(module, r.location, std::move(r.message), std::move(r.function));
    finding.notes = std::move(r.notes);
    finding.path = std::move(r.path);
  }
}

}  // namespace kmodlint
