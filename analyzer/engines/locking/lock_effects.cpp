// What one call does to the locks of a path: a lock primitive of rules/locks.yaml, or a module
// function through its summary. Double locks and releases without a lock are found here.
#include <algorithm>

#include "engines/concurrency/lock_calls.h"
#include "engines/locking/lock_walk.h"

namespace kmodlint::locking {

using lifetimes::ValueKey;

namespace {

// A lock without an object is spelled by the call that takes it: "rcu_read_lock()".
std::string implicit_spelling(const LockTable& table, const LockPrimitive& p) {
  if (p.op != "release") return p.name + "()";
  for (const LockPrimitive& other : table.primitives)
    if (other.lock_class == p.lock_class && other.op == "acquire" &&
        std::find(other.pairs_with.begin(), other.pairs_with.end(), p.name) != other.pairs_with.end())
      return other.name + "()";
  return p.name + "()";
}

// `&d->lock` of a helper given `&x` as d: "&x.lock"; given `p`: "&p->lock".
std::string spelling_through(const ValueRef& arg, const std::string& path) {
  if (path.empty()) return arg.text;
  std::string base = arg.text;
  if (arg.address_of && base.starts_with("&") && path.starts_with("->")) return base + "." + path.substr(2);
  if (base.find_first_of(" +-*/?:") != std::string::npos) base = "(" + base + ")";
  return "&" + base + path;
}

std::string lock_identity(const LockRef& lock, const ValueRef* arg) {
  if (!lock.implicit_class.empty()) return "class:" + lock.implicit_class;
  if (lock.object.kind == ValueKey::Kind::Global) return "G:" + lock.object.root + lock.object.path;
  if (arg && !arg->record.empty() && !arg->field.empty()) return "R:" + arg->record + "." + arg->field;
  return {};
}

}  // namespace

// The identity of an annotated lock: that of a primitive call of the function that names it.
std::string LockWalk::identity_in_body(const LockRef& lock) const {
  for (const CallEvent& call : fn_.calls) {
    const LockPrimitive* p = table_.find_primitive_by_callee(call.callee);
    if (!p || p->lock_arg < 0) continue;
    std::optional<ValueRef> arg = lock_argument(fn_, call, p->lock_arg, p->unwrap);
    if (arg && object_key(*arg, fn_, {}) == lock.object) return lock_identity(lock, &*arg);
  }
  return lock.implicit_class.empty() ? std::string() : "class:" + lock.implicit_class;
}

namespace {

void set_identity(PathState& state, const LockRef& lock, const std::string& identity) {
  auto found = state.locks.find(lock);
  if (found != state.locks.end() && found->second.identity.empty()) found->second.identity = identity;
}

// Whether two calls that name the lock this way name the same lock: not an array element's
// (`&d->port[i].lock` is every element's) nor a spelling the facts cannot resolve.
bool comparable(const LockRef& lock) {
  return !lock.implicit_class.empty() || (lock.object.kind != ValueKey::Kind::Text && !lock.object.has_element());
}

}  // namespace

// A lock reached through `p->lock` says p is not NULL on this path (`if (p) mutex_unlock(&p->lock)`).
void LockWalk::assume_not_null(PathState& state, const ValueRef& lock_expression) const {
  using K = ValueRef::Kind;
  if ((lock_expression.kind != K::Local && lock_expression.kind != K::Param) || !lock_expression.path.starts_with("->"))
    return;
  ValueRef pointer;
  pointer.kind = lock_expression.kind;
  pointer.root = lock_expression.root;
  ValueKey key = lifetimes::key_of(pointer, fn_);
  if (!key.empty()) restrict_value(state, key, kNegative | kPositive);
}

// `closure_call(cl, journal_write_unlocked, ...)`, `queue_work()` of a work item: a module function
// given as an argument that gives back (or may give back) its caller's lock of a kind the path
// holds takes it over: what the path knew of that lock ends there.
void LockWalk::hand_to_callbacks(PathState& state, const CallEvent& call) const {
  for (const ValueRef& arg : call.args) {
    if (arg.kind != ValueRef::Kind::Function || arg.root.empty()) continue;
    CallEvent as_call;
    as_call.callee = arg.root;
    const FunctionLockSummary* summary = summaries_(as_call);
    if (!summary) continue;
    for (const LockEffect& effect : summary->effects) {
      bool may_release = effect.kind == LockEffect::Kind::Releases || effect.kind == LockEffect::Kind::Unsettled;
      if (!may_release || effect.identity.empty()) continue;
      for (auto& [lock, h] : state.locks)
        if (h.depth > h.free_depth() && h.identity == effect.identity) h.unknown = true;
    }
  }
}

std::vector<PathState> LockWalk::process_call(PathState state, const CallEvent& call, int call_index) {
  state.knowledge.erase(ValueKey::call_result(call_index));  // a call in a loop: this evaluation's result
  hand_to_callbacks(state, call);
  if (const LockPrimitive* p = table_.find_primitive_by_callee(call.callee)) {
    const LockClass* c = table_.find_class(p->lock_class);
    if (c && c->balanced) return apply_primitive(std::move(state), *p, call, call_index);
    return {std::move(state)};
  }
  if (call.callee.empty() || table_.find_guard_by_constructor(call.callee))
    return {std::move(state)};  // a scoped guard releases at scope exit
  if (const FunctionLockSummary* summary = summaries_(call)) {
    if (summary->effects.empty()) return {std::move(state)};
    return apply_summary(std::move(state), *summary, call, call_index);
  }
  if (call.callee.find("lock") != std::string::npos && !unwrap_calls_.count(call.callee))
    forget_locks_of_arguments(state, call);
  return {std::move(state)};
}

namespace {

// The variable an object key starts from: `d` of `d->sub.lock`.
ValueKey root_of(const ValueKey& object) {
  ValueKey root = object;
  root.path.clear();
  root.ops.clear();
  return root;
}

}  // namespace

void LockWalk::forget_locks_of_arguments(PathState& state, const CallEvent& call) const {
  for (const ValueRef& arg : call.args) {
    ValueKey object = object_key(arg, fn_, state.aliases);
    if (object.empty() || object.kind == ValueKey::Kind::Text) continue;
    state.opaque_objects.insert(root_of(object));
    for (auto& [lock, h] : state.locks)
      if (root_of(lock.object) == root_of(object)) h.unknown = true;
  }
}

HeldLock& LockWalk::held(PathState& state, const LockRef& lock) {
  HeldLock& h = state.locks[lock];
  if (!lock.object.empty() && state.opaque_objects.count(root_of(lock.object))) h.unknown = true;
  return h;
}

std::vector<PathState> LockWalk::apply_primitive(PathState state, const LockPrimitive& p, const CallEvent& call,
                                                 int call_index) {
  LockRef lock;
  std::string spelling;
  if (p.lock_arg < 0) {
    lock.implicit_class = p.lock_class;
    spelling = implicit_spelling(table_, p);
  } else {
    std::optional<ValueRef> arg = lock_argument(fn_, call, p.lock_arg, p.unwrap);
    if (!arg) return {std::move(state)};
    lock.object = object_key(*arg, fn_, state.aliases);
    spelling = arg->text;
    if (lock.object.empty()) return {std::move(state)};
  }
  std::optional<ValueRef> arg;
  if (p.lock_arg >= 0) {
    arg = lock_argument(fn_, call, p.lock_arg, p.unwrap);
    assume_not_null(state, *arg);
  }
  const std::string identity = lock_identity(lock, arg ? &*arg : nullptr);
  bool may_nest = nests(p.lock_class, p.mode);
  if (p.op == "release") {
    if (p.leaves_held.empty()) release(state, lock, spelling, p.lock_class, call, p.name);
    set_identity(state, lock, identity);
    return {std::move(state)};
  }
  if (p.op == "acquire" || p.held_when == "always") {
    acquire(state, lock, spelling, p.lock_class, may_nest, true, call, p.name);
    set_identity(state, lock, identity);
    return {std::move(state)};
  }
  state.last_try_call = call_index;
  PathState failed = state;
  acquire(state, lock, spelling, p.lock_class, may_nest, false, call, p.name);
  restrict_value(state, ValueKey::call_result(call_index), held_classes(p.held_when));
  fail_try(failed, lock, spelling, p.lock_class, call, p.name);
  restrict_value(failed, ValueKey::call_result(call_index), failed_classes(p));
  set_identity(state, lock, identity);
  set_identity(failed, lock, identity);
  return {std::move(state), std::move(failed)};
}

std::vector<PathState> LockWalk::apply_summary(PathState state, const FunctionLockSummary& summary,
                                               const CallEvent& call, int call_index) {
  std::vector<PathState> states{std::move(state)};
  for (const LockEffect& effect : summary.effects) {
    std::vector<PathState> after;
    for (PathState& s : states) {
      LockRef lock = effect.lock;
      std::string spelling = effect.spelling;
      if (lock.implicit_class.empty()) {
        if (!to_caller_terms(lock, spelling, call, s)) continue;  // the helper's own object: nothing for the caller
      }
      bool may_nest = nests(effect.lock_class, "exclusive");
      switch (effect.kind) {
        case LockEffect::Kind::Releases: release(s, lock, spelling, effect.lock_class, call, call.callee); break;
        case LockEffect::Kind::Unsettled: held(s, lock).unknown = true; break;
        case LockEffect::Kind::Requires: require_held(s, lock, spelling, effect, call); break;
        case LockEffect::Kind::Acquires: {
          if (effect.held_when == kAnyValue) {
            acquire(s, lock, spelling, effect.lock_class, may_nest, true, call, call.callee);
            break;
          }
          PathState failed = s;
          acquire(s, lock, spelling, effect.lock_class, may_nest, false, call, call.callee);
          bool held_possible = restrict_value(s, ValueKey::call_result(call_index), effect.held_when);
          fail_try(failed, lock, spelling, effect.lock_class, call, call.callee);
          if (restrict_value(failed, ValueKey::call_result(call_index), effect.free_when))
            after.push_back(std::move(failed));
          if (!held_possible) continue;
          break;
        }
      }
      if (!effect.identity.empty()) set_identity(s, lock, effect.identity);
      after.push_back(std::move(s));
    }
    states = std::move(after);
  }
  return states;
}

// A helper's lock in its caller's terms: parameter i's `->lock` is what the caller passed as
// argument i, then `->lock`. Locks of the helper's own locals mean nothing to the caller.
bool LockWalk::to_caller_terms(LockRef& lock, std::string& spelling, const CallEvent& call,
                               const PathState& state) const {
  ValueKey& object = lock.object;
  if (object.kind == ValueKey::Kind::Global) return true;
  if (object.kind != ValueKey::Kind::Param || object.index < 0 || object.index >= static_cast<int>(call.args.size()))
    return false;
  const ValueRef& arg = call.args[object.index];
  ValueKey base = object_key(arg, fn_, state.aliases);
  if (base.empty() || base.kind == ValueKey::Kind::Text) return false;
  // `p` after `p = &dev` passes &dev as well.
  bool address_of = arg.address_of;
  if (auto alias = state.aliases.find(arg.root); arg.kind == ValueRef::Kind::Local && arg.path.empty() &&
                                                 !arg.dereferenced && alias != state.aliases.end())
    address_of = address_of || alias->second.address_of;
  if (address_of && object.path.starts_with("->"))
    base.path += "." + object.path.substr(2);
  else
    base.path += object.path;
  spelling = spelling_through(arg, object.path);
  object = base;
  return true;
}

void LockWalk::acquire(PathState& state, const LockRef& lock, const std::string& spelling,
                       const std::string& lock_class, bool may_nest, bool report_double, const CallEvent& call,
                       const std::string& with) {
  HeldLock& h = held(state, lock);
  if (h.unknown) return;
  if (h.spelling.empty()) h.spelling = spelling;
  h.lock_class = lock_class;
  if (h.depth > h.free_depth() && !may_nest) {
    // The same call again is a loop coming round (a lock per element, a retry the walk cannot
    // rule out), not a proof.
    if (report_double && comparable(lock) && h.acquired_at != call.location && reported_.insert(call.location).second)
      findings_.double_locks.push_back({function_, h.spelling, call.location, with, h.acquired_at, h.acquired_with,
                                        decisions_after(state.trail, h.acquired_at)});
    // The caller's hold (__must_hold()) taken again: the function's own lock and unlock still
    // pair up, so that the double lock is its only finding.
    if (h.caller_holds && h.depth == 0) h.depth = 1;
    return;
  }
  if (h.depth == h.free_depth()) {
    h.acquired_at = call.location;
    h.acquired_with = with;
  }
  h.depth = std::min(h.depth + 1, kMaxDepth);
  h.proven_free = false;
  h.freed_at = {};
  h.freed_with.clear();
  h.freed_by_failed_try = false;
}

void LockWalk::release(PathState& state, const LockRef& lock, const std::string& spelling,
                       const std::string& lock_class, const CallEvent& call, const std::string& with) {
  HeldLock& h = held(state, lock);
  if (h.unknown) return;
  if (h.spelling.empty()) h.spelling = spelling;
  h.lock_class = lock_class;
  if (h.depth <= h.free_depth() && h.proven_free) {
    if (comparable(lock) && h.freed_at != call.location && reported_.insert(call.location).second) {
      UnlockWithoutLock u{function_, h.spelling, call.location, with,
                          h.freed_by_failed_try ? UnlockWithoutLock::Because::TryFailed
                                                : UnlockWithoutLock::Because::ReleasedBefore,
                          h.freed_at, h.freed_with, decisions_after(state.trail, h.freed_at)};
      findings_.unlocks_without_lock.push_back(std::move(u));
    }
    return;
  }
  --h.depth;
  // The path's own hold given back: a second release would be wrong. (Below what the caller
  // held proves nothing: a call the walk cannot see into may have taken it again -- unless the
  // function's annotation says the caller held it once.)
  if (h.depth == h.free_depth()) {
    h.proven_free = true;
    h.freed_at = call.location;
    h.freed_with = with;
    h.freed_by_failed_try = false;
  }
  h.depth = std::max(h.depth, -kMaxDepth);
}

void LockWalk::require_held(PathState& state, const LockRef& lock, const std::string& spelling,
                            const LockEffect& effect, const CallEvent& call) {
  auto found = state.locks.find(lock);
  if (found == state.locks.end()) return;
  const HeldLock& h = found->second;
  if (h.unknown || !h.proven_free || h.depth > h.free_depth() || !comparable(lock)) return;
  if (!reported_.insert(call.location).second) return;
  AnnotationBroken broken;
  broken.function = function_;
  broken.lock = h.spelling.empty() ? spelling : h.spelling;
  broken.because = AnnotationBroken::Because::CalledWithoutLock;
  broken.at = call.location;
  broken.annotated_at = effect.annotated_at;
  broken.callee = call.callee;
  broken.proof_at = h.freed_at;
  broken.proof_with = h.freed_with;
  broken.path = decisions_after(state.trail, h.freed_at);
  findings_.annotations_broken.push_back(std::move(broken));
}

void LockWalk::fail_try(PathState& state, const LockRef& lock, const std::string& spelling,
                        const std::string& lock_class, const CallEvent& call, const std::string& with) {
  HeldLock& h = held(state, lock);
  if (h.unknown || h.depth > h.free_depth()) return;
  if (h.spelling.empty()) h.spelling = spelling;
  h.lock_class = lock_class;
  if (h.depth < h.free_depth()) return;  // it released the caller's lock before: the trylock may fail for anyone
  h.proven_free = true;
  h.freed_at = call.location;
  h.freed_with = with;
  h.freed_by_failed_try = true;
}

}  // namespace kmodlint::locking
