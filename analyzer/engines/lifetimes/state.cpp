#include "engines/lifetimes/state.h"

#include <algorithm>
#include <cctype>

namespace kmodlint::lifetimes {

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

void kill_key(State& state, const std::string& key) {
  if (key.empty() || key.find("[]") != std::string::npos) return;
  auto stale = [&](const std::string& k) {
    std::string b = bare(k);
    return b == key || (starts_with(b, key) && b.size() > key.size() &&
                        (b[key.size()] == '-' || b[key.size()] == '.' || b[key.size()] == '['));
  };
  for (Resource& r : state.resources) {
    for (auto& comp : r.comps) std::erase_if(comp, stale);
    std::erase_if(r.status_keys, stale);
  }
  std::erase_if(state.knowledge, [&](const auto& entry) { return stale(entry.first); });
  std::erase_if(state.same_value, [&](const auto& entry) { return stale(entry.first); });
  for (auto& [target, names] : state.same_value) std::erase_if(names, stale);
}

// Forgets remembered condition outcomes whose spelling mentions `name` as a whole word.
void kill_text_keys(State& state, const std::string& name) {
  if (name.empty()) return;
  auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  std::erase_if(state.knowledge, [&](const auto& entry) {
    const std::string& k = entry.first;
    if (!starts_with(k, "T:")) return false;
    for (std::size_t at = k.find(name, 2); at != std::string::npos; at = k.find(name, at + 1)) {
      bool before = at > 2 && word(k[at - 1]);
      bool after = at + name.size() < k.size() && word(k[at + name.size()]);
      if (!before && !after) return true;
    }
    return false;
  });
}

// The resources held in the object `v` points into (&obj->member names obj), or that are it.
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
  for (const std::string& object : keys_of(v, fn)) {
    std::string o = bare(object);
    if (starts_with(o, "C:") || starts_with(o, "F:") || starts_with(o, "R:")) continue;
    for (const Resource& r : state.resources) {
      bool inside = false;
      for (const auto& comp : r.comps)
        for (const std::string& k : comp) {
          std::string kb = bare(k);
          if (kb == o || (starts_with(kb, o) && kb.size() > o.size() && (kb[o.size()] == '-' || kb[o.size()] == '.')))
            inside = true;
        }
      if (inside && r.live() && std::find(out.begin(), out.end(), r.site) == out.end()) out.push_back(r.site);
    }
  }
  return out;
}

// For a helper's summary: each key that names a local replaced by a name of the same value that
// its caller can see (dev = &drvdata->pdev->dev; pm_runtime_disable(dev) releases &R:platform_device.dev).
std::vector<std::string> visible_names(const State& state, std::vector<std::string> keys) {
  for (std::string& key : keys) {
    if (key.empty() || outliving(key)) continue;
    std::set<std::string> names{key};
    state.add_same_values(names);
    std::string best;
    for (const std::string& name : names) {
      if (!outliving(name)) continue;
      if (best.empty() || (starts_with(bare(name), "R:") && !starts_with(bare(best), "R:"))) best = name;
    }
    if (!best.empty()) key = best;
  }
  return keys;
}

// The class of `c ? a : b` on this path, when what the path knows of c's subject decides it.
std::optional<unsigned> chosen_class(const State& state, const ChosenValue& chosen, const FunctionFacts& fn) {
  const BranchCondition& c = chosen.condition;
  std::string key = key_of(c.subject, fn);
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
// global's list member: a same-value name "G:...^").
bool in_global_list_element(const State& state, const ValueRef& target) {
  if (target.kind != ValueRef::Kind::Local || target.path.empty()) return false;
  auto found = state.same_value.find("L:" + target.root);
  if (found == state.same_value.end()) return false;
  return std::any_of(found->second.begin(), found->second.end(),
                     [](const std::string& k) { return starts_with(k, "G:") && k.ends_with("^"); });
}

}  // namespace kmodlint::lifetimes
