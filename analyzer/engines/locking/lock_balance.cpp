// Lock balance over a module: each function walked once, callees first (their summaries are
// applied at the calls), and the returns of each walk judged lock by lock.
//
// A lock the function took on a path and still holds at a return is a finding only when another
// return of the same function, whose return value the caller cannot tell apart, does not hold it
// (smatch's "inconsistent returns"). Held on every return, the function is an acquiring helper;
// held exactly on its success returns (0, or true, or a valid pointer), a conditional one, like
// mutex_lock_interruptible() itself. Both become the function's summary.
#include "engines/locking/lock_balance.h"

#include <map>
#include <set>
#include <tuple>

#include "engines/locking/lock_walk.h"

namespace kmodlint::locking {

bool LockRef::operator<(const LockRef& other) const {
  return std::tie(implicit_class, object) < std::tie(other.implicit_class, other.object);
}

namespace {

// The returns of one walk, seen from one lock.
struct ReturnsOfLock {
  std::vector<const ReturnRecord*> held;      // the path took it and still holds it
  std::vector<const ReturnRecord*> free;      // the caller's state: untouched, or taken and given back
  std::vector<const ReturnRecord*> released;  // the caller's lock released
  bool unsettled = false;                     // some path lost track of it
  bool released_by_function = false;          // some path took it and gave it back itself
  const HeldLock* any = nullptr;

  unsigned classes(const std::vector<const ReturnRecord*>& records) const {
    unsigned out = 0;
    for (const ReturnRecord* r : records) out |= r->value_classes;
    return out;
  }
};

std::map<LockRef, ReturnsOfLock> returns_by_lock(const std::set<ReturnRecord>& returns) {
  std::set<LockRef> locks;
  for (const ReturnRecord& r : returns)
    for (const auto& [lock, held] : r.locks) locks.insert(lock);
  std::map<LockRef, ReturnsOfLock> out;
  for (const LockRef& lock : locks) {
    ReturnsOfLock& of = out[lock];
    for (const ReturnRecord& r : returns) {
      auto found = r.locks.find(lock);
      if (found == r.locks.end()) {
        of.free.push_back(&r);
        continue;
      }
      const HeldLock& h = found->second;
      if (!of.any || of.any->spelling.empty()) of.any = &h;
      if (h.unknown)
        of.unsettled = true;
      else if (h.depth > 0)
        of.held.push_back(&r);
      else if (h.depth < 0)
        of.released.push_back(&r);
      else
        of.free.push_back(&r);
      if (!h.unknown && h.depth == 0 && h.proven_free && !h.freed_by_failed_try) of.released_by_function = true;
    }
  }
  return out;
}

// A caller tells two returns apart by the value (0 from -EINVAL, a pointer from NULL) -- but a
// return that may be an error (negative) never excuses holding the lock when a success return
// does not: that is the bug this check is for.
bool values_tell_apart(unsigned held, unsigned free, bool pointer) {
  // A value the walk knows nothing of (`return esw->mode`, `return rcu_dereference_protected(...)`)
  // against failures only (-EBUSY, NULL): the caller tells them apart by the failure.
  unsigned failures = pointer ? kNegative | kZero : kNegative;
  if (held == kAnyValue && free != 0 && (free & ~failures) == 0) return true;
  return (held & free) == 0 && (pointer || (held & kNegative) == 0);
}

// The path to this return did not take the lock (a failed trylock does not take it either).
bool never_taken(const ReturnRecord& r, const LockRef& lock) {
  auto found = r.locks.find(lock);
  if (found == r.locks.end()) return true;
  const HeldLock& h = found->second;
  return h.depth == 0 && (!h.proven_free || h.freed_by_failed_try);
}

// ... or by what it passed: `if (global) mutex_lock(...)` with `global` a parameter.
bool parameters_tell_apart(const ReturnRecord& a, const ReturnRecord& b) {
  for (const auto& [key, classes] : a.params)
    if (auto found = b.params.find(key); found != b.params.end() && (classes & found->second) == 0) return true;
  return false;
}

// The same path gave back, under another name, a lock of the same kind (struct type and field)
// that it never took (`sd->host->host_lock` through a helper, after `spin_lock_irq(sh->host_lock)`):
// most likely this very lock, which the facts cannot tell equal.
bool released_under_another_name(const ReturnRecord& r, const LockRef& lock) {
  const HeldLock& h = r.locks.at(lock);
  if (!h.identity.starts_with("R:")) return false;
  for (const auto& [other, o] : r.locks)
    if (!(other == lock) && !o.unknown && o.depth < 0 && o.identity == h.identity)
      return true;
  return false;
}

class ModuleLockBalance {
 public:
  ModuleLockBalance(const ModuleModel& module, const LockTable& table) : module_(module), table_(table) {}

