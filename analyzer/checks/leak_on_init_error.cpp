#include "checks/leak_on_init_error.h"

#include "checks/cleanup_engine.h"

namespace kmodlint {

// The analysis lives in cleanup_engine.cpp; this check reports its "leak-on-init-error" findings.
void LeakOnInitErrorCheck::check_module(const ModuleModel& module, CheckContext& ctx) {
  report_cleanup_findings(module, ctx, "leak-on-init-error");
}

}  // namespace kmodlint
