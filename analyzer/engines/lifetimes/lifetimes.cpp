#include "engines/lifetimes/lifetimes.h"

#include <algorithm>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <unordered_set>

#include "checks/check.h"
#include "engines/concurrency/shared_globals.h"
#include "tables/ownership.h"

namespace kmodlint {

namespace {

// ---------------------------------------------------------------------------------------------
// Value classes of a tested value: negative / error pointer, zero / NULL, positive / valid pointer.
constexpr unsigned kNeg = 1, kZero = 2, kPos = 4, kAll = 7;

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

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

// The driver-data slot of the module's device (dev_set_drvdata / platform_get_drvdata, ...).
const std::string kDrvdataSlot = "D:drvdata";

// A comparable name for a value: "G:x.f" (global), "R:rec.field" (a field of a struct reached from a
// local or a parameter: the driver's private data, the same in probe and remove), "P#0->f"
// (parameter by position), "L:p" (local), "C:5" (constant), "#c3" (result of call 3). Prefixes
// "&" (address taken) and "*" (dereferenced). Empty when the value cannot be compared.
std::string key_of(const ValueRef& v, const FunctionFacts& fn) {
  using K = ValueRef::Kind;
  std::string prefix = std::string(v.address_of ? "&" : "") + (v.dereferenced ? "*" : "");
  switch (v.kind) {
    case K::IntConstant: return "C:" + std::to_string(v.int_value);
    case K::CallResult: return "#c" + std::to_string(v.call_index);
    case K::Function: return "F:" + v.root;
    case K::Global:
      if (v.address_of && !v.dereferenced && v.path == "[]") return "G:" + v.root;  // &a[0] is a
      return prefix + "G:" + v.root + v.path;
    case K::Local:
    case K::Param: {
      if (!v.record.empty() && !v.field.empty() &&
          (v.path.size() > v.field.size() && v.path.compare(v.path.size() - v.field.size(), v.field.size(), v.field) == 0))
        return prefix + "R:" + v.record + "." + v.field;
      if (v.kind == K::Param) {
        auto found = std::find(fn.params.begin(), fn.params.end(), v.root);
        if (found != fn.params.end()) return prefix + "P#" + std::to_string(found - fn.params.begin()) + v.path;
      }
      return prefix + "L:" + v.root + v.path;
    }
    default: return "";
  }
}

std::string bare(const std::string& key) {
  std::size_t i = 0;
  while (i < key.size() && (key[i] == '&' || key[i] == '*')) ++i;
  return key.substr(i);
}

// Every name of the value: key_of, and for a field of a struct also the other spelling of the
// same storage. "R:rec.f" (any instance's field) comes with its access path ("L:p->f", "P#0->f"),
// which names the object it sits in; a global's field "G:x.f" comes with "R:rec.f", the key that
// code reaching the same global through a pointer produces.
std::vector<std::string> keys_of(const ValueRef& v, const FunctionFacts& fn) {
  std::string primary = key_of(v, fn);
  if (primary.empty()) return {};
  std::vector<std::string> keys{primary};
  std::string b = bare(primary);
  std::string prefix = primary.substr(0, primary.size() - b.size());
  if (starts_with(b, "R:")) {
    std::string root = "L:" + v.root;
    if (v.kind == ValueRef::Kind::Param) {
      auto found = std::find(fn.params.begin(), fn.params.end(), v.root);
      if (found != fn.params.end()) root = "P#" + std::to_string(found - fn.params.begin());
    }
    keys.push_back(prefix + root + v.path);
  } else if (v.kind == ValueRef::Kind::Global && !v.record.empty() && !v.field.empty() && v.path.ends_with(v.field) &&
             v.path.find("[]") == std::string::npos) {
    keys.push_back(prefix + "R:" + v.record + "." + v.field);
  }
  return keys;
}

bool names_any(const std::set<std::string>& comp, const std::vector<std::string>& keys) {
  for (const std::string& k : keys)
    if (comp.count(k)) return true;
  return false;
}

// Storage that outlives the function: a global, driver data, something reached from a parameter.
bool outliving(const std::string& key) {
  std::string b = bare(key);
  return starts_with(b, "G:") || starts_with(b, "R:") || starts_with(b, "P#") || b == kDrvdataSlot;
}

// The handle is kept where it outlives the function: component 0 names such storage, or, when
// component 0 cannot be named (device_create's dev_t as an expression), another component does.
template <typename R>
bool kept_outside(const R& r) {
  if (r.comps.empty()) return false;
  if (!r.comps[0].empty()) return std::any_of(r.comps[0].begin(), r.comps[0].end(), [](const std::string& k) { return outliving(k); });
  for (const auto& comp : r.comps)
    for (const std::string& k : comp)
      if (outliving(k)) return true;
  return false;
}

bool is_local(const std::string& key) { return starts_with(bare(key), "L:"); }

// The values a handle component names, from the call's arguments (key_of first, then aliases).
std::vector<std::string> component_keys(const HandleComponent& c, const CallEvent& call, int call_index,
                                        const FunctionFacts& fn) {
  using F = HandleComponent::From;
  switch (c.from) {
    case F::Return: return {"#c" + std::to_string(call_index)};
    case F::Constant: return {"C:" + c.value};
    case F::Global: return {"G:" + c.value};
    case F::Arg:
    case F::OutArg: {
      if (c.index < 0 || c.index >= static_cast<int>(call.args.size())) return {};
      ValueRef v = call.args[c.index];
      if (c.from == F::Arg && c.zero_means_return && v.kind == ValueRef::Kind::IntConstant && v.int_value == 0)
        return {"#c" + std::to_string(call_index)};
      if (!c.member.empty()) {
        std::string tail1 = "->" + c.member, tail2 = "." + c.member;
        if (v.address_of && v.path.size() > tail1.size() && v.path.ends_with(tail1)) {
          v.path.resize(v.path.size() - tail1.size());
        } else if (v.address_of && v.path.size() > tail2.size() && v.path.ends_with(tail2)) {
          v.path.resize(v.path.size() - tail2.size());
        }
        v.address_of = false;
        v.record.clear();
        v.field.clear();
      }
      std::vector<std::string> keys = keys_of(v, fn);
      if (c.from == F::OutArg)
        for (std::string& key : keys) key = key[0] == '&' ? key.substr(1) : "*" + key;
      return keys;
    }
  }
  return {};
}

std::string component_key(const HandleComponent& c, const CallEvent& call, int call_index, const FunctionFacts& fn) {
  std::vector<std::string> keys = component_keys(c, call, call_index, fn);
  return keys.empty() ? "" : keys[0];
}

// The call passes what the entry's `equals` components require (&iomem_resource, not &ioport_resource).
bool arguments_match(const AcquireApi& api, const CallEvent& call, const FunctionFacts& fn) {
  for (const HandleComponent& c : api.handle) {
    if (c.equals.empty()) continue;
    if (c.index >= static_cast<int>(call.args.size())) return false;
    std::string wanted = c.equals[0] == '&' ? "&G:" + c.equals.substr(1) : "G:" + c.equals;
    if (key_of(call.args[c.index], fn) != wanted) return false;
  }
  return true;
}

// Callees that read their pointer arguments without taking ownership of them.
bool borrows_only(const std::string& callee) {
  static const char* const prefixes[] = {
      "_printk", "printk", "_dev_", "dev_err", "dev_warn", "dev_info", "dev_dbg", "dev_notice", "dev_set_drvdata",
      "dev_get_drvdata", "pr_", "__dynamic", "__pr", "IS_ERR", "PTR_ERR", "ERR_PTR", "ERR_CAST", "mem", "str",
      "sprintf", "snprintf", "scnprintf", "vsnprintf", "sscanf", "kstrto", "copy_", "_copy_", "__copy_",
      "wake_up_process", "kthread_bind", "__init_", "init_", "__mutex_init", "mutex_", "__raw_spin", "_raw_spin",
      "spin_", "__spin", "atomic_", "arch_atomic", "raw_atomic", "test_bit", "set_bit", "clear_bit", "__set_bit",
      "__clear_bit", "_test_bit", "platform_set_drvdata", "pci_set_drvdata", "i2c_set_clientdata",
      "spi_set_drvdata", "usb_set_intfdata", "hid_set_drvdata", "platform_get_drvdata", "pci_get_drvdata",
      "dev_get_drvdata", "i2c_get_clientdata", "spi_get_drvdata", "usb_get_intfdata", "hid_get_drvdata",
      "pci_name", "dev_name", "to_platform_device", "to_pci_dev", "to_usb_interface", "interface_to_usbdev", "readl", "writel", "ioread",
      "iowrite", "__readl", "__writel", "get_device", "kobject_name", "dev_name", "__fortify", "fortify_",
      "__builtin", "sysfs_emit", "seq_", "put_user", "get_user", "__put_user", "__get_user", "simple_read_from",
      "simple_write_to", "cdev_init", "device_initialize", "dev_set_name", "kobject_set_name", "WARN", "__warn",
      "warn_", "might_", "__might", "msleep", "udelay", "ndelay", "usleep", "__const_udelay", "kref_get",
      "kref_read", "clamp", "min", "max", "__kasan", "kasan_", "kmsan_", "__kcsan", "kcsan_", "check_object",
      "__check_object", "__write_overflow", "__read_overflow", "hex_dump", "print_hex"};
  for (const char* prefix : prefixes)
    if (starts_with(callee, prefix)) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------
// Acquire sites: one per acquiring call (or per resource a helper call brings in).
struct Site {
  const CleanupPair* pair = nullptr;
  const AcquireApi* api = nullptr;
  SourceLocation location;  // the acquiring call
  std::string function;     // where it is
  int ordinal = 0;
};

struct Resource {
  int site = 0;
  enum class Status { Maybe, Held, FailedHeld, Released };
  Status status = Status::Maybe;
  bool prior = false;  // earlier iterations of a loop hold it too
  std::vector<std::set<std::string>> comps;  // aliases of each handle component
  std::set<std::string> status_keys;         // values carrying the acquire's success/failure
  int depends_on = -1;                       // site this one depends on (depends_on in the table)
  FailsOn fails = FailsOn::Never;            // how the status values say failure (the API's, or a helper's)
  bool definite_release = false;
  std::string held_if_fails;  // "#cN": a helper call that leaves it held when it fails
  SourceLocation released_at;
  std::string released_by;

  bool live() const { return status != Status::Released; }
  auto tie() const {
    return std::tie(site, status, prior, comps, status_keys, depends_on, definite_release, released_at, released_by);
  }
};

struct PendingOrder {
  int dependent = 0;  // site still live
  int base = 0;       // site released too early
  SourceLocation at;  // the early release
  std::string by;
  auto operator<=>(const PendingOrder&) const = default;
};

struct State {
  std::vector<Resource> resources;  // sorted by site
  std::map<std::string, unsigned> knowledge;
  std::vector<PendingOrder> pending;
  // Names of one pointer value, from assignments of one variable or field to another
  // (priv->dev = &pdev->dev): keyed by the assigned location.
  std::map<std::string, std::set<std::string>> same_value;

  // Adds to `comp` every other name of a value it names.
  void add_same_values(std::set<std::string>& comp) const {
    std::set<std::string> more;
    for (const auto& [target, names] : same_value)
      for (const std::string& k : comp)
        if (names.count(k)) {
          more.insert(names.begin(), names.end());
          break;
        }
    comp.insert(more.begin(), more.end());
  }

  Resource* find(int site) {
    for (Resource& r : resources)
      if (r.site == site) return &r;
    return nullptr;
  }
  void put(Resource r) {
    for (Resource& existing : resources)
      if (existing.site == r.site) {
        existing = std::move(r);
        return;
      }
    resources.push_back(std::move(r));
    std::sort(resources.begin(), resources.end(), [](const Resource& a, const Resource& b) { return a.site < b.site; });
  }
  void erase(int site) {
    std::erase_if(resources, [&](const Resource& r) { return r.site == site; });
    std::erase_if(pending, [&](const PendingOrder& p) { return p.dependent == site; });
  }
  std::string serialize() const {
    std::ostringstream out;
    for (const Resource& r : resources) {
      out << r.site << ':' << static_cast<int>(r.status) << r.prior << r.depends_on << r.definite_release << '[';
      for (const auto& comp : r.comps) {
        for (const std::string& k : comp) out << k << ',';
        out << '|';
      }
      for (const std::string& k : r.status_keys) out << k << ',';
      out << r.released_at.line << ']';
    }
    out << '{';
    for (const auto& [k, v] : knowledge) out << k << '=' << v << ',';
    out << '}';
    for (const PendingOrder& p : pending) out << p.dependent << '<' << p.base << '@' << p.at.line << ';';
    for (const auto& [target, names] : same_value) out << target << '=' << names.size() << ';';
    return out.str();
  }
};

// A helper's key in its caller's terms: "P#i..." becomes what the caller passed as argument i.
std::string in_caller_terms(const std::string& key, const std::vector<ValueRef>& args, const FunctionFacts& caller) {
  std::string b = bare(key);
  std::string prefix = key.substr(0, key.size() - b.size());
  if (!starts_with(b, "P#")) return key;
  std::size_t end = 2;
  while (end < b.size() && std::isdigit(static_cast<unsigned char>(b[end]))) ++end;
  int index = std::stoi(b.substr(2, end - 2));
  if (index >= static_cast<int>(args.size())) return "";
  std::string arg = key_of(args[index], caller);
  if (arg.empty()) return "";
  std::string rest = b.substr(end);
  if (rest.empty()) {
    if (prefix == "&" && arg[0] == '*') return arg.substr(1);
    if (prefix == "*" && arg[0] == '&') return arg.substr(1);
    return prefix + arg;
  }
  if (starts_with(rest, "->") && arg[0] == '&') return prefix + arg.substr(1) + "." + rest.substr(2);
  return prefix + arg + rest;
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

unsigned sign_class(std::int64_t value) { return value < 0 ? kNeg : value == 0 ? kZero : kPos; }

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

// What a helper function does to storage its caller can see.
struct Summary {
  struct Acquire {
    int site;  // the helper's site (location inside the helper)
    std::vector<std::set<std::string>> comps;  // keys in helper terms (G:, R:, P#i)
    bool held_on_failure = false;  // still held, in the caller's storage, when the helper fails
  };
  struct Release {
    const CleanupPair* pair;
    const ReleaseApi* api;
    std::vector<std::string> arg_keys;  // per handle component, helper terms ("" = not passed)
  };
  std::vector<Acquire> acquires;
  std::vector<Release> releases;
  std::set<int> param_escapes;  // parameters handed to something unknown
  // Parameters the helper stores where its caller can see them (apbs[n].RamIO = loc): index and
  // the storage, in helper terms.
  std::vector<std::pair<int, std::string>> param_stores;
  bool complete = true;
  FailsOn fails = FailsOn::Never;
};

enum class Phase { Acquire, Teardown, Helper };

struct WalkResult {
  std::vector<State> success_ends;
  std::vector<State> failure_ends;
  std::vector<State> all_ends;
  std::vector<Summary::Release> releases;  // every release seen (for summaries)
  bool complete = true;
};

std::string loc_text(const SourceLocation& loc) {
  return std::filesystem::path(loc.file).filename().string() + ":" + std::to_string(loc.line);
}

class Engine {
 public:
  Engine(const ModuleModel& module, const CleanupPairTable& pairs, const OwnershipTable& ownership)
      : module_(module), pairs_(pairs), ownership_(ownership) {}

  std::vector<CleanupFinding> findings;
  std::map<std::pair<SourceLocation, std::string>, std::set<int>> leaks_;  // (return, function) -> sites

  // One leak-on-init-error finding per return, naming everything that leaks there on some path.
  void report_leaks() {
    for (const auto& [where, sites] : leaks_) {
      std::string list, fixes;
      std::vector<FindingNote> notes;
      std::set<std::string> fix_names;
      std::set<SourceLocation> listed;
      for (int s : sites) {
        if (!listed.insert(site(s).location).second) continue;  // one pair per acquiring call
        list += (list.empty() ? "" : "; ") + describe(s);
        notes.push_back({site(s).location, "acquired here"});
        if (!site(s).pair->release.empty() && fix_names.insert(site(s).pair->release[0].name).second)
          fixes += (fixes.empty() ? "" : ", ") + site(s).pair->release[0].name + "()";
      }
      report("leak-on-init-error", where.first,
             where.second + "() returns an error here without releasing " + list +
                 (fixes.empty() ? "" : "; call " + fixes + " on this path"),
             where.second, notes);
    }
    leaks_.clear();
  }

  // Walks `fn` from `initial`; `phase` says what its returns mean.
  WalkResult walk(const FunctionRef& fn, Phase phase, const State& initial, int depth);
  const Summary& summary(const FunctionRef& fn, int depth);

  const Site& site(int id) const { return sites_[id]; }
  std::string describe(int site_id) const {
    const Site& s = sites_[site_id];
    std::string what = s.pair->summary.empty() ? s.pair->id : s.pair->summary;
    return what + " from " + s.api->name + "() at " + loc_text(s.location);
  }
  void report(const std::string& check, const SourceLocation& loc, std::string message, std::string function,
              std::vector<FindingNote> notes = {}) {
    findings.push_back({check, loc, std::move(message), std::move(notes), std::move(function)});
  }

 private:
  bool has_sibling(int site_id) const {
    for (const Site& other : sites_)
      if (other.ordinal != site_id && other.location == sites_[site_id].location) return true;
    return false;
  }
  int site_for(const CleanupPair* pair, const AcquireApi* api, const SourceLocation& loc, const std::string& fn) {
    for (std::size_t i = 0; i < sites_.size(); ++i)
      if (sites_[i].pair == pair && sites_[i].api == api && sites_[i].location == loc) return static_cast<int>(i);
    sites_.push_back({pair, api, loc, fn, static_cast<int>(sites_.size())});
    return static_cast<int>(sites_.size()) - 1;
  }

  struct Ctx {
    const FunctionRef* fn;
    Phase phase;
    int depth;
    WalkResult* result;
    std::vector<int> call_block;  // block of each call event
    std::set<int> reported_returns;
  };

  bool process_call(Ctx& ctx, State& state, int call_index);
  bool process_ownership_move(Ctx& ctx, State& state, int call_index);
  bool registered_in_module(const CleanupPair& pair, const Resource& r, const Ctx& ctx) const;
  bool managed_by_devres(const AcquireApi& api, const CallEvent& call, const State& state, const FunctionFacts& fn) const;
  void run_callback(Ctx& ctx, State& state, const CallEvent& call, const CallbackInvoker& invoker);
  void let_go(Ctx& ctx, State& state, const std::vector<int>& sites, const CallEvent& call);
  void process_assign(Ctx& ctx, State& state, const AssignEvent& assign);
  void process_return(Ctx& ctx, State& state, const ReturnEvent& ret);
  void release(Ctx& ctx, State& state, Resource& r, const std::string& by, const SourceLocation& at, bool definite,
               bool idempotent, bool recursive);
  std::vector<State> branch(Ctx& ctx, const State& state, const BasicBlock& block);
  void apply_release(Ctx& ctx, State& state, const CleanupPair* pair, const ReleaseApi* api,
                     const std::vector<std::string>& keys, const SourceLocation& at, const std::string& by,
                     std::set<int>& released_sites, bool via_helper, bool may_be_definite = true);
  bool release_between(const Ctx& ctx, int site, int return_block, bool of_array_element) const;

  const ModuleModel& module_;
  const CleanupPairTable& pairs_;
  const OwnershipTable& ownership_;
  std::vector<Site> sites_;
  std::map<const FunctionFacts*, Summary> summaries_;
  std::set<const FunctionFacts*> in_progress_;
};

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

void Engine::process_assign(Ctx& ctx, State& state, const AssignEvent& assign) {
  const FunctionFacts& fn = *ctx.fn->function;
  kill_text_keys(state, assign.target.field.empty() ? assign.target.root : assign.target.field);
  if (!assign.target.field.empty()) kill_text_keys(state, assign.target.root);
  std::vector<std::string> targets = keys_of(assign.target, fn);
  std::vector<std::string> values = keys_of(assign.value, fn);
  if (targets.empty()) return;
  std::string value = values.empty() ? "" : values[0];
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
  std::set<std::string> kept_names;
  if (next_element)
    if (auto found = state.same_value.find(bare(targets[0])); found != state.same_value.end()) kept_names = found->second;
  for (const std::string& target : targets) kill_key(state, bare(target));
  if (!kept_names.empty()) {
    state.same_value[bare(targets[0])] = kept_names;
    return;
  }
  std::string target_bare = bare(targets[0]);
  for (auto& [site, comps] : copies)
    if (Resource* r = state.find(site))
      for (std::size_t j = 0; j < comps.size(); ++j)
        if (comps[j])
          for (const std::string& target : targets) r->comps[j].insert(bare(target));
  for (int site : status_copies)
    if (Resource* r = state.find(site)) r->status_keys.insert(target_bare);
  if (known) state.knowledge[target_bare] = *known;
  // Stored in an element of one of the module's lists (list_for_each_entry(info, &list, node);
  // info->name = kstrdup(...)): the list owns it now, whoever empties the list releases it.
  if (ctx.phase != Phase::Teardown && in_global_list_element(state, assign.target))
    for (auto& [site, comps] : copies) state.erase(site);
  using K = ValueRef::Kind;
  if ((assign.value.kind == K::Local || assign.value.kind == K::Param || assign.value.kind == K::Global) &&
      targets[0].find("[]") == std::string::npos) {
    std::set<std::string>& names = state.same_value[target_bare];
    for (const std::string& t : targets) names.insert(bare(t));
    names.insert(values.begin(), values.end());
  }
}

void Engine::release(Ctx& ctx, State& state, Resource& r, const std::string& by, const SourceLocation& at,
                     bool definite, bool idempotent, bool recursive) {
  const std::string& fname = ctx.fn->function->name;
  if (!r.live()) {
    if (definite && r.definite_release && !idempotent && ctx.phase != Phase::Helper)
      report("double-release", at,
             describe(r.site) + " is released twice on this path: " + by + "() here after " + r.released_by +
                 "() at " + loc_text(r.released_at),
             fname, {{r.released_at, "first released here"}, {site(r.site).location, "acquired here"}});
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
        report("release-order", it->at,
               it->by + "() releases " + describe(it->base) + " while " + describe(site_id) +
                   ", which depends on it, is still live; release that first (" + by + "() at " + loc_text(at) + ")",
               fname, {{at, "the dependent resource is only released here"}, {site(site_id).location, "acquired here"}});
      it = state.pending.erase(it);
    } else {
      ++it;
    }
  }
}

// Applies a release API with the given per-component argument keys to the matching resources.
void Engine::apply_release(Ctx& ctx, State& state, const CleanupPair* pair, const ReleaseApi* api,
                           const std::vector<std::string>& keys, const SourceLocation& at, const std::string& by,
                           std::set<int>& released_sites, bool via_helper, bool may_be_definite) {
  for (Resource& r : state.resources) {
    if (sites_[r.site].pair != pair || released_sites.count(r.site)) continue;
    bool equal = false, differs = false, primary_equal = false;
    int first = -1;
    for (std::size_t j = 0; j < keys.size() && j < r.comps.size(); ++j) {
      if (!api->handle_args[j]) continue;
      if (first < 0) first = static_cast<int>(j);
      // A call's result in the release (resource_size(res)) is another call than the acquire's.
      if (keys[j].empty() || r.comps[j].empty() || starts_with(keys[j], "#c")) continue;
      if (r.comps[j].count(keys[j])) {
        equal = true;
        if (static_cast<int>(j) == first) primary_equal = true;
      } else {
        differs = true;
      }
    }
    auto stable = [](const std::string& k) {
      std::string b = bare(k);
      return starts_with(b, "C:") || starts_with(b, "G:") || starts_with(b, "F:");
    };
    bool stable_difference = true;
    for (std::size_t j = 0; j < keys.size() && j < r.comps.size(); ++j) {
      if (!api->handle_args[j] || keys[j].empty() || r.comps[j].empty() || r.comps[j].count(keys[j])) continue;
      if (!stable(keys[j]) || !std::all_of(r.comps[j].begin(), r.comps[j].end(), stable)) stable_difference = false;
    }
    if (differs && primary_equal && stable_difference && !has_sibling(r.site) && !via_helper &&
        r.live() && ctx.phase != Phase::Helper) {
      // Same object, different secondary component (free_irq with another dev_id).
      report("mismatched-release", at,
             by + "() is called on " + describe(r.site) + " with different arguments than the acquire: " +
                 "every handle argument must match (for free_irq(), the dev_id cookie given to request_irq())",
             ctx.fn->function->name, {{site(r.site).location, "acquired here"}});
      released_sites.insert(r.site);
      state.erase(r.site);
      return;
    }
    if (differs) continue;
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
            may_be_definite && primary_equal && keys[first].find("[]") == std::string::npos &&
                !starts_with(bare(keys[first]), "R:"),
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
}

bool Engine::process_call(Ctx& ctx, State& state, int call_index) {
  const FunctionFacts& fn = *ctx.fn->function;
  const CallEvent& call = fn.calls[call_index];
  if (call.noreturn) return false;
  if (call.callee.empty()) return true;
  const std::string& callee = call.callee;
  std::string fname = fn.name;
  bool known = false;
  // A value known only at run time is not a compile-time constant: bitop()'s const_ variant and
  // other __builtin_constant_p() arms are not taken.
  if (callee == "__builtin_constant_p") {
    state.knowledge["#c" + std::to_string(call_index)] = kZero;
    return true;
  }
  if (process_ownership_move(ctx, state, call_index)) return true;

  // Releases.
  std::set<int> released_sites;
  for (const auto& match : pairs_.releases_by_callee(callee)) {
    known = true;
    std::vector<std::string> keys;
    for (std::size_t j = 0; j < match.api->handle_args.size(); ++j) {
      const auto& index = match.api->handle_args[j];
      if (!index || *index >= static_cast<int>(call.args.size())) {
        keys.push_back("");
        continue;
      }
      HandleComponent c;
      c.from = HandleComponent::From::Arg;
      c.index = *index;
      if (j == 0) c.member = match.api->member;
      keys.push_back(component_key(c, call, call_index, fn));
    }
    ctx.result->releases.push_back({match.pair, match.api, visible_names(state, keys)});
    apply_release(ctx, state, match.pair, match.api, keys, call.location, match.api->name, released_sites, false);
  }
  // Releases on the failure path of acquired_on_failure resources (put_device after device_register).
  for (Resource& r : state.resources) {
    if (r.status != Resource::Status::FailedHeld || released_sites.count(r.site)) continue;
    const AcquireApi* api = sites_[r.site].api;
    if (std::find(api->failure_release.begin(), api->failure_release.end(), callee) == api->failure_release.end())
      continue;
    if (!call.args.empty() && !r.comps.empty() && r.comps[0].count(key_of(call.args[0], fn))) {
      known = true;
      released_sites.insert(r.site);
      release(ctx, state, r, callee, call.location, true, false, false);
    }
  }

  // Wrong releases.
  for (const auto& match : pairs_.wrong_releases_by_callee(callee)) {
    known = true;
    if (match.api->teardown_only && ctx.phase != Phase::Teardown) continue;
    if (call.args.empty()) continue;
    std::string key = key_of(call.args[0], fn);
    if (key.empty()) continue;
    for (Resource& r : state.resources) {
      if (sites_[r.site].pair != match.pair || !r.live() || released_sites.count(r.site)) continue;
      if (r.comps.empty() || !r.comps[0].count(key)) continue;
      if (r.status == Resource::Status::Maybe && match.pair->managed) {
        // still a mismatch: devm memory freed by hand
      }
      report("mismatched-release", call.location,
             match.api->name + "() does not release " + describe(r.site) + ": " + match.api->reason, fname,
             {{site(r.site).location, "acquired here"}});
      int id = r.site;
      released_sites.insert(id);
      state.erase(id);
      break;
    }
  }

  // Acquires.
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
    if (match.pair->managed) {
      // A handle given to devres (devm_add_action(dev, undo, handle)) is devres's to release now.
      std::vector<int> moved;
      for (std::size_t a = 1; a < call.args.size(); ++a) {
        std::string key = key_of(call.args[a], fn);
        if (key.empty() || starts_with(key, "C:") || starts_with(key, "F:")) continue;
        for (const Resource& r : state.resources)
          if (r.live() && !r.comps.empty() && r.comps[0].count(key)) moved.push_back(r.site);
      }
      for (int m : moved) state.erase(m);
    }
    Resource r;
    r.site = site_for(match.pair, match.api, call.location, fname);
    for (const HandleComponent& c : match.api->handle) {
      std::vector<std::string> keys = component_keys(c, call, call_index, fn);
      r.comps.emplace_back(keys.begin(), keys.end());
      state.add_same_values(r.comps.back());
    }
    if (std::all_of(r.comps.begin(), r.comps.end(), [](const auto& c) { return c.empty(); }))
      continue;  // cannot name the handle: do not guess
    if (registered_in_module(*match.pair, r, ctx) || managed_by_devres(*match.api, call, state, fn)) continue;
    std::string status = "#c" + std::to_string(call_index);
    r.status_keys.insert(status);
    if (match.api->handle[0].from == HandleComponent::From::Return)
      for (const std::string& k : r.comps[0]) r.status_keys.insert(k);
    r.fails = match.api->fails;
    bool checked = match.api->fails != FailsOn::Never && !match.api->unchecked_ok;
    r.status = checked ? Resource::Status::Maybe : Resource::Status::Held;
    if (match.api->fails != FailsOn::Never) state.knowledge[status] = domain_of(match.api->fails);
    for (const ArgRef& dep : match.api->depends_on) {
      if (dep.arg >= static_cast<int>(call.args.size())) continue;
      std::string key = key_of(call.args[dep.arg], fn);
      if (key.empty()) continue;
      for (const Resource& base : state.resources)
        if (base.live() && sites_[base.site].pair->id == dep.pair && !base.comps.empty() && base.comps[0].count(key))
          r.depends_on = base.site;
    }
    if (Resource* existing = state.find(r.site)) {
      if (existing->live() && existing->status != Resource::Status::Maybe) {
        r.prior = true;
        for (std::size_t j = 0; j < r.comps.size() && j < existing->comps.size(); ++j)
          for (const std::string& k : existing->comps[j])
            if (!starts_with(k, "#c")) r.comps[j].insert(k);
      } else if (existing->live()) {
        r.prior = existing->prior;
      }
    }
    state.put(std::move(r));
  }
  if (!pairs_.setups_by_callee(callee).empty()) known = true;
  if (known) return true;

  // A function of the module: apply its summary.
  FunctionRef target = module_.resolve_function(callee, ctx.fn->unit);
  if (target.function && target.function != ctx.fn->function && ctx.depth < 4) {
    const Summary& s = summary(target, ctx.depth + 1);
    auto translate = [&](const std::string& key) { return in_caller_terms(key, call.args, fn); };
    std::set<int> helper_released;
    for (const Summary::Release& rel : s.releases) {
      std::vector<std::string> keys;
      for (const std::string& k : rel.arg_keys) keys.push_back(k.empty() ? "" : translate(k));
      ctx.result->releases.push_back({rel.pair, rel.api, keys});
      apply_release(ctx, state, rel.pair, rel.api, keys, call.location, callee, helper_released, true);
    }
    std::string status = "#c" + std::to_string(call_index);
    for (const Summary::Acquire& acq : s.acquires) {
      Resource r;
      r.site = acq.site;
      for (const auto& comp : acq.comps) {
        std::set<std::string> keys;
        for (const std::string& k : comp) {
          std::string t = translate(k);
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
      if (Resource* existing = state.find(r.site); existing && existing->live()) r.prior = true;
      state.put(std::move(r));
    }
    if (s.fails != FailsOn::Never) state.knowledge[status] = domain_of(s.fails);
    for (const auto& [p, storage] : s.param_stores) {
      if (p >= static_cast<int>(call.args.size())) continue;
      std::vector<std::string> passed = keys_of(call.args[p], fn);
      std::string where = translate(storage);
      if (passed.empty() || where.empty()) continue;
      for (Resource& r : state.resources)
        if (r.live() && !r.comps.empty() && names_any(r.comps[0], passed)) r.comps[0].insert(bare(where));
    }
    // Locals handed to a helper that does not release them: ownership may have moved.
    for (int p : s.param_escapes) {
      if (p >= static_cast<int>(call.args.size())) continue;
      std::string key = key_of(call.args[p], fn);
      std::vector<int> gone;
      for (const Resource& r : state.resources)
        if (r.live() && is_local(key) && !r.comps.empty() &&
            (r.comps[0].count(key) || (key[0] == '&' && r.comps[0].count(key.substr(1)))))
          gone.push_back(r.site);
      for (int site_id : gone) state.erase(site_id);
    }
    return true;
  }

  // Something kmodlint knows nothing about.
  if (borrows_only(callee)) return true;
  std::vector<int> gone;
  for (const ValueRef& arg : call.args) {
    std::string key = key_of(arg, fn);
    if (key.empty()) continue;
    for (const Resource& r : state.resources) {
      if (!r.live() || r.comps.empty()) continue;
      bool names = r.comps[0].count(key) || (key[0] == '&' && r.comps[0].count(key.substr(1)));
      if (!names) continue;
      if (ctx.phase == Phase::Teardown || is_local(key)) gone.push_back(r.site);
    }
  }
  let_go(ctx, state, gone, call);
  return true;
}

// Registered in a structure the module defines (its own notifier chain): freed with the module.
bool Engine::registered_in_module(const CleanupPair& pair, const Resource& r, const Ctx& ctx) const {
  int j = pair.module_owned_container;
  if (j < 0 || j >= static_cast<int>(r.comps.size())) return false;
  for (const std::string& key : r.comps[j]) {
    if (!starts_with(key, "&G:") || key.find_first_of(".-[", 3) != std::string::npos) continue;
    if (find_module_global(module_, ctx.fn->unit, key.substr(3), ctx.fn->function->name)) return true;
  }
  return false;
}

// The call acquires on a handle that a managed resource covers (vectors of a pcim_enable_device'd device).
bool Engine::managed_by_devres(const AcquireApi& api, const CallEvent& call, const State& state,
                               const FunctionFacts& fn) const {
  for (const ArgRef& after : api.managed_after) {
    if (after.arg >= static_cast<int>(call.args.size())) continue;
    std::vector<std::string> keys = keys_of(call.args[after.arg], fn);
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
      std::vector<std::string> keys = keys_of(call.args[setter->value_arg], fn);
      for (Resource& r : state.resources)
        if (r.live() && !r.comps.empty() && names_any(r.comps[0], keys)) r.comps[0].insert(kDrvdataSlot);
    }
    return true;
  }
  if (ownership_.drvdata_getter(call.callee)) {
    for (Resource& r : state.resources)
      if (!r.comps.empty() && r.comps[0].count(kDrvdataSlot)) r.comps[0].insert("#c" + std::to_string(call_index));
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
    std::string nr = key_of(call.args[0], fn), word = key_of(call.args[1], fn);
    if (nr.empty() || word.empty()) return true;
    std::string bit = "B:" + nr + "@" + bare(word);
    if (listed(ownership_.bit_setters)) state.knowledge[bit] = kPos;
    else if (listed(ownership_.bit_clearers)) state.knowledge[bit] = kZero;
    else if (auto found = state.knowledge.find(bit); found != state.knowledge.end())
      state.knowledge["#c" + std::to_string(call_index)] = found->second;
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
    for (const UnitFacts* unit : module_.units()) {
      for (const FunctionStore& store : unit->function_stores)
        if (store.record == invoker.callback_record && store.field == invoker.callback_field)
          callbacks.push_back(store.function);
      for (const FunctionFacts& function : unit->functions)
        for (const AssignEvent& assign : function.assigns)
          if (assign.value.kind == ValueRef::Kind::Function && assign.target.record == invoker.callback_record &&
              assign.target.field == invoker.callback_field)
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
      std::vector<std::string> keys;
      for (const std::string& k : rel.arg_keys) keys.push_back(k.empty() ? "" : in_caller_terms(k, bound, fn));
      ctx.result->releases.push_back({rel.pair, rel.api, keys});
      apply_release(ctx, state, rel.pair, rel.api, keys, call.location, name, released, true, false);
    }
  }
  if (invoker.runs == CallbackInvoker::Runs::Now) let_go(ctx, state, resources_in_object(state, bound[0], fn), call);
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

// Can a block that releases the pair of `site_id` (or calls a module function, which may) reach
// `return_block`? With `of_array_element`, only releases of an array element count.
bool Engine::release_between(const Ctx& ctx, int site_id, int return_block, bool of_array_element) const {
  const FunctionFacts& fn = *ctx.fn->function;
  const CleanupPair* pair = sites_[site_id].pair;
  std::set<int> release_blocks;
  for (std::size_t i = 0; i < fn.calls.size(); ++i) {
    const std::string& callee = fn.calls[i].callee;
    bool releases = false;
    for (const auto& m : pairs_.releases_by_callee(callee))
      if (m.pair == pair) releases = true;
    if (of_array_element) {
      releases = releases && std::any_of(fn.calls[i].args.begin(), fn.calls[i].args.end(),
                                         [](const ValueRef& a) { return a.path.find("[]") != std::string::npos; });
    } else if (!releases && !callee.empty() && module_.resolve_function(callee, ctx.fn->unit).function) {
      releases = true;
    }
    if (releases) release_blocks.insert(ctx.call_block[i]);
  }
  if (release_blocks.empty()) return false;
  // can a release block reach the return block?
  for (int start : release_blocks) {
    std::set<int> seen{start};
    std::deque<int> queue{start};
    while (!queue.empty()) {
      int b = queue.front();
      queue.pop_front();
      if (b == return_block) return true;
      for (int s : fn.blocks[b].successors)
        if (s >= 0 && seen.insert(s).second) queue.push_back(s);
    }
  }
  return false;
}

void Engine::process_return(Ctx& ctx, State& state, const ReturnEvent& ret) {
  const FunctionFacts& fn = *ctx.fn->function;
  std::vector<std::string> keys = keys_of(ret.value, fn);
  std::string key = keys.empty() ? "" : keys[0];
  // A returned handle leaves with the caller.
  if (!key.empty() && ret.value.kind != ValueRef::Kind::IntConstant) {
    std::vector<int> gone;
    for (const Resource& r : state.resources)
      if (r.live() && !r.comps.empty() && names_any(r.comps[0], keys) && fn.return_type.find('*') != std::string::npos)
        gone.push_back(r.site);
    for (int s : gone) state.erase(s);
  }
  if (fn.return_type != "int") return;
  bool failure = false;
  if (ret.value.kind == ValueRef::Kind::IntConstant) {
    failure = ret.value.int_value < 0;  // `return 1;` is a yes/no helper's success
  } else if (ret.value.kind == ValueRef::Kind::CallResult &&
             fn.calls[ret.value.call_index].callee == "PTR_ERR") {
    failure = true;
  } else if (auto found = state.knowledge.find(key); !key.empty() && found != state.knowledge.end()) {
    failure = !(found->second & kZero);
  }
  if (ctx.phase == Phase::Teardown) return;
  if (!failure) {
    // `return helper();` passes on the helper's failure, and what it left held then.
    if (ctx.phase != Phase::Acquire || ret.value.kind != ValueRef::Kind::CallResult) return;
    for (const Resource& r : state.resources)
      if (r.live() && r.held_if_fails == key && !sites_[r.site].pair->managed) leaks_[{ret.location, fn.name}].insert(r.site);
    return;
  }
  int return_block = -1;
  for (const BasicBlock& block : fn.blocks)
    for (const Event& e : block.events)
      if (e.kind == Event::Kind::Return && &fn.returns[e.index] == &ret) return_block = block.id;
  for (const Resource& r : state.resources) {
    if (!r.live() || sites_[r.site].pair->managed) continue;
    if (!key.empty() && r.status_keys.count(key)) continue;  // returning its own failure
    if (r.status == Resource::Status::Maybe && r.status_keys.count(key)) continue;
    // Acquired in a loop, or kept in an array: a release loop that reaches this return may
    // release it (the facts cannot tell which element holds what).
    bool in_array = !r.comps.empty() && std::any_of(r.comps[0].begin(), r.comps[0].end(), [](const std::string& k) {
      return k.find("[]") != std::string::npos;
    });
    if ((r.prior && release_between(ctx, r.site, return_block, false)) ||
        (in_array && release_between(ctx, r.site, return_block, true)))
      continue;
    // A helper that fails with the handle in its caller's storage leaves it to the caller's unwinding.
    if (ctx.phase == Phase::Helper && kept_outside(r)) continue;
    leaks_[{ret.location, fn.name}].insert(r.site);
  }
}

std::vector<State> Engine::branch(Ctx& ctx, const State& state, const BasicBlock& block) {
  std::vector<State> out(block.successors.size(), state);
  if (!block.condition || block.successors.size() != 2) return out;
  const BranchCondition& c = *block.condition;
  const FunctionFacts& fn = *ctx.fn->function;
  std::string key = key_of(c.subject, fn);
  BranchCondition::Test test = c.test;
  if (key.empty() || test == BranchCondition::Test::Unknown) {
    // A condition the facts cannot name (`wdt_stop != wdt_start`, `have_region`): remember its
    // outcome by spelling, so testing it again later on the path takes the same way. Assigning
    // any variable it mentions forgets it (see kill_text_keys).
    // Not for calls: each evaluation may give another answer (polling loops).
    if (c.subject.text.empty() || c.subject.text.find('(') != std::string::npos) return out;
    key = "T:" + c.subject.text;
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
      s.knowledge["\x01infeasible"] = 1;  // marked; dropped by the caller
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
        if (r.live() && pointer_handle && !r.comps.empty() && r.comps[0].count(key) && !r.status_keys.count(key))
          dropped.push_back(r.site);
      }
    for (Resource& r : s.resources) {
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
          std::erase_if(r.status_keys, [](const std::string&) { return true; });
        } else {
          dropped.push_back(r.site);
        }
      } else if ((domain & fail) == 0 && r.status == Resource::Status::Maybe) {
        r.status = Resource::Status::Held;
      }
    }
    for (int d : dropped) s.erase(d);
  }
  return out;
}

WalkResult Engine::walk(const FunctionRef& ref, Phase phase, const State& initial, int depth) {
  WalkResult result;
  const FunctionFacts& fn = *ref.function;
  if (fn.entry_block < 0 || fn.blocks.empty()) {
    result.complete = false;
    return result;
  }
  Ctx ctx{&ref, phase, depth, &result, std::vector<int>(fn.calls.size(), -1), {}};
  for (const BasicBlock& block : fn.blocks)
    for (const Event& e : block.events)
      if (e.kind == Event::Kind::Call) ctx.call_block[e.index] = block.id;

  std::unordered_set<std::string> visited;
  std::deque<std::pair<int, State>> work;
  work.emplace_back(fn.entry_block, initial);
  std::size_t steps = 0;
  constexpr std::size_t kMaxSteps = 4000;
  while (!work.empty()) {
    auto [block_id, state] = std::move(work.front());
    work.pop_front();
    if (block_id < 0 || block_id >= static_cast<int>(fn.blocks.size())) continue;
    if (!visited.insert(std::to_string(block_id) + "/" + state.serialize()).second) continue;
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
          process_return(ctx, state, ret);
          bool failure = false;
          if (fn.return_type == "int") {
            std::string key = key_of(ret.value, fn);
            if (ret.value.kind == ValueRef::Kind::IntConstant) failure = ret.value.int_value < 0;
            else if (ret.value.kind == ValueRef::Kind::CallResult && fn.calls[ret.value.call_index].callee == "PTR_ERR")
              failure = true;
            else if (auto found = state.knowledge.find(key); !key.empty() && found != state.knowledge.end())
              failure = !(found->second & kZero);
          } else if (fn.return_type.find('*') != std::string::npos) {
            failure = ret.value.kind == ValueRef::Kind::IntConstant ||
                      (ret.value.kind == ValueRef::Kind::CallResult &&
                       fn.calls[ret.value.call_index].callee == "ERR_PTR");
          }
          (failure ? result.failure_ends : result.success_ends).push_back(state);
          result.all_ends.push_back(state);
          returned = true;
          break;
        }
        case Event::Kind::Access: break;
      }
      if (!alive || returned) break;
    }
    if (!alive || returned) continue;
    if (block_id == fn.exit_block) {
      result.success_ends.push_back(state);
      result.all_ends.push_back(state);
      continue;
    }
    std::vector<State> next = branch(ctx, state, block);
    for (std::size_t i = 0; i < block.successors.size(); ++i) {
      if (block.successors[i] < 0) continue;
      if (next[i].knowledge.count("\x01infeasible")) continue;
      work.emplace_back(block.successors[i], std::move(next[i]));
    }
  }
  return result;
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
  std::size_t findings_before = findings.size();
  WalkResult walked = walk(fn, Phase::Helper, State{}, depth);
  // Helpers report their own error-path leaks (they are part of init/probe); nothing else.
  std::vector<CleanupFinding> kept(findings.begin(), findings.begin() + findings_before);
  for (std::size_t i = findings_before; i < findings.size(); ++i)
    if (findings[i].check_id == "leak-on-init-error") kept.push_back(findings[i]);
  findings = std::move(kept);
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
        Summary::Acquire& a = acquires[r.site];
        a.site = r.site;
        a.held_on_failure = a.held_on_failure || failure;
        a.comps.resize(r.comps.size());
        for (std::size_t j = 0; j < r.comps.size(); ++j)
          for (const std::string& k : r.comps[j])
            if (outliving(k) || starts_with(k, "C:")) a.comps[j].insert(k);
      }
  };
  collect(walked.success_ends, false);
  if (s.fails != FailsOn::Never) collect(walked.failure_ends, true);
  for (auto& [site_id, a] : acquires) s.acquires.push_back(a);
  for (const Summary::Release& rel : walked.releases) {
    bool visible = false;
    for (const std::string& k : rel.arg_keys)
      if (!k.empty() && outliving(k)) visible = true;
    if (!visible) continue;
    Summary::Release copy = rel;
    for (std::string& k : copy.arg_keys)
      if (!outliving(k) && !starts_with(k, "C:")) k.clear();
    s.releases.push_back(copy);
  }
  for (const AssignEvent& assign : f.assigns) {
    if (assign.value.kind != ValueRef::Kind::Param || !assign.value.path.empty() || assign.value.address_of) continue;
    auto found = std::find(f.params.begin(), f.params.end(), assign.value.root);
    if (found == f.params.end()) continue;
    for (const std::string& target : keys_of(assign.target, f))
      if (outliving(target)) s.param_stores.emplace_back(static_cast<int>(found - f.params.begin()), target);
  }
  // Parameters passed on to unknown functions (not borrowing ones).
  for (const CallEvent& call : f.calls) {
    if (call.callee.empty() || borrows_only(call.callee) || pairs_.knows(call.callee)) continue;
    if (module_.resolve_function(call.callee, fn.unit).function) continue;
    for (const ValueRef& arg : call.args)
      if (arg.kind == ValueRef::Kind::Param && arg.path.empty()) {
        auto found = std::find(f.params.begin(), f.params.end(), arg.root);
        if (found != f.params.end()) s.param_escapes.insert(static_cast<int>(found - f.params.begin()));
      }
  }
  for (const Summary::Release& rel : s.releases)
    for (const std::string& k : rel.arg_keys)
      if (starts_with(bare(k), "P#") && bare(k).find_first_of("-.[") == std::string::npos)
        s.param_escapes.erase(std::stoi(bare(k).substr(2)));
  in_progress_.erase(fn.function);
  return summaries_[fn.function] = s;
}

