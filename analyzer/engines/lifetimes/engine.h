// The lifetimes engine: walks a function's CFG with a State, applying the effects of each call
// (acquires and releases from rules/cleanup-pairs.yaml, ownership moves from rules/ownership.yaml,
// callees that only borrow from rules/api-names.yaml, summaries of the module's helper functions),
// and collects the events of lifetimes.h.
//
// call_effects.cpp: what one call does to the state; path_walk.cpp: the walk over basic blocks,
// assignments, branches and returns; phases.cpp: helper summaries and the acquire/release phase
// pairs of a module.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "engines/lifetimes/lifetimes.h"
#include "engines/lifetimes/state.h"
#include "link/module_model.h"
#include "tables/api_names.h"
#include "tables/cleanup_pairs.h"
#include "tables/ownership.h"

namespace kmodlint::lifetimes {

// What a helper function does to storage its caller can see.
struct Summary {
  struct Acquire {
    int site;  // the helper's site (location inside the helper)
    std::vector<std::set<ValueKey>> comps;  // keys in helper terms (globals, records, parameters)
    bool held_on_failure = false;  // still held, in the caller's storage, when the helper fails
  };
  struct Release {
    const CleanupPair* pair;
    const ReleaseApi* api;
    std::vector<ValueKey> arg_keys;  // per handle component, helper terms (empty = not passed)
  };
  std::vector<Acquire> acquires;
  std::vector<Release> releases;
  std::set<int> param_escapes;  // parameters handed to something unknown
  // Parameters handed, or the address of a member of theirs (queue_work(wq, &p->work)), to kernel
  // code that may keep them: the caller's handle is then not lost (see mark_handed_over).
  std::set<int> params_handed_on;
  // Parameters the helper stores where its caller can see them (apbs[n].RamIO = loc): index and
  // the storage, in helper terms.
  std::vector<std::pair<int, ValueKey>> param_stores;
  bool complete = true;
  FailsOn fails = FailsOn::Never;
};

// Acquire: init/probe; Teardown: exit/remove from what init/probe kept; Helper: a helper walked
// for its summary; Standalone: any function on its own, for what it loses, releases without
// having acquired, or uses unchecked (lost.cpp).
enum class Phase { Acquire, Teardown, Helper, Standalone };

// The ends of the paths are kept for every phase but Standalone, whose findings are made on the way.
struct WalkResult {
  std::vector<State> success_ends;
  std::vector<State> failure_ends;
  std::vector<Summary::Release> releases;  // every release seen (for summaries), each once
  bool complete = true;

  void add_release(Summary::Release release) {
    if (release_seen.insert({release.pair, release.api, release.arg_keys}).second) releases.push_back(std::move(release));
  }

 private:
  std::set<std::tuple<const CleanupPair*, const ReleaseApi*, std::vector<ValueKey>>> release_seen;
};

// An acquire function and the function that undoes it: module init and exit, or the probe and
// remove of one driver struct.
struct PhasePair {
  FunctionRef acquire;
  FunctionRef release;  // may be null
  std::string what;     // "module init" / "probe of struct platform_driver foo"
  SourceLocation release_anchor;
  bool module_entry = false;
  std::vector<std::string> bus_releases;  // pair ids the bus releases for the release function
};

class Engine {
 public:
  Engine(const ModuleModel& module, const LifetimeTables& tables)
      : module_(module),
        pairs_(tables.pairs),
        ownership_(tables.ownership),
        api_names_(tables.api_names),
        locks_(tables.locks) {}

  LifetimeEvents events;
  std::map<std::pair<SourceLocation, std::string>, std::set<int>> leaks_;  // (return, function) -> sites
  // (return, function) -> the trail of the first path that leaks there, and where its notes start.
  std::map<std::pair<SourceLocation, std::string>, std::pair<PathTrail, PathTrail>> leak_paths_;
  // (return, function, site) where the leaked resource is a failed registration that still holds
  // a reference (its failure_release is owed, not its release).
  std::set<std::tuple<SourceLocation, std::string, int>> failed_held_leaks_;

  // One LeakOnError event per return, naming everything that leaks there on some path.
  void emit_leaks();

