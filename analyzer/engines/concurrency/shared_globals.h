// The analysis behind the shared-globals checks: a module's entry points (from
// rules/entry-points.yaml), the functions each one reaches, and, at every access to module
// state and every lock acquisition, the locks held (must-hold dataflow over the basic blocks,
// with callers' locks inherited by helpers) and whether the code can run concurrently with the
// module's callbacks (module init before registration and exit after unregistration cannot).
#pragma once

#include <set>
#include <string>
#include <vector>

#include "link/module_model.h"
#include "tables/api_names.h"
#include "tables/cleanup_pairs.h"
#include "tables/entry_points.h"
#include "tables/locks.h"

namespace kmodlint {

struct EntryPoint {
  enum class Phase { Callback, Init, Exit };
  FunctionRef function;
  Phase phase = Phase::Callback;
  std::string how;  // "file_operations.read", "request_irq handler", "module_init"
  CallContext context;
  SourceLocation registered_at;  // the initializer, assignment or registration call
  // For a callback stored in a struct the table does not know: the holder object. The subsystem
  // that calls such an ops structure is assumed to serialize the calls into one object.
  std::string unknown_ops_holder;

  std::string describe() const;  // "refchar_read() [file_operations.read, process context]"
  std::string context_text() const;  // "process context", "hardirq context", ...
  bool hardirq() const { return context.has_context("hardirq") || context.has_context("nmi"); }
  bool softirq() const { return context.has_context("softirq"); }
};

// One access to module state, as seen from one entry point.
struct SharedAccess {
  int entry = -1;  // index into SharedGlobalsAnalysis::entries
  const UnitFacts* unit = nullptr;
  const FunctionFacts* function = nullptr;
  const AccessEvent* access = nullptr;
  std::string location_key;  // variable + field path, e.g. "dev_state.count" (unit-qualified when static)
  std::string display;       // e.g. "dev_state.count"
  std::set<std::string> locks;  // lock identities held (must-hold)
  // For init/exit: the entries this access can run concurrently with (callbacks registered by
  // then / not yet unregistered). Empty for callbacks (they are concurrent with every callback).
  std::set<int> concurrent_entries;
  bool is_write() const;
};

struct LockAcquisition {
  int entry = -1;
  const FunctionFacts* function = nullptr;
  const CallEvent* call = nullptr;
  const LockPrimitive* primitive = nullptr;  // the primitive (or the guard's acquire primitive)
  std::string lock;                          // lock identity
  bool irqs_off = false;                     // hard IRQs already disabled on this CPU
  bool bh_off = false;                       // bottom halves already disabled
  std::set<int> concurrent_entries;          // as for SharedAccess (init/exit only)
};

struct SharedGlobalsAnalysis {
  std::vector<EntryPoint> entries;
  std::vector<SharedAccess> accesses;
  std::vector<LockAcquisition> acquisitions;
  // Serializer ids that exclude two callbacks touching module-global data: scope global/module,
  // and per-object locks of objects other than an open file (a driver's device: most modules
  // drive one).
  std::set<std::string> excluding_serializers;

  // Can code of entry `a` (at an access with `a_concurrent`) run at the same time as entry `b`?
  bool concurrent(int a, const std::set<int>& a_concurrent, int b, const std::set<int>& b_concurrent) const;
};

// `names`: self-synchronised types and unregistering calls (rules/api-names.yaml); `pairs`: which
// release undoes which registration (rules/cleanup-pairs.yaml, through the registrations'
// cleanup_pair), so that exit after misc_deregister() no longer races with the file operations.
SharedGlobalsAnalysis analyze_shared_globals(const ModuleModel& module, const EntryPointTable& entry_points,
                                             const LockTable& locks, const ApiNameTable& names,
                                             const CleanupPairTable& pairs);

// The global a name refers to from `unit`: its static one, else the module's non-static one.
const GlobalVarFacts* find_module_global(const ModuleModel& module, const UnitFacts* unit, const std::string& name,
                                         const std::string& function = {});

}  // namespace kmodlint
