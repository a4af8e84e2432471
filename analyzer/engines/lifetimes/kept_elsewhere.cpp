// Lifetimes that start outside init/probe (shape 6 of the lifetimes model): what a function off
// the init/probe path (a callback: open, ioctl, an IRQ handler, a work function, and the helpers
// they call) acquires and keeps in state that outlives it (a global, a field of a device's
// structure, the driver data) must be released by some function of the module: release(),
// remove(), exit(), or the callback that undoes it. Kept where nothing releases it, it leaks
// when the device or the module goes away.
#include <algorithm>
#include <functional>

#include "engines/lifetimes/engine.h"

namespace kmodlint::lifetimes {

namespace {

// Storage that another function of the module can name the same way: a global, a field of a
// structure type, the driver data.
bool shared_storage(const ValueKey& k) {
  return k.kind == ValueKey::Kind::Global || k.kind == ValueKey::Kind::Record || k.kind == ValueKey::Kind::Drvdata;
}

// Every name of a call argument: its keys, and for a plain local the storage it was read from
// anywhere in the function (buf = priv->buf; kfree(buf)), directly or through a getter of the
// module (item = pool_get(pool), which returns pool->head): `getter` gives the shared storage a
// called function returns.
std::set<ValueKey> names_of_argument(const ValueRef& v, const FunctionFacts& fn,
                                     const std::function<std::set<ValueKey>(const CallEvent&)>& getter) {
  std::set<ValueKey> out;
  for (const ValueKey& k : keys_of(v, fn)) out.insert(k.bare());
  // A field of a local struct (kfree(qname.name) after a helper filled qname->name): the same
  // field as the helper's.
  if (v.kind == ValueRef::Kind::Local && v.path.starts_with(".") && !v.record.empty() && !v.field.empty() &&
      v.path.ends_with(v.field))
    out.insert(ValueKey::record(v.record, v.field));
  if (v.kind != ValueRef::Kind::Local || !v.path.empty()) return out;
  for (const AssignEvent& assign : fn.assigns)
    if (assign.target.kind == ValueRef::Kind::Local && assign.target.path.empty() && assign.target.root == v.root) {
      for (const ValueKey& k : keys_of(assign.value, fn)) out.insert(k.bare());
      if (assign.value.kind == ValueRef::Kind::CallResult && getter)
        for (const ValueKey& k : getter(fn.calls[assign.value.call_index])) out.insert(k);
    }
  return out;
}

}  // namespace

// At a success return of a function walked on its own: the resources it acquired itself and keeps
// in shared storage.
void Engine::note_kept_outside_init(const Ctx& ctx, const State& state, bool failure) {
  const FunctionFacts& fn = *ctx.fn->function;
  if (failure || init_path_functions_.count(&fn) || teardown_functions_.count(&fn)) return;
  for (const Resource& r : state.resources) {
      // Stored is what this looks at (the walk counts a store as handed over too); passed on to a
    // callee that may release it is not.
    if (!r.live() || r.passed_on || r.comps.empty()) continue;
    const Site& s = sites_[r.site];
    if (s.function != fn.name || s.pair->managed || s.pair->published) continue;
    KeptOutsideInit kept{r.site, &fn, {}};
    kept.comps.resize(r.comps.size());
    bool shared = false;
    for (std::size_t j = 0; j < r.comps.size(); ++j)
      for (const ValueKey& k : r.comps[j])
        if (shared_storage(k.bare())) {
          kept.comps[j].insert(k.bare());
          if (j == 0) shared = true;
        }
    if (shared) kept_outside_init_.emplace(r.site, std::move(kept));
  }
}


// Every release of the module with the names it gives each handle component, by pair: table
// releases called directly, and the releases of the module's helpers at each call of them
// (free_core_struct(wb) kfree()s its parameter). A wrong release (del_timer() for
// del_timer_sync()) names it too: mismatched-release says why it is wrong.
std::vector<Engine::ModuleRelease> Engine::module_releases() {
  std::vector<ModuleRelease> out;
  const UnitFacts* current_unit = nullptr;
  // The shared storage a function of the module returns (return pool->head, or a local read from it).
  auto returned_storage = [&](const CallEvent& call) {
    std::set<ValueKey> storage;
    FunctionRef callee = call.callee.empty() ? FunctionRef{} : module_.resolve_function(call.callee, current_unit);
    if (!callee.function) return storage;
    for (const ReturnEvent& ret : callee.function->returns)
      for (const ValueKey& k : names_of_argument(ret.value, *callee.function, nullptr))
        if (shared_storage(k)) storage.insert(k);
    return storage;
  };
  auto add_direct = [&](const FunctionFacts& fn, const CallEvent& call, const CleanupPair* pair,
                        const std::vector<std::optional<int>>& handle_args) {
    ModuleRelease release{pair, {}};
    release.comps.resize(handle_args.size());
    for (std::size_t j = 0; j < handle_args.size(); ++j)
      if (handle_args[j] && *handle_args[j] < static_cast<int>(call.args.size()))
        release.comps[j] = names_of_argument(call.args[*handle_args[j]], fn, returned_storage);
    out.push_back(std::move(release));
  };
  for (const UnitFacts* unit : module_.units()) {
    current_unit = unit;
    for (const FunctionFacts& fn : unit->functions)
      for (const CallEvent& call : fn.calls) {
        for (const auto& match : pairs_.releases_by_callee(call.callee))
          add_direct(fn, call, match.pair, match.api->handle_args);
        for (const auto& match : pairs_.wrong_releases_by_callee(call.callee))
          if (!match.pair->release.empty()) add_direct(fn, call, match.pair, match.pair->release[0].handle_args);
        FunctionRef helper = call.callee.empty() ? FunctionRef{} : module_.resolve_function(call.callee, unit);
        if (!helper.function || helper.function == &fn) continue;
        for (const Summary::Release& rel : summary(helper, 1).releases) {
          ModuleRelease release{rel.pair, std::vector<std::set<ValueKey>>(rel.arg_keys.size())};
          for (std::size_t j = 0; j < rel.arg_keys.size(); ++j) {
            const ValueKey& k = rel.arg_keys[j];
            if (k.empty()) continue;
            if (k.kind == ValueKey::Kind::Param && k.path.empty() && k.ops.empty() &&
                k.index < static_cast<int>(call.args.size()))
              release.comps[j] = names_of_argument(call.args[k.index], fn, returned_storage);
            else if (ValueKey caller = in_caller_terms(k, call.args, fn); !caller.empty())
              release.comps[j].insert(caller.bare());
          }
          out.push_back(std::move(release));
        }
      }
  }
  return out;
}

void Engine::find_kept_without_release() {
  if (kept_outside_init_.empty()) return;
  std::vector<ModuleRelease> releases = module_releases();
  for (const auto& [site_id, kept] : kept_outside_init_) {
    const CleanupPair* pair = sites_[site_id].pair;
    bool released = std::any_of(releases.begin(), releases.end(), [&](const ModuleRelease& release) {
      if (release.pair != pair) return false;
      for (std::size_t j = 0; j < release.comps.size() && j < kept.comps.size(); ++j)
        for (const ValueKey& k : release.comps[j])
          if (kept.comps[j].count(k)) return true;
      return false;
    });
    if (released) continue;
    const ValueKey& storage = *kept.comps[0].begin();
    events.kept_without_release.push_back({acquire_site(site_id), kept.function->name, spelling(storage, *kept.function)});
  }
  kept_outside_init_.clear();
}

}  // namespace kmodlint::lifetimes
