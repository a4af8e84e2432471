// Lock balance: along every path of every function of a module, which locks (rules/locks.yaml)
// the function takes and gives back. Helpers are summarised (returns with the lock held on every
// path, or on its success returns only; releases its caller's lock) and their summaries applied
// where the module calls them. The results are typed events; the lock-imbalance check words them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engines/lifetimes/value_key.h"
#include "link/module_model.h"
#include "report/finding.h"
#include "tables/locks.h"

namespace kmodlint::locking {

// A lock as one function names it: an object (`&priv->lock` is parameter 0's ->lock) or, for
// the classes with no lock object (rcu, rtnl), the class itself.
struct LockRef {
  std::string implicit_class;  // set for locks without an object: one lock per class
  lifetimes::ValueKey object;

  bool empty() const { return implicit_class.empty() && object.empty(); }
  bool operator==(const LockRef& other) const = default;
  bool operator<(const LockRef& other) const;
};

// A return of `function` that still holds a lock the function took on that path, while another
// of its returns, with a return value it cannot tell apart, does not hold it.
struct HeldAtReturn {
  FunctionRef function;
  std::string lock;             // as written: "&priv->lock", "rcu_read_lock()"
  SourceLocation returned_at;   // the return statement (or the closing brace)
  SourceLocation acquired_at;   // the call that took it on that path
  std::string acquired_with;    // "mutex_lock", or the module helper that returned with it held
  SourceLocation released_elsewhere_at;  // a return of the same function that does not hold it
  std::vector<FindingNote> path = {};    // the branch decisions after the acquire on that path
};

// A lock taken again on a path that already holds it (a lock that does not nest).
struct DoubleLock {
  FunctionRef function;
  std::string lock;
  SourceLocation locked_at;        // the second acquire
  std::string locked_with;
  SourceLocation first_locked_at;  // the acquire the path still holds
  std::string first_locked_with;   // its primitive, or __must_hold/__releases: the caller holds it
  std::vector<FindingNote> path = {};  // the branch decisions after the first acquire
};

// A lock released on a path that proved it does not hold it: released twice, or after a trylock
// that failed.
struct UnlockWithoutLock {
  enum class Because { ReleasedBefore, TryFailed };
  FunctionRef function;
  std::string lock;
  SourceLocation unlocked_at;
  std::string unlocked_with;
  Because because = Because::ReleasedBefore;
  SourceLocation proof_at;  // the earlier release, or the failed trylock
  std::string proof_with;
  std::vector<FindingNote> path = {};  // the branch decisions after the proof
};

// A function that does not keep the promise of its sparse annotation (__acquires(),
// __releases(), __must_hold()), or a call of a __must_hold() function on a path that does not hold
// the lock.
struct AnnotationBroken {
  enum class Because {
    AcquiresNotHeld,    // __acquires(l): a return without l
    ReleasesStillHeld,  // __releases(l): a return that still holds l
    MustHoldReleased,   // __must_hold(l): a return after l was given back
    CalledWithoutLock,  // a call of a __must_hold(l) function on a path that does not hold l
  };
  FunctionRef function;
  std::string lock;              // as the annotation (or, for a call, the caller) writes it
  Because because = Because::AcquiresNotHeld;
  SourceLocation at;             // the return, or the call
  SourceLocation annotated_at;   // the annotation (for a call: the callee's)
  std::string callee;            // CalledWithoutLock: the annotated function
  SourceLocation proof_at;       // the release (or failed try) on that path, if any
  std::string proof_with;
  std::vector<FindingNote> path = {};  // the branch decisions that lead to it
};

// What a call to a module function does to its caller's locks.
struct LockEffect {
  enum class Kind { Acquires, Releases, Unsettled, Requires };
  Kind kind = Kind::Acquires;
  LockRef lock;             // in the function's own terms (parameters as Param keys)
  unsigned held_when = 0;   // Acquires: return-value classes with which it returns held (see lock_walk.h)
  unsigned free_when = 0;   // Acquires: the classes with which it returns without it
  std::string lock_class;
  std::string spelling;     // as the function writes it
  std::string with;         // the primitive the function took or released it with
  std::string identity;     // the lock across functions (see HeldLock::identity)
  SourceLocation annotated_at;  // Requires: the callee's __must_hold()
};

struct FunctionLockSummary {
  std::vector<LockEffect> effects;
};

struct LockBalanceResult {
  std::vector<HeldAtReturn> held_at_return;
  std::vector<DoubleLock> double_locks;
  std::vector<UnlockWithoutLock> unlocks_without_lock;
  std::vector<AnnotationBroken> annotations_broken;
  int functions_walked = 0;
  int functions_given_up = 0;  // too many paths: no finding and no summary
};

// The lock an annotation names, in the function's terms: `&d->lock`, `d->lock` and `lock` through
// a parameter, a global by name, RCU as the rcu class; nullopt for a spelling it cannot follow.
std::optional<LockRef> annotated_lock(const ContextAnnotation& annotation, const FunctionFacts& fn,
                                      const LockTable& table);

LockBalanceResult analyze_lock_balance(const ModuleModel& module, const LockTable& locks);

}  // namespace kmodlint::locking
