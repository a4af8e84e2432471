#include "checks/release_order.h"

#include "engines/lifetimes/lifetimes.h"

namespace kmodlint {

// The analysis lives in engines/lifetimes/; this check reports its "release-order" findings.
void ReleaseOrderCheck::check_module(const ModuleModel& module, CheckContext& ctx) {
  report_cleanup_findings(module, ctx, "release-order");
}

}  // namespace kmodlint
