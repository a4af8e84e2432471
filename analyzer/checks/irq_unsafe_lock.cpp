#include "checks/irq_unsafe_lock.h"

#include <map>
#include <set>

#include "engines/concurrency/shared_globals.h"
#include "tables/entry_points.h"
#include "tables/locks.h"

namespace kmodlint {

namespace {

bool spinning(const LockPrimitive& p) {
  return p.lock_class == "spinlock" || p.lock_class == "raw_spinlock" || p.lock_class == "rwlock";
}

}  // namespace

void IrqUnsafeLockCheck::check_module(const ModuleModel& module, CheckContext& ctx) {
  const SharedGlobalsAnalysis& analysis = module.memo<SharedGlobalsAnalysis>(
      "shared-globals", [&] {
        const RuleTables& t = ctx.tables();
        return analyze_shared_globals(module, *t.entry_points, *t.locks, *t.api_names, *t.cleanup_pairs);
      });

  std::map<std::string, std::vector<const LockAcquisition*>> by_lock;
  for (const LockAcquisition& a : analysis.acquisitions)
    if (spinning(*a.primitive)) by_lock[a.lock].push_back(&a);

  std::set<SourceLocation> reported;  // one finding per acquisition site, whichever entry reaches it
  for (const auto& [lock, acquisitions] : by_lock) {
    for (const LockAcquisition* taken : acquisitions) {
      if (reported.count(taken->call->location)) continue;
      const EntryPoint& here = analysis.entries[taken->entry];
      if (here.hardirq()) continue;  // interrupts are off in a hardirq handler
      for (bool hard : {true, false}) {
        bool irqs_off = taken->irqs_off || taken->primitive->disables_irq();
        bool bh_off = irqs_off || taken->bh_off || taken->primitive->disables_bh();
        if (hard ? irqs_off : bh_off) continue;
        if (!hard && here.softirq()) continue;  // softirqs do not preempt each other on one CPU
        // The interrupting side: an acquisition of the same lock in a hardirq (softirq) entry.
        const LockAcquisition* irq_side = nullptr;
        for (const LockAcquisition* other : acquisitions) {
          const EntryPoint& there = analysis.entries[other->entry];
          if (hard ? !there.hardirq() : (there.hardirq() || !there.softirq())) continue;
          if (!analysis.concurrent(taken->entry, taken->concurrent_entries, other->entry, other->concurrent_entries))
            continue;
          // Readers of an rwlock do not wait for each other (interrupt-context readers never
          // wait for a queued writer).
          if (taken->primitive->mode == "shared" && other->primitive->mode == "shared") continue;
          irq_side = other;
          break;
        }
        if (!irq_side) continue;
        const EntryPoint& there = analysis.entries[irq_side->entry];
        std::string fix = hard ? taken->primitive->lock_class == "rwlock" ? "the _irqsave form" : "spin_lock_irqsave()"
                               : "the _bh (or _irqsave) form";
        std::string message = "'" + lock + "' is taken with " + taken->primitive->name + "() in " + here.describe() +
                              " while " + std::string(hard ? "interrupts" : "bottom halves") +
                              " are enabled, and also in " + there.describe() + ": if " +
                              (hard ? "the interrupt" : "the softirq") +
                              " arrives on this CPU while the lock is held, it spins forever (deadlock); use " + fix +
                              " here";
        Finding& finding = ctx.report(module, taken->call->location, message, taken->function->name);
        finding.notes.push_back({irq_side->call->location, "taken here with " + irq_side->primitive->name + "() in " +
                                                               irq_side->function->name + "(), " + there.context_text()});
        reported.insert(taken->call->location);
        break;  // one finding per acquisition
      }
    }
  }
}

}  // namespace kmodlint
