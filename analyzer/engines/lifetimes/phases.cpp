// The phases of a module: summaries of its helper functions, and each acquire/release pair
// (module init/exit, probe/remove of each driver struct) walked in turn.
#include <algorithm>
#include <map>

#include "engines/lifetimes/engine.h"

namespace kmodlint {

namespace lifetimes {

namespace {

// The position of the parameter `v` names (through any path), or -1 when it names none.
int param_index(const FunctionFacts& f, const ValueRef& v) {
  return v.kind == ValueRef::Kind::Param ? lifetimes::param_index(f, v.root) : -1;
}

// The parameter itself, or the address of one of its members (&p->work): what a callee given it
// can keep the parameter's object by.
bool hands_object(const ValueRef& arg) { return arg.path.empty() || arg.address_of; }

// Locals that take a parameter's value somewhere in the function (`skb = new_skb`): what is
// stored through them may be what the caller passed.
std::map<std::string, int> locals_naming_params(const FunctionFacts& f) {
  std::map<std::string, int> out;
  for (const AssignEvent& assign : f.assigns) {
    if (assign.target.kind != ValueRef::Kind::Local || !assign.target.path.empty()) continue;
    if (!assign.value.path.empty() || assign.value.address_of) continue;
    if (int index = param_index(f, assign.value); index >= 0) out.emplace(assign.target.root, index);
  }
  return out;
}

}  // namespace

void Engine::emit_leaks() {
  for (const auto& [where, sites] : leaks_) {
    LeakOnError leak{where.first, where.second, {}, {}, {}};
    if (auto path = leak_paths_.find(where); path != leak_paths_.end())
      leak.path = path->second.first.since(path->second.second);
    std::set<SourceLocation> listed;
    for (int s : sites)
      if (listed.insert(site(s).location).second) {  // one per acquiring call
        leak.leaked.push_back(acquire_site(s));
        leak.failed_but_held.push_back(failed_held_leaks_.count({where.first, where.second, s}) > 0);
      }
    events.leaks.push_back(std::move(leak));
  }
  leaks_.clear();
  leak_paths_.clear();
}

bool Engine::in_array_element(const Resource& r) {
  return !r.comps.empty() &&
         std::any_of(r.comps[0].begin(), r.comps[0].end(), [](const ValueKey& k) { return k.has_element(); });
}

bool Engine::releases_pair(const CallEvent& call, const CleanupPair* pair) const {
  auto releases = pairs_.releases_by_callee(call.callee);
  return std::any_of(releases.begin(), releases.end(), [&](const auto& m) { return m.pair == pair; });
}

bool Engine::has_element_argument(const CallEvent& call) {
  return std::any_of(call.args.begin(), call.args.end(),
                     [](const ValueRef& a) { return a.path.find("[]") != std::string::npos; });
}

// The function calls a release of `pair` on an array element (`kfree(bufs[i])` in a loop).
bool Engine::releases_array_elements(const FunctionFacts& f, const CleanupPair* pair) const {
  return std::any_of(f.calls.begin(), f.calls.end(),
                     [&](const CallEvent& call) { return releases_pair(call, pair) && has_element_argument(call); });
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
  std::size_t never_released = events.never_released.size(), out_of_order = events.out_of_order.size(),
              mismatches = events.mismatches.size(), double_releases = events.double_releases.size(),
              empty_exits = events.empty_exits.size();
  WalkResult walked = walk(fn, Phase::Helper, State{}, depth);
  // Helpers report their own error-path leaks (they are part of init/probe, collected at their
  // returns); nothing else.
  auto keep = [](auto& list, std::size_t size) { list.erase(list.begin() + size, list.end()); };
  keep(events.never_released, never_released);
  keep(events.out_of_order, out_of_order);
  keep(events.mismatches, mismatches);
  keep(events.double_releases, double_releases);
  keep(events.empty_exits, empty_exits);
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
        // Acquired into array elements by a helper that has an element release loop: its error
        // path unwinds them (the walk cannot tell which elements a loop released).
        if (failure && in_array_element(r) && releases_array_elements(f, sites_[r.site].pair)) continue;
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
    // Visible to the caller: a release of what outlives the helper, or of a resource known by a
    // literal name (remove_proc_entry("xpp", NULL) in a cleanup helper after proc_mkdir("xpp", NULL)).
    bool visible = false;
    for (const ValueKey& k : rel.arg_keys)
      if (!k.empty() && (outliving(k) || k.is_string_literal()))
        visible = true;
    if (!visible) continue;
    Summary::Release copy = rel;
    for (ValueKey& k : copy.arg_keys)
      if (!outliving(k) && !k.plain(ValueKey::Kind::Constant)) k = {};
    if (std::find_if(s.releases.begin(), s.releases.end(), [&](const Summary::Release& other) {
          return other.pair == copy.pair && other.api == copy.api && other.arg_keys == copy.arg_keys;
        }) == s.releases.end())
      s.releases.push_back(copy);
  }
  add_parameter_effects(fn, s);
  in_progress_.erase(fn.function);
  return summaries_[fn.function] = s;
}

// What the helper does with its parameters that its callers' walks need: stores where they can
// see (param_stores), hand-overs that end their tracking (param_escapes), and hand-ons that only
// keep a handle from being lost (params_handed_on). After the helper's walk, whose own summaries
// of the functions it calls are read here.
void Engine::add_parameter_effects(const FunctionRef& fn, Summary& s) {
  const FunctionFacts& f = *fn.function;
  std::map<std::string, int> aliases = locals_naming_params(f);
  for (const AssignEvent& assign : f.assigns) {
    if (!assign.value.path.empty() || assign.value.address_of) continue;
    int index = param_index(f, assign.value);
    if (auto alias = aliases.find(assign.value.root); assign.value.kind == ValueRef::Kind::Local && alias != aliases.end())
      index = alias->second;
    if (index < 0) continue;
    bool stored_outliving = false;
    for (const ValueKey& target : keys_of(assign.target, f))
      if (outliving(target)) {
        s.param_stores.emplace_back(index, target);
        stored_outliving = true;
      }
    // Stored in a field of an object of the helper's own (cmd->parmbuf = buf, then the command is
    // queued): the caller's local handle is no longer the only name of it.
    if (!stored_outliving && !assign.target.path.empty()) s.param_escapes.insert(index);
  }
  // Parameters whose object a list or map takes over (list_add(&p->node, &head)).
  for (const CallEvent& call : f.calls)
    if (const OwnershipTransfer* transfer = ownership_.transfer(call.callee);
        transfer && transfer->object_arg < static_cast<int>(call.args.size()))
      if (int index = param_index(f, call.args[transfer->object_arg]); index >= 0) s.param_escapes.insert(index);
  // Parameters passed on to unknown functions (not borrowing ones).
  for (const CallEvent& call : f.calls) {
    if (call.callee.empty() || api_names_.borrows_only(call.callee) || pairs_.knows(call.callee)) continue;
    if (module_.resolve_function(call.callee, fn.unit).function) continue;
    for (const ValueRef& arg : call.args)
      if (int index = param_index(f, arg); index >= 0 && arg.path.empty()) s.param_escapes.insert(index);
  }
  // Handed, or a member's address handed, to kernel code that may keep it and does not release
  // it (queue_work(wq, &p->work), request_irq(..., p)).
  for (const CallEvent& call : f.calls) {
    if (call.callee.empty() || !may_keep_arguments(call.callee, fn.unit) || !pairs_.releases_by_callee(call.callee).empty())
      continue;
    for (const ValueRef& arg : call.args)
      if (int index = param_index(f, arg); index >= 0 && hands_object(arg)) s.params_handed_on.insert(index);
  }
  // Handed on further down: a parameter passed to a function of the module that hands it on,
  // keeps it in its own objects or gives it to a list (mlx4's rule helpers, two calls deep). Only
  // the summaries the walk made: a summary first made here, deeper than where the walks need it,
  // would be kept for them all.
  for (const CallEvent& call : f.calls) {
    FunctionRef target = module_.resolve_function(call.callee, fn.unit);
    if (call.callee.empty() || !target.function || target.function == fn.function) continue;
    auto made = summaries_.find(target.function);
    if (made == summaries_.end()) continue;
    const Summary& callee = made->second;
    for (std::size_t a = 0; a < call.args.size(); ++a) {
      int position = static_cast<int>(a);
      if (!callee.params_handed_on.count(position) && !callee.param_escapes.count(position)) continue;
      if (int index = param_index(f, call.args[a]); index >= 0 && hands_object(call.args[a]))
        s.params_handed_on.insert(index);
    }
  }
  for (const Summary::Release& rel : s.releases)
    for (const ValueKey& k : rel.arg_keys)
      if (k.kind == ValueKey::Kind::Param && k.path.find_first_of("-.[") == std::string::npos)
        s.param_escapes.erase(k.index);
}


namespace {

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

// What outlives the acquire function on its successful returns, by acquire site.
State held_after(const WalkResult& acquired) {
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
  return start;
}

}  // namespace

// The resources of `unmanaged`, held at the start of the release function, that no end of its
// walk has released: one NeverReleased event per acquiring call.
void Engine::find_never_released(const PhasePair& p, const State& start, const std::vector<int>& unmanaged,
                                 const WalkResult& released) {
  const std::string& acquire_name = p.acquire.function->name;
  const FunctionFacts& rel = *p.release.function;
  // Functions the module hands to the kernel as callbacks (ops structs, driver structs).
  std::set<std::string> callbacks;
  for (const UnitFacts* unit : module_.units())
    for (const FunctionStore& store : unit->function_stores) callbacks.insert(store.function);
  callbacks.erase(acquire_name);
  std::set<SourceLocation> reported_sites;
  for (int s : unmanaged) {
    const Site& acquired_at = site(s);
    if (reported_sites.count(acquired_at.location)) continue;
    // Acquired by a helper that is also a callback (a watchdog's start op called from init):
    // its pairing callback (stop) releases it, not exit.
    if (callbacks.count(acquired_at.function)) continue;
    if (std::find(p.bus_releases.begin(), p.bus_releases.end(), acquired_at.pair->id) != p.bus_releases.end()) continue;
    // A reference on the module itself: exit cannot run while it is held.
    if (const Resource* r = start.find(s);
        r && !r->comps.empty() && r->comps[0].count(ValueKey::global("__this_module").with(ValueKey::Op::AddressOf)))
      continue;
    bool released_somewhere = released.success_ends.empty() && released.failure_ends.empty();
    for (const auto* ends : {&released.success_ends, &released.failure_ends})
      for (const State& end : *ends) {
        const Resource* r = end.find(s);
        if (!r || !r->live()) released_somewhere = true;
      }
    if (released_somewhere) continue;
    reported_sites.insert(acquired_at.location);
    events.never_released.push_back({acquire_site(s), acquire_name, rel.name, rel.location});
  }
}

}  // namespace lifetimes

