// The resource-lifetimes engine behind the cleanup-pairs checks (unreleased-in-exit,
// leak-on-init-error, release-order, mismatched-release, double-release, lost-resource,
// release-without-acquire, unchecked-acquire) and missing-module-exit's "empty exit" case. It words nothing: it returns typed events, and each check decides what to
// report and how.
//
// For each acquire/release phase pair of a module (module_init/module_exit, and the probe/remove
// functions of every driver struct whose fields the entry-points table gives those roles), the
// engine walks the acquire function's CFG with a state of acquired resources (from
// rules/cleanup-pairs.yaml), then walks the release function starting from what the acquire
// function held on its successful returns. Helper functions of the module are summarized (what
// they acquire and release in globals, driver data and their parameters) and applied at their
// call sites. The walk keeps one state per (block, state) pair, so loops terminate; paths that
// end in a noreturn call (BUG(), panic()) report nothing.
//
// After the phases, every function of the module is walked on its own from an empty state (any
// function, not only init/probe: an ioctl helper, a work function): what it loses at its returns,
// what it releases that the path never acquired, and acquire results it uses or keeps untested.
// Reference counts (pairs marked counted) release one acquire per release.
#pragma once

#include <string>
#include <vector>

#include "link/module_model.h"
#include "report/finding.h"
#include "tables/api_names.h"
#include "tables/cleanup_pairs.h"
#include "tables/driver_lifecycle.h"
#include "tables/locks.h"
#include "tables/ownership.h"

namespace kmodlint {

// Where a resource was acquired: the acquiring call (or the call inside a helper).
struct AcquireSite {
  const CleanupPair* pair = nullptr;
  const AcquireApi* api = nullptr;
  SourceLocation location;
  std::string function;  // the function that makes the call
};

// An error return of init/probe (or a helper of theirs) that leaves resources acquired on the
// path held: one event per return, with every resource some path leaks there.
struct LeakOnError {
  SourceLocation return_location;
  std::string function;
  std::vector<AcquireSite> leaked;  // in acquire order, one per acquiring call
  // Per element of `leaked`: the call failed but still holds a reference (device_register), so
  // the path owes its failure_release (put_device), not its release.
  std::vector<bool> failed_but_held;
  std::vector<FindingNote> path;  // the branch decisions that lead here (path notes)
};

// A resource the acquire function keeps on success that the release function never releases.
struct NeverReleased {
  AcquireSite resource;
  std::string acquire_function;
  std::string release_function;
  SourceLocation release_function_location;
};

// A resource released while one that depends on it (depends_on in the table) is still live.
struct ReleasedOutOfOrder {
  AcquireSite base;       // released too early
  AcquireSite dependent;  // still live then
  std::string function;   // where the early release is
  SourceLocation early_release;
  std::string early_release_by;  // the callee
  SourceLocation dependent_release;
  std::string dependent_release_by;
};

// A release that does not match the acquire.
struct Mismatch {
  enum class How {
    DifferentArguments,  // the right release, with another secondary handle argument
    WrongFunction,       // a function that does not release it (wrong_release in the table)
  };
  How how = How::DifferentArguments;
  AcquireSite resource;
  std::string function;
  SourceLocation at;
  std::string by;      // the callee
  std::string reason;  // WrongFunction: the table's reason
  std::vector<FindingNote> path;  // the branch decisions that lead here (path notes)
};

// The same resource released twice on one path.
struct DoubleRelease {
  AcquireSite resource;
  std::string function;
  SourceLocation at;
  std::string by;
  SourceLocation first_at;
  std::string first_by;
  std::vector<FindingNote> path;  // the branch decisions that lead here (path notes)
};

// module_exit names a function with no calls while module_init keeps resources only exit can release.
struct EmptyExit {
  std::string exit_function;
  SourceLocation exit_macro;  // the module_exit() line
  std::string init_function;
  std::vector<AcquireSite> kept;
};

// A resource that only the function's own local variables name when it returns: neither
// released, stored where it outlives the function, returned, nor handed to code that may keep
// it. Nothing can release it any more.
struct LostResource {
  AcquireSite resource;
  std::string function;
  SourceLocation return_location;
  bool failure_return = false;  // an error return (of a function not on the init/probe path)
  std::string handle;           // the local that named it last ("buf")
  std::vector<FindingNote> path;  // the branch decisions that lead here (path notes)
};

// A release of a handle whose acquire failed on this path (an unwind label that releases what the
// failing step never got), or of a failed registration with the release of a successful one.
struct ReleaseWithoutAcquire {
  enum class How {
    AcquireFailed,      // the path tested the acquire's result and it had failed
    FailedRegistration  // acquired_on_failure: the failure path owes failure_release, not this
  };
  How how = How::AcquireFailed;
  AcquireSite resource;
  std::string function;
  SourceLocation at;
  std::string by;
  SourceLocation failure_learnt_at;  // AcquireFailed: the test that took the failure branch
  std::string expected;              // FailedRegistration: the right release (failure_release[0])
  std::vector<FindingNote> path;  // the branch decisions that lead here (path notes)
};

// The result of an acquire that can fail is used before any test of it on the path.
struct UncheckedAcquire {
  AcquireSite resource;
  std::string function;
  SourceLocation used_at;
  std::string use;  // "dereferenced before any test", "kept in wq untested when f() returns success"
  std::vector<FindingNote> path;  // the branch decisions that lead here (path notes)
};

// A resource that a function off the init/probe path (a callback, or a helper of one) acquires
// and keeps in storage that outlives it (a global, a field of a structure, the driver data),
// where no release call of the module names that storage.
struct KeptWithoutRelease {
  AcquireSite resource;
  std::string function;
  std::string storage;  // how the source names it ("my_wq", "struct my_dev.buf", "the driver data")
};

// Everything the engine found in one module, each list in the order the walk met it (with
// repeats when several paths meet the same thing).
struct LifetimeEvents {
  std::vector<LeakOnError> leaks;
  std::vector<NeverReleased> never_released;
  std::vector<ReleasedOutOfOrder> out_of_order;
  std::vector<Mismatch> mismatches;
  std::vector<DoubleRelease> double_releases;
  std::vector<EmptyExit> empty_exits;
  std::vector<LostResource> lost;
  std::vector<ReleaseWithoutAcquire> releases_without_acquire;
  std::vector<UncheckedAcquire> unchecked;
  std::vector<KeptWithoutRelease> kept_without_release;
};

struct LifetimeTables {
  const CleanupPairTable& pairs;
  const DriverLifecycleTable& lifecycle;
  const OwnershipTable& ownership;
  const ApiNameTable& api_names;  // borrows
  const LockTable& locks;         // lock calls only borrow the lock's object
};

LifetimeEvents analyze_lifetimes(const ModuleModel& module, const LifetimeTables& tables);

}  // namespace kmodlint
