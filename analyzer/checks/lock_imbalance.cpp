#include "checks/lock_imbalance.h"

#include <filesystem>

#include "engines/locking/lock_balance.h"

namespace kmodlint {

namespace {

std::string line_of(const SourceLocation& location) {
  return std::filesystem::path(location.file).filename().string() + ":" + std::to_string(location.line);
}

std::string name_of(const FunctionRef& f) { return f.function ? f.function->name : std::string(); }

void report_held_at_return(const ModuleModel& module, CheckContext& ctx, const locking::HeldAtReturn& h) {
  std::string message = "'" + h.lock + "' is still held when " + name_of(h.function) + "() returns here (taken by " +
                        h.acquired_with + "() at " + line_of(h.acquired_at) + "), but " +
                        (h.released_elsewhere_at.valid() ? "not at its return at " + line_of(h.released_elsewhere_at)
                                                         : std::string("not on its other returns")) +
                        ": release it before this return";
  Finding& finding = ctx.report(module, h.returned_at, std::move(message), name_of(h.function));
  finding.notes.push_back({h.acquired_at, "taken here with " + h.acquired_with + "()"});
  if (h.released_elsewhere_at.valid())
    finding.notes.push_back({h.released_elsewhere_at, "returns without it here"});
  finding.path = h.path;
}

void report_double_lock(const ModuleModel& module, CheckContext& ctx, const locking::DoubleLock& d) {
  bool by_caller = d.first_locked_with.starts_with("__");
  std::string message = "'" + d.lock + "' is taken again with " + d.locked_with + "() on a path that already holds it (" +
                        (by_caller ? "its caller holds it: " + d.first_locked_with + " at " : std::string("taken at ")) +
                        line_of(d.first_locked_at) + "): the task waits for itself (deadlock)";
  Finding& finding = ctx.report(module, d.locked_at, std::move(message), name_of(d.function));
  finding.notes.push_back({d.first_locked_at, by_caller ? "annotated here" : "first taken here"});
  finding.path = d.path;
}

void report_unlock_without_lock(const ModuleModel& module, CheckContext& ctx, const locking::UnlockWithoutLock& u) {
  bool failed_try = u.because == locking::UnlockWithoutLock::Because::TryFailed;
  std::string message = "'" + u.lock + "' is released with " + u.unlocked_with + "() on a path that does not hold it: " +
                        (failed_try ? u.proof_with + "() at " + line_of(u.proof_at) + " failed to take it"
                                    : "it was already released by " + u.proof_with + "() at " + line_of(u.proof_at));
  Finding& finding = ctx.report(module, u.unlocked_at, std::move(message), name_of(u.function));
  finding.notes.push_back({u.proof_at, failed_try ? "not taken when this fails" : "released here"});
  finding.path = u.path;
}

std::string broken_message(const locking::AnnotationBroken& b, const std::string& function) {
  using B = locking::AnnotationBroken::Because;
  const std::string lock = "'" + b.lock + "'";
  switch (b.because) {
    case B::AcquiresNotHeld:
      return function + "() is annotated __acquires(" + b.lock + ") but returns here without " + lock +
             (b.proof_at.valid() ? " (released by " + b.proof_with + "() at " + line_of(b.proof_at) + ")" : std::string()) +
             ": its callers expect to hold it";
    case B::ReleasesStillHeld:
      return function + "() is annotated __releases(" + b.lock + ") but returns here still holding " + lock +
             ": its callers expect it released";
    case B::MustHoldReleased:
      return function + "() is annotated __must_hold(" + b.lock + ") but returns here without " + lock +
             (b.proof_at.valid() ? " (released by " + b.proof_with + "() at " + line_of(b.proof_at) + ")" : std::string()) +
             ": its callers still hold it when it returns";
    case B::CalledWithoutLock:
      return b.callee + "() must be called with " + lock + " held (__must_hold at " + line_of(b.annotated_at) +
             "), but this path released it with " + b.proof_with + "() at " + line_of(b.proof_at);
  }
  return {};
}

void report_annotation_broken(const ModuleModel& module, CheckContext& ctx, const locking::AnnotationBroken& b) {
  Finding& finding = ctx.report(module, b.at, broken_message(b, name_of(b.function)), name_of(b.function));
  finding.notes.push_back({b.annotated_at, "annotated here"});
  if (b.proof_at.valid()) finding.notes.push_back({b.proof_at, "released here"});
  finding.path = b.path;
}

}  // namespace

void LockImbalanceCheck::check_module(const ModuleModel& module, CheckContext& ctx) {
  const locking::LockBalanceResult& result = module.memo<locking::LockBalanceResult>(
      "lock-balance", [&] { return locking::analyze_lock_balance(module, *ctx.tables().locks); });
  for (const locking::HeldAtReturn& h : result.held_at_return) report_held_at_return(module, ctx, h);
  for (const locking::DoubleLock& d : result.double_locks) report_double_lock(module, ctx, d);
  for (const locking::UnlockWithoutLock& u : result.unlocks_without_lock) report_unlock_without_lock(module, ctx, u);
  for (const locking::AnnotationBroken& b : result.annotations_broken) report_annotation_broken(module, ctx, b);
}

}  // namespace kmodlint
