#include "checks/leak_on_init_error.h"

#include "engines/lifetimes/lifetimes.h"

namespace kmodlint {

// The analysis lives in engines/lifetimes/; this check reports its "leak-on-init-error" findings.
void LeakOnInitErrorCheck::check_module(const ModuleModel& module, CheckContext& ctx) {
  report_cleanup_findings(module, ctx, "leak-on-init-error");
}

}  // namespace kmodlint
