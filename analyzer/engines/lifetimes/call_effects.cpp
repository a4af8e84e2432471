// What one call does to the state of a path: table acquires and releases, wrong releases,
// ownership moves, summaries of the module's helpers, and calls into code kmodlint does not know.
#include <algorithm>

#include "engines/concurrency/shared_globals.h"
#include "engines/lifetimes/engine.h"

namespace kmodlint::lifetimes {

void Engine::release(Ctx& ctx, State& state, Resource& r, const std::string& by, const SourceLocation& at,
                     bool definite, bool idempotent, bool recursive) {
  const std::string& fname = ctx.fn->function->name;
  if (!r.live()) {
    if (definite && r.definite_release && !idempotent && ctx.phase != Phase::Helper)
      events.double_releases.push_back(
          {acquire_site(r.site), fname, at, by, r.released_at, r.released_by, state.trail.since(r.acquired_on)});
    return;
  }
  int site_id = r.site;
  r.status = Resource::Status::Released;
  r.definite_release = definite;
  r.released_at = at;
  r.released_by = by;
  // A dependent resource released later than this one: release-order (checked when it is released).
  for (Resource& other : state.resources) {
    if (other.depends_on != site_id || !other.live()) continue;
    if (recursive) {
      release(ctx, state, other, by, at, false, true, true);
      continue;
    }
    if (definite) state.pending.push_back({other.site, site_id, at, by});
  }
  // This resource's own early-released bases.
  for (auto it = state.pending.begin(); it != state.pending.end();) {
    if (it->dependent == site_id) {
      if (ctx.phase != Phase::Helper)
        events.out_of_order.push_back(
            {acquire_site(it->base), acquire_site(site_id), fname, it->at, it->by, at, by});
      it = state.pending.erase(it);
    } else {
      ++it;
    }
  }
}

// Applies a release API with the given per-component argument keys to the matching resources.
// The release's primary handle argument is a name of the resource's component 0 (or of the first
// component the release takes).
static bool primary_matches(const Resource& r, const ReleaseApi& api, const std::vector<ValueKey>& keys) {
  for (std::size_t j = 0; j < keys.size() && j < r.comps.size(); ++j) {
    if (!api.handle_args[j]) continue;
    return !keys[j].empty() && !keys[j].plain(ValueKey::Kind::CallResult) && r.comps[j].count(keys[j]);
  }
  return false;
}

bool Engine::apply_release(Ctx& ctx, State& state, const CleanupPair* pair, const ReleaseApi* api,
                           const std::vector<ValueKey>& keys, const SourceLocation& at, const std::string& by,
                           std::set<int>& released_sites, bool via_helper, bool may_be_definite) {
  bool matched = false;
  // A live resource this release names: the ones it already released are not released again
  // (get, put, get, put is balanced).
  Resource* live_match = nullptr;
  for (Resource& r : state.resources)
    if (sites_[r.site].pair == pair && !released_sites.count(r.site) && r.live() && primary_matches(r, *api, keys))
      live_match = &r;  // the latest acquire
  // A reference count: one release undoes one acquire.
  if (pair->counted && live_match) {
    released_sites.insert(live_match->site);
    std::size_t first = 0;
    while (first < keys.size() && !api->handle_args[first]) ++first;
    release(ctx, state, *live_match, by, at,
            may_be_definite && first < keys.size() && !keys[first].has_element() &&
                keys[first].kind != ValueKey::Kind::Record,
            api->idempotent, api->recursive);
    return true;
  }
  // A live resource every compared component of the release names: the release is for it, and a
  // sibling with other secondary components (another attribute of the same device) is no mismatch.
  bool exact_live_match = std::any_of(state.resources.begin(), state.resources.end(), [&](const Resource& r) {
    if (sites_[r.site].pair != pair || released_sites.count(r.site) || !r.live() || !primary_matches(r, *api, keys))
      return false;
    for (std::size_t j = 0; j < keys.size() && j < r.comps.size(); ++j)
      if (api->handle_args[j] && !keys[j].empty() && !r.comps[j].empty() &&
          !keys[j].plain(ValueKey::Kind::CallResult) && !r.comps[j].count(keys[j]))
        return false;
    return true;
  });
  auto stable = [](const ValueKey& k) {
    using K = ValueKey::Kind;
    return k.kind == K::Constant || k.kind == K::Global || k.kind == K::Function;
  };
  for (Resource& r : state.resources) {
    if (sites_[r.site].pair != pair || released_sites.count(r.site)) continue;
    if (live_match && !r.live()) continue;
    bool differs = false, primary_equal = false;
    int first = -1;
    for (std::size_t j = 0; j < keys.size() && j < r.comps.size(); ++j) {
      if (!api->handle_args[j]) continue;
      if (first < 0) first = static_cast<int>(j);
      // A call's result in the release (resource_size(res)) is another call than the acquire's.
      if (keys[j].empty() || r.comps[j].empty() || keys[j].plain(ValueKey::Kind::CallResult)) continue;
      // Teardown names a secondary component (free_irq()'s dev_id) by its own locals, which the
      // acquire's names (where probe also stored the pointer: card->self = card) cannot know;
      // only a stable name (a global, a constant) can tell two resources apart there.
      if (ctx.phase == Phase::Teardown && first >= 0 && static_cast<int>(j) != first && !stable(keys[j])) continue;
      if (r.comps[j].count(keys[j])) {
        if (static_cast<int>(j) == first) primary_equal = true;
      } else {
        differs = true;
      }
    }
    bool stable_difference = true;
    for (std::size_t j = 0; j < keys.size() && j < r.comps.size(); ++j) {
      if (!api->handle_args[j] || keys[j].empty() || r.comps[j].empty() || r.comps[j].count(keys[j])) continue;
      if (!stable(keys[j]) || !std::all_of(r.comps[j].begin(), r.comps[j].end(), stable)) stable_difference = false;
    }
    if (differs && primary_equal && stable_difference && !exact_live_match && !has_sibling(r.site) && !via_helper &&
        r.live() && ctx.phase != Phase::Helper) {
      // Same object, different secondary component (free_irq with another dev_id).
      events.mismatches.push_back({Mismatch::How::DifferentArguments, acquire_site(r.site), ctx.fn->function->name,
                                   at, by, {}, state.trail.since(r.acquired_on)});
      released_sites.insert(r.site);
      state.erase(r.site);
      return true;
    }
    if (differs) continue;
    matched = true;
    // A failed registration that still holds a reference (device_register): only its
    // failure_release undoes it.
    if (r.status == Resource::Status::FailedHeld && ctx.phase == Phase::Standalone && !via_helper) {
      const AcquireApi* acquired_by = sites_[r.site].api;
      if (std::find(acquired_by->failure_release.begin(), acquired_by->failure_release.end(), api->name) ==
              acquired_by->failure_release.end() &&
          reported_.insert({at, r.site, 3}).second)
        events.releases_without_acquire.push_back({ReleaseWithoutAcquire::How::FailedRegistration,
                                                   acquire_site(r.site), ctx.fn->function->name, at, by, {},
                                                   acquired_by->failure_release.front(),
                                                   state.trail.since(r.acquired_on)});
    }
    // Equal, or nothing comparable (a release of the same API on an unknown value: a loop over an
    // array, an expression): it may release this resource, stop worrying about it.
    released_sites.insert(r.site);
    // Other pairs acquired by the same call (several pairs whose entries expand to one callee):
    // the one released here was the right one.
    for (Resource& sibling : state.resources)
      if (sibling.site != r.site && sibling.live() && sites_[sibling.site].location == sites_[r.site].location) {
        released_sites.insert(sibling.site);
        sibling.status = Resource::Status::Released;
      }
    // Definite only when the primary handle argument itself is the same value (not an array
    // element or an expression that the loop recomputes).
    // R: keys name a field of any instance of a struct, so they cannot tell two instances apart.
    release(ctx, state, r, by, at,
            may_be_definite && primary_equal && !keys[first].has_element() &&
                keys[first].kind != ValueKey::Kind::Record,
            api->idempotent,
            api->recursive);
  }
  // also_releases: the other pair on the same handle.
  for (const std::string& other_id : api->also_releases) {
    const CleanupPair* other = pairs_.find(other_id);
    if (!other) continue;
    for (Resource& r : state.resources)
      if (sites_[r.site].pair == other && r.live() && !keys.empty() && !keys[0].empty() && !r.comps.empty() &&
          r.comps[0].count(keys[0]))
        release(ctx, state, r, by, at, false, true, false);
  }
  return matched;
}

bool Engine::process_call(Ctx& ctx, State& state, int call_index) {
  const FunctionFacts& fn = *ctx.fn->function;
  const CallEvent& call = fn.calls[call_index];
  if (call.noreturn) return false;
  if (ctx.phase == Phase::Standalone) {
    std::vector<std::vector<ValueKey>> used;
    for (const ValueRef& arg : call.args) used.push_back(keys_of(arg, fn));
    find_unchecked_uses(ctx, state, used, call.location, call.callee, call_index);
    mark_handed_over(ctx, state, call_index);
  }
  if (call.callee.empty()) return true;
  const std::string& callee = call.callee;
  // A value known only at run time is not a compile-time constant: bitop()'s const_ variant and
  // other __builtin_constant_p() arms are not taken.
  if (callee == "__builtin_constant_p") {
    state.knowledge[ValueKey::call_result(call_index)] = kZero;
    return true;
  }
  if (process_ownership_move(ctx, state, call_index)) return true;

  std::set<int> released_sites;
  bool known = apply_releases(ctx, state, call_index, released_sites);
  if (apply_failure_releases(ctx, state, call_index, released_sites)) known = true;
  if (apply_wrong_releases(ctx, state, call_index, released_sites)) known = true;
  if (apply_acquires(ctx, state, call_index)) known = true;
  if (!pairs_.setups_by_callee(callee).empty()) known = true;
  if (known) return true;

  // A function of the module: apply its summary.
  if (apply_helper(ctx, state, call_index)) return true;

  // Something kmodlint knows nothing about.
  if (api_names_.borrows_only(callee)) return true;
  pass_to_unknown(ctx, state, call_index);
  return true;
}

// The releases the table lists for the callee. True when the callee releases something.
bool Engine::apply_releases(Ctx& ctx, State& state, int call_index, std::set<int>& released_sites) {
  const FunctionFacts& fn = *ctx.fn->function;
  const CallEvent& call = fn.calls[call_index];
  bool known = false;
  for (const auto& match : pairs_.releases_by_callee(call.callee)) {
    known = true;
    std::vector<ValueKey> keys;
    for (std::size_t j = 0; j < match.api->handle_args.size(); ++j) {
      const auto& index = match.api->handle_args[j];
      if (!index || *index >= static_cast<int>(call.args.size())) {
        keys.push_back({});
        continue;
      }
      HandleComponent c;
      c.from = HandleComponent::From::Arg;
      c.index = *index;
      if (j == 0) c.member = match.api->member;
      keys.push_back(component_key(c, call, call_index, fn));
    }
    for (std::size_t j = 0; j < keys.size(); ++j) {
      auto named = [&](const ValueKey& k) {
        return std::any_of(state.resources.begin(), state.resources.end(), [&](const Resource& r) {
          return sites_[r.site].pair == match.pair && j < r.comps.size() && r.comps[j].count(k);
        });
      };
      // path_put(&path) after kern_path(name, flags, &path): the release takes the address of the
      // object the acquire filled in through its out argument.
      if (keys[j].ops == std::vector{ValueKey::Op::AddressOf} && !named(keys[j]) && named(keys[j].without_first_op())) {
        keys[j] = keys[j].without_first_op();
        continue;
      }
      // cdev_del(&dev->cdev) with dev = devs + i releases what &devs[i].cdev named.
      std::vector<ValueKey> alternatives{keys[j]};
      add_element_names(state, alternatives);
      if (alternatives.size() < 2) continue;
      if (!named(keys[j]) && named(alternatives[1])) keys[j] = alternatives[1];
    }
    ctx.result->add_release({match.pair, match.api, visible_names(state, keys)});
    // led_classdev_unregister(&leds[i]) in an unwind loop: each iteration another element.
    bool element_arg = std::any_of(match.api->handle_args.begin(), match.api->handle_args.end(), [&](const auto& index) {
      return index && *index < static_cast<int>(call.args.size()) &&
             call.args[*index].path.find("[]") != std::string::npos;
    });
    if (!apply_release(ctx, state, match.pair, match.api, keys, call.location, match.api->name, released_sites, false,
                       !element_arg) &&
        ctx.phase == Phase::Standalone && !element_arg) {
      // Every name of the primary handle argument (&priv->misc is also struct's field).
      std::vector<ValueKey> primary;
      for (std::size_t j = 0; j < match.api->handle_args.size(); ++j) {
        const auto& index = match.api->handle_args[j];
        if (!index || *index >= static_cast<int>(call.args.size())) continue;
        HandleComponent c;
        c.from = HandleComponent::From::Arg;
        c.index = *index;
        if (j == 0) c.member = match.api->member;
        primary = component_keys(c, call, call_index, fn);
        add_element_names(state, primary);
        break;
      }
      release_of_failed(ctx, state, match.pair, match.api, primary, call.location, match.api->name);
    }
  }
  return known;
}

// Releases on the failure path of acquired_on_failure resources (put_device after device_register).
bool Engine::apply_failure_releases(Ctx& ctx, State& state, int call_index, std::set<int>& released_sites) {
  const FunctionFacts& fn = *ctx.fn->function;
  const CallEvent& call = fn.calls[call_index];
  bool known = false;
  for (Resource& r : state.resources) {
    if (r.status != Resource::Status::FailedHeld || released_sites.count(r.site)) continue;
    const AcquireApi* api = sites_[r.site].api;
    if (std::find(api->failure_release.begin(), api->failure_release.end(), call.callee) == api->failure_release.end())
      continue;
    if (!call.args.empty() && !r.comps.empty() && r.comps[0].count(key_of(call.args[0], fn))) {
      known = true;
      released_sites.insert(r.site);
      release(ctx, state, r, call.callee, call.location, true, false, false);
    }
  }
  return known;
}

// Wrong releases (wrong_release in the table): a mismatched-release finding.
bool Engine::apply_wrong_releases(Ctx& ctx, State& state, int call_index, std::set<int>& released_sites) {
  const FunctionFacts& fn = *ctx.fn->function;
  const CallEvent& call = fn.calls[call_index];
  bool known = false;
  for (const auto& match : pairs_.wrong_releases_by_callee(call.callee)) {
    known = true;
    if (match.api->teardown_only && ctx.phase != Phase::Teardown) continue;
    if (call.args.empty()) continue;
    ValueKey key = key_of(call.args[0], fn);
    // An array element (input_free_device(grip->dev[i]) after element i failed to register): the
    // element released need not be the one the resource is.
    if (key.empty() || call.args[0].path.find("[]") != std::string::npos) continue;
    for (Resource& r : state.resources) {
      if (sites_[r.site].pair != match.pair || !r.live() || released_sites.count(r.site)) continue;
      if (r.comps.empty() || !r.comps[0].count(key)) continue;
      // flush_workqueue() before the destroy_workqueue() (or a helper given the object) that
      // follows: a step of the teardown, not a release taken for another.
      if (match.api->before_release_ok && release_follows(ctx, match.pair, call_index, r.comps[0])) break;
      events.mismatches.push_back({Mismatch::How::WrongFunction, acquire_site(r.site), fn.name, call.location,
                                   match.api->name, match.api->reason, state.trail.since(r.acquired_on)});
      int id = r.site;
      released_sites.insert(id);
      state.erase(id);
      break;
    }
  }
  return known;
}

// The acquires the table lists for the callee. True when the callee acquires something.
bool Engine::apply_acquires(Ctx& ctx, State& state, int call_index) {
  const FunctionFacts& fn = *ctx.fn->function;
  const CallEvent& call = fn.calls[call_index];
  const std::string& callee = call.callee;
  bool known = false;
  std::set<const CleanupPair*> acquired_pairs;
  auto acquire_matches = pairs_.acquires_by_callee(callee);
  // Several entries of a pair may expand to the same callee (create_workqueue, alloc_workqueue):
  // prefer the one named like the callee, take one per pair.
  std::stable_sort(acquire_matches.begin(), acquire_matches.end(), [&](const auto& a, const auto& b) {
    return (a.api->name == callee) > (b.api->name == callee);
  });
  for (const auto& match : acquire_matches) {
    known = true;
    if (!arguments_match(*match.api, call, fn)) continue;
    if (!acquired_pairs.insert(match.pair).second) continue;
    // The call drops the reference its `from` argument held (pci_get_device, of_find_node_by_name).
    for (const AcquireApi::Consume& consume : match.api->consumes) {
      if (consume.arg >= static_cast<int>(call.args.size())) continue;
      ValueKey key = key_of(call.args[consume.arg], fn);
      if (key.empty() || key.plain(ValueKey::Kind::Constant)) continue;
      for (Resource& held : state.resources)
        if (sites_[held.site].pair == match.pair && held.live() && !held.comps.empty() && held.comps[0].count(key))
          release(ctx, state, held, callee, call.location, false, true, false);
    }
    if (match.pair->managed) {
      // A handle given to devres (devm_add_action(dev, undo, handle)) is devres's to release now.
      std::vector<int> moved;
      for (std::size_t a = 1; a < call.args.size(); ++a) {
        ValueKey key = key_of(call.args[a], fn);
        if (key.empty() || key.plain(ValueKey::Kind::Constant) || key.plain(ValueKey::Kind::Function)) continue;
        for (const Resource& r : state.resources)
          if (r.live() && !r.comps.empty() && r.comps[0].count(key)) moved.push_back(r.site);
      }
      for (int m : moved) state.erase(m);
    }
    Resource r;
    r.site = site_for(match.pair, match.api, call.location, fn.name);
    r.acquired_on = state.trail;
    for (const HandleComponent& c : match.api->handle) {
      std::vector<ValueKey> keys = component_keys(c, call, call_index, fn);
      add_element_names(state, keys);
      r.comps.emplace_back(keys.begin(), keys.end());
      state.add_same_values(r.comps.back());
    }
    if (std::all_of(r.comps.begin(), r.comps.end(), [](const auto& c) { return c.empty(); }))
      continue;  // cannot name the handle: do not guess
    if (registered_in_module(*match.pair, r, ctx) || managed_by_devres(*match.api, call, state, fn)) continue;
    ValueKey status = ValueKey::call_result(call_index);
    r.status_keys.insert(status);
    if (match.api->handle[0].from == HandleComponent::From::Return)
      for (const ValueKey& k : r.comps[0]) r.status_keys.insert(k);
    // get_device(dev) returns dev: put_device(dev) releases it even when the result is dropped.
    if (match.api->returns_arg >= 0 && match.api->returns_arg < static_cast<int>(call.args.size()))
      for (const ValueKey& k : keys_of(call.args[match.api->returns_arg], fn))
        if (!k.plain(ValueKey::Kind::Constant)) r.comps[0].insert(k);
    std::erase_if(state.failed, [&](const FailedAcquire& f) { return f.site == r.site; });
    r.fails = match.api->fails;
    bool checked = match.api->fails != FailsOn::Never && !match.api->unchecked_ok;
    r.status = checked ? Resource::Status::Maybe : Resource::Status::Held;
    if (match.api->fails != FailsOn::Never) state.knowledge[status] = domain_of(match.api->fails);
    if (ctx.phase == Phase::Standalone && child_of_embedded_parent(*match.pair, call)) r.handed_over = true;
    for (const ArgRef& dep : match.api->depends_on) {
      if (dep.arg >= static_cast<int>(call.args.size())) continue;
      ValueKey key = key_of(call.args[dep.arg], fn);
      if (key.empty()) continue;
      for (const Resource& base : state.resources)
        if (base.live() && sites_[base.site].pair->id == dep.pair && !base.comps.empty() && base.comps[0].count(key))
          r.depends_on = base.site;
    }
    if (Resource* existing = state.find(r.site)) {
      if (existing->live() && existing->status != Resource::Status::Maybe) {
        r.prior = true;
        r.handed_over = existing->handed_over;  // what earlier iterations gave away stays given away
        r.passed_on = existing->passed_on;
        for (std::size_t j = 0; j < r.comps.size() && j < existing->comps.size(); ++j)
          for (const ValueKey& k : existing->comps[j])
            if (!k.plain(ValueKey::Kind::CallResult)) r.comps[j].insert(k);
      } else if (existing->live()) {
        r.prior = existing->prior;
      }
    }
    state.put(std::move(r));
  }
  return known;
}

// A call of a function of the module: applies its summary. False when the callee is not one.
bool Engine::apply_helper(Ctx& ctx, State& state, int call_index) {
  const FunctionFacts& fn = *ctx.fn->function;
  const CallEvent& call = fn.calls[call_index];
  const std::string& callee = call.callee;
  FunctionRef target = module_.resolve_function(callee, ctx.fn->unit);
  if (!target.function || target.function == ctx.fn->function || ctx.depth >= 4) return false;
  const Summary& s = summary(target, ctx.depth + 1);
  auto translate = [&](const ValueKey& key) { return in_caller_terms(key, call.args, fn); };
  std::set<int> helper_released;
  for (const Summary::Release& rel : s.releases) {
    std::vector<ValueKey> keys;
    for (const ValueKey& k : rel.arg_keys) keys.push_back(k.empty() ? ValueKey{} : translate(k));
    ctx.result->add_release({rel.pair, rel.api, keys});
    apply_release(ctx, state, rel.pair, rel.api, keys, call.location, callee, helper_released, true);
  }
  ValueKey status = ValueKey::call_result(call_index);
  for (const Summary::Acquire& acq : s.acquires) {
    Resource r;
    r.site = acq.site;
    r.acquired_on = state.trail;
    for (const auto& comp : acq.comps) {
      std::set<ValueKey> keys;
      for (const ValueKey& k : comp) {
        ValueKey t = translate(k);
        if (!t.empty()) keys.insert(t);
      }
      r.comps.push_back(keys);
    }
    if (std::all_of(r.comps.begin(), r.comps.end(), [](const auto& c) { return c.empty(); })) continue;
    r.fails = s.fails;
    if (acq.held_on_failure || s.fails == FailsOn::Never) {
      r.status = Resource::Status::Held;
      if (acq.held_on_failure) r.held_if_fails = status;
    } else {
      r.status_keys.insert(status);
      r.status = Resource::Status::Maybe;
    }
    if (Resource* existing = state.find(r.site); existing && existing->live()) {
      r.prior = true;
      r.handed_over = existing->handed_over;
      r.passed_on = existing->passed_on;
    }
    state.put(std::move(r));
  }
  if (s.fails != FailsOn::Never) state.knowledge[status] = domain_of(s.fails);
  for (const auto& [p, storage] : s.param_stores) {
    if (p >= static_cast<int>(call.args.size())) continue;
    std::vector<ValueKey> passed = keys_of(call.args[p], fn);
    ValueKey where = translate(storage);
    if (passed.empty() || where.empty()) continue;
    for (Resource& r : state.resources)
      if (r.live() && !r.comps.empty() && names_any(r.comps[0], passed)) {
        r.comps[0].insert(where.bare());
        // Kept, as by a store of the function's own, even once the local it was stored
        // through is reassigned (target = NULL after a cleanup helper).
        if (ctx.phase == Phase::Standalone) r.handed_over = true;
      }
  }
  if (ctx.phase == Phase::Standalone)
    for (int p : s.params_handed_on) {
      if (p >= static_cast<int>(call.args.size())) continue;
      // The object handed on, or the one whose member's address is: and what is stored in it.
      for (int site_id : resources_in_object(state, call.args[p], fn))
        if (Resource* r = state.find(site_id)) r->handed_over = r->passed_on = true;
    }
  // Locals handed to a helper that does not release them: ownership may have moved.
  for (int p : s.param_escapes) {
    if (p >= static_cast<int>(call.args.size())) continue;
    ValueKey key = key_of(call.args[p], fn);
    std::vector<int> gone;
    for (const Resource& r : state.resources)
      if (r.live() && is_local(key) && !r.comps.empty() &&
          (r.comps[0].count(key) ||
           (key.starts_with_op(ValueKey::Op::AddressOf) && r.comps[0].count(key.without_first_op()))))
        gone.push_back(r.site);
    // &entry->resource handed on: the object it is a member of goes with it.
    if (call.args[p].kind == ValueRef::Kind::Local && call.args[p].address_of && !call.args[p].field.empty())
      for (int site_id : resources_in_object(state, call.args[p], fn))
        if (std::find(gone.begin(), gone.end(), site_id) == gone.end()) gone.push_back(site_id);
    for (int site_id : gone) state.erase(site_id);
  }
  return true;
}

// A call kmodlint knows nothing about: what it is handed may be released or kept by it.
void Engine::pass_to_unknown(Ctx& ctx, State& state, int call_index) {
  const FunctionFacts& fn = *ctx.fn->function;
  const CallEvent& call = fn.calls[call_index];
  std::vector<int> gone;
  for (const ValueRef& arg : call.args) {
    ValueKey key = key_of(arg, fn);
    if (key.empty()) continue;
    for (const Resource& r : state.resources) {
      if (!r.live() || r.comps.empty()) continue;
      bool names = r.comps[0].count(key) ||
                   (key.starts_with_op(ValueKey::Op::AddressOf) && r.comps[0].count(key.without_first_op()));
      if (!names) continue;
      if (ctx.phase == Phase::Teardown || is_local(key)) gone.push_back(r.site);
    }
  }
  let_go(ctx, state, gone, call);
}

// Registered in a structure the module defines (its own notifier chain): freed with the module.
// A child created on a parent embedded in one of the module's own structures
// (i2c_new_client_device(&btv->c.i2c_adap, ...)): the module registered that parent, and removing
// it removes the child, so a function that drops its pointer to the child has not lost it.
bool Engine::child_of_embedded_parent(const CleanupPair& pair, const CallEvent& call) const {
  int arg = pair.removed_with_parent;
  if (arg < 0 || arg >= static_cast<int>(call.args.size())) return false;
  const ValueRef& parent = call.args[arg];
  return parent.address_of && !parent.path.empty() &&
         (parent.kind == ValueRef::Kind::Local || parent.kind == ValueRef::Kind::Param ||
          parent.kind == ValueRef::Kind::Global);
}

bool Engine::registered_in_module(const CleanupPair& pair, const Resource& r, const Ctx& ctx) const {
  int j = pair.module_owned_container;
  if (j < 0 || j >= static_cast<int>(r.comps.size())) return false;
  for (const ValueKey& key : r.comps[j]) {
    if (key.kind != ValueKey::Kind::Global || key.ops != std::vector<ValueKey::Op>{ValueKey::Op::AddressOf} ||
        key.path.find_first_of(".-[") != std::string::npos)
      continue;
    if (find_module_global(module_, ctx.fn->unit, key.root + key.path, ctx.fn->function->name)) return true;
  }
  return false;
}

// The call acquires on a handle that a managed resource covers (vectors of a pcim_enable_device'd device).
bool Engine::managed_by_devres(const AcquireApi& api, const CallEvent& call, const State& state,
                               const FunctionFacts& fn) const {
  for (const ArgRef& after : api.managed_after) {
    if (after.arg >= static_cast<int>(call.args.size())) continue;
    std::vector<ValueKey> keys = keys_of(call.args[after.arg], fn);
    for (const Resource& r : state.resources)
      if (r.live() && sites_[r.site].pair->id == after.pair && !r.comps.empty() && names_any(r.comps[0], keys))
        return true;
  }
  return false;
}

// The table's ownership moves (rules/ownership.yaml). True when the call needs nothing more.
bool Engine::process_ownership_move(Ctx& ctx, State& state, int call_index) {
  const FunctionFacts& fn = *ctx.fn->function;
  const CallEvent& call = fn.calls[call_index];
  if (const DrvdataSetter* setter = ownership_.drvdata_setter(call.callee)) {
    if (setter->value_arg < static_cast<int>(call.args.size())) {
      std::vector<ValueKey> keys = keys_of(call.args[setter->value_arg], fn);
      for (Resource& r : state.resources)
        if (r.live() && !r.comps.empty() && names_any(r.comps[0], keys)) r.comps[0].insert(ValueKey::drvdata());
      // The driver data is a member of the object (efx = &probe_data->efx; pci_set_drvdata(pdev,
      // efx); remove finds probe_data with container_of()): the object is kept with it.
      if (ctx.phase == Phase::Standalone)
        for (int site : resources_reached_from(state, call.args[setter->value_arg], fn))
          if (Resource* r = state.find(site)) r->handed_over = true;
    }
    return true;
  }
  if (ownership_.drvdata_getter(call.callee)) {
    for (Resource& r : state.resources)
      if (!r.comps.empty() && r.comps[0].count(ValueKey::drvdata())) r.comps[0].insert(ValueKey::call_result(call_index));
    return true;
  }
  if (const OwnershipTransfer* transfer = ownership_.transfer(call.callee)) {
    if (ctx.phase != Phase::Teardown && transfer->object_arg < static_cast<int>(call.args.size()))
      for (int site_id : resources_in_object(state, call.args[transfer->object_arg], fn)) state.erase(site_id);
    return true;
  }
  if (const CallbackInvoker* invoker = ownership_.callback_invoker(call.callee)) run_callback(ctx, state, call, *invoker);
  auto listed = [&](const std::vector<std::string>& names) {
    return std::find(names.begin(), names.end(), call.callee) != names.end();
  };
  if (call.args.size() >= 2 && (listed(ownership_.bit_setters) || listed(ownership_.bit_clearers) ||
                                listed(ownership_.bit_testers))) {
    ValueKey nr = key_of(call.args[0], fn), word = key_of(call.args[1], fn);
    if (nr.empty() || word.empty()) return true;
    ValueKey bit = ValueKey::bit(nr, word.bare());
    if (listed(ownership_.bit_setters)) state.knowledge[bit] = kPos;
    else if (listed(ownership_.bit_clearers)) state.knowledge[bit] = kZero;
    else if (auto found = state.knowledge.find(bit); found != state.knowledge.end())
      state.knowledge[ValueKey::call_result(call_index)] = found->second;
    return true;
  }
  return false;
}

// A module function handed to the kernel with a data argument (kref_put(&o->ref, release),
// devm_add_action_or_reset(dev, undo, data)): what it releases, with its parameter bound to the data,
// is released here or from now on by devres. The object the data points into goes with it.
void Engine::run_callback(Ctx& ctx, State& state, const CallEvent& call, const CallbackInvoker& invoker) {
  const FunctionFacts& fn = *ctx.fn->function;
  if (invoker.callback_arg >= static_cast<int>(call.args.size()) || invoker.data_arg >= static_cast<int>(call.args.size()))
    return;
  std::vector<std::string> callbacks;
  if (invoker.callback_arg >= 0) {
    const ValueRef& callback = call.args[invoker.callback_arg];
    if (callback.kind != ValueRef::Kind::Function) return;
    callbacks.push_back(callback.root);
  } else {
    // Stored by an initializer, or assigned (wrapper->aux_dev.dev.release = my_release).
    auto hook = [&](const std::string& record, const std::string& field) {
      return std::find(invoker.callback_fields.begin(), invoker.callback_fields.end(), std::pair{record, field}) !=
             invoker.callback_fields.end();
    };
    for (const UnitFacts* unit : module_.units()) {
      for (const FunctionStore& store : unit->function_stores)
        if (hook(store.record, store.field)) callbacks.push_back(store.function);
      for (const FunctionFacts& function : unit->functions)
        for (const AssignEvent& assign : function.assigns)
          if (assign.value.kind == ValueRef::Kind::Function && hook(assign.target.record, assign.target.field))
            callbacks.push_back(assign.value.root);
    }
    std::sort(callbacks.begin(), callbacks.end());
    callbacks.erase(std::unique(callbacks.begin(), callbacks.end()), callbacks.end());
    if (callbacks.empty()) return;
  }
  std::vector<ValueRef> bound{call.args[invoker.data_arg]};
  std::set<int> released;
  for (const std::string& name : callbacks) {
    FunctionRef target = module_.resolve_function(name, ctx.fn->unit);
    if (!target.function || target.function == ctx.fn->function || ctx.depth >= 4) continue;
    const Summary& s = summary(target, ctx.depth + 1);
    for (const Summary::Release& rel : s.releases) {
      std::vector<ValueKey> keys;
      for (const ValueKey& k : rel.arg_keys) keys.push_back(k.empty() ? ValueKey{} : in_caller_terms(k, bound, fn));
      ctx.result->add_release({rel.pair, rel.api, keys});
      apply_release(ctx, state, rel.pair, rel.api, keys, call.location, name, released, true, false);
    }
  }
  // Also the object a local points into (adev = &madev->adev; auxiliary_device_uninit(adev)).
  if (invoker.runs == CallbackInvoker::Runs::Now) let_go(ctx, state, resources_reached_from(state, bound[0], fn), call);
}

// Stops tracking `sites`: whatever runs now may release them (in teardown they count as released).
void Engine::let_go(Ctx& ctx, State& state, const std::vector<int>& sites, const CallEvent& call) {
  for (int site_id : sites) {
    if (ctx.phase == Phase::Teardown) {
      if (Resource* r = state.find(site_id)) release(ctx, state, *r, call.callee, call.location, false, true, false);
    } else {
      state.erase(site_id);
    }
  }
}

}  // namespace kmodlint::lifetimes
