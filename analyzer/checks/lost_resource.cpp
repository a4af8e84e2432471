#include "checks/lost_resource.h"

#include "checks/cleanup_common.h"

namespace kmodlint {

// Reported at the return, with the acquire as a note and the release to call.
void LostResourceCheck::check_module(const ModuleModel& module, CheckContext& ctx) {
  std::vector<CleanupReport> reports;
  for (const LostResource& lost : lifetime_events(module, ctx).lost) {
    const CleanupPair& pair = *lost.resource.pair;
    std::string release = pair.release.empty() ? "" : pair.release[0].name + "()";
    std::string how = lost.failure_return ? "returns an error here" : "returns here";
    std::string message = lost.function + "() " + how + " and loses " + describe(lost.resource) + ": '" +
                          lost.handle + "' is not released, stored, returned or handed on" +
                          (release.empty() ? "" : "; call " + release + " before returning, or keep it");
    reports.push_back({lost.return_location, std::move(message), {{lost.resource.location, "acquired here"}},
                       lost.function, lost.path});
  }
  report_once(module, ctx, std::move(reports));
}

}  // namespace kmodlint
