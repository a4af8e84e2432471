// Lifetimes that start outside init/probe (shape 6 of the lifetimes model): what a function off
// the init/probe path (a callback: open, ioctl, an IRQ handler, a work function, and the helpers
// they call) acquires and keeps in state that outlives it (a global, a field of a device's
// structure, the driver data) must be released by some function of the module: release(),
// remove(), exit(), or the callback that undoes it. Kept where nothing releases it, it leaks
// when the device or the module goes away.
#include <algorithm>

#include "engines/lifetimes/engine.h"

namespace kmodlint::lifetimes {

namespace {

// Storage that another function of the module can name the same way: a global, a field of a
// structure type, the driver data.
bool shared_storage(const ValueKey& k) {
  return k.kind == ValueKey::Kind::Global || k.kind == ValueKey::Kind::Record || k.kind == ValueKey::Kind::Drvdata;
}

// How the source names the storage: "my_wq", "struct my_dev.buf", "the driver data".
std::string spelled(const ValueKey& k) {
  switch (k.kind) {
    case ValueKey::Kind::Global: return k.root + k.path;
    case ValueKey::Kind::Record: return "struct " + k.root + k.path;
    default: return "the driver data";
  }
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

// Every name each release call of the module gives its handle components, by pair: the keys of
// the arguments, and for a local the shared storage it was read from (buf = priv->buf; kfree(buf)).
// A wrong release (del_timer() for del_timer_sync()) names it too: mismatched-release says why
// it is wrong.
std::vector<Engine::ModuleRelease> Engine::module_releases() const {
  std::vector<ModuleRelease> out;
  auto add = [&](const FunctionFacts& fn, const CallEvent& call, const CleanupPair* pair,
                 const std::vector<std::optional<int>>& handle_args) {
    ModuleRelease release{pair, {}};
    release.comps.resize(handle_args.size());
    for (std::size_t j = 0; j < handle_args.size(); ++j) {
      const std::optional<int>& arg = handle_args[j];
      if (!arg || *arg >= static_cast<int>(call.args.size())) continue;
      const ValueRef& v = call.args[*arg];
      for (const ValueKey& k : keys_of(v, fn)) release.comps[j].insert(k.bare());
      if (v.kind != ValueRef::Kind::Local || !v.path.empty()) continue;
      for (const AssignEvent& assign : fn.assigns)
        if (assign.target.kind == ValueRef::Kind::Local && assign.target.path.empty() && assign.target.root == v.root)
          for (const ValueKey& k : keys_of(assign.value, fn)) release.comps[j].insert(k.bare());
    }
    out.push_back(std::move(release));
  };
  for (const UnitFacts* unit : module_.units())
    for (const FunctionFacts& fn : unit->functions)
      for (const CallEvent& call : fn.calls) {
        for (const auto& match : pairs_.releases_by_callee(call.callee)) add(fn, call, match.pair, match.api->handle_args);
        for (const auto& match : pairs_.wrong_releases_by_callee(call.callee))
          if (!match.pair->release.empty()) add(fn, call, match.pair, match.pair->release[0].handle_args);
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
    events.kept_without_release.push_back({acquire_site(site_id), kept.function->name, spelled(storage)});
  }
  kept_outside_init_.clear();
}

}  // namespace kmodlint::lifetimes
