#include "checks/release_order.h"

#include "checks/cleanup_engine.h"

namespace kmodlint {

// The analysis lives in cleanup_engine.cpp; this check reports its "release-order" findings.
void ReleaseOrderCheck::check_module(const ModuleModel& module, CheckContext& ctx) {
  report_cleanup_findings(module, ctx, "release-order");
}

}  // namespace kmodlint
