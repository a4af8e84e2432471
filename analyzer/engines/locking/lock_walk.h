// The walk of one function for lock balance: every path from the entry, with the locks the path
// holds (relative to what the caller held) and what it knows of the values its branches test.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_set>
#include <vector>

#include "engines/locking/lock_balance.h"
#include "engines/paths/path_trail.h"

namespace kmodlint::locking {

// Classes of an integer or pointer value, as a bit set: negative (or an error pointer), zero (or
// NULL), positive (or a valid pointer).
constexpr unsigned kNegative = 1, kZero = 2, kPositive = 4, kAnyValue = 7;

// The classes a successful and a failed try-acquire return (`held_when` of rules/locks.yaml).
unsigned held_classes(const std::string& held_when);
unsigned failed_classes(const LockPrimitive& p);

// A condition the facts cannot name, by its spelling: `key` is one spelling for the comparison
// and its negation ("a == b", "a < b"), `holds` whether the condition is that comparison true;
// `counter` when its lower side steps (`++cnt < max`).
struct SpelledTest {
  std::string key;
  bool holds = true;
  bool counter = false;
};
SpelledTest canonical_test(const std::string& spelling);

// Nesting depth a path counts up to (a lock taken in a loop without release).
constexpr int kMaxDepth = 3;

// One lock on one path.
struct HeldLock {
  int depth = 0;             // acquires minus releases on the path; below 0: the caller's lock released
  bool proven_free = false;  // the path gave back its own hold (or its trylock failed): a release now is wrong
  bool unknown = false;      // a helper left it unsettled, or its object was reassigned: no conclusion
  std::string spelling;
  std::string lock_class;
  // The lock across the module's functions: "R:bnxt.lock" (a field of a struct type), "G:name",
  // "class:rtnl"; empty when the facts cannot say.
  std::string identity;
  SourceLocation acquired_at;
  std::string acquired_with;
  SourceLocation freed_at;
  std::string freed_with;
  bool freed_by_failed_try = false;
  // The caller holds it on entry (__releases()/__must_hold()): depth 0 is held, -1 given back.
  bool caller_holds = false;

  // The depth at which the path no longer holds it.
  int free_depth() const { return caller_holds ? -1 : 0; }

  auto operator<=>(const HeldLock&) const = default;
};

// What a local variable stands for: `p = d` or `p = &d->sub` (the walk names locks by the object
// they sit in, whichever local reached it).
struct Alias {
  lifetimes::ValueKey object;
  bool address_of = false;
  bool operator==(const Alias& other) const = default;
};

struct PathState {
  std::map<LockRef, HeldLock> locks;
  std::map<lifetimes::ValueKey, unsigned> knowledge;  // value classes the path allows for a tested value
  std::map<std::string, Alias> aliases;
  int last_try_call = -1;  // the try-lock call the path made last (its macro may be tested by spelling)
  // Objects a lock function the walk cannot see into was given (a module header's inline
  // ath_txq_lock(sc, txq)): the locks inside them are unknown from there on.
  std::set<lifetimes::ValueKey> opaque_objects;
  PathTrail trail;  // the branch decisions of the path (not part of its fingerprint)
  // Every field and the block the path is at, as a digest: how the walk remembers what it walked.
  Fingerprint fingerprint_at(int block) const;
};

// What a branch condition tests: a value, and how.
struct TestedValue {
  lifetimes::ValueKey key;
  BranchCondition::Test test = BranchCondition::Test::Unknown;
};

// A return reached by some path, with what that path held there.
struct ReturnRecord {
  SourceLocation at;
  unsigned value_classes = kAnyValue;
  std::map<LockRef, HeldLock> locks;
  std::map<lifetimes::ValueKey, unsigned> params;  // what the path knew of the parameters it tested
  PathTrail trail;  // the first path's decisions (not compared)
  bool operator<(const ReturnRecord& other) const;
};

// The decisions of `trail` taken after `from` in the source (the path notes of a lock finding: what
// came before the lock does not explain it).
std::vector<FindingNote> decisions_after(const PathTrail& trail, const SourceLocation& from);

// The summary of a module function a call resolves to (nullptr: not a module function, not
// summarised yet, or part of a call cycle).
using SummaryLookup = std::function<const FunctionLockSummary*(const CallEvent& call)>;

struct WalkFindings {
  std::vector<DoubleLock> double_locks;
  std::vector<UnlockWithoutLock> unlocks_without_lock;
  std::vector<AnnotationBroken> annotations_broken;  // calls of __must_hold() functions without the lock
};

// A sparse annotation of the walked function, with the lock it names.
struct AnnotatedLock {
  LockRef lock;
  const ContextAnnotation* annotation = nullptr;
};

std::vector<AnnotatedLock> annotated_locks(const FunctionFacts& fn, const LockTable& table);

class LockWalk {
 public:
  LockWalk(FunctionRef function, const LockTable& table, SummaryLookup summaries);
  // Walks every path; false when the function has more paths than the walk follows.
  bool run();
  const std::set<ReturnRecord>& returns() const { return returns_; }
  const WalkFindings& findings() const { return findings_; }
  const std::vector<AnnotatedLock>& annotations() const { return annotations_; }

