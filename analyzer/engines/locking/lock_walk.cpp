// The path walk of lock balance. One state per (block, what the path holds and knows); a call that
// may or may not take a lock (a trylock, mutex_lock_interruptible, a helper that holds it only
// when it succeeds) splits the path, and the branches that test its result keep the half that
// agrees with them.
#include "engines/locking/lock_walk.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <tuple>

#include "common/identifier_text.h"
#include "engines/concurrency/lock_calls.h"

namespace kmodlint::locking {

using lifetimes::ValueKey;

namespace {

// Paths (block visits with distinct states) one function may take before the walk gives up.
constexpr int kMaxBlockVisits = 5000;

unsigned sign_classes(std::int64_t value) { return value < 0 ? kNegative : value == 0 ? kZero : kPositive; }

// The value classes for which `test` holds (holds) or does not (!holds).
unsigned test_classes(BranchCondition::Test test, bool holds) {
  using T = BranchCondition::Test;
  switch (test) {
    case T::NonZero: return holds ? kNegative | kPositive : kZero;
    case T::Zero: return holds ? kZero : kNegative | kPositive;
    case T::Negative: return holds ? kNegative : kZero | kPositive;
    case T::NonNegative: return holds ? kZero | kPositive : kNegative;
    case T::IsErr: return holds ? kNegative : kZero | kPositive;
    case T::IsErrOrNull: return holds ? kNegative | kZero : kPositive;
    case T::AtLeastPositive: return holds ? kPositive : kAnyValue;
    case T::BelowPositive: return holds ? kAnyValue : kPositive;
    case T::Unknown: return kAnyValue;
  }
  return kAnyValue;
}

std::string trimmed(std::string text) {
  while (!text.empty() && text.front() == ' ') text.erase(0, 1);
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

// `++cnt`, `cnt++`: the counter (the test compares it after, or just before, the step).
std::string without_step(std::string operand, bool* stepped = nullptr) {
  operand = trimmed(std::move(operand));
  bool step = false;
  for (const char* op : {"++", "--"}) {
    if (operand.starts_with(op)) operand.erase(0, 2), step = true;
    if (operand.ends_with(op)) operand.erase(operand.size() - 2), step = true;
  }
  if (stepped) *stepped = step;
  return trimmed(operand);
}

}  // namespace

// A comparison the facts cannot name, in one spelling for it and its negation: `a != b` is
// `a == b` false, `a >= b` is `a < b` false, `b > a` is `a < b` (gfp == GFP_ATOMIC and
// gfp != GFP_ATOMIC, or a retry loop's `++cnt < max` and the `cnt >= max` after it, test the same
// thing). Anything else keeps its spelling.
SpelledTest canonical_test(const std::string& spelling) {
  static const char* const kOperators[] = {"==", "!=", "<=", ">=", "<", ">"};
  int depth = 0;
  for (std::size_t i = 0; i < spelling.size(); ++i) {
    char c = spelling[i];
    depth += c == '(' ? 1 : c == ')' ? -1 : 0;
    if (depth != 0 || (c != '=' && c != '!' && c != '<' && c != '>')) continue;
    if (spelling.compare(i, 2, "->") == 0 || (i > 0 && spelling[i - 1] == '-')) continue;
    for (const char* op : kOperators) {
      std::size_t n = std::char_traits<char>::length(op);
      if (spelling.compare(i, n, op) != 0) continue;
      if (n == 1 && i + 1 < spelling.size() && (spelling[i + 1] == c || spelling[i + 1] == '=')) break;  // << >> <= >=
      if (c == '<' && i > 0 && spelling[i - 1] == '<') break;
      if (c == '>' && i > 0 && spelling[i - 1] == '>') break;
      bool stepped_left = false, stepped_right = false;
      std::string left = without_step(spelling.substr(0, i), &stepped_left);
      std::string right = without_step(spelling.substr(i + n), &stepped_right);
      if (left.empty() || right.empty() || left.find_first_of("=<>!?&|") != std::string::npos ||
          right.find_first_of("=<>!?&|") != std::string::npos)
        return {spelling, true, false};
      std::string o = op;
      if (o == "==" || o == "!=") return {left + " == " + right, o == "==", false};
      bool swap = o == ">" || o == "<=";
      bool holds = o == "<" || o == ">";
      const std::string& lower = swap ? right : left;
      bool counter = swap ? stepped_right : stepped_left;
      return {lower + " < " + (swap ? left : right), holds, counter};
    }
  }
  return {spelling, true, false};
}

namespace {

int param_position(const FunctionFacts& fn, const std::string& name) {
  auto found = std::find(fn.params.begin(), fn.params.end(), name);
  return found == fn.params.end() ? -1 : static_cast<int>(found - fn.params.begin());
}

}  // namespace

unsigned held_classes(const std::string& held_when) {
  if (held_when == "zero") return kZero;
  if (held_when == "nonzero") return kPositive;
  return kAnyValue;
}

// -EINTR (or down_trylock's 1) when `zero` means taken; 0 (false) when `nonzero` does.
unsigned failed_classes(const LockPrimitive& p) {
  if (p.held_when == "zero") return p.fails_with == "positive" ? kPositive : kNegative;
  if (p.held_when == "nonzero") return kZero;
  return 0;
}

namespace {

void add_location(Fingerprinter& digest, const SourceLocation& at) { digest.add(at.file).add(at.line).add(at.column); }

}  // namespace

Fingerprint PathState::fingerprint_at(int block) const {
  Fingerprinter digest;
  digest.add(block);
  digest.add(static_cast<std::uint64_t>(locks.size()));
  for (const auto& [lock, h] : locks) {
    digest.add(lock.implicit_class);
    lock.object.add_to(digest);
    digest.add(h.depth).add(h.proven_free).add(h.unknown).add(h.spelling).add(h.lock_class).add(h.identity);
    add_location(digest, h.acquired_at);
    digest.add(h.acquired_with);
    add_location(digest, h.freed_at);
    digest.add(h.freed_with).add(h.freed_by_failed_try).add(h.caller_holds);
  }
  digest.add(static_cast<std::uint64_t>(knowledge.size()));
  for (const auto& [key, classes] : knowledge) {
    key.add_to(digest);
    digest.add(classes);
  }
  digest.add(static_cast<std::uint64_t>(aliases.size()));
  for (const auto& [name, alias] : aliases) {
    digest.add(name);
    alias.object.add_to(digest);
    digest.add(alias.address_of);
  }
  digest.add(last_try_call).add(static_cast<std::uint64_t>(opaque_objects.size()));
  for (const lifetimes::ValueKey& object : opaque_objects) object.add_to(digest);
  return digest.result();
}


bool ReturnRecord::operator<(const ReturnRecord& other) const {
  return std::tie(at, value_classes, locks, params) < std::tie(other.at, other.value_classes, other.locks, other.params);
}

std::vector<AnnotatedLock> annotated_locks(const FunctionFacts& fn, const LockTable& table) {
  std::vector<AnnotatedLock> out;
  for (const ContextAnnotation& a : fn.lock_annotations)
    if (std::optional<LockRef> lock = annotated_lock(a, fn, table)) out.push_back({*lock, &a});
  return out;
}

LockWalk::LockWalk(FunctionRef function, const LockTable& table, SummaryLookup summaries)
    : function_(function), fn_(*function.function), table_(table), summaries_(std::move(summaries)) {
  annotations_ = annotated_locks(fn_, table_);
  index_tested_values();
  for (const LockPrimitive& p : table_.primitives) unwrap_calls_.insert(p.unwrap.begin(), p.unwrap.end());
}

ValueKey LockWalk::object_key(const ValueRef& v, const FunctionFacts& fn, const std::map<std::string, Alias>& aliases) {
  using K = ValueRef::Kind;
  switch (v.kind) {
    case K::Local:
      if (auto found = aliases.find(v.root); found != aliases.end()) {
        ValueKey key = found->second.object;
        if (found->second.address_of && v.path.starts_with("->"))
          key.path += "." + v.path.substr(2);
        else
          key.path += v.path;
        return key;
      }
      return ValueKey::local(v.root, v.path);
    case K::Param:
      if (int position = param_position(fn, v.root); position >= 0) return ValueKey::param(position, v.path);
      return ValueKey::local(v.root, v.path);
    case K::Global: return ValueKey::global(v.root, v.path);
    case K::None:
    case K::IntConstant:
    case K::Function:
    case K::String: return {};
    default: {
      std::string text = v.text;
      if (text.starts_with("&")) text.erase(0, 1);
      return text.empty() ? ValueKey{} : ValueKey::text(text);
    }
  }
}

// The values whose classes the walk keeps: what the function returns, and what it tests in more
// than one place (`if (locked) mutex_unlock(...)` after `if (locked) mutex_lock(...)`). Trylock
// results are kept from the call on. Keeping nothing else keeps the number of states small.
void LockWalk::index_tested_values() {
  std::map<ValueKey, int> tests;
  for (const BasicBlock& block : fn_.blocks)
    if (block.condition) {
      ValueKey key = tested_value(*block.condition, block, -1).key;
      if (!key.empty()) ++tests[key];
    }
  for (const auto& [key, count] : tests)
    if (count > 1) tracked_values_.insert(key);
  // A flag the function sets to a constant and tests (`rebooted = 1; ... if (!rebooted)
  // rtnl_lock()`): the test follows the store.
  for (const AssignEvent& assign : fn_.assigns)
    if (assign.value.kind == ValueRef::Kind::IntConstant)
      if (ValueKey key = lifetimes::key_of(assign.target, fn_).bare(); tests.count(key)) tracked_values_.insert(key);
  // A retry counter tested against its bound (`while (++cnt < max)`): a path that never tested it
  // has not run out of retries (it left the loop by a break in its first round).
  for (const BasicBlock& block : fn_.blocks)
    if (block.condition && block.condition->test == BranchCondition::Test::Unknown &&
        block.condition->subject.text.find('(') == std::string::npos)
      if (SpelledTest spelled = canonical_test(block.condition->subject.text); spelled.counter)
        counter_bounds_.insert(ValueKey::text(spelled.key));
  for (const ReturnEvent& ret : fn_.returns)
    if (ret.value.kind == ValueRef::Kind::Local || ret.value.kind == ValueRef::Kind::Param) {
      ValueKey key = lifetimes::key_of(ret.value, fn_);
      if (!key.empty()) tracked_values_.insert(key.bare());
    }
}

// `ret = spin_trylock_irqsave(&l, f)`: a try-lock macro whose result goes through `?:` is not a
// call result in the facts, only its spelling. It names the path's last try-lock call when that is
// a call of this macro.
ValueKey LockWalk::try_macro_result(const ValueRef& v, int last_try_call) const {
  if (v.kind != ValueRef::Kind::Other || v.text.empty()) return {};
  if (last_try_call < 0 || last_try_call >= static_cast<int>(fn_.calls.size())) return {};
  const LockPrimitive* p = table_.find_primitive_by_callee(fn_.calls[last_try_call].callee);
  if (!p) return {};
  for (const LockPrimitive& named : table_.primitives)
    if (named.op == "try_acquire" && named.callee == p->callee && v.text.starts_with(named.name + "("))
      return ValueKey::call_result(last_try_call);
  return {};
}

// What a branch tests, as a value key and a test. A condition the facts cannot name
// (`phba->sli_rev == LPFC_SLI_REV4`) is kept by its spelling, so testing it again takes the same
// way -- not when it calls something: each evaluation may give another answer.
TestedValue LockWalk::tested_value(const BranchCondition& c, const BasicBlock& block, int last_try_call) const {
  using K = ValueRef::Kind;
  if (c.test == BranchCondition::Test::Unknown) {
    if (c.subject.kind != K::Other || c.subject.text.empty() || c.subject.text.find('(') != std::string::npos)
      return {};
    SpelledTest spelled = canonical_test(c.subject.text);
    return {ValueKey::text(spelled.key), spelled.holds ? BranchCondition::Test::NonZero : BranchCondition::Test::Zero};
  }
  if (c.subject.kind == K::CallResult) return {ValueKey::call_result(c.subject.call_index), c.test};
  if (c.subject.kind == K::Local || c.subject.kind == K::Param || c.subject.kind == K::Global)
    return {lifetimes::key_of(c.subject, fn_).bare(), c.test};
  if (c.subject.kind != K::Other || c.subject.text.empty()) return {};
  if (ValueKey key = try_macro_result(c.subject, last_try_call); !key.empty()) return {key, c.test};
  if (ValueKey key = assigned_in_condition(c.subject, block); !key.empty()) return {key, c.test};
  if (c.subject.text.find('(') != std::string::npos) return {};
  return {ValueKey::text(c.subject.text), c.test};
}

// `if ((status = get_ready_ep(...)) < 0)`: the test is of the variable the block assigned last
// under that name.
ValueKey LockWalk::assigned_in_condition(const ValueRef& subject, const BasicBlock& block) const {
  std::size_t eq = subject.text.find(" = ");
  if (eq == std::string::npos) return {};
  std::string name = subject.text.substr(0, eq);
  while (!name.empty() && (name.front() == '(' || name.front() == ' ')) name.erase(0, 1);
  for (auto it = block.events.rbegin(); it != block.events.rend(); ++it)
    if (it->kind == Event::Kind::Assign && fn_.assigns[it->index].target.text == name)
      return lifetimes::key_of(fn_.assigns[it->index].target, fn_).bare();
  return {};
}

// A test of the last try-lock's result that the facts cannot read (`mutex_lock_interruptible(&m)
// == -EINTR`, `ret == -EINTR`): neither branch knows whether the lock was taken.
void LockWalk::forget_try_tested_unreadably(PathState& state, const BranchCondition& c) const {
  if (state.last_try_call < 0 || state.last_try_call >= static_cast<int>(fn_.calls.size())) return;
  const CallEvent& call = fn_.calls[state.last_try_call];
  const LockPrimitive* p = table_.find_primitive_by_callee(call.callee);
  if (!p || p->lock_arg < 0) return;
  const std::string& text = c.subject.text;
  bool mentions = text.find(call.callee + "(") != std::string::npos || text.find(p->name + "(") != std::string::npos;
  if (!mentions && call.result_to && call.result_to->kind == ValueRef::Kind::Local)
    mentions = mentions_identifier(text, call.result_to->root);
  if (!mentions) return;
  std::optional<ValueRef> arg = lock_argument(fn_, call, p->lock_arg, p->unwrap);
  if (!arg) return;
  LockRef lock{"", object_key(*arg, fn_, state.aliases)};
  if (!lock.object.empty()) state.locks[lock].unknown = true;
}

bool LockWalk::nests(const std::string& lock_class, const std::string& mode) const {
  const LockClass* c = table_.find_class(lock_class);
  if (!c) return true;
  return c->nests == "always" || (c->nests == "shared" && mode == "shared");
}

bool LockWalk::run() {
  if (fn_.entry_block < 0 || fn_.entry_block >= static_cast<int>(fn_.blocks.size())) return true;
  // What the caller holds on entry, by the function's annotations.
  PathState entry;
  for (const AnnotatedLock& a : annotations_) {
    if (a.annotation->kind == ContextAnnotation::Kind::Acquires) continue;
    HeldLock& h = entry.locks[a.lock];
    h.caller_holds = true;
    h.spelling = a.annotation->lock;
    h.acquired_at = a.annotation->location;
    h.acquired_with = to_string(a.annotation->kind);
    h.identity = identity_in_body(a.lock);
  }
  std::vector<Pending> work{{fn_.entry_block, std::move(entry)}};
  while (!work.empty()) {
    Pending item = std::move(work.back());
    work.pop_back();
    if (!seen_.insert(item.state.fingerprint_at(item.block)).second) continue;
    if (++budget_ > kMaxBlockVisits) return false;
    std::vector<Pending> next;
    walk_block(std::move(item.state), item.block, 0, next);
    for (Pending& p : next) work.push_back(std::move(p));
  }
  return true;
}

void LockWalk::walk_block(PathState state, int block_id, std::size_t from, std::vector<Pending>& next) {
  const BasicBlock& block = fn_.blocks[block_id];
  if (block_id == fn_.exit_block && from == 0 && block.events.empty()) {
    // Fell off the end of the function.
    record_return(state, fn_.end_location, kAnyValue);
    return;
  }
  for (std::size_t i = from; i < block.events.size(); ++i) {
    const Event& event = block.events[i];
    switch (event.kind) {
      case Event::Kind::Assign: process_assign(state, fn_.assigns[event.index]); break;
      case Event::Kind::Return: {
        const ReturnEvent& ret = fn_.returns[event.index];
        record_return(state, ret.location, return_classes(state, ret));
        return;
      }
      case Event::Kind::Call: {
        const CallEvent& call = fn_.calls[event.index];
        if (call.noreturn) return;
        std::vector<PathState> outcomes = process_call(std::move(state), call, event.index);
        if (outcomes.empty()) return;
        for (std::size_t k = 1; k < outcomes.size(); ++k) walk_block(std::move(outcomes[k]), block_id, i + 1, next);
        state = std::move(outcomes[0]);
        break;
      }
      case Event::Kind::Access: break;
    }
  }
  if (block.successors.empty()) {
    if (block_id == fn_.exit_block || fn_.exit_block < 0) record_return(state, fn_.end_location, kAnyValue);
    return;
  }
  std::vector<std::optional<PathState>> outs = branch(state, block);
  record_decisions(outs, block);
  for (std::size_t s = 0; s < block.successors.size(); ++s) {
    int succ = block.successors[s];
    if (succ < 0 || succ >= static_cast<int>(fn_.blocks.size()) || !outs[s]) continue;
    next.push_back({succ, std::move(*outs[s])});
  }
}

std::vector<std::optional<PathState>> LockWalk::branch(const PathState& state, const BasicBlock& block) const {
  std::vector<std::optional<PathState>> out(block.successors.size(), state);
  if (!block.condition || block.successors.size() != 2) return out;
  const BranchCondition& c = *block.condition;
  auto [key, test] = tested_value(c, block, state.last_try_call);
  if (key.empty() || (test == BranchCondition::Test::Unknown)) {
    for (auto& o : out) forget_try_tested_unreadably(*o, c);
    return out;
  }
  bool known = state.knowledge.count(key) > 0;
  if (!known && !tracked_values_.count(key)) return out;
  if (!known && counter_bounds_.count(key) && !canonical_test(c.subject.text).counter)
    for (auto& o : out) restrict_value(*o, key, test_classes(BranchCondition::Test::NonZero, true));
  bool is_err = test == BranchCondition::Test::IsErr || test == BranchCondition::Test::IsErrOrNull;
  for (int i = 0; i < 2; ++i) {
    bool holds = (i == 0) != (is_err && c.negated);
    if (!restrict_value(*out[i], key, test_classes(test, holds))) out[i].reset();  // no value takes this way
  }
  return out;
}

// A block with more than one way on: each way remembers which it took.
void LockWalk::record_decisions(std::vector<std::optional<PathState>>& outs, const BasicBlock& block) {
  if (std::count_if(outs.begin(), outs.end(), [](const auto& o) { return o.has_value(); }) < 2) return;
  for (std::size_t i = 0; i < outs.size() && i < block.successors.size(); ++i)
    if (outs[i] && block.successors[i] >= 0) outs[i]->trail = outs[i]->trail.through(block, i);
}

std::vector<FindingNote> decisions_after(const PathTrail& trail, const SourceLocation& from) {
  std::vector<FindingNote> all = trail.since(PathTrail{}, std::numeric_limits<std::size_t>::max());
  std::vector<FindingNote> after;
  for (const FindingNote& step : all)
    if (step.location.file != from.file || step.location.line > from.line ||
        (step.location.line == from.line && step.location.column > from.column))
      after.push_back(step);
  if (after.size() > PathTrail::kMaxNotes) after.erase(after.begin(), after.end() - PathTrail::kMaxNotes);
  return after;
}

bool LockWalk::restrict_value(PathState& state, const ValueKey& key, unsigned classes) {
  unsigned known = kAnyValue;
  if (auto found = state.knowledge.find(key); found != state.knowledge.end()) known = found->second;
  unsigned now = known & classes;
  if (now == 0) return false;
  state.knowledge[key] = now;
  return true;
}

void LockWalk::process_assign(PathState& state, const AssignEvent& assign) const {
  const ValueRef& target = assign.target;
  // Forget what the path knew of conditions spelled with the assigned variable.
  for (auto it = state.knowledge.begin(); it != state.knowledge.end();)
    it = it->first.kind == ValueKey::Kind::Text && mentions_identifier(it->first.root, target.root)
             ? state.knowledge.erase(it)
             : std::next(it);
  ValueKey target_key = lifetimes::key_of(target, fn_).bare();
  if (!target_key.empty()) {
    std::optional<unsigned> classes;
    ValueKey value_key = assign.value.kind == ValueRef::Kind::CallResult
                             ? ValueKey::call_result(assign.value.call_index)
                             : lifetimes::key_of(assign.value, fn_).bare();
    if (value_key.empty()) value_key = try_macro_result(assign.value, state.last_try_call);
    bool from_tracked = false;
    if (assign.chosen) {
      // `failed = !mutex_trylock(&m)`: the value follows what the path knows of the test.
      classes = chosen_classes(state, *assign.chosen);
      from_tracked = classes.has_value();
    } else if (auto found = state.knowledge.find(value_key); !value_key.empty() && found != state.knowledge.end()) {
      classes = found->second;
      from_tracked = true;
    } else if (assign.value.kind == ValueRef::Kind::IntConstant) {
      classes = sign_classes(assign.value.int_value);
    }
    state.knowledge.erase(target_key);
    if (classes && (from_tracked || tracked_values_.count(target_key))) state.knowledge[target_key] = *classes;
  }
  // A local pointer reassigned: locks named through it name another object now.
  if (target.kind != ValueRef::Kind::Local || !target.path.empty() || target.dereferenced) return;
  state.aliases.erase(target.root);
  for (auto& [lock, held] : state.locks)
    if (lock.object.kind == ValueKey::Kind::Local && lock.object.root == target.root) held.unknown = true;
  const ValueRef& v = assign.value;
  using K = ValueRef::Kind;
  if ((v.kind == K::Local || v.kind == K::Param || v.kind == K::Global) && !v.dereferenced && v.root != target.root) {
    ValueKey object = object_key(v, fn_, state.aliases);
    if (!object.empty()) state.aliases[target.root] = Alias{object, v.address_of};
  }
}

std::optional<unsigned> LockWalk::chosen_classes(const PathState& state, const ChosenValue& chosen) const {
  const BranchCondition& c = chosen.condition;
  auto [key, test] = tested_value(c, BasicBlock{}, state.last_try_call);
  auto found = key.empty() ? state.knowledge.end() : state.knowledge.find(key);
  if (found == state.knowledge.end()) return std::nullopt;
  bool is_err = test == BranchCondition::Test::IsErr || test == BranchCondition::Test::IsErrOrNull;
  unsigned holds = test_classes(test, !(is_err && c.negated));
  unsigned fails = test_classes(test, is_err && c.negated);
  if ((found->second & ~holds) == 0) return sign_classes(chosen.if_true);
  if ((found->second & ~fails) == 0) return sign_classes(chosen.if_false);
  return std::nullopt;
}

unsigned LockWalk::return_classes(const PathState& state, const ReturnEvent& ret) const {
  const ValueRef& v = ret.value;
  if (fn_.return_type == "void" || v.kind == ValueRef::Kind::None) return kAnyValue;
  if (v.kind == ValueRef::Kind::IntConstant) return sign_classes(v.int_value);
  if (v.address_of) return kPositive;
  ValueKey key;
  if (v.kind == ValueRef::Kind::CallResult) {
    if (v.call_index >= 0 && v.call_index < static_cast<int>(fn_.calls.size()) &&
        fn_.calls[v.call_index].callee == "ERR_PTR")
      return kNegative;
    key = ValueKey::call_result(v.call_index);
  } else {
    key = lifetimes::key_of(v, fn_).bare();
  }
  if (auto found = state.knowledge.find(key); !key.empty() && found != state.knowledge.end()) return found->second;
  return kAnyValue;
}

void LockWalk::record_return(const PathState& state, const SourceLocation& at, unsigned classes) {
  ReturnRecord record;
  record.at = at;
  record.value_classes = classes;
  record.locks = state.locks;
  for (const auto& [key, classes] : state.knowledge)
    if (key.kind == ValueKey::Kind::Param) record.params.emplace(key, classes);
  record.trail = state.trail;
  returns_.insert(std::move(record));
}

}  // namespace kmodlint::locking
