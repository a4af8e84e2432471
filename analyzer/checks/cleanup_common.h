// What the cleanup-pairs checks share: the lifetimes engine's events of a module (computed once
// per module, whichever check asks first) and the wording of an acquired resource.
#pragma once

#include <string>
#include <vector>

#include "checks/check.h"
#include "engines/lifetimes/lifetimes.h"

namespace kmodlint {

const LifetimeEvents& lifetime_events(const ModuleModel& module, const CheckContext& ctx);

// "file.c:12"
std::string short_location(const SourceLocation& location);
// "<the pair's summary, or its id>"
std::string resource_kind(const AcquireSite& site);
// "<resource_kind> from api() at file.c:12"
std::string describe(const AcquireSite& site);

// One worded finding of a cleanup-pairs check.
struct CleanupReport {
  SourceLocation location;
  std::string message;
  std::vector<FindingNote> notes;
  std::string function;
  std::vector<FindingNote> path = {};  // the engine's path notes
};

// Reports `reports` sorted by location and message, once per location and message (several
// paths often meet the same thing).
void report_once(const ModuleModel& module, CheckContext& ctx, std::vector<CleanupReport> reports);

}  // namespace kmodlint