  LockBalanceResult run() {
    for (const FunctionRef& f : module_.functions()) summarize(f);
    report_unless_handed_off();
    return std::move(result_);
  }

 private:
  const FunctionLockSummary* summarize(const FunctionRef& f) {
    if (!f.function) return nullptr;
    if (auto found = summaries_.find(f.function); found != summaries_.end()) return &found->second;
    if (!in_progress_.insert(f.function).second) return nullptr;  // a call cycle
    FunctionLockSummary summary = walk(f);
    in_progress_.erase(f.function);
    return &summaries_.emplace(f.function, std::move(summary)).first->second;
  }

  // Only functions that call a lock primitive or a module function can change a lock.
  bool may_touch_locks(const FunctionRef& f) const {
    for (const CallEvent& call : f.function->calls) {
      if (table_.find_primitive_by_callee(call.callee)) return true;
      if (!call.callee.empty() && module_.resolve_function(call.callee, f.unit).function) return true;
    }
    return false;
  }

  FunctionLockSummary walk(const FunctionRef& f) {
    if (!may_touch_locks(f)) {
      FunctionLockSummary summary;
      for (const AnnotatedLock& a : annotated_locks(*f.function, table_)) judge_annotated(f, a, nullptr, summary);
      return summary;
    }
    SummaryLookup lookup = [this, f](const CallEvent& call) -> const FunctionLockSummary* {
      FunctionRef callee = module_.resolve_function(call.callee, f.unit);
      return callee.function ? summarize(callee) : nullptr;
    };
    LockWalk walk(f, table_, lookup);
    ++result_.functions_walked;
    if (!walk.run()) {
      ++result_.functions_given_up;
      return {};
    }
    const WalkFindings& found = walk.findings();
    result_.double_locks.insert(result_.double_locks.end(), found.double_locks.begin(), found.double_locks.end());
    result_.unlocks_without_lock.insert(result_.unlocks_without_lock.end(), found.unlocks_without_lock.begin(),
                                        found.unlocks_without_lock.end());
    result_.annotations_broken.insert(result_.annotations_broken.end(), found.annotations_broken.begin(),
                                      found.annotations_broken.end());
    FunctionLockSummary summary;
    std::map<LockRef, ReturnsOfLock> by_lock = returns_by_lock(walk.returns());
    std::set<LockRef> annotated;
    for (const AnnotatedLock& a : walk.annotations()) {
      auto seen = by_lock.find(a.lock);
      judge_annotated(f, a, seen == by_lock.end() ? nullptr : &seen->second, summary);
      annotated.insert(a.lock);
    }
    for (const auto& [lock, of] : by_lock)
      if (!annotated.count(lock)) judge(f, lock, of, summary);
    return summary;
  }

