#include "checks/unreleased_in_exit.h"

#include "engines/lifetimes/lifetimes.h"

namespace kmodlint {

// The analysis lives in engines/lifetimes/; this check reports its "unreleased-in-exit" findings.
void UnreleasedInExitCheck::check_module(const ModuleModel& module, CheckContext& ctx) {
  report_cleanup_findings(module, ctx, "unreleased-in-exit");
}

}  // namespace kmodlint
