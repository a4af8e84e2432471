// The phases of a module: summaries of its helper functions, and each acquire/release pair
// (module init/exit, probe/remove of each driver struct) walked in turn.
#include <algorithm>

#include "checks/check.h"
#include "engines/lifetimes/engine.h"

namespace kmodlint {

namespace lifetimes {

void Engine::report_leaks() {
  for (const auto& [where, sites] : leaks_) {
    std::string list, fixes;
    std::vector<FindingNote> notes;
    std::set<std::string> fix_names;
    std::set<SourceLocation> listed;
    for (int s : sites) {
      if (!listed.insert(site(s).location).second) continue;  // one pair per acquiring call
      list += (list.empty() ? "" : "; ") + describe(s);
      notes.push_back({site(s).location, "acquired here"});
      if (!site(s).pair->release.empty() && fix_names.insert(site(s).pair->release[0].name).second)
        fixes += (fixes.empty() ? "" : ", ") + site(s).pair->release[0].name + "()";
    }
    report("leak-on-init-error", where.first,
           where.second + "() returns an error here without releasing " + list +
               (fixes.empty() ? "" : "; call " + fixes + " on this path"),
           where.second, notes);
  }
  leaks_.clear();
}

const Summary& Engine::summary(const FunctionRef& fn, int depth) {
  static const Summary empty_summary = [] {
    Summary s;
    s.complete = false;
    return s;
  }();
  if (auto found = summaries_.find(fn.function); found != summaries_.end()) return found->second;
  if (in_progress_.count(fn.function)) return empty_summary;
  in_progress_.insert(fn.function);
  std::size_t findings_before = findings.size();
  WalkResult walked = walk(fn, Phase::Helper, State{}, depth);
  // Helpers report their own error-path leaks (they are part of init/probe); nothing else.
  std::vector<CleanupFinding> kept(findings.begin(), findings.begin() + findings_before);
  for (std::size_t i = findings_before; i < findings.size(); ++i)
    if (findings[i].check_id == "leak-on-init-error") kept.push_back(findings[i]);
  findings = std::move(kept);
  Summary s;
  s.complete = walked.complete;
  const FunctionFacts& f = *fn.function;
  if (f.return_type.find('*') != std::string::npos) s.fails = FailsOn::ErrPtrOrNull;
  else if (f.return_type == "_Bool" || f.return_type == "bool" || f.return_type.starts_with("unsigned"))
    s.fails = FailsOn::Zero;  // a yes/no helper: 0 / false is the failure
  else if (f.return_type != "void") s.fails = FailsOn::Negative;
  std::map<int, Summary::Acquire> acquires;
  auto collect = [&](const std::vector<State>& ends, bool failure) {
    for (const State& end : ends)
      for (const Resource& r : end.resources) {
        if (!r.live() || r.comps.empty()) continue;
        if (!kept_outside(r)) continue;
        Summary::Acquire& a = acquires[r.site];
        a.site = r.site;
        a.held_on_failure = a.held_on_failure || failure;
        a.comps.resize(r.comps.size());
        for (std::size_t j = 0; j < r.comps.size(); ++j)
          for (const ValueKey& k : r.comps[j])
            if (outliving(k) || k.plain(ValueKey::Kind::Constant)) a.comps[j].insert(k);
      }
  };
  collect(walked.success_ends, false);
  if (s.fails != FailsOn::Never) collect(walked.failure_ends, true);
  for (auto& [site_id, a] : acquires) s.acquires.push_back(a);
  for (const Summary::Release& rel : walked.releases) {
    bool visible = false;
    for (const ValueKey& k : rel.arg_keys)
      if (!k.empty() && outliving(k)) visible = true;
    if (!visible) continue;
    Summary::Release copy = rel;
    for (ValueKey& k : copy.arg_keys)
      if (!outliving(k) && !k.plain(ValueKey::Kind::Constant)) k = {};
    s.releases.push_back(copy);
  }
  for (const AssignEvent& assign : f.assigns) {
    if (assign.value.kind != ValueRef::Kind::Param || !assign.value.path.empty() || assign.value.address_of) continue;
    auto found = std::find(f.params.begin(), f.params.end(), assign.value.root);
    if (found == f.params.end()) continue;
    for (const ValueKey& target : keys_of(assign.target, f))
      if (outliving(target)) s.param_stores.emplace_back(static_cast<int>(found - f.params.begin()), target);
  }
  // Parameters passed on to unknown functions (not borrowing ones).
  for (const CallEvent& call : f.calls) {
    if (call.callee.empty() || borrows_only(call.callee) || pairs_.knows(call.callee)) continue;
    if (module_.resolve_function(call.callee, fn.unit).function) continue;
    for (const ValueRef& arg : call.args)
      if (arg.kind == ValueRef::Kind::Param && arg.path.empty()) {
        auto found = std::find(f.params.begin(), f.params.end(), arg.root);
        if (found != f.params.end()) s.param_escapes.insert(static_cast<int>(found - f.params.begin()));
      }
  }
  for (const Summary::Release& rel : s.releases)
    for (const ValueKey& k : rel.arg_keys)
      if (k.kind == ValueKey::Kind::Param && k.path.find_first_of("-.[") == std::string::npos)
        s.param_escapes.erase(k.index);
  in_progress_.erase(fn.function);
  return summaries_[fn.function] = s;
}


struct PhasePair {
  FunctionRef acquire;
  FunctionRef release;  // may be null
  std::string what;     // "module init" / "probe of struct platform_driver foo"
  SourceLocation release_anchor;
  bool module_entry = false;
  std::vector<std::string> bus_releases;  // pair ids the bus releases for the release function
};

std::vector<PhasePair> phase_pairs(const ModuleModel& module, const DriverLifecycleTable& lifecycle) {
  std::vector<PhasePair> out;
  if (auto init = module.module_init()) {
    PhasePair p;
    p.acquire = module.resolve_function(init->second.function, init->first);
    if (auto exit = module.module_exit()) {
      p.release = module.resolve_function(exit->second.function, exit->first);
      p.release_anchor = exit->second.location;
    }
    p.what = "module";
    p.module_entry = true;
    if (p.acquire.function) out.push_back(p);
  }
  for (const UnitFacts* unit : module.units()) {
    std::map<std::string, std::vector<const FunctionStore*>> by_holder;
    for (const FunctionStore& store : unit->function_stores)
      if (lifecycle.find(store.record)) by_holder[store.holder].push_back(&store);
    for (const auto& [holder, stores] : by_holder) {
      for (const FunctionStore* probe : stores) {
        const DriverLifecycleStruct* s = lifecycle.find(probe->record);
        auto pw = std::find_if(s->pairs_with.begin(), s->pairs_with.end(),
                               [&](const auto& entry) { return entry.first == probe->field; });
        if (pw == s->pairs_with.end()) continue;
        PhasePair p;
        p.acquire = module.resolve_function(probe->function, unit);
        if (!p.acquire.function) continue;
        for (const FunctionStore* remove : stores)
          if (remove->record == probe->record &&
              std::find(pw->second.begin(), pw->second.end(), remove->field) != pw->second.end()) {
            p.release = module.resolve_function(remove->function, unit);
            p.release_anchor = remove->location;
            for (const auto& [field, pairs] : s->bus_releases)
              if (field == remove->field) p.bus_releases = pairs;
          }
        p.what = "struct " + probe->record + " " + holder;
        out.push_back(p);
      }
    }
  }
  return out;
}

}  // namespace lifetimes

std::vector<CleanupFinding> analyze_cleanup(const ModuleModel& module, const CleanupPairTable& pairs,
                                            const DriverLifecycleTable& lifecycle, const OwnershipTable& ownership) {
  using namespace lifetimes;
  Engine engine(module, pairs, ownership);
  for (const PhasePair& p : phase_pairs(module, lifecycle)) {
    WalkResult acquired = engine.walk(p.acquire, Phase::Acquire, State{}, 0);
    if (!acquired.complete) continue;
    // What outlives the acquire function on its successful returns, by acquire site.
    State start;
    std::map<int, Resource> held;
    for (const State& end : acquired.success_ends)
      for (const Resource& r : end.resources) {
        if (!r.live() || r.comps.empty()) continue;
        std::vector<std::set<ValueKey>> comps(r.comps.size());
        for (std::size_t j = 0; j < r.comps.size(); ++j)
          for (const ValueKey& k : r.comps[j])
            if (outliving(k) || k.plain(ValueKey::Kind::Constant)) comps[j].insert(k);
        if (!kept_outside(r)) continue;
        auto [it, fresh] = held.emplace(r.site, r);
        Resource& h = it->second;
        if (fresh) h.comps.assign(comps.size(), {});
        for (std::size_t j = 0; j < comps.size(); ++j) h.comps[j].insert(comps[j].begin(), comps[j].end());
        h.status = Resource::Status::Held;
        h.status_keys.clear();
        h.prior = false;
      }
    for (auto& [site_id, r] : held) start.put(r);
    std::string acquire_name = p.acquire.function->name;
    if (!p.release.function) continue;
    const FunctionFacts& rel = *p.release.function;
    std::vector<int> unmanaged;
    for (const Resource& r : start.resources)
      if (!engine.site(r.site).pair->managed) unmanaged.push_back(r.site);
    if (rel.calls.empty() && p.module_entry) {
      if (unmanaged.empty()) continue;
      std::string list;
      std::vector<FindingNote> notes;
      for (int s : unmanaged) {
        list += (list.empty() ? "" : ", ") + engine.describe(s);
        notes.push_back({engine.site(s).location, "acquired here"});
      }
      engine.report("missing-module-exit", p.release_anchor,
                    "module exit function " + rel.name + "() is empty, but " + acquire_name +
                        "() acquires what only exit can release: " + list,
                    rel.name, notes);
      continue;
    }
    WalkResult released = engine.walk(p.release, Phase::Teardown, start, 0);
    if (!released.complete) continue;
    // Functions the module hands to the kernel as callbacks (ops structs, driver structs).
    std::set<std::string> callbacks;
    for (const UnitFacts* unit : module.units())
      for (const FunctionStore& store : unit->function_stores) callbacks.insert(store.function);
    callbacks.erase(acquire_name);
    std::set<SourceLocation> reported_sites;
    for (int s : unmanaged) {
      const Site& acquired_at = engine.site(s);
      if (reported_sites.count(acquired_at.location)) continue;
      // Acquired by a helper that is also a callback (a watchdog's start op called from init):
      // its pairing callback (stop) releases it, not exit.
      if (callbacks.count(acquired_at.function)) continue;
      if (std::find(p.bus_releases.begin(), p.bus_releases.end(), acquired_at.pair->id) != p.bus_releases.end()) continue;
      // A reference on the module itself: exit cannot run while it is held.
      if (const Resource* r = start.find(s);
          r && !r->comps.empty() && r->comps[0].count(ValueKey::global("__this_module").with(ValueKey::Op::AddressOf)))
        continue;
      bool released_somewhere = released.all_ends.empty();
      for (const State& end : released.all_ends) {
        const Resource* r = nullptr;
        for (const Resource& candidate : end.resources)
          if (candidate.site == s) r = &candidate;
        if (!r || !r->live()) released_somewhere = true;
      }
      if (released_somewhere) continue;
      const Site& site = engine.site(s);
      reported_sites.insert(site.location);
      const ReleaseApi* fix = site.pair->release.empty() ? nullptr : &site.pair->release[0];
      engine.report("unreleased-in-exit", site.location,
                    (site.pair->summary.empty() ? site.pair->id : site.pair->summary) + " acquired by " +
                        site.api->name + "() in " + acquire_name + "() is never released by " + rel.name + "()" +
                        (fix ? "; call " + fix->name + "() there" : ""),
                    site.function, {{rel.location, rel.name + "() is here"}});
    }
  }
  engine.report_leaks();
  std::vector<CleanupFinding> out = std::move(engine.findings);
  std::sort(out.begin(), out.end(), [](const CleanupFinding& a, const CleanupFinding& b) {
    return std::tie(a.location, a.check_id, a.message) < std::tie(b.location, b.check_id, b.message);
  });
  out.erase(std::unique(out.begin(), out.end(),
                        [](const CleanupFinding& a, const CleanupFinding& b) {
                          return a.location == b.location && a.check_id == b.check_id && a.message == b.message;
                        }),
            out.end());
  return out;
}

void report_cleanup_findings(const ModuleModel& module, CheckContext& ctx, const std::string& check_id) {
  const auto& all = module.memo<std::vector<CleanupFinding>>(
      "cleanup-pairs", [&] {
        return analyze_cleanup(module, active_cleanup_pairs(), default_driver_lifecycle(), default_ownership_table());
      });
  for (const CleanupFinding& f : all) {
    if (f.check_id != check_id) continue;
    Finding& finding = ctx.report(module, f.location, f.message, f.function);
    finding.notes = f.notes;
  }
}

}  // namespace kmodlint