LifetimeEvents analyze_lifetimes(const ModuleModel& module, const LifetimeTables& tables) {
  using namespace lifetimes;
  Engine engine(module, tables);
  for (const PhasePair& p : phase_pairs(module, tables.lifecycle)) {
    WalkResult acquired = engine.walk(p.acquire, Phase::Acquire, State{}, 0);
    if (!acquired.complete) continue;
    State start = held_after(acquired);
    if (!p.release.function) continue;
    const FunctionFacts& rel = *p.release.function;
    std::vector<int> unmanaged;
    for (const Resource& r : start.resources)
      if (!engine.site(r.site).pair->managed) unmanaged.push_back(r.site);
    if (rel.calls.empty() && p.module_entry) {
      if (unmanaged.empty()) continue;
      EmptyExit empty{rel.name, p.release_anchor, p.acquire.function->name, {}};
      for (int s : unmanaged) empty.kept.push_back(engine.acquire_site(s));
      engine.events.empty_exits.push_back(std::move(empty));
      continue;
    }
    WalkResult released = engine.walk(p.release, Phase::Teardown, start, 0);
    if (!released.complete) continue;
    engine.find_never_released(p, start, unmanaged, released);
  }
  engine.emit_leaks();
  engine.walk_every_function();
  engine.find_kept_without_release();
  return std::move(engine.events);
}

}  // namespace kmodlint
