#include "checks/unchecked_acquire.h"

#include "checks/cleanup_common.h"

namespace kmodlint {

namespace {

// How the API says it failed, and the test to write.
std::string failure_test(FailsOn fails) {
  switch (fails) {
    case FailsOn::NullPtr: return "returns NULL when it fails; test it with if (!p)";
    case FailsOn::ErrPtr: return "returns an ERR_PTR() when it fails; test it with IS_ERR()";
    case FailsOn::ErrPtrOrNull: return "returns NULL or an ERR_PTR() when it fails; test it with IS_ERR_OR_NULL()";
    default: return "can fail; test its result";
  }
}

}  // namespace

// Reported at the use (or, for a kept result, at the acquire), with the acquire as a note.
void UncheckedAcquireCheck::check_module(const ModuleModel& module, CheckContext& ctx) {
  std::vector<CleanupReport> reports;
  for (const UncheckedAcquire& u : lifetime_events(module, ctx).unchecked) {
    const std::string& api = u.resource.api->name;
    std::string message = "the result of " + api + "() at " + short_location(u.resource.location) + " is " + u.use + ": " + api + "() " + failure_test(u.resource.api->fails);
    std::vector<FindingNote> notes;
    if (!(u.used_at == u.resource.location)) notes.push_back({u.resource.location, "acquired here"});
    reports.push_back({u.used_at, std::move(message), std::move(notes), u.function, u.path});
  }
  report_once(module, ctx, std::move(reports));
}

}  // namespace kmodlint
