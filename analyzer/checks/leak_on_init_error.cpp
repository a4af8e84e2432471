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
    for (std::size_t i = 0; i < leak.leaked.size(); ++i) {
      const AcquireSite& site = leak.leaked[i];
      bool failed_but_held = i < leak.failed_but_held.size() && leak.failed_but_held[i] &&
                             !site.api->failure_release.empty();
      list += (list.empty() ? "" : "; ") + describe(site) +
              (failed_but_held ? " (it failed, and still holds a reference)" : "");
      notes.push_back({site.location, "acquired here"});
      std::string fix = failed_but_held ? site.api->failure_release[0]
                                        : (site.pair->release.empty() ? "" : site.pair->release[0].name);
      if (!fix.empty() && fix_names.insert(fix).second) fixes += (fixes.empty() ? "" : ", ") + fix + "()";
    }
    reports.push_back({leak.return_location,
                       leak.function + "() returns an error here without releasing " + list +
                           (fixes.empty() ? "" : "; call " + fixes + " on this path"),
                       notes, leak.function, leak.path});
  }
  report_once(module, ctx, std::move(reports));
}

}  // namespace kmodlint
