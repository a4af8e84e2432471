#include "checks/unreleased_in_exit.h"

#include "checks/cleanup_engine.h"

namespace kmodlint {

// The analysis lives in cleanup_engine.cpp; this check reports its "unreleased-in-exit" findings.
void UnreleasedInExitCheck::check_module(const ModuleModel& module, CheckContext& ctx) {
  report_cleanup_findings(module, ctx, "unreleased-in-exit");
}

}  // namespace kmodlint
