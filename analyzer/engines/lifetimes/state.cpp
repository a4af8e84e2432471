#include "engines/lifetimes/state.h"

#include <algorithm>

#include "common/identifier_text.h"

namespace kmodlint::lifetimes {

namespace {

void add_keys(Fingerprinter& digest, const std::set<ValueKey>& keys) {
  digest.add(static_cast<std::uint64_t>(keys.size()));
  for (const ValueKey& k : keys) k.add_to(digest);
}

}  // namespace

Fingerprint State::fingerprint_at(int block) const {
  Fingerprinter digest;
  digest.add(block);
  digest.add(static_cast<std::uint64_t>(resources.size()));
  for (const Resource& r : resources) {
    digest.add(r.site).add(r.status).add(r.prior).add(r.depends_on).add(r.definite_release);
    digest.add(static_cast<std::uint64_t>(r.comps.size()));
    for (const auto& comp : r.comps) add_keys(digest, comp);
    add_keys(digest, r.status_keys);
    digest.add(r.released_at.line).add(r.handed_over).add(r.passed_on).add(r.tested);
  }
  digest.add(static_cast<std::uint64_t>(knowledge.size()));
  for (const auto& [k, v] : knowledge) {
    k.add_to(digest);
    digest.add(v);
  }
  digest.add(static_cast<std::uint64_t>(exact.size()));
  for (const auto& [k, v] : exact) {
    k.add_to(digest);
    digest.add(v.equals.has_value()).add(v.equals.value_or(0)).add(static_cast<std::uint64_t>(v.excluded.size()));
    for (std::int64_t e : v.excluded) digest.add(e);
  }
  digest.add(static_cast<std::uint64_t>(pending.size()));
  for (const PendingOrder& p : pending) digest.add(p.dependent).add(p.base).add(p.at.line);
  digest.add(static_cast<std::uint64_t>(failed.size()));
  for (const FailedAcquire& f : failed) {
    digest.add(f.site).add(f.learnt_at.line);
    add_keys(digest, f.handle);
  }
  // Other names of a value count by how many there are: they follow from the path's assignments.
  digest.add(static_cast<std::uint64_t>(same_value.size()));
  for (const auto& [target, names] : same_value) {
    target.add_to(digest);
    digest.add(static_cast<std::uint64_t>(names.size()));
  }
  return digest.result();
}

void State::add_same_values(std::set<ValueKey>& comp) const {
  std::set<ValueKey> more;
  for (const auto& [target, names] : same_value)
    for (const ValueKey& k : comp) {
      if (names.count(k)) {
        more.insert(names.begin(), names.end());
        break;
      }
      if (!k.plain() || !target.plain() || k.path.size() <= target.path.size() || !target.contains(k, "-.["))
        continue;
      std::string below = k.path.substr(target.path.size());
      for (const ValueKey& name : names) {
        if (!name.plain() || name == target || name.kind == ValueKey::Kind::Constant ||
            name.kind == ValueKey::Kind::CallResult || name.kind == ValueKey::Kind::Function)
          continue;
        ValueKey reached = name;
        reached.path += below;
        more.insert(std::move(reached));
      }
    }
  comp.insert(more.begin(), more.end());
}

unsigned test_set(BranchCondition::Test test, bool holds) {
  using T = BranchCondition::Test;
  unsigned set = kAll;
  switch (test) {
    case T::NonZero: set = kNeg | kPos; break;
    case T::Zero: set = kZero; break;
    case T::Negative: set = kNeg; break;
    case T::NonNegative: set = kZero | kPos; break;
    case T::IsErr: set = kNeg; break;
    case T::IsErrOrNull: set = kNeg | kZero; break;
    case T::BelowPositive: return holds ? kAll : kPos;  // only x >= C > 0 says x is positive
    case T::AtLeastPositive: return holds ? kPos : kAll;
    case T::Unknown: return kAll;
  }
  return holds ? set : (kAll & ~set);
}

// The values an acquire can return, and which of them mean failure.
unsigned domain_of(FailsOn fails) {
  switch (fails) {
    case FailsOn::NullPtr: return kZero | kPos;
    case FailsOn::ErrPtr: return kNeg | kPos;
    case FailsOn::Negative: return kNeg | kZero;
    default: return kAll;
  }
}
unsigned failure_of(FailsOn fails) {
  switch (fails) {
    case FailsOn::NullPtr: return kZero;
    case FailsOn::ErrPtr: return kNeg;
    case FailsOn::ErrPtrOrNull: return kNeg | kZero;
    case FailsOn::Negative: return kNeg;
    case FailsOn::NonZero: return kNeg | kPos;
    case FailsOn::Zero: return kZero;
    default: return 0;
  }
}

unsigned sign_class(std::int64_t value) { return value < 0 ? kNeg : value == 0 ? kZero : kPos; }

ValueKey element_pointed_to(const State& state, const ValueKey& pointer) {
  if (pointer.kind != ValueKey::Kind::Local && pointer.kind != ValueKey::Kind::Param) return {};
  ValueKey plain = pointer;
  plain.ops.clear();
  plain.path.clear();
  auto found = state.same_value.find(plain);
  if (found == state.same_value.end()) return {};
  for (const ValueKey& name : found->second)
    if (name.ops == std::vector<ValueKey::Op>{ValueKey::Op::AddressOf} && name.path.ends_with("[]")) return name;
  return {};
}

namespace {

// dev->f (or &dev->f) with dev = &devs[i]: devs[].f (or &devs[].f).
ValueKey through_element(const State& state, const ValueKey& key) {
  if (!key.path.starts_with("->")) return {};
  ValueKey element = element_pointed_to(state, key);
  if (element.empty()) return {};
  ValueKey out = element.bare();
  out.path += "." + key.path.substr(2);
  out.ops = key.ops;
  return out;
}

}  // namespace

void add_element_names(const State& state, std::vector<ValueKey>& keys) {
  std::vector<ValueKey> more;
  for (const ValueKey& k : keys)
    if (ValueKey e = through_element(state, k); !e.empty() && std::find(keys.begin(), keys.end(), e) == keys.end())
      more.push_back(e);
  keys.insert(keys.end(), more.begin(), more.end());
}

void add_element_names(const State& state, std::set<ValueKey>& keys) {
  std::vector<ValueKey> list(keys.begin(), keys.end());
  add_element_names(state, list);
  keys.insert(list.begin(), list.end());
}

void kill_key(State& state, const ValueKey& key, bool keep_pointer) {
  if (key.empty() || key.has_element()) return;
  auto stale = [&](const ValueKey& k) {
    return key.contains(k.bare(), "-.[") && !(keep_pointer && k.ops.empty() && k.path == key.path);
  };
  for (Resource& r : state.resources) {
    for (auto& comp : r.comps) std::erase_if(comp, stale);
    std::erase_if(r.status_keys, stale);
  }
  std::erase_if(state.knowledge, [&](const auto& entry) { return stale(entry.first); });
  std::erase_if(state.exact, [&](const auto& entry) { return stale(entry.first); });
  std::erase_if(state.same_value, [&](const auto& entry) { return stale(entry.first); });
  for (auto& [target, names] : state.same_value) std::erase_if(names, stale);
  for (FailedAcquire& f : state.failed) std::erase_if(f.handle, stale);
  std::erase_if(state.failed, [](const FailedAcquire& f) { return f.handle.empty(); });
}

// Forgets remembered condition outcomes whose spelling mentions `name` as a whole word.
void kill_text_keys(State& state, const std::string& name) {
  if (name.empty()) return;
  std::erase_if(state.knowledge, [&](const auto& entry) {
    return entry.first.kind == ValueKey::Kind::Text && mentions_identifier(entry.first.root, name);
  });
}

// The resources held in the object `v` points into (&obj->member names obj), or that are it.
std::vector<int> resources_pointed_into(const State& state, const std::vector<ValueKey>& values) {
  std::vector<int> out;
  for (const ValueKey& v : values) {
    auto names = state.same_value.find(v.bare());
    if (!v.plain(ValueKey::Kind::Local) || names == state.same_value.end()) continue;
    for (const ValueKey& name : names->second) {
      if (!name.starts_with_op(ValueKey::Op::AddressOf) || name.path.empty() || name.kind != ValueKey::Kind::Local) continue;
      ValueKey object = ValueKey::local(name.root);
      for (const Resource& r : state.resources)
        if (r.live() && !r.comps.empty() && r.comps[0].count(object) &&
            std::find(out.begin(), out.end(), r.site) == out.end())
          out.push_back(r.site);
    }
  }
  return out;
}

std::vector<int> resources_in_object(const State& state, ValueRef v, const FunctionFacts& fn) {
  if (v.address_of && !v.field.empty()) {
    std::size_t cut = v.path.rfind(v.field);
    if (cut != std::string::npos && cut >= 1) {
      cut -= v.path[cut - 1] == '.' ? 1 : (cut >= 2 && v.path.compare(cut - 2, 2, "->") == 0 ? 2 : 0);
      v.path.resize(cut);
      v.address_of = false;
      v.record.clear();
      v.field.clear();
    }
  }
  std::vector<int> out;
  using K = ValueKey::Kind;
  for (const ValueKey& object : keys_of(v, fn)) {
    ValueKey o = object.bare();
    if (o.kind == K::Constant || o.kind == K::Function || o.kind == K::Record) continue;
    for (const Resource& r : state.resources) {
      bool inside = false;
      for (const auto& comp : r.comps)
        for (const ValueKey& k : comp)
          if (o.contains(k.bare(), "-.")) inside = true;
      if (inside && r.live() && std::find(out.begin(), out.end(), r.site) == out.end()) out.push_back(r.site);
    }
  }
  return out;
}

std::vector<int> resources_reached_from(const State& state, const ValueRef& v, const FunctionFacts& fn) {
  std::vector<int> sites = resources_in_object(state, v, fn);
  for (int site : resources_pointed_into(state, keys_of(v, fn)))
    if (std::find(sites.begin(), sites.end(), site) == sites.end()) sites.push_back(site);
  return sites;
}

// For a helper's summary: each key that names a local replaced by a name of the same value that
// its caller can see (dev = &drvdata->pdev->dev; pm_runtime_disable(dev) releases
// &R:platform_device.dev). A field of the driver's struct first, then the first by spelling.
std::vector<ValueKey> visible_names(const State& state, std::vector<ValueKey> keys) {
  for (ValueKey& key : keys) {
    if (key.empty() || outliving(key)) continue;
    std::set<ValueKey> names{key};
    state.add_same_values(names);
    const ValueKey* best = nullptr;
    std::string best_spelling;
    for (const ValueKey& name : names) {
      if (!outliving(name)) continue;
      bool record = name.kind == ValueKey::Kind::Record, best_record = best && best->kind == ValueKey::Kind::Record;
      std::string spelling = name.to_string();
      if (!best || (record && !best_record) || (record == best_record && spelling < best_spelling)) {
        best = &name;
        best_spelling = std::move(spelling);
      }
    }
    if (best) key = *best;
  }
  return keys;
}

// The class of `c ? a : b` on this path, when what the path knows of c's subject decides it.
std::optional<unsigned> chosen_class(const State& state, const ChosenValue& chosen, const FunctionFacts& fn) {
  const BranchCondition& c = chosen.condition;
  ValueKey key = key_of(c.subject, fn);
  auto found = state.knowledge.find(key);
  if (key.empty() || found == state.knowledge.end()) {
    if (sign_class(chosen.if_true) == sign_class(chosen.if_false)) return sign_class(chosen.if_true);
    return std::nullopt;
  }
  bool is_err_test = c.test == BranchCondition::Test::IsErr || c.test == BranchCondition::Test::IsErrOrNull;
  unsigned holds = test_set(c.test, !(is_err_test && c.negated));
  unsigned fails = test_set(c.test, is_err_test && c.negated);
  if ((found->second & ~holds) == 0) return sign_class(chosen.if_true);
  if ((found->second & ~fails) == 0) return sign_class(chosen.if_false);
  return std::nullopt;
}

// `target` is a field of a local that names an element of a global list (container_of on a
// global's list member: a same-value name that is a global's path ending in "^").
bool in_global_list_element(const State& state, const ValueRef& target) {
  if (target.kind != ValueRef::Kind::Local || target.path.empty()) return false;
  auto found = state.same_value.find(ValueKey::local(target.root));
  if (found == state.same_value.end()) return false;
  return std::any_of(found->second.begin(), found->second.end(),
                     [](const ValueKey& k) { return k.plain(ValueKey::Kind::Global) && k.path.ends_with("^"); });
}

}  // namespace kmodlint::lifetimes