  // Walks `fn` from `initial`; `phase` says what its returns mean.
  WalkResult walk(const FunctionRef& fn, Phase phase, const State& initial, int depth);
  const Summary& summary(const FunctionRef& fn, int depth);
  void add_parameter_effects(const FunctionRef& fn, Summary& s);
  // NeverReleased events for the resources of `unmanaged` that no end of the release walk released.
  void find_never_released(const PhasePair& p, const State& start, const std::vector<int>& unmanaged,
                           const WalkResult& released);
  // lost.cpp: every function of the module walked on its own, after the phases.
  void walk_every_function();
  // After walk_every_function(): what functions off the init/probe path keep in shared storage
  // that no release of the module names (kept_without_release events).
  void find_kept_without_release();
  bool acquires_anything(const FunctionRef& ref);

  const Site& site(int id) const { return sites_[id]; }
  AcquireSite acquire_site(int id) const {
    const Site& s = sites_[id];
    return {s.pair, s.api, s.location, s.function};
  }

 private:
  bool has_sibling(int site_id) const {
    for (const Site& other : sites_)
      if (other.ordinal != site_id && other.location == sites_[site_id].location) return true;
    return false;
  }
  int site_for(const CleanupPair* pair, const AcquireApi* api, const SourceLocation& loc, const std::string& fn) {
    for (std::size_t i = 0; i < sites_.size(); ++i)
      if (sites_[i].pair == pair && sites_[i].api == api && sites_[i].location == loc) return static_cast<int>(i);
    sites_.push_back({pair, api, loc, fn, static_cast<int>(sites_.size())});
    return static_cast<int>(sites_.size()) - 1;
  }

  struct Ctx {
    const FunctionRef* fn;
    Phase phase;
    int depth;
    WalkResult* result;
    std::vector<int> call_block;  // block of each call event
    std::set<int> reported_returns;
    // For each counted loop's test: the blocks of its loop (see first_loop_test).
    std::map<int, std::vector<bool>> loop_blocks;
  };

  // call_effects.cpp
  bool process_call(Ctx& ctx, State& state, int call_index);
  bool apply_releases(Ctx& ctx, State& state, int call_index, std::set<int>& released_sites);
  bool apply_failure_releases(Ctx& ctx, State& state, int call_index, std::set<int>& released_sites);
  bool apply_wrong_releases(Ctx& ctx, State& state, int call_index, std::set<int>& released_sites);
  bool apply_acquires(Ctx& ctx, State& state, int call_index);
  bool apply_helper(Ctx& ctx, State& state, int call_index);
  void pass_to_unknown(Ctx& ctx, State& state, int call_index);
  bool process_ownership_move(Ctx& ctx, State& state, int call_index);
  bool child_of_embedded_parent(const CleanupPair& pair, const CallEvent& call) const;
  bool registered_in_module(const CleanupPair& pair, const Resource& r, const Ctx& ctx) const;
  bool managed_by_devres(const AcquireApi& api, const CallEvent& call, const State& state, const FunctionFacts& fn) const;
  void run_callback(Ctx& ctx, State& state, const CallEvent& call, const CallbackInvoker& invoker);
  void let_go(Ctx& ctx, State& state, const std::vector<int>& sites, const CallEvent& call);
  void release(Ctx& ctx, State& state, Resource& r, const std::string& by, const SourceLocation& at, bool definite,
               bool idempotent, bool recursive);
  // True when some resource of `pair` matched (released now, or earlier on the path).
  bool apply_release(Ctx& ctx, State& state, const CleanupPair* pair, const ReleaseApi* api,
                     const std::vector<ValueKey>& keys, const SourceLocation& at, const std::string& by,
                     std::set<int>& released_sites, bool via_helper, bool may_be_definite = true);

  // lost.cpp
  bool lost_candidate(const Resource& r) const;
  void find_lost(Ctx& ctx, const State& state, const ReturnEvent& ret, bool failure);
  void mark_handed_over(Ctx& ctx, State& state, int call_index);
  bool may_keep_arguments(const std::string& callee, const UnitFacts* unit) const;
  // Some name of the resource is an array element (devs[].f).
  static bool in_array_element(const Resource& r);
  // The call is a table release of `pair`; one of its arguments is an array element.
  bool releases_pair(const CallEvent& call, const CleanupPair* pair) const;
  static bool has_element_argument(const CallEvent& call);
  bool releases_array_elements(const FunctionFacts& f, const CleanupPair* pair) const;
  void mark_derived_value_kept(Ctx& ctx, State& state, const AssignEvent& assign);
  // `used`: every name of each value used (the call's arguments, an assignment's two sides).
  void find_unchecked_uses(Ctx& ctx, State& state, const std::vector<std::vector<ValueKey>>& used,
                           const SourceLocation& at,
                           const std::string& callee, int call_index);
  void find_unchecked_at_return(Ctx& ctx, const State& state, bool failure);
  // Some branch or error test of the function names the resource's handle (on some path).
  bool tested_somewhere(const FunctionFacts& fn, const Resource& r, const State& state);
  bool optional_in_module(const Resource& r);
  static bool points_only_into_objects(const FunctionFacts& fn, const std::string& handle);
  static bool dropped_for_null_out_param(const FunctionFacts& fn, const State& state, const std::string& handle);
  static bool returns_what_handle_leads_to(const FunctionFacts& fn, const ReturnEvent& ret, const std::string& handle);
  bool only_released_tolerantly(const Resource& r) const;
  // `primary`: every name of the release's primary handle argument.
  bool release_of_failed(Ctx& ctx, State& state, const CleanupPair* pair, const ReleaseApi* api,
                         const std::vector<ValueKey>& primary, const SourceLocation& at, const std::string& by);
  static void mark_member_address_kept(State& state, const AssignEvent& assign);
  static void mark_compared_handles(std::vector<State>& states, const std::string& condition);

