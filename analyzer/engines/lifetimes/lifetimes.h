// The path analysis shared by the cleanup-pairs checks (unreleased-in-exit, leak-on-init-error,
// release-order, mismatched-release, double-release) and by missing-module-exit's "empty exit" case.
//
// For each acquire/release phase pair of a module (module_init/module_exit, and the probe/remove
// functions of every driver struct whose fields the entry-points table gives those roles), the
// engine walks the acquire function's CFG with a state of acquired resources (from
// rules/cleanup-pairs.yaml), then walks the release function starting from what the acquire
// function held on its successful returns. Helper functions of the module are summarized (what
// they acquire and release in globals, driver data and their parameters) and applied at their
// call sites. The walk keeps one state per (block, state) pair, so loops terminate; paths that
// end in a noreturn call (BUG(), panic()) report nothing.
#pragma once

#include <string>
#include <vector>

#include "link/module_model.h"
#include "report/finding.h"
#include "tables/cleanup_pairs.h"
#include "tables/driver_lifecycle.h"
#include "tables/ownership.h"

namespace kmodlint {

struct CleanupFinding {
  std::string check_id;
  SourceLocation location;
  std::string message;
  std::vector<FindingNote> notes;
  std::string function;
};

// Every finding of the cleanup family for `module`, sorted and without duplicates.
std::vector<CleanupFinding> analyze_cleanup(const ModuleModel& module, const CleanupPairTable& pairs,
                                            const DriverLifecycleTable& lifecycle, const OwnershipTable& ownership);

// Reports the findings of `check_id` from analyze_cleanup (with the active tables).
class CheckContext;
void report_cleanup_findings(const ModuleModel& module, CheckContext& ctx, const std::string& check_id);

}  // namespace kmodlint
