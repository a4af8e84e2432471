// The walk over one function's basic blocks: assignments, branches (what a test says of a
// value), returns (success or failure, and what leaks there), one state per (block, state).
#include <algorithm>
#include <deque>
#include <unordered_set>

#include "common/identifier_text.h"
#include "engines/lifetimes/engine.h"

namespace kmodlint::lifetimes {

namespace {

// The blocks the paths from `starts` reach, the starts included, never entering `stop`.
std::vector<bool> reachable_from(const FunctionFacts& fn, const std::vector<int>& starts, int stop = -1) {
  std::vector<bool> reached(fn.blocks.size(), false);
  std::deque<int> queue(starts.begin(), starts.end());
  while (!queue.empty()) {
    int b = queue.front();
    queue.pop_front();
    if (b < 0 || b >= static_cast<int>(fn.blocks.size()) || b == stop || reached[b]) continue;
    reached[b] = true;
    queue.insert(queue.end(), fn.blocks[b].successors.begin(), fn.blocks[b].successors.end());
  }
  return reached;
}

}  // namespace

void Engine::process_assign(Ctx& ctx, State& state, const AssignEvent& assign) {
  const FunctionFacts& fn = *ctx.fn->function;
  if (ctx.phase == Phase::Standalone) {
    find_unchecked_uses(ctx, state, {keys_of(assign.target, fn), keys_of(assign.value, fn)}, assign.location, "", -1);
    mark_derived_value_kept(ctx, state, assign);
    mark_member_address_kept(state, assign);
  }
  kill_text_keys(state, assign.target.field.empty() ? assign.target.root : assign.target.field);
  if (!assign.target.field.empty()) kill_text_keys(state, assign.target.root);
  if (ctx.phase == Phase::Standalone && steps_handle_pointer(state, assign)) return;
  std::vector<ValueKey> targets = keys_of(assign.target, fn);
  std::vector<ValueKey> values = keys_of(assign.value, fn);
  if (targets.empty()) return;
  add_element_names(state, targets);
  add_element_names(state, values);
  ValueKey value = values.empty() ? ValueKey{} : values[0];
  // Which resources the value names, before the target stops naming anything.
  std::vector<std::pair<int, std::vector<bool>>> copies;
  std::vector<int> status_copies;
  if (!values.empty())
    for (Resource& r : state.resources) {
      std::vector<bool> comps(r.comps.size(), false);
      bool any = false;
      for (std::size_t j = 0; j < r.comps.size(); ++j)
        if (names_any(r.comps[j], values)) comps[j] = any = true;
      if (any) copies.emplace_back(r.site, comps);
      if (r.status_keys.count(value)) status_copies.push_back(r.site);
    }
  std::optional<unsigned> known;
  if (assign.value.kind == ValueRef::Kind::IntConstant)
    known = assign.value.int_value < 0 ? kNeg : assign.value.int_value == 0 ? kZero : kPos;
  else if (auto found = state.knowledge.find(value); !value.empty() && found != state.knowledge.end())
    known = found->second;
  else if (assign.value.kind == ValueRef::Kind::CallResult) {
    const CallEvent& call = fn.calls[assign.value.call_index];
    if (call.callee == "PTR_ERR") known = kNeg;
  }
  if (assign.chosen) known = chosen_class(state, *assign.chosen, fn);
  // p = list_next_entry(p, node): still an element of the same list.
  bool next_element = assign.value.root == assign.target.root && assign.target.path.empty() &&
                      assign.value.path.ends_with("^");
  std::set<ValueKey> kept_names;
  if (next_element)
    if (auto found = state.same_value.find(targets[0].bare()); found != state.same_value.end()) kept_names = found->second;
  // `*p = v` writes what p points to, not p: p keeps its names, and what the path learns of the
  // value is known of *p (`*fw_load_done = true; ... if (*fw_load_done)`).
  bool through_pointer = targets[0].starts_with_op(ValueKey::Op::Deref);
  for (const ValueKey& target : targets) kill_key(state, target.bare(), through_pointer);
  if (!kept_names.empty()) {
    state.same_value[targets[0].bare()] = kept_names;
    return;
  }
  ValueKey target_bare = targets[0].bare();
  for (auto& [site, comps] : copies)
    if (Resource* r = state.find(site))
      for (std::size_t j = 0; j < comps.size(); ++j)
        if (comps[j])
          for (const ValueKey& target : targets) r->comps[j].insert(target.bare());
  for (int site : status_copies)
    if (Resource* r = state.find(site)) r->status_keys.insert(target_bare);
  // Stored anywhere but a plain local (a field, an element, through a pointer, a global): kept,
  // even once the pointer it was stored through moves on (arg = &args[n]; arg->p = buf).
  if (ctx.phase == Phase::Standalone &&
      (assign.target.kind != ValueRef::Kind::Local || !assign.target.path.empty() || assign.target.dereferenced)) {
    for (auto& [site, comps] : copies)
      if (Resource* r = state.find(site); r && !comps.empty() && comps[0]) r->handed_over = true;
    // A pointer into the object (rp = &rps[j]; bio->bi_private = rp): the object is kept with it.
    for (int site : resources_pointed_into(state, values))
      if (Resource* r = state.find(site)) r->handed_over = true;
  }
  ValueKey known_key = through_pointer ? targets[0] : target_bare;
  if (known) state.knowledge[known_key] = *known;
  if (assign.value.kind == ValueRef::Kind::IntConstant && retested(fn, known_key))
    state.exact[known_key] = ExactValue{assign.value.int_value, {}};
  // Stored in an element of one of the module's lists (list_for_each_entry(info, &list, node);
  // info->name = kstrdup(...)): the list owns it now, whoever empties the list releases it.
  if (ctx.phase != Phase::Teardown && in_global_list_element(state, assign.target))
    for (auto& [site, comps] : copies) state.erase(site);
  using K = ValueRef::Kind;
  if ((assign.value.kind == K::Local || assign.value.kind == K::Param || assign.value.kind == K::Global) &&
      !targets[0].has_element()) {
    std::set<ValueKey>& names = state.same_value[target_bare];
    for (const ValueKey& t : targets) names.insert(t.bare());
    names.insert(values.begin(), values.end());
    // dev = &devs[i] (or devs + i): dev points at an element of devs.
    if (assign.value.address_of && assign.value.path.ends_with("[]") && assign.target.path.empty()) {
      ValueKey element = assign.value.kind == K::Global ? ValueKey::global(assign.value.root, assign.value.path)
                                                        : ValueKey::local(assign.value.root, assign.value.path);
      if (assign.value.kind != K::Param) names.insert(element.with(ValueKey::Op::AddressOf));
    }
  }
}

// Can a block that releases the pair of `site_id` (or calls a module function, which may) reach
// `return_block`? With `of_array_element`, only releases of an array element count.
bool Engine::release_between(const Ctx& ctx, int site_id, int return_block, bool of_array_element) const {
  const FunctionFacts& fn = *ctx.fn->function;
  const CleanupPair* pair = sites_[site_id].pair;
  std::vector<int> release_blocks;
  for (std::size_t i = 0; i < fn.calls.size(); ++i) {
    const std::string& callee = fn.calls[i].callee;
    bool releases = releases_pair(fn.calls[i], pair);
    if (of_array_element) {
      releases = releases && has_element_argument(fn.calls[i]);
    } else if (!releases && !callee.empty() && module_.resolve_function(callee, ctx.fn->unit).function) {
      releases = true;
    }
    if (releases) release_blocks.push_back(ctx.call_block[i]);
  }
  if (release_blocks.empty() || return_block < 0 || return_block >= static_cast<int>(fn.blocks.size())) return false;
  return reachable_from(fn, release_blocks)[return_block];  // can a release block reach the return block?
}

// After call `call_index`, can the function reach a release of `pair` on a value `names` names, or
// a call of a module function (a cleanup helper given the object, or reaching it through a global:
// it may release it)?
bool Engine::release_follows(const Ctx& ctx, const CleanupPair* pair, int call_index,
                             const std::set<ValueKey>& names) const {
  const FunctionFacts& fn = *ctx.fn->function;
  auto releases = [&](const CallEvent& call) {
    if (releases_pair(call, pair))
      return std::any_of(call.args.begin(), call.args.end(),
                         [&](const ValueRef& a) { return names_any(names, keys_of(a, fn)); });
    return !call.callee.empty() && module_.resolve_function(call.callee, ctx.fn->unit).function != nullptr;
  };
  int start = ctx.call_block[call_index];
  if (start < 0) return false;
  bool after = false;
  for (const Event& e : fn.blocks[start].events) {
    if (e.kind != Event::Kind::Call) continue;
    if (after && releases(fn.calls[e.index])) return true;
    if (e.index == call_index) after = true;
  }
  std::vector<bool> after_start = reachable_from(fn, fn.blocks[start].successors, start);
  for (std::size_t b = 0; b < fn.blocks.size(); ++b)
    if (after_start[b])
      for (const Event& e : fn.blocks[b].events)
        if (e.kind == Event::Kind::Call && releases(fn.calls[e.index])) return true;
  return false;
}

// A return of an int function fails with a negative constant, PTR_ERR() or a value this path
// knows is negative; one of a pointer function with a constant (NULL) or ERR_PTR().
bool Engine::failure_return(const Ctx& ctx, const State& state, const ReturnEvent& ret) const {
  const FunctionFacts& fn = *ctx.fn->function;
  if (fn.return_type == "int") {
    ValueKey key = key_of(ret.value, fn);
    if (ret.value.kind == ValueRef::Kind::IntConstant) return ret.value.int_value < 0;  // `return 1;`: a yes/no helper's success
    if (ret.value.kind == ValueRef::Kind::CallResult && fn.calls[ret.value.call_index].callee == "PTR_ERR") return true;
    if (auto found = state.knowledge.find(key); !key.empty() && found != state.knowledge.end())
      return !(found->second & kZero);
    return false;
  }
  if (fn.return_type.find('*') != std::string::npos)
    return ret.value.kind == ValueRef::Kind::IntConstant ||
           (ret.value.kind == ValueRef::Kind::CallResult && fn.calls[ret.value.call_index].callee == "ERR_PTR");
  return false;
}

// The returned value names the resource's handle, or an address inside the object it names.
static bool returns_handle(const Resource& r, const ReturnEvent& ret, const std::vector<ValueKey>& keys) {
  if (r.comps.empty()) return false;
  if (names_any(r.comps[0], keys)) return true;
  if (ret.value.kind != ValueRef::Kind::Local || !ret.value.address_of) return false;
  return std::any_of(r.comps[0].begin(), r.comps[0].end(), [&](const ValueKey& k) {
    return k.plain(ValueKey::Kind::Local) && k.path.empty() && k.root == ret.value.root;
  });
}

// `void *buf __free(kfree) = kmalloc(...)`: what a local with a cleanup function still names
// when the function returns is released by the scope (no_free_ptr(buf) takes it out first).
static void release_scope_cleaned(const FunctionFacts& fn, State& state) {
  if (fn.scope_cleaned_locals.empty()) return;
  auto cleaned = [&](const ValueKey& k) {
    return k.plain(ValueKey::Kind::Local) && k.path.empty() &&
           std::find(fn.scope_cleaned_locals.begin(), fn.scope_cleaned_locals.end(), k.root) !=
               fn.scope_cleaned_locals.end();
  };
  std::vector<int> gone;
  for (const Resource& r : state.resources)
    if (r.live() && !r.comps.empty() && std::any_of(r.comps[0].begin(), r.comps[0].end(), cleaned))
      gone.push_back(r.site);
  for (int s : gone) state.erase(s);
}

void Engine::process_return(Ctx& ctx, State& state, const ReturnEvent& ret, bool failure) {
  const FunctionFacts& fn = *ctx.fn->function;
  std::vector<ValueKey> keys = keys_of(ret.value, fn);
  ValueKey key = keys.empty() ? ValueKey{} : keys[0];
  // A returned handle leaves with the caller (in a function walked on its own, whatever the
  // return type: ida_alloc()'s id is an int).
  if (!key.empty() && ret.value.kind != ValueRef::Kind::IntConstant) {
    bool any_type = ctx.phase == Phase::Standalone;
    std::vector<int> gone;
    for (const Resource& r : state.resources)
      if (r.live() && (any_type || fn.return_type.find('*') != std::string::npos) && returns_handle(r, ret, keys))
        gone.push_back(r.site);
    for (int s : gone) state.erase(s);
  }
  release_scope_cleaned(fn, state);
  if (ctx.phase == Phase::Standalone) {
    find_unchecked_at_return(ctx, state, failure);
    find_lost(ctx, state, ret, failure);
    note_kept_outside_init(ctx, state, failure);
    return;
  }
  if (ctx.phase == Phase::Helper && !judging_init_paths_) return;
  if (fn.return_type != "int") return;
  if (ctx.phase == Phase::Teardown) return;
  if (!failure) {
    // `return helper();` passes on the helper's failure, and what it left held then.
    if (ctx.phase != Phase::Acquire || ret.value.kind != ValueRef::Kind::CallResult) return;
    std::vector<const Resource*> leaked;
    for (const Resource& r : state.resources)
      if (r.live() && r.held_if_fails == key && !sites_[r.site].pair->managed) leaked.push_back(&r);
    note_leaks(state, ret, fn, leaked);
    return;
  }
  int return_block = -1;
  for (const BasicBlock& block : fn.blocks)
    for (const Event& e : block.events)
      if (e.kind == Event::Kind::Return && &fn.returns[e.index] == &ret) return_block = block.id;
  std::vector<const Resource*> leaked;
  for (const Resource& r : state.resources) {
    if (!r.live() || sites_[r.site].pair->managed) continue;
    // Returning its own failure, unless the failed call still holds a reference (device_register).
    if (!key.empty() && r.status_keys.count(key) && r.status != Resource::Status::FailedHeld) continue;
    if (r.status == Resource::Status::Maybe && r.status_keys.count(key)) continue;
    // Acquired in a loop, or kept in an array: a release loop that reaches this return may
    // release it (the facts cannot tell which element holds what).
    if ((r.prior && release_between(ctx, r.site, return_block, false)) ||
        (in_array_element(r) && release_between(ctx, r.site, return_block, true)))
      continue;
    // A helper that fails with the handle in its caller's storage leaves it to the caller's unwinding.
    if (ctx.phase == Phase::Helper && kept_outside(r)) continue;
    leaked.push_back(&r);
    if (r.status == Resource::Status::FailedHeld) failed_held_leaks_.insert({ret.location, fn.name, r.site});
  }
  note_leaks(state, ret, fn, leaked);
}

// The resources of `leaked` leak at the error return `ret` on this path. The first path that leaks
// there gives the path notes, from the earliest acquire it leaks.
void Engine::note_leaks(const State& state, const ReturnEvent& ret, const FunctionFacts& fn,
                        const std::vector<const Resource*>& leaked) {
  if (leaked.empty()) return;
  std::pair<SourceLocation, std::string> where{ret.location, fn.name};
  const Resource* earliest = leaked.front();
  for (const Resource* r : leaked) {
    leaks_[where].insert(r->site);
    if (r->acquired_on.length() < earliest->acquired_on.length()) earliest = r;
  }
  leak_paths_.try_emplace(where, state.trail, earliest->acquired_on);
}

// A function of the module that calls nothing and assigns only its own plain locals: a getter.
bool Engine::reads_only(const std::string& callee, const UnitFacts* unit) const {
  if (callee.empty()) return false;
  const FunctionFacts* f = module_.resolve_function(callee, unit).function;
  if (!f || f->blocks.empty() || !f->calls.empty()) return false;
  return std::all_of(f->assigns.begin(), f->assigns.end(), [](const AssignEvent& a) {
    return a.target.kind == ValueRef::Kind::Local && a.target.path.empty() && !a.target.dereferenced;
  });
}

// `ring++`, `p += n` on the plain local that names a resource: it still points into the same
// object (WRITE_ONCE(vsi->tx_rings[i], ring++) stores the object, then steps to its next ring).
// The walk of a function on its own keeps the name, so a store through the stepped pointer keeps
// the object; only what the path knew of the value is forgotten.
bool Engine::steps_handle_pointer(State& state, const AssignEvent& assign) const {
  const ValueRef& t = assign.target;
  if (t.kind != ValueRef::Kind::Local || !t.path.empty() || t.dereferenced || assign.value.kind != ValueRef::Kind::Other)
    return false;
  std::string text = assign.value.text;
  std::erase_if(text, [](char c) { return c == ' '; });
  const std::string& name = t.root;
  bool steps = text == name + "++" || text == "++" + name || text == name + "--" || text == "--" + name ||
               text.starts_with(name + "+=") || text.starts_with(name + "-=");
  if (!steps) return false;
  // Only where it is the function's one name of the object: a stepped cursor beside the pointer
  // that stays at the start (tmp = buf = kmalloc(...); tmp += n) is not the object's name.
  ValueKey key = ValueKey::local(name);
  bool only_name = std::any_of(state.resources.begin(), state.resources.end(), [&](const Resource& r) {
    if (!r.live() || r.comps.empty() || !r.comps[0].count(key)) return false;
    return std::none_of(r.comps[0].begin(), r.comps[0].end(), [&](const ValueKey& k) {
      return k.plain(ValueKey::Kind::Local) && k.path.empty() && k.root != name;
    });
  });
  if (!only_name) return false;
  state.knowledge.erase(key);
  return true;
}

// `err == -EBUSY` holds only where err may be negative (`if (err) kfree(p)` before it, on the
// branch where err was 0, rules it out); `ah->type != MTHCA_AH_PCI_POOL` is false only where the
// type may be positive. The branch the value's sign class excludes is infeasible.
// A value the function tests against constants more than once is also known exactly:
// `if (*payload == ELS_CMD_LOGO)` before `switch (*payload)` rules out every other case and the
// default (lpfc_send_els_event). Other values are not: exact values would only split paths that
// join again, and a probe with a switch over device ids would outgrow the walk (ymfpci).
void Engine::refine_by_constant(std::vector<State>& out, const BranchCondition::ConstantComparison& compared,
                                const FunctionFacts& fn) {
  ValueKey operand = key_of(compared.operand, fn);
  if (operand.empty() || operand.kind == ValueKey::Kind::CallResult) return;
  bool exact = retested(fn, operand);
  State& differs = out[compared.equal ? 1 : 0];
  if (exact && !differs.infeasible && !assume_differs(differs, operand, compared.constant)) differs.infeasible = true;
  assume_equals(out[compared.equal ? 0 : 1], operand, compared.constant, exact);
}

// Each edge of a switch says what the switched value is (a case) or is not (the default).
void Engine::refine_by_switch(std::vector<State>& out, const SwitchCases& cases, const FunctionFacts& fn) {
  ValueKey operand = key_of(cases.operand, fn);
  if (operand.empty() || operand.kind == ValueKey::Kind::CallResult || cases.edges.size() != out.size() ||
      !retested(fn, operand))
    return;
  for (std::size_t i = 0; i < out.size(); ++i) {
    State& s = out[i];
    const SwitchEdge& edge = cases.edges[i];
    if (edge.kind == SwitchEdge::Kind::Case) {
      assume_equals(s, operand, edge.value, true);
    } else if (edge.kind == SwitchEdge::Kind::Default) {
      for (const SwitchEdge& other : cases.edges)
        if (other.kind == SwitchEdge::Kind::Case && !s.infeasible && !assume_differs(s, operand, other.value))
          s.infeasible = true;
    }
  }
}

// The operands the function compares with constants (in == / != tests and switches) more than once,
// when their key names one object: a Record key (`obj->type` of any struct acpi_object) would mix
// `obj->type` with `obj->package.elements[0].type`.
bool Engine::retested(const FunctionFacts& fn, const ValueKey& operand) {
  auto [it, fresh] = retested_.try_emplace(&fn);
  if (fresh) {
    std::map<ValueKey, int> tests;
    for (const BasicBlock& block : fn.blocks) {
      if (block.condition && block.condition->compared) ++tests[key_of(block.condition->compared->operand, fn)];
      if (block.switch_cases) ++tests[key_of(block.switch_cases->operand, fn)];
    }
    for (const auto& [key, count] : tests)
      if (count > 1 && one_object(key)) it->second.insert(key);
  }
  return it->second.count(operand) > 0;
}

bool Engine::one_object(const ValueKey& key) {
  return key.kind == ValueKey::Kind::Local || key.kind == ValueKey::Kind::Param || key.kind == ValueKey::Kind::Global;
}

// The path takes a branch where `key` equals `value`: infeasible where its sign class (or, with
// `exact`, what it knows of the value) says otherwise.
void Engine::assume_equals(State& state, const ValueKey& key, std::int64_t value, bool exact) const {
  if (state.infeasible) return;
  unsigned known = kAll;
  if (auto found = state.knowledge.find(key); found != state.knowledge.end()) known = found->second;
  unsigned now = known & sign_class(value);
  auto found = state.exact.find(key);
  if (now == 0 || (found != state.exact.end() && ((found->second.equals && *found->second.equals != value) ||
                                                  found->second.excluded.count(value)))) {
    state.infeasible = true;
    return;
  }
  state.knowledge[key] = now;
  if (exact) state.exact[key] = ExactValue{value, {}};
}

// The path takes a branch where `key` is not `value`; false where it knows that it is.
bool Engine::assume_differs(State& state, const ValueKey& key, std::int64_t value) const {
  constexpr std::size_t kMaxExcluded = 64;
  ExactValue& exact = state.exact[key];
  if (exact.equals) return *exact.equals != value;
  if (exact.excluded.size() < kMaxExcluded) exact.excluded.insert(value);
  return true;
}

std::vector<State> Engine::branch(Ctx& ctx, State state, const BasicBlock& block) {
  std::vector<State> out = refine_by_branch(ctx, std::move(state), block);
  trust_guarded_releases(ctx, out, block);
  record_decisions(out, block);
  return out;
}

// A branch both ways of which this path can take: each way remembers which it took.
void Engine::record_decisions(std::vector<State>& out, const BasicBlock& block) {
  if (std::count_if(out.begin(), out.end(), [](const State& s) { return !s.infeasible; }) < 2) return;
  for (std::size_t i = 0; i < out.size() && i < block.successors.size(); ++i)
    if (!out[i].infeasible && block.successors[i] >= 0) out[i].trail = out[i].trail.through(block, i);
}

// `if (payload_sz > sizeof(req->mpb)) kfree(payload);`, `if (reserved_io) release_region(...)`:
// a release the author guarded with a condition this path cannot decide. The guard says when the
// function holds the resource in a way the walk cannot follow (an arithmetic bound, a flag set
// beside the acquire), so the path that skips the release does not lose it (lost-resource) and the
// path that enters it does not release a failed acquire (release-without-acquire). Not when the
// guard is a call's status (`if (rc) kfree(parts)` after handing parts to a callee that may keep
// it only sometimes) or names the handle itself (what the path knows of it decides those).
void Engine::trust_guarded_releases(Ctx& ctx, std::vector<State>& out, const BasicBlock& block) const {
  if (!block.condition || block.successors.size() != 2 || out.size() != 2) return;
  if (out[0].infeasible || out[1].infeasible) return;  // decided
  const FunctionFacts& fn = *ctx.fn->function;
  const BranchCondition& c = *block.condition;
  if (holds_call_status(fn, c.subject)) return;
  ValueKey subject = key_of(c.subject, fn);
  auto guard_names = [&](const std::set<ValueKey>& names) {
    if (!subject.empty() && (names.count(subject) || names.count(subject.bare()))) return true;
    return std::any_of(names.begin(), names.end(), [&](const ValueKey& k) {
      return k.plain(ValueKey::Kind::Local) && k.path.empty() && mentions_as_value(c.subject.text, k.root);
    });
  };
  for (int i = 0; i < 2; ++i) {
    int guarded = block.successors[i], join = block.successors[1 - i];
    if (guarded < 0 || join < 0 || guarded >= static_cast<int>(fn.blocks.size())) continue;
    const BasicBlock& then_block = fn.blocks[guarded];
    // if (...) release(x); with no else: the guarded block falls through to where the skip goes.
    if (std::find(then_block.successors.begin(), then_block.successors.end(), join) == then_block.successors.end())
      continue;
    for (const Event& e : then_block.events) {
      if (e.kind != Event::Kind::Call) continue;
      const CallEvent& call = fn.calls[e.index];
      std::vector<ValueKey> args;
      for (const ValueRef& a : call.args) {
        std::vector<ValueKey> keys = keys_of(a, fn);
        args.insert(args.end(), keys.begin(), keys.end());
      }
      if (ctx.phase == Phase::Standalone)
        for (Resource& r : out[1 - i].resources)
          if (r.live() && !r.comps.empty() && releases_pair(call, sites_[r.site].pair) && names_any(r.comps[0], args) &&
              !guard_names(r.comps[0]) && !guard_names(r.status_keys))
            r.handed_over = true;
      std::erase_if(out[i].failed, [&](const FailedAcquire& f) {
        return releases_pair(call, sites_[f.site].pair) && names_any(f.handle, args) && !guard_names(f.handle);
      });
    }
  }
}

// The tested value is a variable the function assigns a call's result to (`rc = f(...)`).
bool Engine::holds_call_status(const FunctionFacts& fn, const ValueRef& subject) {
  if (subject.kind != ValueRef::Kind::Local || !subject.path.empty() || subject.dereferenced) return false;
  return std::any_of(fn.assigns.begin(), fn.assigns.end(), [&](const AssignEvent& a) {
    return a.value.kind == ValueRef::Kind::CallResult && a.target.kind == ValueRef::Kind::Local &&
           a.target.root == subject.root && a.target.path.empty();
  });
}

std::vector<State> Engine::refine_by_branch(Ctx& ctx, State state, const BasicBlock& block) {
  std::vector<State> out;
  out.reserve(block.successors.size());
  for (std::size_t i = 0; i + 1 < block.successors.size(); ++i) out.push_back(state);
  if (!block.successors.empty()) out.push_back(std::move(state));
  if (block.switch_cases) refine_by_switch(out, *block.switch_cases, *ctx.fn->function);
  if (!block.condition || block.successors.size() != 2) return out;
  const BranchCondition& c = *block.condition;
  const FunctionFacts& fn = *ctx.fn->function;
  ValueKey key = key_of(c.subject, fn);
  BranchCondition::Test test = c.test;
  // A call of a module function that only reads (orinoco_cached_fw_get(priv, true)): the same
  // call spelled the same way later on the path gives the same answer. Only in the walk of a
  // function on its own: in the init/probe phases it prunes paths whose resources other
  // approximations (devres through helpers) relied on (r8169's vectors).
  if (ctx.phase == Phase::Standalone && c.subject.kind == ValueRef::Kind::CallResult && !c.subject.text.empty() &&
      reads_only(fn.calls[c.subject.call_index].callee, ctx.fn->unit))
    key = ValueKey::text(c.subject.text);
  if (key.empty() || test == BranchCondition::Test::Unknown) {
    if (c.compared) refine_by_constant(out, *c.compared, fn);
    // `msg != &msgbuf`, `(void *)evt == (void *)sentinel`: a comparison of a handle with another
    // pointer decides whether it holds the resource in a way the walk cannot follow; lost-resource
    // stays silent about it on both branches.
    if (ctx.phase == Phase::Standalone) mark_compared_handles(out, c.subject.text);
    // A condition the facts cannot name (`wdt_stop != wdt_start`, `have_region`): remember its
    // outcome by spelling, so testing it again later on the path takes the same way. Assigning
    // any variable it mentions forgets it (see kill_text_keys).
    // Not for calls: each evaluation may give another answer (polling loops).
    if (c.subject.text.empty() || c.subject.text.find('(') != std::string::npos) return out;
    key = ValueKey::text(c.subject.text);
    test = BranchCondition::Test::NonZero;
  }
  bool is_err_test = c.test == BranchCondition::Test::IsErr || c.test == BranchCondition::Test::IsErrOrNull;
  std::vector<State> refined;
  for (int i = 0; i < 2; ++i) {
    State& s = out[i];
    bool holds = (i == 0) != (is_err_test && c.negated);
    unsigned set = test_set(test, holds);
    unsigned known = kAll;
    if (auto found = s.knowledge.find(key); found != s.knowledge.end()) known = found->second;
    unsigned now = known & set;
    if (now == 0) {
      s.infeasible = true;  // dropped by the caller
      continue;
    }
    s.knowledge[key] = now;
    std::vector<int> dropped;
    // A pointer handle tested NULL on this path (`if (force_pdev) unregister(force_pdev)`): it
    // does not hold a resource here.
    if (now == kZero)
      for (const Resource& r : s.resources) {
        const AcquireApi* api = sites_[r.site].api;
        bool pointer_handle = !api->handle.empty() && api->handle[0].from == HandleComponent::From::Return &&
                              (api->fails == FailsOn::NullPtr || api->fails == FailsOn::ErrPtr ||
                               api->fails == FailsOn::ErrPtrOrNull);
        // request_firmware(&fw, ...): a pointer filled in through an out argument, NULL unless it
        // worked (the pair's release takes NULL).
        const auto& releases = sites_[r.site].pair->release;
        if (!api->handle.empty() && api->handle[0].from == HandleComponent::From::OutArg &&
            std::any_of(releases.begin(), releases.end(), [](const ReleaseApi& rel) { return rel.null_ok; }))
          pointer_handle = true;
        if (r.live() && pointer_handle && !r.comps.empty() && r.comps[0].count(key) && !r.status_keys.count(key))
          dropped.push_back(r.site);
      }
    for (Resource& r : s.resources) {
      if (r.live() && (r.status_keys.count(key) || r.status_keys.count(key.bare()) ||
                       (!r.comps.empty() && (r.comps[0].count(key) || r.comps[0].count(key.bare())))))
        r.tested = true;
      if (!r.live() || !r.status_keys.count(key)) continue;
      const Site& site = sites_[r.site];
      FailsOn fails = r.fails;
      unsigned domain = domain_of(fails) & now;
      unsigned fail = failure_of(fails);
      if (fails == FailsOn::Never || domain == 0) continue;
      if ((domain & ~fail) == 0) {  // failed
        if (site.api->acquired_on_failure && r.fails == site.api->fails) {
          r.status = Resource::Status::FailedHeld;
        } else if (r.prior) {
          r.status = Resource::Status::Held;
          std::erase_if(r.status_keys, [](const ValueKey&) { return true; });
        } else {
          dropped.push_back(r.site);
          // Remembered for release-without-acquire: a release of this handle later on the path.
          // Names that outlive a reassignment of the variable (fields of any instance) are not
          // kept: the next loop iteration's object has them too.
          std::set<ValueKey> handle;
          if (!r.comps.empty())
            for (const ValueKey& k : r.comps[0])
              if (k.kind != ValueKey::Kind::Record && k.kind != ValueKey::Kind::CallResult) handle.insert(k);
          if (!handle.empty()) {
            std::erase_if(s.failed, [&](const FailedAcquire& f) { return f.site == r.site; });
            s.failed.push_back({r.site, std::move(handle), c.location, s.trail});
            std::sort(s.failed.begin(), s.failed.end());
          }
        }
      } else if ((domain & fail) == 0 && r.status == Resource::Status::Maybe) {
        r.status = Resource::Status::Held;
      }
    }
    for (int d : dropped) s.erase(d);
  }
  return out;
}

// The path reaches the test of a counted loop (`for (i = 0; i < n; i++)`) from outside the loop,
// not from its body: the walk of a function on its own takes the body at least once from here. A
// loop over a count the code computed runs in practice; its zero-iteration exit made a handle
// the loop stores or hands on look lost (raid10's resync pages, bnx2x's registry list).
bool Engine::first_loop_test(Ctx& ctx, int block, int from) {
  const FunctionFacts& fn = *ctx.fn->function;
  const BasicBlock& test = fn.blocks[block];
  if (ctx.phase != Phase::Standalone || !test.counted_loop_test || test.successors.size() != 2) return false;
  if (from < 0) return true;
  auto [it, fresh] = ctx.loop_blocks.try_emplace(block);
  std::vector<bool>& inside = it->second;
  // Everything reachable from the body without passing the test again.
  if (fresh) inside = reachable_from(fn, {test.successors[0]}, block);
  return from >= static_cast<int>(inside.size()) || !inside[from];
}

WalkResult Engine::walk(const FunctionRef& ref, Phase phase, const State& initial, int depth) {
  WalkResult result;
  const FunctionFacts& fn = *ref.function;
  if (fn.entry_block < 0 || fn.blocks.empty()) {
    result.complete = false;
    return result;
  }
  Ctx ctx{&ref, phase, depth, &result, std::vector<int>(fn.calls.size(), -1), {}};
  if (judging_init_paths_ && (phase == Phase::Acquire || phase == Phase::Helper)) init_path_functions_.insert(&fn);
  if (phase == Phase::Teardown) teardown_functions_.insert(&fn);
  for (const BasicBlock& block : fn.blocks)
    for (const Event& e : block.events)
      if (e.kind == Event::Kind::Call) ctx.call_block[e.index] = block.id;

  std::unordered_set<Fingerprint, FingerprintHash> visited;
  struct Pending {
    int block;
    int from;  // the block the path came from (-1 at the entry)
    State state;
  };
  std::deque<Pending> work;
  work.push_back({fn.entry_block, -1, initial});
  std::size_t steps = 0;
  constexpr std::size_t kMaxSteps = 4000;
  while (!work.empty()) {
    auto [block_id, from, state] = std::move(work.front());
    work.pop_front();
    if (block_id < 0 || block_id >= static_cast<int>(fn.blocks.size())) continue;
    bool first_test = first_loop_test(ctx, block_id, from);
    int block_count = static_cast<int>(fn.blocks.size());
    if (!visited.insert(state.fingerprint_at(first_test ? block_count + block_id : block_id)).second) continue;
    if (++steps > kMaxSteps) {
      result.complete = false;
      break;
    }
    const BasicBlock& block = fn.blocks[block_id];
    bool alive = true, returned = false;
    for (const Event& e : block.events) {
      switch (e.kind) {
        case Event::Kind::Call: alive = process_call(ctx, state, e.index); break;
        case Event::Kind::Assign: process_assign(ctx, state, fn.assigns[e.index]); break;
        case Event::Kind::Return: {
          const ReturnEvent& ret = fn.returns[e.index];
          bool failure = failure_return(ctx, state, ret);
          process_return(ctx, state, ret, failure);
          if (phase != Phase::Standalone) (failure ? result.failure_ends : result.success_ends).push_back(std::move(state));
          returned = true;
          break;
        }
        case Event::Kind::Access: break;
      }
      if (!alive || returned) break;
    }
    if (!alive || returned) continue;
    if (block_id == fn.exit_block) {
      // Falling off the end of a void function: a return too.
      release_scope_cleaned(fn, state);
      if (phase == Phase::Standalone && fn.return_type == "void") {
        find_lost(ctx, state, ReturnEvent{{}, fn.end_location}, false);
        note_kept_outside_init(ctx, state, false);
      }
      if (phase != Phase::Standalone) result.success_ends.push_back(std::move(state));
      continue;
    }
    std::vector<State> next = branch(ctx, std::move(state), block);
    if (first_test && !next[0].infeasible) next[1].infeasible = true;  // into the body at least once
    for (std::size_t i = 0; i < block.successors.size(); ++i) {
      if (block.successors[i] < 0) continue;
      if (next[i].infeasible) continue;
      work.push_back({block.successors[i], block_id, std::move(next[i])});
    }
  }
  return result;
}

}  // namespace kmodlint::lifetimes
