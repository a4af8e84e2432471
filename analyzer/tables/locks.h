// rules/locks.yaml: lock primitives, scoped guards, lockless-safe accesses, annotations.
// Schema: docs/rules/locks.md. Loaded whole and validated (file:line errors).
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace kmodlint {

struct LockClass {
  std::string id;    // spinlock, mutex, rcu, local_irq, ...
  std::string type;  // C type of the lock object ("" for implicit states)
  bool sleeps = false;
  // May the task that holds it take it again: never (a second acquire deadlocks), shared (only
  // the read side nests), always (a count: read sides of RCU/SRCU, semaphores, CPU state).
  std::string nests = "never";
  // A function is expected to give back what it takes (lock-imbalance follows it); false for
  // local CPU state, which other primitives also restore (spin_unlock_irqrestore).
  bool balanced = true;
  std::string description;
};

struct LockPrimitive {
  std::string name;
  std::string kind;    // function, inline, macro
  std::string callee;  // AST callee (default: name)
  std::vector<std::string> alt_callees;
  std::vector<std::string> unwrap;
  std::string lock_class;
  std::string op;    // acquire, try_acquire, release
  std::string mode;  // exclusive, shared
  int lock_arg = -1;  // -1: no lock object (rcu, local_irq, ...)
  std::string held_when;  // always, nonzero, zero (acquire forms)
  std::string fails_with;  // held_when zero: what a failure returns, negative (-EINTR) or positive (down_trylock)
  std::vector<std::string> disables;  // irq, bh, preempt, migrate
  std::string flags_from;  // result, arg, macro_arg ("" when none)
  int flags_index = -1;
  bool may_sleep = false;
  std::vector<std::string> pairs_with;
  std::string leaves_held;  // release forms that keep the lock in another mode (downgrade_write: shared)
  std::string source;
  std::string notes;

  bool disables_irq() const;
  bool disables_bh() const;
};

struct LockGuard {
  std::string name;         // guard(NAME)
  std::string constructor;  // class_NAME_constructor
  std::string destructor;
  std::string lock_class;
  std::string mode;
  int lock_arg = -1;
  std::string acquire;  // the primitive it stands for
  std::string release;
  std::vector<std::string> disables;
  std::string source;
};

struct LocklessAccess {
  std::string name;
  std::string kind;
  std::string callee;
  std::vector<std::string> alt_callees;
  std::string match;  // call, macro
  int object_arg = -1;
  std::string object;  // pointer, lvalue
  std::string access;  // read, write, rmw, address
  bool atomic = false;
  std::string ordering;
  std::string source;
  std::string notes;
};

struct LockAnnotation {
  std::string name;
  std::string kind;
  std::string meaning;
  std::string expands_to;
  std::string sparse_expands_to;
  bool ast_visible = false;
  std::string source;
  std::string notes;
};

struct LockTable {
  std::vector<LockClass> classes;
  std::vector<LockPrimitive> primitives;
  std::vector<LockGuard> guards;
  std::vector<LocklessAccess> lockless;
  std::vector<LockAnnotation> annotations;
  // Position in `primitives` of each callee and alternative callee (a primitive's own callee
  // first, then the alternatives; the first primitive that names it). Built by index_callees(),
  // which load_lock_table() calls; find_primitive_by_callee() reads only this index.
  std::unordered_map<std::string, std::size_t> primitive_by_callee;

  void index_callees();
  // The primitive whose AST callee (or an alternative callee) is `callee`.
  const LockPrimitive* find_primitive_by_callee(const std::string& callee) const;
  const LockPrimitive* find_primitive(const std::string& name) const;
  const LockGuard* find_guard_by_constructor(const std::string& constructor) const;
  // A call-matched lockless entry (atomic_inc, set_bit, ...) by AST callee.
  const LocklessAccess* find_lockless_by_callee(const std::string& callee) const;
  // A macro-matched lockless entry (READ_ONCE, data_race, ...) by macro name.
  const LocklessAccess* find_lockless_macro(const std::string& macro) const;
  const LockClass* find_class(const std::string& id) const;
};

LockTable load_lock_table(const std::string& path);
const LockTable& default_lock_table();

}  // namespace kmodlint
