#include "checks/mismatched_release.h"

#include "engines/lifetimes/lifetimes.h"

namespace kmodlint {

// The analysis lives in engines/lifetimes/; this check reports its "mismatched-release" findings.
void MismatchedReleaseCheck::check_module(const ModuleModel& module, CheckContext& ctx) {
  report_cleanup_findings(module, ctx, "mismatched-release");
}

}  // namespace kmodlint