  // A lock the function's annotation names: the annotation is its summary, and a return that
  // breaks it is reported. `of` is null when no path of the function touched the lock (it takes
  // or releases it in a way the walk cannot see: trust the annotation).
  void judge_annotated(const FunctionRef& f, const AnnotatedLock& a, const ReturnsOfLock* of,
                       FunctionLockSummary& summary) {
    LockEffect effect;
    effect.lock = a.lock;
    effect.spelling = a.annotation->lock;
    effect.lock_class = of && of->any ? of->any->lock_class : "";
    effect.with = f.function->name;
    effect.annotated_at = a.annotation->location;
    bool pointer = f.function->return_type.find('*') != std::string::npos;
    switch (a.annotation->kind) {
      case ContextAnnotation::Kind::Acquires:
        effect.kind = LockEffect::Kind::Acquires;
        effect.held_when = kAnyValue;
        if (of && !of->held.empty() && !of->free.empty() &&
            values_tell_apart(of->classes(of->held), of->classes(of->free), pointer)) {
          unsigned held = of->classes(of->held), free = of->classes(of->free);
          effect.held_when = held == kAnyValue ? kAnyValue & ~free : held;
          effect.free_when = free;
        } else if (of) {
          report_broken(f, a, of->free, of->held, pointer, AnnotationBroken::Because::AcquiresNotHeld);
        }
        break;
      case ContextAnnotation::Kind::Releases:
        effect.kind = LockEffect::Kind::Releases;
        if (of && of->any && !of->any->identity.empty()) releases_callers_[of->any->identity].insert(f.function);
        if (of && !of->released.empty())
          report_broken(f, a, of->free, of->released, pointer, AnnotationBroken::Because::ReleasesStillHeld);
        break;
      case ContextAnnotation::Kind::MustHold:
        effect.kind = LockEffect::Kind::Requires;
        if (of) report_broken(f, a, of->released, {}, pointer, AnnotationBroken::Because::MustHoldReleased);
        break;
    }
    summary.effects.push_back(effect);
  }

  // Each return of `wrong` that breaks the annotation. With `right` given, only when a right
  // return cannot be told apart from it (a conditional helper that says so by its return value
  // keeps its promise); without, every wrong return. A return where the path never touched the
  // lock itself (an untaken failed try of an __acquires() helper) proves nothing.
  void report_broken(const FunctionRef& f, const AnnotatedLock& a, const std::vector<const ReturnRecord*>& wrong,
                     const std::vector<const ReturnRecord*>& right, bool pointer,
                     AnnotationBroken::Because because) {
    // __acquire(x)/__release(x) in the body: the function keeps its promise by hand (mthca_lock_cqs
    // takes one lock when send_cq == recv_cq and counts it for both); the walk cannot judge it.
    if (f.function->context_markers) return;
    bool need_witness = because != AnnotationBroken::Because::MustHoldReleased;
    for (const ReturnRecord* r : wrong) {
      auto found = r->locks.find(a.lock);
      const HeldLock* h = found == r->locks.end() ? nullptr : &found->second;
      if (h && (h->unknown || h->freed_by_failed_try)) continue;
      bool witness = !need_witness;
      for (const ReturnRecord* other : right)
        if (!values_tell_apart(r->value_classes, other->value_classes, pointer) && !parameters_tell_apart(*r, *other))
          witness = true;
      // __acquires(): a return after the function gave the lock back itself breaks it as well.
      if (because == AnnotationBroken::Because::AcquiresNotHeld && h && h->proven_free) witness = true;
      if (!witness || !reported_.insert({r->at, a.lock}).second) continue;
      AnnotationBroken broken;
      broken.function = f;
      broken.lock = a.annotation->lock;
      broken.because = because;
      broken.at = r->at;
      broken.annotated_at = a.annotation->location;
      if (h && h->proven_free) {
        broken.proof_at = h->freed_at;
        broken.proof_with = h->freed_with;
      }
      // The decisions inside the function (from its start: the annotation is the precondition).
      broken.path = decisions_after(r->trail, h && h->proven_free ? h->freed_at : f.function->location);
      result_.annotations_broken.push_back(std::move(broken));
    }
  }