// ---------------------------------------------------------------------------------------------

struct PhasePair {
  FunctionRef acquire;
  FunctionRef release;  // may be null
  std::string what;     // "module init" / "probe of struct platform_driver foo"
  SourceLocation release_anchor;
  bool module_entry = false;
  std::vector<std::string> bus_releases;  // pair ids the bus releases for the release function
};

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

}  // namespace

std::vector<CleanupFinding> analyze_cleanup(const ModuleModel& module, const CleanupPairTable& pairs,
                                            const DriverLifecycleTable& lifecycle, const OwnershipTable& ownership) {
  Engine engine(module, pairs, ownership);
  for (const PhasePair& p : phase_pairs(module, lifecycle)) {
    WalkResult acquired = engine.walk(p.acquire, Phase::Acquire, State{}, 0);
    if (!acquired.complete) continue;
    // What outlives the acquire function on its successful returns, by acquire site.
    State start;
    std::map<int, Resource> held;
    for (const State& end : acquired.success_ends)
      for (const Resource& r : end.resources) {
        if (!r.live() || r.comps.empty()) continue;
        std::vector<std::set<std::string>> comps(r.comps.size());
        for (std::size_t j = 0; j < r.comps.size(); ++j)
          for (const std::string& k : r.comps[j])
            if (outliving(k) || starts_with(k, "C:")) comps[j].insert(k);
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
    std::string acquire_name = p.acquire.function->name;
    if (!p.release.function) continue;
    const FunctionFacts& rel = *p.release.function;
    std::vector<int> unmanaged;
    for (const Resource& r : start.resources)
      if (!engine.site(r.site).pair->managed) unmanaged.push_back(r.site);
    if (rel.calls.empty() && p.module_entry) {
      if (unmanaged.empty()) continue;
      std::string list;
      std::vector<FindingNote> notes;
      for (int s : unmanaged) {
        list += (list.empty() ? "" : ", ") + engine.describe(s);
        notes.push_back({engine.site(s).location, "acquired here"});
      }
      engine.report("missing-module-exit", p.release_anchor,
                    "module exit function " + rel.name + "() is empty, but " + acquire_name +
                        "() acquires what only exit can release: " + list,
                    rel.name, notes);
      continue;
    }
    WalkResult released = engine.walk(p.release, Phase::Teardown, start, 0);
    if (!released.complete) continue;
    // Functions the module hands to the kernel as callbacks (ops structs, driver structs).
    std::set<std::string> callbacks;
    for (const UnitFacts* unit : module.units())
      for (const FunctionStore& store : unit->function_stores) callbacks.insert(store.function);
    callbacks.erase(acquire_name);
    std::set<SourceLocation> reported_sites;
    for (int s : unmanaged) {
      const Site& acquired_at = engine.site(s);
      if (reported_sites.count(acquired_at.location)) continue;
      // Acquired by a helper that is also a callback (a watchdog's start op called from init):
      // its pairing callback (stop) releases it, not exit.
      if (callbacks.count(acquired_at.function)) continue;
      if (std::find(p.bus_releases.begin(), p.bus_releases.end(), acquired_at.pair->id) != p.bus_releases.end()) continue;
      // A reference on the module itself: exit cannot run while it is held.
      if (const Resource* r = start.find(s);
          r && !r->comps.empty() && r->comps[0].count("&G:__this_module"))
        continue;
      bool released_somewhere = released.all_ends.empty();
      for (const State& end : released.all_ends) {
        const Resource* r = nullptr;
        for (const Resource& candidate : end.resources)
          if (candidate.site == s) r = &candidate;
        if (!r || !r->live()) released_somewhere = true;
      }
      if (released_somewhere) continue;
      const Site& site = engine.site(s);
      reported_sites.insert(site.location);
      const ReleaseApi* fix = site.pair->release.empty() ? nullptr : &site.pair->release[0];
      engine.report("unreleased-in-exit", site.location,
                    (site.pair->summary.empty() ? site.pair->id : site.pair->summary) + " acquired by " +
                        site.api->name + "() in " + acquire_name + "() is never released by " + rel.name + "()" +
                        (fix ? "; call " + fix->name + "() there" : ""),
                    site.function, {{rel.location, rel.name + "() is here"}});
    }
  }
  engine.report_leaks();
  std::vector<CleanupFinding> out = std::move(engine.findings);
  std::sort(out.begin(), out.end(), [](const CleanupFinding& a, const CleanupFinding& b) {
    return std::tie(a.location, a.check_id, a.message) < std::tie(b.location, b.check_id, b.message);
  });
  out.erase(std::unique(out.begin(), out.end(),
                        [](const CleanupFinding& a, const CleanupFinding& b) {
                          return a.location == b.location && a.check_id == b.check_id && a.message == b.message;
                        }),
            out.end());
  return out;
}

void report_cleanup_findings(const ModuleModel& module, CheckContext& ctx, const std::string& check_id) {
  const auto& all = module.memo<std::vector<CleanupFinding>>(
      "cleanup-pairs", [&] {
        return analyze_cleanup(module, active_cleanup_pairs(), default_driver_lifecycle(), default_ownership_table());
      });
  for (const CleanupFinding& f : all) {
    if (f.check_id != check_id) continue;
    Finding& finding = ctx.report(module, f.location, f.message, f.function);
    finding.notes = f.notes;
  }
}

}  // namespace kmodlint
