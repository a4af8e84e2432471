#include "checks/wrong_unwind_index.h"

#include <algorithm>

#include "checks/cleanup_common.h"

namespace kmodlint {

namespace {

// The table release `callee` takes its handle as argument `arg`.
const ReleaseApi* release_taking(const CleanupPairTable& pairs, const std::string& callee, int arg) {
  for (const auto& match : pairs.releases_by_callee(callee))
    if (std::any_of(match.api->handle_args.begin(), match.api->handle_args.end(),
                    [&](const std::optional<int>& handle) { return handle && *handle == arg; }))
      return match.api;
  return nullptr;
}

}  // namespace

// Reported at the release, naming both variables.
void WrongUnwindIndexCheck::check_module(const ModuleModel& module, CheckContext& ctx) {
  const CleanupPairTable& pairs = *ctx.tables().cleanup_pairs;
  std::vector<CleanupReport> reports;
  for (const UnitFacts* unit : module.units())
    for (const FunctionFacts& fn : unit->functions)
      for (const MisindexedLoopCall& loop_call : fn.misindexed_loop_calls) {
        const CallEvent& call = fn.calls[loop_call.call_index];
        if (!release_taking(pairs, call.callee, loop_call.arg)) continue;
        const std::string& element = call.args[loop_call.arg].text;
        std::string message = "the loop counts '" + loop_call.counter + "' down but " + call.callee + "(" + element +
                              ") uses '" + loop_call.index + "' on every pass: the same element is released again "
                              "and again and the others are never released; index with '" + loop_call.counter + "'";
        reports.push_back({call.location, std::move(message), {}, fn.name});
      }
  report_once(module, ctx, std::move(reports));
}

}  // namespace kmodlint