  // Decides what the returns say of one lock: a summary effect, or findings at the returns.
  void judge(const FunctionRef& f, const LockRef& lock, const ReturnsOfLock& of, FunctionLockSummary& summary) {
    LockEffect effect;
    effect.lock = lock;
    effect.lock_class = of.any ? of.any->lock_class : "";
    effect.spelling = of.any ? of.any->spelling : "";
    effect.identity = of.any ? of.any->identity : "";
    if (of.unsettled || (!of.held.empty() && !of.released.empty())) {
      effect.kind = LockEffect::Kind::Unsettled;
      summary.effects.push_back(effect);
      return;
    }
    if (!of.released.empty() && of.any && !of.any->identity.empty())
      releases_callers_[of.any->identity].insert(f.function);
    if (!of.released.empty()) {
      // A releasing helper when it releases on every return; otherwise its callers cannot know.
      effect.kind = of.free.empty() ? LockEffect::Kind::Releases : LockEffect::Kind::Unsettled;
      summary.effects.push_back(effect);
      return;
    }
    if (of.held.empty()) return;
    bool pointer = f.function->return_type.find('*') != std::string::npos;
    unsigned held = of.classes(of.held), free = of.classes(of.free);
    if (of.free.empty() || values_tell_apart(held, free, pointer)) {
      effect.kind = LockEffect::Kind::Acquires;
      effect.held_when = of.free.empty() ? kAnyValue : held == kAnyValue ? kAnyValue & ~free : held;
      effect.free_when = free;
      effect.with = of.held.front()->locks.at(lock).acquired_with;
      summary.effects.push_back(effect);
      return;
    }
    // Only a function that gives the lock back itself on some path is known to owe it on the
    // others (smatch's rule too): one that never releases it (a USB pre_reset whose post_reset
    // unlocks, `if (q->host) mutex_lock(q->mutex)` in a lock helper) leaves it to someone else.
    if (of.released_by_function) report_inconsistent(f, lock, of, pointer);
    effect.kind = LockEffect::Kind::Unsettled;
    summary.effects.push_back(effect);
  }

  // Every return that holds it while a return the caller cannot tell apart does not. The same
  // return statement reached without ever taking the lock does not count: the function takes
  // it under a condition of its own state (`if (priv->owner != current) mutex_lock(...)`, a
  // recursive lock), which an early error return that forgets the unlock is not.
  void report_inconsistent(const FunctionRef& f, const LockRef& lock, const ReturnsOfLock& of, bool pointer) {
    for (const ReturnRecord* r : of.held) {
      if (released_under_another_name(*r, lock)) continue;
      const ReturnRecord* without = nullptr;
      for (const ReturnRecord* candidate : of.free)
        if (!values_tell_apart(r->value_classes, candidate->value_classes, pointer) &&
            !parameters_tell_apart(*r, *candidate) && !(candidate->at == r->at && never_taken(*candidate, lock))) {
          without = candidate;
          break;
        }
      if (!without || !reported_.insert({r->at, lock}).second) continue;
      const HeldLock& h = r->locks.at(lock);
      held_.push_back(
          {{f, h.spelling, r->at, h.acquired_at, h.acquired_with, without->at, decisions_after(r->trail, h.acquired_at)},
           h.identity});
    }
  }

  // A lock left held for another function of the module that gives back its caller's lock and
  // that the module never calls itself (a callback: devlink's reload_up after reload_down, a work
  // item queued with the lock held) is handed off, not forgotten.
  void report_unless_handed_off() {
    std::set<const FunctionFacts*> called;
    for (const FunctionRef& f : module_.functions())
      for (const CallEvent& call : f.function->calls)
        if (!call.callee.empty())
          if (const FunctionFacts* callee = module_.resolve_function(call.callee, f.unit).function) called.insert(callee);
    for (auto& [held, identity] : held_) {
      bool handed_off = false;
      if (auto found = releases_callers_.find(identity); !identity.empty() && found != releases_callers_.end())
        for (const FunctionFacts* partner : found->second)
          handed_off = handed_off || (partner != held.function.function && !called.count(partner));
      if (!handed_off) result_.held_at_return.push_back(std::move(held));
    }
  }

  const ModuleModel& module_;
  const LockTable& table_;
  std::map<const FunctionFacts*, FunctionLockSummary> summaries_;
  std::set<const FunctionFacts*> in_progress_;
  std::set<std::pair<SourceLocation, LockRef>> reported_;
  std::vector<std::pair<HeldAtReturn, std::string>> held_;  // findings, with the lock's identity
  std::map<std::string, std::set<const FunctionFacts*>> releases_callers_;  // by lock identity
  LockBalanceResult result_;
};

}  // namespace

LockBalanceResult analyze_lock_balance(const ModuleModel& module, const LockTable& locks) {
  return ModuleLockBalance(module, locks).run();
}

}  // namespace kmodlint::locking