  // The object a lock expression names, in this function's terms (aliases applied).
  static lifetimes::ValueKey object_key(const ValueRef& v, const FunctionFacts& fn,
                                        const std::map<std::string, Alias>& aliases);

 private:
  struct Pending {
    int block;
    PathState state;
  };

  void walk_block(PathState state, int block, std::size_t from, std::vector<Pending>& next);
  // The call's effect on the path; more than one state when the call may or may not take a lock.
  std::vector<PathState> process_call(PathState state, const CallEvent& call, int call_index);
  std::vector<PathState> apply_primitive(PathState state, const LockPrimitive& p, const CallEvent& call,
                                         int call_index);
  std::vector<PathState> apply_summary(PathState state, const FunctionLockSummary& summary, const CallEvent& call,
                                       int call_index);
  bool to_caller_terms(LockRef& lock, std::string& spelling, const CallEvent& call, const PathState& state) const;
  void process_assign(PathState& state, const AssignEvent& assign) const;
  void record_return(const PathState& state, const SourceLocation& at, unsigned classes);
  unsigned return_classes(const PathState& state, const ReturnEvent& ret) const;
  // The state on each successor; none where the path cannot go (its tested value rules it out).
  std::vector<std::optional<PathState>> branch(const PathState& state, const BasicBlock& block) const;
  static void record_decisions(std::vector<std::optional<PathState>>& outs, const BasicBlock& block);
  TestedValue tested_value(const BranchCondition& c, const BasicBlock& block, int last_try_call) const;
  lifetimes::ValueKey assigned_in_condition(const ValueRef& subject, const BasicBlock& block) const;
  lifetimes::ValueKey try_macro_result(const ValueRef& v, int last_try_call) const;
  void forget_try_tested_unreadably(PathState& state, const BranchCondition& c) const;

  // Lock operations on one path.
  void acquire(PathState& state, const LockRef& lock, const std::string& spelling, const std::string& lock_class,
               bool may_nest, bool report_double, const CallEvent& call, const std::string& with);
  void release(PathState& state, const LockRef& lock, const std::string& spelling, const std::string& lock_class,
               const CallEvent& call, const std::string& with);
  // A lock-named function the walk cannot see into (a module header's inline mddev_lock(mddev)):
  // what the path knew of the locks inside its arguments' objects is lost, now and later.
  void forget_locks_of_arguments(PathState& state, const CallEvent& call) const;
  // A module function passed as a callback that releases its caller's lock: the path hands it over.
  void hand_to_callbacks(PathState& state, const CallEvent& call) const;
  std::string identity_in_body(const LockRef& lock) const;
  void assume_not_null(PathState& state, const ValueRef& lock_expression) const;
  std::optional<unsigned> chosen_classes(const PathState& state, const ChosenValue& chosen) const;
  // A call of a __must_hold() function: the path must hold the lock.
  void require_held(PathState& state, const LockRef& lock, const std::string& spelling, const LockEffect& effect,
                    const CallEvent& call);
  void fail_try(PathState& state, const LockRef& lock, const std::string& spelling, const std::string& lock_class,
                const CallEvent& call, const std::string& with);
  // The path's record of `lock`, unknown when its object went through an opaque lock function.
  static HeldLock& held(PathState& state, const LockRef& lock);
  // Sets the value classes of `key` on the path (intersected with what it knew); false: no value left.
  static bool restrict_value(PathState& state, const lifetimes::ValueKey& key, unsigned classes);

  bool nests(const std::string& lock_class, const std::string& mode) const;
  void index_tested_values();

  FunctionRef function_;
  const FunctionFacts& fn_;
  const LockTable& table_;
  SummaryLookup summaries_;
  std::set<lifetimes::ValueKey> tracked_values_;  // values whose classes the walk keeps
  std::set<lifetimes::ValueKey> counter_bounds_;  // `cnt < max` of retry loops (see index_tested_values)
  std::set<std::string> unwrap_calls_;            // spinlock_check(): part of a lock primitive's expansion
  std::unordered_set<Fingerprint, FingerprintHash> seen_;  // (block, state) pairs walked
  std::set<ReturnRecord> returns_;
  WalkFindings findings_;
  std::vector<AnnotatedLock> annotations_;
  std::set<SourceLocation> reported_;
  int budget_ = 0;
};

}  // namespace kmodlint::locking
