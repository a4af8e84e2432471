// Every function of the module walked on its own (Phase::Standalone), after the phases: what a
// function loses at its returns (lost-resource), what it releases that the path never acquired
// (release-without-acquire), and acquire results it uses or keeps without testing them
// (unchecked-acquire).
#include <algorithm>

#include "common/identifier_text.h"

#include "engines/lifetimes/engine.h"

namespace kmodlint::lifetimes {

namespace {

enum EventKind { kLost = 1, kReleaseOfFailed = 2, kUncheckedUse = 4, kUncheckedKept = 5 };

// The acquire's handle is an object the call creates or hands out (a return value, or what it
// writes through an out argument), not an object the caller already names.
bool created_by_acquire(const AcquireApi& api) {
  return !api.handle.empty() &&
         (api.handle[0].from == HandleComponent::From::Return || api.handle[0].from == HandleComponent::From::OutArg);
}

// The assignment sets the plain local `name` itself (not a field of it, not through it).
bool assigns_local(const AssignEvent& assign, const std::string& name) {
  const ValueRef& t = assign.target;
  return t.kind == ValueRef::Kind::Local && t.root == name && t.path.empty() && !t.dereferenced;
}

}  // namespace

// Every event of the walk on its own needs a resource the function acquires itself: a call of a
// table acquire, or of a helper of the module whose summary acquires.
bool Engine::acquires_anything(const FunctionRef& ref) {
  for (const CallEvent& call : ref.function->calls) {
    if (call.callee.empty()) continue;
    if (!pairs_.acquires_by_callee(call.callee).empty()) return true;
    FunctionRef target = module_.resolve_function(call.callee, ref.unit);
    if (target.function && target.function != ref.function && !summary(target, 1).acquires.empty()) return true;
  }
  return false;
}

void Engine::walk_every_function() {
  judging_init_paths_ = false;
  for (const UnitFacts* unit : module_.units())
    for (const FunctionFacts& f : unit->functions) {
      if (f.entry_block < 0 || f.blocks.empty()) continue;
      FunctionRef ref{unit, &f};
      if (!acquires_anything(ref)) continue;
      walk(ref, Phase::Standalone, State{}, 0);
    }
}

// Only the function's own plain local variables name it (and call results, constants): no field,
// no global, no parameter, no driver data, and nothing it was handed to may keep it.
bool Engine::lost_candidate(const Resource& r) const {
  const Site& s = sites_[r.site];
  if (s.pair->managed || s.pair->published || r.handed_over || !created_by_acquire(*s.api)) return false;
  // get_device(dev)-style: a reference on an object the function got from elsewhere, which the
  // code that gave it may drop (usb_get_dev(interface_to_usbdev(intf)), put in disconnect).
  if (s.api->returns_arg >= 0) return false;
  bool named_by_local = false;
  for (std::size_t j = 0; j < r.comps.size(); ++j)
    for (const ValueKey& k : r.comps[j]) {
      if (outliving(k) || k.kind == ValueKey::Kind::Drvdata) return false;
      if (k.kind != ValueKey::Kind::Local) continue;
      if (!k.path.empty() || !k.ops.empty()) return false;  // stored in an object, or through a pointer
      if (j == 0) named_by_local = true;
    }
  return named_by_local;
}

void Engine::find_lost(Ctx& ctx, const State& state, const ReturnEvent& ret, bool failure) {
  const FunctionFacts& fn = *ctx.fn->function;
  // Error returns of init/probe and their helpers are leak-on-init-error's.
  if (failure && init_path_functions_.count(&fn)) return;
  ValueKey returned = key_of(ret.value, fn);
  for (const Resource& r : state.resources) {
    if (!r.live() || !lost_candidate(r)) continue;
    // At an error return, only what the path knows it holds (not a result it never tested, which
    // may be the very failure it returns).
    if (failure && r.status == Resource::Status::Maybe) continue;
    if (!returned.empty() && r.status_keys.count(returned)) continue;
    std::string handle;
    for (const ValueKey& k : r.comps[0])
      if (k.kind == ValueKey::Kind::Local) {
        handle = k.root;
        break;
      }
    // Only a macro's own temporary names it (kthread_run()'s __k): what the macro's value
    // becomes is not followed.
    if (handle.starts_with("__")) continue;
    // Returned inside an expression (return p ? p + offset : NULL): it leaves with the caller.
    if (ret.value.kind == ValueRef::Kind::Other && mentions_as_value(ret.value.text, handle)) continue;
    if (returns_what_handle_leads_to(fn, ret, handle) || points_only_into_objects(fn, handle) ||
        dropped_for_null_out_param(fn, state, handle))
      continue;
    SourceLocation at = ret.location.valid() ? ret.location : fn.end_location;
    if (!reported_.insert({at, r.site, kLost}).second) continue;
    events.lost.push_back({acquire_site(r.site), fn.name, at, failure, handle, state.trail.since(r.acquired_on)});
  }
}

// `if (metadata) *(void **)metadata = s;`: the function hands the handle to every caller that
// passes the out parameter. On a path where the caller passed NULL, it chose not to keep it.
bool Engine::dropped_for_null_out_param(const FunctionFacts& fn, const State& state, const std::string& handle) {
  for (const AssignEvent& assign : fn.assigns) {
    const ValueRef& target = assign.target;
    const ValueRef& value = assign.value;
    if (target.kind != ValueRef::Kind::Param || !(target.dereferenced || target.path.starts_with("->"))) continue;
    if (value.kind != ValueRef::Kind::Local || value.root != handle || !value.path.empty() || value.dereferenced ||
        value.address_of)
      continue;
    ValueRef param;
    param.kind = ValueRef::Kind::Param;
    param.root = target.root;
    auto known = state.knowledge.find(key_of(param, fn));
    if (known != state.knowledge.end() && known->second == kZero) return true;
  }
  return false;
}

// A pointer function returns an object it reached through the handle: a field of it
// (uobj = f->private_data after fget()) or what a call on it gives (ptp = pci_get_drvdata(pdev)
// after pci_get_device()). The reference travels with that object; its put function drops it.
bool Engine::returns_what_handle_leads_to(const FunctionFacts& fn, const ReturnEvent& ret, const std::string& handle) {
  const ValueRef& v = ret.value;
  if (fn.return_type.find('*') == std::string::npos || v.kind != ValueRef::Kind::Local || !v.path.empty() ||
      v.dereferenced || v.root == handle)
    return false;
  auto names_handle = [&](const ValueRef& u) { return u.kind == ValueRef::Kind::Local && u.root == handle; };
  for (const AssignEvent& assign : fn.assigns) {
    if (!assigns_local(assign, v.root)) continue;
    const ValueRef& from = assign.value;
    if (names_handle(from) && !from.path.empty()) return true;
    if (from.kind == ValueRef::Kind::CallResult && from.call_index >= 0 &&
        from.call_index < static_cast<int>(fn.calls.size())) {
      const CallEvent& call = fn.calls[from.call_index];
      if (std::any_of(call.args.begin(), call.args.end(),
                      [&](const ValueRef& arg) { return names_handle(arg) && arg.path.empty() && !arg.address_of; }))
        return true;
    }
  }
  return false;
}

// The handle's variable only ever points at storage in other objects (method =
// &(*class)->method_table[i]; allocate_method_table(method) fills *method): what is acquired into
// it lives in that storage, not in the variable.
bool Engine::points_only_into_objects(const FunctionFacts& fn, const std::string& handle) {
  bool points_into_object = false;
  for (const AssignEvent& assign : fn.assigns) {
    if (!assigns_local(assign, handle)) continue;
    const ValueRef& v = assign.value;
    bool into_object = v.address_of &&
                       (v.kind == ValueRef::Kind::Param || v.kind == ValueRef::Kind::Global ||
                        (v.kind == ValueRef::Kind::Local && !v.path.empty() && !v.path.starts_with(".")));
    if (!into_object) return false;
    points_into_object = true;
  }
  return points_into_object;
}

// Kernel code (or an indirect call) that may keep what it is handed: not a function of the module
// (its summary says what it does), not one that only borrows or tests, not a lock call.
bool Engine::may_keep_arguments(const std::string& callee, const UnitFacts* unit) const {
  if (callee.empty()) return true;
  return !module_.resolve_function(callee, unit).function && !api_names_.borrows_only(callee) &&
         !api_names_.tests_for_error(callee) && !locks_.find_primitive_by_callee(callee);
}

// Handed to code that may keep it: a callee that is not the module's (its summary says what it
// does), does not only borrow or test, and neither releases the resource nor only uses it as the
// parent of what it acquires (device_create(cls, ...) does not own cls).
void Engine::mark_handed_over(Ctx& ctx, State& state, int call_index) {
  const FunctionFacts& fn = *ctx.fn->function;
  const CallEvent& call = fn.calls[call_index];
  const std::string& callee = call.callee;
  if (!may_keep_arguments(callee, ctx.fn->unit)) return;
  auto releases = pairs_.releases_by_callee(callee);
  auto wrong_releases = pairs_.wrong_releases_by_callee(callee);
  auto acquires = pairs_.acquires_by_callee(callee);
  for (std::size_t a = 0; a < call.args.size(); ++a) {
    const ValueRef& arg = call.args[a];
    if (arg.kind != ValueRef::Kind::Local) continue;
    for (Resource& r : state.resources) {
      if (!r.live() || r.handed_over || r.comps.empty()) continue;
      bool names_object = std::any_of(r.comps[0].begin(), r.comps[0].end(), [&](const ValueKey& k) {
        return k.kind == ValueKey::Kind::Local && k.path.empty() && k.root == arg.root;
      });
      if (!names_object) continue;
      const CleanupPair* pair = sites_[r.site].pair;
      auto of_pair = [&](const auto& match) { return match.pair == pair; };
      if (std::any_of(releases.begin(), releases.end(), of_pair) ||
          std::any_of(wrong_releases.begin(), wrong_releases.end(), of_pair) ||
          std::any_of(acquires.begin(), acquires.end(), of_pair))
        continue;
      bool parent_only = false;
      for (const auto& m : acquires)
        for (const ArgRef& dep : m.api->depends_on)
          if (dep.pair == pair->id && dep.arg == static_cast<int>(a)) parent_only = true;
      if (!parent_only) r.handed_over = r.passed_on = true;
    }
  }
}

bool Engine::tested_somewhere(const FunctionFacts& fn, const Resource& r, const State& state) {
  auto [it, fresh] = tested_values_.try_emplace(&fn);
  std::set<ValueKey>& tested = it->second;
  if (fresh) {
    for (const BasicBlock& block : fn.blocks)
      if (block.condition)
        for (const ValueKey& k : keys_of(block.condition->subject, fn)) tested.insert(k.bare());
    for (const CallEvent& call : fn.calls)
      if (api_names_.tests_for_error(call.callee))
        for (const ValueRef& arg : call.args)
          for (const ValueKey& k : keys_of(arg, fn)) tested.insert(k.bare());
  }
  if (r.comps.empty()) return false;
  // Compared without & and *: an assignment through *out names the resource by out itself.
  if (std::any_of(r.comps[0].begin(), r.comps[0].end(), [&](const ValueKey& k) {
        return k.kind != ValueKey::Kind::CallResult && tested.count(k.bare());
      }))
    return true;
  // Stored through a pointer to the storage it tests (p_virt = &t2->dma_mem[i].virt_addr;
  // *p_virt = dma_alloc_coherent(...); if (!t2->dma_mem[i].virt_addr)).
  for (const ValueKey& k : r.comps[0]) {
    // (The resource is named by the pointer itself, with or without the *.)
    if (k.kind != ValueKey::Kind::Local || !k.path.empty() || (!k.ops.empty() && k.ops != std::vector{ValueKey::Op::Deref}))
      continue;
    for (const AssignEvent& assign : fn.assigns) {
      if (!assigns_local(assign, k.root) || !assign.value.address_of) continue;
      for (const ValueKey& pointed : keys_of(assign.value, fn))
        if (tested.count(pointed.bare())) return true;
    }
  }
  // Tested through a pointer to an array element (bi = &ring->buffer_info[i]; then
  // dma_mapping_error(dev, bi->dma)), and kept under the element's own name.
  std::vector<ValueKey> through_elements;
  for (const ValueKey& k : tested)
    if (k.kind == ValueKey::Kind::Local && !k.path.empty()) through_elements.push_back(k);
  if (!through_elements.empty()) {
    add_element_names(state, through_elements);
    if (std::any_of(through_elements.begin(), through_elements.end(),
                    [&](const ValueKey& k) { return k.has_element() && r.comps[0].count(k.bare()); }))
      return true;
  }
  // Tested in what the function returns (return p->rings == NULL; return !urb || !buf): its
  // caller acts on the outcome.
  for (const ReturnEvent& ret : fn.returns) {
    const std::string& text = ret.value.text;
    if (ret.value.kind != ValueRef::Kind::Other || text.find_first_of("!=<>") == std::string::npos) continue;
    for (const ValueKey& k : r.comps[0]) {
      if (k.kind == ValueKey::Kind::CallResult || k.kind == ValueKey::Kind::Record || !k.ops.empty()) continue;
      std::string name = spelling(k, fn);
      bool identifier = name.find_first_of("-.[*&") == std::string::npos;
      if (!name.empty() && (identifier ? mentions_identifier(text, name) : text.find(name) != std::string::npos))
        return true;
    }
  }
  return false;
}

// buf->setup_packet = &req->setup: the address of a member of the handle's object is kept in
// another object (which frees it through that address later): not lost.
void Engine::mark_member_address_kept(State& state, const AssignEvent& assign) {
  const ValueRef& v = assign.value;
  if (v.kind != ValueRef::Kind::Local || !v.address_of || v.path.empty()) return;
  if (assign.target.kind == ValueRef::Kind::Local && assign.target.path.empty()) return;  // another local
  for (Resource& r : state.resources) {
    if (!r.live() || r.comps.empty()) continue;
    for (const ValueKey& k : r.comps[0])
      if (k.plain(ValueKey::Kind::Local) && k.path.empty() && k.root == v.root) r.handed_over = true;
  }
}


void Engine::mark_compared_handles(std::vector<State>& states, const std::string& condition) {
  if (condition.find("==") == std::string::npos && condition.find("!=") == std::string::npos) return;
  for (State& s : states)
    for (Resource& r : s.resources) {
      if (!r.live() || r.comps.empty()) continue;
      for (const ValueKey& k : r.comps[0])
        if (k.plain(ValueKey::Kind::Local) && k.path.empty() && mentions_as_value(condition, k.root)) r.handed_over = true;
    }
}

// `major = MAJOR(devt)` into storage that outlives the function: the handle can be rebuilt
// from what is kept (unregister_chrdev_region(MKDEV(major, 0), n)), so it is not lost. Likewise an
// aggregate initialised with the handle in it.
void Engine::mark_derived_value_kept(Ctx& ctx, State& state, const AssignEvent& assign) {
  const FunctionFacts& fn = *ctx.fn->function;
  // An expression of the handle (MAJOR(devt)), not a field read through it (pdev->device).
  if (assign.value.kind != ValueRef::Kind::Other || assign.value.text.empty()) return;
  // An aggregate built with the handle in it (io_req = (struct dm_io_request){ .notify.context = ctx })
  // holds it wherever the aggregate goes; any other expression only where it outlives the function.
  bool aggregate = assign.value.text.find('{') != std::string::npos;
  // Into a member of any object or through a pointer (group->workers = workers + i * cnt): kept
  // wherever that object goes, as a plain store would be.
  bool into_object = !assign.target.path.empty() || assign.target.dereferenced;
  std::vector<ValueKey> targets = keys_of(assign.target, fn);
  if (!aggregate && !into_object &&
      std::none_of(targets.begin(), targets.end(), [](const ValueKey& k) { return outliving(k); }))
    return;
  for (Resource& r : state.resources) {
    if (!r.live() || r.comps.empty()) continue;
    for (const ValueKey& k : r.comps[0])
      if (k.plain(ValueKey::Kind::Local) && k.path.empty() && mentions_identifier(assign.value.text, k.root))
        r.handed_over = true;
  }
}

// A use of an untested acquire result: dereferenced (p->x, *p, &p->lock), or passed to an API that
// needs it valid (the parent argument of device_create()). Handing it to an error test tests it.
void Engine::find_unchecked_uses(Ctx& ctx, State& state, const std::vector<std::vector<ValueKey>>& used,
                                 const SourceLocation& at, const std::string& callee, int call_index) {
  const FunctionFacts& fn = *ctx.fn->function;
  bool error_test = !callee.empty() && api_names_.tests_for_error(callee);
  for (Resource& r : state.resources) {
    if (!r.live() || r.tested || r.status != Resource::Status::Maybe || r.comps.empty()) continue;
    const Site& site = sites_[r.site];
    if (site.function != fn.name || site.api->handle[0].from != HandleComponent::From::Return) continue;
    if (site.api->fails == FailsOn::Never || site.api->unchecked_ok || r.fails != site.api->fails) continue;
    if (tested_somewhere(fn, r, state)) continue;
    for (std::size_t a = 0; a < used.size() && !r.tested; ++a) {
      bool deref = false, passed = false;
      for (const ValueKey& u : used[a]) {
        ValueKey bare = u.bare();
        for (const ValueKey& c : r.comps[0]) {
          if (c.kind == ValueKey::Kind::CallResult || !c.ops.empty()) continue;
          if (bare == c) {
            if (u.starts_with_op(ValueKey::Op::Deref)) deref = true;
            else if (u.ops.empty()) passed = true;
          } else if (c.contains(bare, "-[")) {
            deref = true;
          }
        }
      }
      if (error_test && passed) {
        r.tested = true;
        break;
      }
      std::string use;
      if (deref) {
        use = "dereferenced before any test";
      } else if (passed && call_index >= 0) {
        for (const auto& m : pairs_.acquires_by_callee(callee))
          for (const ArgRef& dep : m.api->depends_on)
            if (dep.pair == site.pair->id && dep.arg == static_cast<int>(a)) use = "passed to " + m.api->name + "() before any test";
      }
      if (use.empty()) continue;
      r.tested = true;  // once per path
      if (reported_.insert({at, r.site, kUncheckedUse}).second)
        events.unchecked.push_back({acquire_site(r.site), fn.name, at, use, state.trail.since(r.acquired_on)});
    }
  }
}

// The storage the result is kept in (a field of any instance of its struct, a global) is tested
// for the failure somewhere in the module (`if (!efx->rps_hash_table)` where it is used,
// IS_ERR(cs35l41->reset_gpio) in the caller's caller): the code treats it as optional, or tests
// it after this function returns.
bool Engine::optional_in_module(const Resource& r) {
  if (!module_tested_) {
    module_tested_.emplace();
    for (const UnitFacts* unit : module_.units())
      for (const FunctionFacts& fn : unit->functions) {
        auto add = [&](const ValueRef& v) {
          for (const ValueKey& k : keys_of(v, fn))
            if (k.kind == ValueKey::Kind::Record || k.kind == ValueKey::Kind::Global) module_tested_->insert(k.bare());
        };
        for (const BasicBlock& block : fn.blocks)
          if (block.condition && block.condition->test != BranchCondition::Test::Unknown) add(block.condition->subject);
        for (const CallEvent& call : fn.calls)
          if (api_names_.tests_for_error(call.callee))
            for (const ValueRef& arg : call.args) add(arg);
      }
  }
  return std::any_of(r.comps[0].begin(), r.comps[0].end(), [&](const ValueKey& k) {
    return (k.kind == ValueKey::Kind::Record || k.kind == ValueKey::Kind::Global) && module_tested_->count(k.bare());
  });
}

// A global the module reads only to hand it to a release of the pair that takes the failure value
// in its stride (unregister_sysctl_table(NULL) returns at once): an untested failure is harmless.
bool Engine::only_released_tolerantly(const Resource& r) const {
  const Site& site = sites_[r.site];
  bool null_failure = site.api->fails == FailsOn::NullPtr || site.api->fails == FailsOn::Zero;
  for (const ValueKey& k : r.comps[0]) {
    if (!k.plain(ValueKey::Kind::Global) || !k.path.empty()) continue;
    int reads = 0, tolerant_releases = 0;
    for (const UnitFacts* unit : module_.units())
      for (const FunctionFacts& fn : unit->functions) {
        for (const AccessEvent& access : fn.accesses)
          if (access.variable == k.root && access.mode != AccessEvent::Mode::Write) ++reads;
        for (const CallEvent& call : fn.calls)
          for (const auto& match : pairs_.releases_by_callee(call.callee)) {
            const ReleaseApi& release = *match.api;
            if (match.pair != site.pair || !(null_failure ? release.null_ok : release.err_ptr_ok)) continue;
            if (release.handle_args.empty() || !release.handle_args[0]) continue;
            std::size_t index = static_cast<std::size_t>(*release.handle_args[0]);
            if (index < call.args.size() && key_of(call.args[index], fn) == k) ++tolerant_releases;
          }
      }
    if (reads > 0 && reads == tolerant_releases) return true;
  }
  return false;
}

// A successful return of an int or pointer function that keeps an untested acquire result where
// it outlives the function (a global, a field of its caller's object).
void Engine::find_unchecked_at_return(Ctx& ctx, const State& state, bool failure) {
  const FunctionFacts& fn = *ctx.fn->function;
  if (failure || fn.return_type == "void") return;
  for (const Resource& r : state.resources) {
    if (!r.live() || r.tested || r.status != Resource::Status::Maybe || r.comps.empty()) continue;
    const Site& site = sites_[r.site];
    if (site.function != fn.name || site.api->handle[0].from != HandleComponent::From::Return) continue;
    if (site.api->fails == FailsOn::Never || site.api->unchecked_ok || r.fails != site.api->fails) continue;
    if (tested_somewhere(fn, r, state)) continue;
    const ValueKey* kept = nullptr;
    for (const ValueKey& k : r.comps[0])
      if (outliving(k) && k.kind != ValueKey::Kind::Record) kept = &k;
    if (!kept || optional_in_module(r) || only_released_tolerantly(r)) continue;
    if (!reported_.insert({site.location, r.site, kUncheckedKept}).second) continue;
    events.unchecked.push_back({acquire_site(r.site), fn.name, site.location,
                                "kept in " + spelling(*kept, fn) + " untested when " + fn.name + "() returns success",
                                state.trail.since(r.acquired_on)});
  }
}

// A release whose handle the path knows an acquire failed to produce. Not when the release takes
// the failure value in its stride (kfree(NULL), an idempotent cancel), nor for array elements.
bool Engine::release_of_failed(Ctx& ctx, State& state, const CleanupPair* pair, const ReleaseApi* api,
                               const std::vector<ValueKey>& primary, const SourceLocation& at, const std::string& by) {
  // A put of a counted reference drops *a* reference: the object may hold others (the initial
  // one of kref_init()) that this put is for, whatever happened to the get that failed.
  if (api->idempotent || api->absent_ok || pair->counted) return false;
  // Names that tell one object from another: not a field of any instance, not an array element
  // (the unwind loop releases the elements before the one that failed), not a call's value.
  if (std::any_of(primary.begin(), primary.end(), [](const ValueKey& k) { return k.has_element(); })) return false;
  std::vector<ValueKey> names;
  for (const ValueKey& k : primary)
    if (!k.empty() && k.kind != ValueKey::Kind::Record && k.kind != ValueKey::Kind::CallResult) names.push_back(k);
  if (names.empty()) return false;
  for (auto it = state.failed.begin(); it != state.failed.end(); ++it) {
    if (sites_[it->site].pair != pair || !names_any(it->handle, names)) continue;
    // port->adi[i].dev: one element failed, the loop releases the others.
    if (std::any_of(it->handle.begin(), it->handle.end(), [](const ValueKey& k) { return k.has_element(); }))
      return false;
    const AcquireApi& acquired_by = *sites_[it->site].api;
    HandleComponent::From from = acquired_by.handle[0].from;
    if (from == HandleComponent::From::Return) {
      // __get_free_pages() fails with 0, which free_pages() takes like kfree() takes NULL.
      bool tolerated = ((acquired_by.fails == FailsOn::NullPtr || acquired_by.fails == FailsOn::Zero) && api->null_ok) ||
                       (acquired_by.fails == FailsOn::ErrPtr && api->err_ptr_ok) ||
                       (acquired_by.fails == FailsOn::ErrPtrOrNull && api->null_ok && api->err_ptr_ok);
      if (tolerated) return false;
    }
    // request_firmware(&fw, ...) leaves fw NULL when it fails.
    if (from == HandleComponent::From::OutArg && api->null_ok) return false;
    SourceLocation learnt = it->learnt_at;
    std::vector<FindingNote> path = state.trail.since(it->learnt_on);
    int site_id = it->site;
    state.failed.erase(it);
    if (reported_.insert({at, site_id, kReleaseOfFailed}).second)
      events.releases_without_acquire.push_back({ReleaseWithoutAcquire::How::AcquireFailed, acquire_site(site_id),
                                                 ctx.fn->function->name, at, by, learnt, {}, std::move(path)});
    return true;
  }
  return false;
}

}  // namespace kmodlint::lifetimes
