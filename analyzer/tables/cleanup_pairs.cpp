#include "tables/cleanup_pairs.h"

#include <memory>
#include <mutex>
#include <regex>
#include <set>

#include "common/error.h"
#include "tables/yaml_table.h"

namespace kmodlint {

namespace {

std::string at(const YAML::Node& node, const std::string& path) {
  int line = node.Mark().line >= 0 ? node.Mark().line + 1 : 0;
  return path + ":" + std::to_string(line);
}

void check_kind(const YAML::Node& api, const std::string& path) {
  std::string kind = yaml_required_string(api, "kind", path);
  if (kind != "function" && kind != "inline" && kind != "macro")
    yaml_fail(api["kind"], path, "key 'kind': expected function, inline or macro, not '" + kind + "'");
}

bool parse_match(const YAML::Node& api, const std::string& path) {
  std::string match = yaml_string(api, "match", path);
  if (match.empty() || match == "call") return false;
  if (match == "macro") return true;
  yaml_fail(api["match"], path, "key 'match': expected call or macro, not '" + match + "'");
}

const YAML::Node sequence(const YAML::Node& map, const std::string& key, const std::string& path, bool required) {
  YAML::Node node = map[key];
  if (!node) {
    if (required) yaml_fail(map, path, "missing required key '" + key + "'");
    return YAML::Node(YAML::NodeType::Sequence);
  }
  if (!node.IsSequence()) yaml_fail(node, path, "key '" + key + "': expected a list");
  return node;
}

std::vector<HandleComponent> parse_handle(const YAML::Node& api, const std::string& path, bool required) {
  std::vector<HandleComponent> handle;
  YAML::Node list = sequence(api, "handle", path, required);
  if (required && list.size() == 0) yaml_fail(api["handle"], path, "key 'handle': needs at least one component");
  for (const YAML::Node& c : list) {
    if (!c.IsMap()) yaml_fail(c, path, "a handle component must be a mapping");
    yaml_reject_unknown_keys(c, {"from", "index", "value", "member", "zero_means", "equals"}, path);
    HandleComponent component;
    std::string from = yaml_required_string(c, "from", path);
    if (from == "return") component.from = HandleComponent::From::Return;
    else if (from == "arg") component.from = HandleComponent::From::Arg;
    else if (from == "out_arg") component.from = HandleComponent::From::OutArg;
    else if (from == "constant") component.from = HandleComponent::From::Constant;
    else if (from == "global") component.from = HandleComponent::From::Global;
    else yaml_fail(c["from"], path, "key 'from': expected return, arg, out_arg, constant or global, not '" + from + "'");
    component.index = yaml_int(c, "index", path, -1);
    if ((component.from == HandleComponent::From::Arg || component.from == HandleComponent::From::OutArg) &&
        component.index < 0)
      yaml_fail(c, path, "a component from '" + from + "' needs a non-negative 'index'");
    component.value = yaml_string(c, "value", path);
    if ((component.from == HandleComponent::From::Constant || component.from == HandleComponent::From::Global) &&
        component.value.empty())
      yaml_fail(c, path, "a component from '" + from + "' needs a 'value'");
    component.member = yaml_string(c, "member", path);
    std::string zero_means = yaml_string(c, "zero_means", path);
    if (!zero_means.empty() && zero_means != "return")
      yaml_fail(c["zero_means"], path, "key 'zero_means': expected return");
    component.zero_means_return = zero_means == "return";
    component.equals = yaml_string(c, "equals", path);
    if (!component.equals.empty() && component.from != HandleComponent::From::Arg)
      yaml_fail(c["equals"], path, "key 'equals' needs a component from 'arg'");
    handle.push_back(component);
  }
  return handle;
}

FailsOn parse_fails(const YAML::Node& api, const std::string& path) {
  static const std::map<std::string, FailsOn> names = {
      {"never", FailsOn::Never},       {"null_ptr", FailsOn::NullPtr},   {"err_ptr", FailsOn::ErrPtr},
      {"err_ptr_or_null", FailsOn::ErrPtrOrNull}, {"negative", FailsOn::Negative}, {"nonzero", FailsOn::NonZero},
      {"zero", FailsOn::Zero},         {"dma_mapping_error", FailsOn::DmaMappingError}};
  std::string fails = yaml_required_string(api, "fails", path);
  auto found = names.find(fails);
  if (found == names.end()) yaml_fail(api["fails"], path, "key 'fails': unknown failure convention '" + fails + "'");
  return found->second;
}

std::string callee_of(const YAML::Node& api, const std::string& name, const std::string& path) {
  std::string callee = yaml_string(api, "callee", path);
  return callee.empty() ? name : callee;
}

AcquireApi parse_acquire(const YAML::Node& api, const std::string& path) {
  if (!api.IsMap()) yaml_fail(api, path, "an acquire entry must be a mapping");
  yaml_reject_unknown_keys(api, {"name", "kind", "callee", "alt_callees", "match", "handle", "fails", "unchecked_ok",
                                 "acquired_on_failure", "failure_release", "consumes", "depends_on", "managed_after",
                                 "returns_arg", "notes"},
                           path);
  AcquireApi a;
  a.name = yaml_required_string(api, "name", path);
  check_kind(api, path);
  a.callee = callee_of(api, a.name, path);
  a.alt_callees = yaml_string_list(api, "alt_callees", path);
  a.match_macro = parse_match(api, path);
  a.handle = parse_handle(api, path, true);
  a.fails = parse_fails(api, path);
  a.unchecked_ok = yaml_bool(api, "unchecked_ok", path, false);
  a.acquired_on_failure = yaml_bool(api, "acquired_on_failure", path, false);
  a.failure_release = yaml_string_list(api, "failure_release", path);
  if (a.acquired_on_failure && a.failure_release.empty())
    yaml_fail(api, path, "acquired_on_failure: true needs a 'failure_release' list");
  for (const YAML::Node& c : sequence(api, "consumes", path, false)) {
    yaml_reject_unknown_keys(c, {"arg", "condition"}, path);
    AcquireApi::Consume consume;
    consume.arg = yaml_int(c, "arg", path, -1);
    if (consume.arg < 0) yaml_fail(c, path, "consumes: needs a non-negative 'arg'");
    std::string condition = yaml_required_string(c, "condition", path);
    if (condition != "success" && condition != "always")
      yaml_fail(c["condition"], path, "key 'condition': expected success or always");
    consume.always = condition == "always";
    a.consumes.push_back(consume);
  }
  for (const YAML::Node& d : sequence(api, "depends_on", path, false)) {
    yaml_reject_unknown_keys(d, {"pair", "arg"}, path);
    ArgRef ref{yaml_required_string(d, "pair", path), yaml_int(d, "arg", path, -1)};
    if (ref.arg < 0) yaml_fail(d, path, "depends_on: needs a non-negative 'arg'");
    a.depends_on.push_back(ref);
  }
  for (const YAML::Node& d : sequence(api, "managed_after", path, false)) {
    yaml_reject_unknown_keys(d, {"pair", "arg"}, path);
    ArgRef ref{yaml_required_string(d, "pair", path), yaml_int(d, "arg", path, -1)};
    if (ref.arg < 0) yaml_fail(d, path, "managed_after: needs a non-negative 'arg'");
    a.managed_after.push_back(ref);
  }
  a.returns_arg = yaml_int(api, "returns_arg", path, -1);
  if (api["returns_arg"] && (a.returns_arg < 0 || a.handle.empty() || a.handle[0].from != HandleComponent::From::Return))
    yaml_fail(api["returns_arg"], path, "key 'returns_arg': needs a non-negative index and a handle from 'return'");
  return a;
}

ReleaseApi parse_release(const YAML::Node& api, const std::string& path, std::size_t handle_size) {
  if (!api.IsMap()) yaml_fail(api, path, "a release entry must be a mapping");
  yaml_reject_unknown_keys(api, {"name", "kind", "callee", "alt_callees", "match", "handle_args", "member", "null_ok",
                                 "err_ptr_ok", "idempotent", "absent_ok", "recursive", "also_releases", "notes"},
                           path);
  ReleaseApi r;
  r.name = yaml_required_string(api, "name", path);
  check_kind(api, path);
  r.callee = callee_of(api, r.name, path);
  r.alt_callees = yaml_string_list(api, "alt_callees", path);
  r.match_macro = parse_match(api, path);
  YAML::Node args = sequence(api, "handle_args", path, true);
  bool any = false;
  for (const YAML::Node& i : args) {
    if (i.IsNull()) {
      r.handle_args.push_back(std::nullopt);
      continue;
    }
    try {
      int index = i.as<int>();
      if (index < 0) throw YAML::Exception(i.Mark(), "negative");
      r.handle_args.push_back(index);
      any = true;
    } catch (const YAML::Exception&) {
      yaml_fail(i, path, "key 'handle_args': expected a non-negative integer or null");
    }
  }
  if (!any) yaml_fail(api, path, "key 'handle_args': at least one element must be an argument index");
  if (r.handle_args.size() != handle_size)
    yaml_fail(api["handle_args"], path,
              "key 'handle_args': has " + std::to_string(r.handle_args.size()) + " elements but the acquire handle has " +
                  std::to_string(handle_size));
  r.member = yaml_string(api, "member", path);
  r.null_ok = yaml_bool(api, "null_ok", path, false);
  r.err_ptr_ok = yaml_bool(api, "err_ptr_ok", path, false);
  r.idempotent = yaml_bool(api, "idempotent", path, false);
  r.absent_ok = yaml_bool(api, "absent_ok", path, false);
  r.recursive = yaml_bool(api, "recursive", path, false);
  r.also_releases = yaml_string_list(api, "also_releases", path);
  return r;
}

CleanupPair parse_pair(const YAML::Node& p, const std::string& path) {
  if (!p.IsMap()) yaml_fail(p, path, "a pair must be a mapping");
  yaml_reject_unknown_keys(p, {"id", "family", "summary", "managed", "counted", "published", "module_owned_container", "removed_with_parent", "setup", "acquire",
                               "release", "wrong_release", "source", "notes"},
                           path);
  static const std::regex id_shape("[a-z0-9][a-z0-9-]*");
  static const std::set<std::string> families = {
      "memory", "chardev", "device-model", "procfs", "debugfs", "irq", "timer", "workqueue", "tasklet", "kthread",
      "driver", "input", "tty", "net", "fs", "block", "notifier", "io", "pci", "clock", "regulator", "gpio", "dma",
      "usb", "firmware", "ids", "refcount", "pm", "crypto", "sysctl", "data-structure", "kprobe", "class-device"};
  CleanupPair pair;
  pair.defined_in = at(p, path);
  pair.id = yaml_required_string(p, "id", path);
  if (!std::regex_match(pair.id, id_shape)) yaml_fail(p["id"], path, "key 'id': '" + pair.id + "' is not [a-z0-9][a-z0-9-]*");
  pair.family = yaml_required_string(p, "family", path);
  if (!families.count(pair.family)) yaml_fail(p["family"], path, "key 'family': unknown family '" + pair.family + "'");
  pair.summary = yaml_string(p, "summary", path);
  pair.managed = yaml_bool(p, "managed", path, false);
  pair.counted = yaml_bool(p, "counted", path, false);
  pair.published = yaml_bool(p, "published", path, false);
  pair.module_owned_container = yaml_int(p, "module_owned_container", path, -1);
  pair.removed_with_parent = yaml_int(p, "removed_with_parent", path, -1);
  for (const YAML::Node& s : sequence(p, "setup", path, false)) {
    yaml_reject_unknown_keys(s, {"name", "kind", "callee", "alt_callees", "match", "handle", "notes"}, path);
    SetupApi setup;
    setup.name = yaml_required_string(s, "name", path);
    check_kind(s, path);
    setup.callee = callee_of(s, setup.name, path);
    setup.alt_callees = yaml_string_list(s, "alt_callees", path);
    setup.match_macro = parse_match(s, path);
    setup.handle = parse_handle(s, path, false);
    pair.setup.push_back(setup);
  }
  YAML::Node acquires = sequence(p, "acquire", path, true);
  if (acquires.size() == 0) yaml_fail(p["acquire"], path, "key 'acquire': needs at least one entry");
  for (const YAML::Node& a : acquires) {
    pair.acquire.push_back(parse_acquire(a, path));
    if (pair.acquire.back().handle.size() != pair.acquire.front().handle.size())
      yaml_fail(a, path, "every acquire entry of pair '" + pair.id + "' must have a handle of the same length");
  }
  YAML::Node releases = sequence(p, "release", path, true);
  if (releases.size() == 0 && !pair.managed)
    yaml_fail(p["release"], path, "key 'release': may be empty only for a pair with managed: true");
  for (const YAML::Node& r : releases) pair.release.push_back(parse_release(r, path, pair.acquire.front().handle.size()));
  for (const YAML::Node& w : sequence(p, "wrong_release", path, false)) {
    yaml_reject_unknown_keys(w, {"name", "kind", "callee", "match", "when", "reason"}, path);
    WrongRelease wrong;
    wrong.name = yaml_required_string(w, "name", path);
    check_kind(w, path);
    wrong.callee = callee_of(w, wrong.name, path);
    wrong.match_macro = parse_match(w, path);
    std::string when = yaml_required_string(w, "when", path);
    if (when != "always" && when != "teardown" && when != "unreleased")
      yaml_fail(w["when"], path, "key 'when': expected always, teardown or unreleased");
    wrong.teardown_only = when == "teardown";
    wrong.before_release_ok = when == "unreleased";
    wrong.reason = yaml_required_string(w, "reason", path);
    pair.wrong_release.push_back(wrong);
  }
  pair.source = yaml_required_string(p, "source", path);
  pair.notes = yaml_string(p, "notes", path);
  return pair;
}

}  // namespace

void CleanupPairTable::add_or_replace(CleanupPair pair) {
  for (CleanupPair& existing : pairs_)
    if (existing.id == pair.id) {
      existing = std::move(pair);
      reindex();
      return;
    }
  pairs_.push_back(std::move(pair));
  reindex();
}

void CleanupPairTable::reindex() {
  acquire_index_.clear();
  release_index_.clear();
  wrong_index_.clear();
  setup_index_.clear();
  for (std::size_t p = 0; p < pairs_.size(); ++p) {
    const CleanupPair& pair = pairs_[p];
    for (std::size_t i = 0; i < pair.acquire.size(); ++i) {
      if (pair.acquire[i].match_macro) continue;
      acquire_index_.emplace(pair.acquire[i].callee, std::make_pair(p, i));
      for (const std::string& alt : pair.acquire[i].alt_callees) acquire_index_.emplace(alt, std::make_pair(p, i));
    }
    for (std::size_t i = 0; i < pair.release.size(); ++i) {
      if (pair.release[i].match_macro) continue;
      release_index_.emplace(pair.release[i].callee, std::make_pair(p, i));
      for (const std::string& alt : pair.release[i].alt_callees) release_index_.emplace(alt, std::make_pair(p, i));
    }
    for (std::size_t i = 0; i < pair.wrong_release.size(); ++i)
      if (!pair.wrong_release[i].match_macro) wrong_index_.emplace(pair.wrong_release[i].callee, std::make_pair(p, i));
    for (std::size_t i = 0; i < pair.setup.size(); ++i) {
      if (pair.setup[i].match_macro) continue;
      setup_index_.emplace(pair.setup[i].callee, std::make_pair(p, i));
      for (const std::string& alt : pair.setup[i].alt_callees) setup_index_.emplace(alt, std::make_pair(p, i));
    }
  }
}

void CleanupPairTable::validate() const {
  for (const CleanupPair& pair : pairs_) {
    for (const AcquireApi& a : pair.acquire) {
      for (const ArgRef& d : a.managed_after)
        if (!find(d.pair))
          throw InputError(pair.defined_in, "pair '" + pair.id + "': managed_after names unknown pair '" + d.pair + "'");
      for (const ArgRef& d : a.depends_on)
        if (!find(d.pair))
          throw InputError(pair.defined_in, "pair '" + pair.id + "': depends_on names unknown pair '" + d.pair + "'");
    }
    for (const ReleaseApi& r : pair.release)
      for (const std::string& other : r.also_releases)
        if (!find(other))
          throw InputError(pair.defined_in, "pair '" + pair.id + "': also_releases names unknown pair '" + other + "'");
  }
}

const CleanupPair* CleanupPairTable::find(const std::string& id) const {
  for (const CleanupPair& pair : pairs_)
    if (pair.id == id) return &pair;
  return nullptr;
}

std::vector<CleanupPairTable::AcquireMatch> CleanupPairTable::acquires_by_callee(const std::string& callee) const {
  std::vector<AcquireMatch> out;
  auto [begin, end] = acquire_index_.equal_range(callee);
  for (auto it = begin; it != end; ++it) out.push_back({&pairs_[it->second.first], &pairs_[it->second.first].acquire[it->second.second]});
  return out;
}

std::vector<CleanupPairTable::ReleaseMatch> CleanupPairTable::releases_by_callee(const std::string& callee) const {
  std::vector<ReleaseMatch> out;
  auto [begin, end] = release_index_.equal_range(callee);
  for (auto it = begin; it != end; ++it) out.push_back({&pairs_[it->second.first], &pairs_[it->second.first].release[it->second.second]});
  return out;
}

std::vector<CleanupPairTable::WrongMatch> CleanupPairTable::wrong_releases_by_callee(const std::string& callee) const {
  std::vector<WrongMatch> out;
  auto [begin, end] = wrong_index_.equal_range(callee);
  for (auto it = begin; it != end; ++it)
    out.push_back({&pairs_[it->second.first], &pairs_[it->second.first].wrong_release[it->second.second]});
  return out;
}

std::vector<CleanupPairTable::SetupMatch> CleanupPairTable::setups_by_callee(const std::string& callee) const {
  std::vector<SetupMatch> out;
  auto [begin, end] = setup_index_.equal_range(callee);
  for (auto it = begin; it != end; ++it) out.push_back({&pairs_[it->second.first], &pairs_[it->second.first].setup[it->second.second]});
  return out;
}

bool CleanupPairTable::knows(const std::string& callee) const {
  return acquire_index_.count(callee) || release_index_.count(callee) || wrong_index_.count(callee) ||
         setup_index_.count(callee);
}

void load_cleanup_pairs(const std::string& path, CleanupPairTable& table) {
  with_yaml_errors(path, [&] {
    YAML::Node root = load_yaml_file(path);
    if (!root.IsMap()) yaml_fail(root, path, "expected a mapping with schema_version, table and pairs");
    yaml_reject_unknown_keys(root, {"schema_version", "table", "kernel", "pairs"}, path);
    yaml_require(root, "schema_version", path);
    if (yaml_int(root, "schema_version", path, 0) != 1)
      yaml_fail(root["schema_version"], path, "key 'schema_version': only version 1 is supported");
    if (yaml_required_string(root, "table", path) != "cleanup-pairs")
      yaml_fail(root["table"], path, "key 'table': expected cleanup-pairs (is this the right file?)");
    YAML::Node pairs = sequence(root, "pairs", path, true);
    std::set<std::string> seen;
    for (const YAML::Node& p : pairs) {
      CleanupPair pair = parse_pair(p, path);
      if (!seen.insert(pair.id).second) yaml_fail(p["id"], path, "pair id '" + pair.id + "' appears twice in this file");
      table.add_or_replace(std::move(pair));
    }
  });
}

CleanupPairTable load_cleanup_pair_table(const std::string& path) {
  return with_yaml_errors(path, [&]() -> CleanupPairTable {
    CleanupPairTable table;
    load_cleanup_pairs(path, table);
    table.validate();
    return table;
  });
}

namespace {
std::mutex active_mutex;
std::unique_ptr<CleanupPairTable> active_table;
}  // namespace

void configure_cleanup_pairs(const std::vector<std::string>& user_rule_files) {
  auto table = std::make_unique<CleanupPairTable>();
  load_cleanup_pairs(data_dir() + "/rules/cleanup-pairs.yaml", *table);
  for (const std::string& file : user_rule_files) load_cleanup_pairs(file, *table);
  table->validate();
  std::lock_guard<std::mutex> lock(active_mutex);
  active_table = std::move(table);
}

const CleanupPairTable& active_cleanup_pairs() {
  {
    std::lock_guard<std::mutex> lock(active_mutex);
    if (active_table) return *active_table;
  }
  configure_cleanup_pairs({});
  std::lock_guard<std::mutex> lock(active_mutex);
  return *active_table;
}

}  // namespace kmodlint
