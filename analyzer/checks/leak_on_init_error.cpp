#include "checks/leak_on_init_error.h"

#include <set>

#include "checks/cleanup_common.h"

namespace kmodlint {

// One finding per error return, naming everything some path leaks there and the releases to call.
void LeakOnInitErrorCheck::check_module(const ModuleModel& module, CheckContext& ctx) {
  std::vector<CleanupReport> reports;
  for (const LeakOnError& leak : lifetime_events(module, ctx).leaks) {
    std::string list, fixes;
    std::vector<FindingNote> notes;
    std::set<std::string> fix_names;
    for (const AcquireSite& site : leak.leaked) {
      list += (list.empty() ? "" : "; ") + describe(site);
      notes.push_back({site.location, "acquired here"});
      if (!site.pair->release.empty() && fix_names.insert(site.pair->release[0].name).second)
        fixes += (fixes.empty() ? "" : ", ") + site.pair->release[0].name + "()";
    }
    reports.push_back({leak.return_location,
                       leak.function + "() returns an error here without releasing " + list +
                           (fixes.empty() ? "" : "; call " + fixes + " on this path"),
                       notes, leak.function});
  }
  report_once(module, ctx, std::move(reports));
}

}  // namespace kmodlint