  // kept_elsewhere.cpp
  struct KeptOutsideInit {
    int site;
    const FunctionFacts* function;
    std::vector<std::set<ValueKey>> comps;  // per handle component, its shared storage
  };
  struct ModuleRelease {
    const CleanupPair* pair;
    std::vector<std::set<ValueKey>> comps;  // per handle component, every name of the argument
  };
  void note_kept_outside_init(const Ctx& ctx, const State& state, bool failure);
  std::vector<ModuleRelease> module_releases();

  // path_walk.cpp
  bool failure_return(const Ctx& ctx, const State& state, const ReturnEvent& ret) const;
  void process_assign(Ctx& ctx, State& state, const AssignEvent& assign);
  void process_return(Ctx& ctx, State& state, const ReturnEvent& ret, bool failure);
  std::vector<State> branch(Ctx& ctx, State state, const BasicBlock& block);
  std::vector<State> refine_by_branch(Ctx& ctx, State state, const BasicBlock& block);
  void trust_guarded_releases(Ctx& ctx, std::vector<State>& out, const BasicBlock& block) const;
  static void record_decisions(std::vector<State>& out, const BasicBlock& block);
  void note_leaks(const State& state, const ReturnEvent& ret, const FunctionFacts& fn,
                  const std::vector<const Resource*>& leaked);
  static bool holds_call_status(const FunctionFacts& fn, const ValueRef& subject);
  bool steps_handle_pointer(State& state, const AssignEvent& assign) const;
  void refine_by_constant(std::vector<State>& out, const BranchCondition::ConstantComparison& compared,
                          const FunctionFacts& fn);
  void refine_by_switch(std::vector<State>& out, const SwitchCases& cases, const FunctionFacts& fn);
  bool retested(const FunctionFacts& fn, const ValueKey& operand);
  static bool one_object(const ValueKey& key);
  void assume_equals(State& state, const ValueKey& key, std::int64_t value, bool exact) const;
  bool assume_differs(State& state, const ValueKey& key, std::int64_t value) const;
  bool first_loop_test(Ctx& ctx, int block, int from);
  bool reads_only(const std::string& callee, const UnitFacts* unit) const;
  bool release_between(const Ctx& ctx, int site, int return_block, bool of_array_element) const;
  bool release_follows(const Ctx& ctx, const CleanupPair* pair, int call_index, const std::set<ValueKey>& names) const;

  const ModuleModel& module_;
  const CleanupPairTable& pairs_;
  const OwnershipTable& ownership_;
  const ApiNameTable& api_names_;
  const LockTable& locks_;
  std::vector<Site> sites_;
  std::map<const FunctionFacts*, Summary> summaries_;
  std::set<const FunctionFacts*> in_progress_;
  // While the phases run, error returns are leak-on-init-error's to judge; functions walked then
  // (init/probe, their helpers) are on the init path.
  bool judging_init_paths_ = true;
  std::set<const FunctionFacts*> init_path_functions_;
  std::set<const FunctionFacts*> teardown_functions_;  // exit/remove and their helpers
  std::map<int, KeptOutsideInit> kept_outside_init_;   // by site
  std::set<std::tuple<SourceLocation, int, int>> reported_;  // (where, site, event kind): once each
  std::map<const FunctionFacts*, std::set<ValueKey>> tested_values_;  // per function, for tested_somewhere
  std::map<const FunctionFacts*, std::set<ValueKey>> retested_;      // per function, for retested
  std::optional<std::set<ValueKey>> module_tested_;  // fields and globals any function tests, for optional_in_module
};

}  // namespace kmodlint::lifetimes
