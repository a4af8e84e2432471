#include "checks/double_release.h"

#include "engines/lifetimes/lifetimes.h"

namespace kmodlint {

// The analysis lives in engines/lifetimes/; this check reports its "double-release" findings.
void DoubleReleaseCheck::check_module(const ModuleModel& module, CheckContext& ctx) {
  report_cleanup_findings(module, ctx, "double-release");
}

}  // namespace kmodlint
