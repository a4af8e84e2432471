#include "tables/locks.h"

#include <algorithm>
#include <mutex>
#include <set>

#include "tables/yaml_table.h"

namespace kmodlint {

namespace {

void one_of(const YAML::Node& map, const std::string& key, const std::string& value,
            const std::set<std::string>& allowed, const std::string& path) {
  if (allowed.count(value)) return;
  std::string list;
  for (const std::string& a : allowed) list += (list.empty() ? "" : ", ") + a;
  yaml_fail(map[key] ? map[key] : map, path, "key '" + key + "': expected one of " + list + ", not '" + value + "'");
}

// lock_arg / object_arg: an index, or null for primitives without a lock object.
int optional_index(const YAML::Node& map, const std::string& key, const std::string& path) {
  YAML::Node node = map[key];
  if (!node || node.IsNull()) return -1;
  int value = yaml_int(map, key, path, -1);
  if (value < 0) yaml_fail(node, path, "key '" + key + "': expected an index >= 0 or null");
  return value;
}

template <typename F>
void for_each_in(const YAML::Node& map, const std::string& key, const std::string& path, F f) {
  YAML::Node list = map[key];
  if (!list) yaml_fail(map, path, "missing required key '" + key + "'");
  if (!list.IsSequence()) yaml_fail(list, path, "key '" + key + "': expected a list");
  for (const YAML::Node& item : list) {
    if (!item.IsMap()) yaml_fail(item, path, "an entry of '" + key + "': expected a mapping");
    f(item);
  }
}

const std::set<std::string> kDisables = {"irq", "bh", "preempt", "migrate"};

void check_disables(const YAML::Node& map, const std::vector<std::string>& disables, const std::string& path) {
  for (const std::string& d : disables) one_of(map, "disables", d, kDisables, path);
}

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

}  // namespace

bool LockPrimitive::disables_irq() const { return contains(disables, "irq"); }
bool LockPrimitive::disables_bh() const { return contains(disables, "bh") || disables_irq(); }

void LockTable::index_callees() {
  primitive_by_callee.clear();
  for (std::size_t i = 0; i < primitives.size(); ++i) primitive_by_callee.emplace(primitives[i].callee, i);
  for (std::size_t i = 0; i < primitives.size(); ++i)
    for (const std::string& alt : primitives[i].alt_callees) primitive_by_callee.emplace(alt, i);
}

const LockPrimitive* LockTable::find_primitive_by_callee(const std::string& callee) const {
  auto found = primitive_by_callee.find(callee);
  return found == primitive_by_callee.end() ? nullptr : &primitives[found->second];
}

const LockPrimitive* LockTable::find_primitive(const std::string& name) const {
  for (const LockPrimitive& p : primitives)
    if (p.name == name) return &p;
  return nullptr;
}

const LockGuard* LockTable::find_guard_by_constructor(const std::string& constructor) const {
  for (const LockGuard& g : guards)
    if (g.constructor == constructor) return &g;
  return nullptr;
}

const LocklessAccess* LockTable::find_lockless_by_callee(const std::string& callee) const {
  for (const LocklessAccess& l : lockless)
    if (l.match == "call" && (l.callee == callee || contains(l.alt_callees, callee))) return &l;
  return nullptr;
}

const LocklessAccess* LockTable::find_lockless_macro(const std::string& macro) const {
  for (const LocklessAccess& l : lockless)
    if (l.match == "macro" && l.name == macro) return &l;
  return nullptr;
}

const LockClass* LockTable::find_class(const std::string& id) const {
  for (const LockClass& c : classes)
    if (c.id == id) return &c;
  return nullptr;
}

LockTable load_lock_table(const std::string& path) {
  return with_yaml_errors(path, [&]() -> LockTable {
    YAML::Node root = load_yaml_file(path);
    if (!root.IsMap()) yaml_fail(root, path, "expected a mapping at the top level");
    yaml_reject_unknown_keys(
        root, {"schema_version", "table", "kernel", "lock_classes", "primitives", "guards", "lockless", "annotations"},
        path);
    if (yaml_int(root, "schema_version", path, -1) != 1)
      yaml_fail(root["schema_version"] ? root["schema_version"] : root, path, "key 'schema_version': must be 1");
    if (yaml_string(root, "table", path) != "locks")
      yaml_fail(root["table"] ? root["table"] : root, path, "key 'table': must be \"locks\"");

    LockTable table;
    for_each_in(root, "lock_classes", path, [&](const YAML::Node& n) {
      yaml_reject_unknown_keys(n, {"id", "type", "sleeps", "nests", "balanced", "description"}, path);
      LockClass c;
      c.id = yaml_required_string(n, "id", path);
      if (n["type"] && !n["type"].IsNull()) c.type = yaml_string(n, "type", path);
      c.sleeps = yaml_bool(n, "sleeps", path, false);
      c.nests = yaml_string(n, "nests", path);
      if (c.nests.empty()) c.nests = "never";
      one_of(n, "nests", c.nests, {"never", "shared", "always"}, path);
      c.balanced = yaml_bool(n, "balanced", path, true);
      c.description = yaml_string(n, "description", path);
      table.classes.push_back(c);
    });
    auto check_class = [&](const YAML::Node& n, const std::string& id) {
      if (!table.find_class(id)) yaml_fail(n["class"] ? n["class"] : n, path, "unknown lock class '" + id + "'");
    };

    for_each_in(root, "primitives", path, [&](const YAML::Node& n) {
      yaml_reject_unknown_keys(n,
                               {"name", "kind", "callee", "alt_callees", "unwrap", "class", "op", "mode", "lock_arg",
                                "held_when", "disables", "flags", "may_sleep", "pairs_with", "leaves_held", "fails_with",
                                "source", "notes"},
                               path);
      LockPrimitive p;
      p.name = yaml_required_string(n, "name", path);
      p.kind = yaml_required_string(n, "kind", path);
      one_of(n, "kind", p.kind, {"function", "inline", "macro"}, path);
      p.callee = yaml_string(n, "callee", path);
      if (p.callee.empty()) p.callee = p.name;
      p.alt_callees = yaml_string_list(n, "alt_callees", path);
      p.unwrap = yaml_string_list(n, "unwrap", path);
      p.lock_class = yaml_required_string(n, "class", path);
      check_class(n, p.lock_class);
      p.op = yaml_required_string(n, "op", path);
      one_of(n, "op", p.op, {"acquire", "try_acquire", "release"}, path);
      p.mode = yaml_required_string(n, "mode", path);
      one_of(n, "mode", p.mode, {"exclusive", "shared"}, path);
      yaml_require(n, "lock_arg", path);
      p.lock_arg = optional_index(n, "lock_arg", path);
      if (p.op != "release") {
        p.held_when = yaml_required_string(n, "held_when", path);
        one_of(n, "held_when", p.held_when, {"always", "nonzero", "zero"}, path);
      }
      p.disables = yaml_string_list(n, "disables", path);
      check_disables(n, p.disables, path);
      if (YAML::Node flags = n["flags"]) {
        if (!flags.IsMap()) yaml_fail(flags, path, "key 'flags': expected a mapping {from, index}");
        yaml_reject_unknown_keys(flags, {"from", "index"}, path);
        p.flags_from = yaml_required_string(flags, "from", path);
        one_of(flags, "from", p.flags_from, {"result", "arg", "macro_arg"}, path);
        p.flags_index = yaml_int(flags, "index", path, -1);
      }
      p.may_sleep = yaml_bool(n, "may_sleep", path, false);
      p.pairs_with = yaml_string_list(n, "pairs_with", path);
      p.fails_with = yaml_string(n, "fails_with", path);
      if (!p.fails_with.empty()) {
        one_of(n, "fails_with", p.fails_with, {"negative", "positive"}, path);
        if (p.held_when != "zero") yaml_fail(n["fails_with"], path, "key 'fails_with': only for held_when: zero");
      }
      if (p.held_when == "zero" && p.fails_with.empty()) p.fails_with = "negative";
      p.leaves_held = yaml_string(n, "leaves_held", path);
      if (!p.leaves_held.empty()) {
        one_of(n, "leaves_held", p.leaves_held, {"exclusive", "shared"}, path);
        if (p.op != "release") yaml_fail(n["leaves_held"], path, "key 'leaves_held': only for op: release");
      }
      p.source = yaml_required_string(n, "source", path);
      p.notes = yaml_string(n, "notes", path);
      table.primitives.push_back(p);
    });

    for_each_in(root, "guards", path, [&](const YAML::Node& n) {
      yaml_reject_unknown_keys(n,
                               {"name", "constructor", "destructor", "class", "mode", "lock_arg", "acquire", "release",
                                "disables", "source"},
                               path);
      LockGuard g;
      g.name = yaml_required_string(n, "name", path);
      g.constructor = yaml_required_string(n, "constructor", path);
      g.destructor = yaml_required_string(n, "destructor", path);
      g.lock_class = yaml_required_string(n, "class", path);
      check_class(n, g.lock_class);
      g.mode = yaml_required_string(n, "mode", path);
      one_of(n, "mode", g.mode, {"exclusive", "shared"}, path);
      yaml_require(n, "lock_arg", path);
      g.lock_arg = optional_index(n, "lock_arg", path);
      g.acquire = yaml_required_string(n, "acquire", path);
      g.release = yaml_required_string(n, "release", path);
      g.disables = yaml_string_list(n, "disables", path);
      check_disables(n, g.disables, path);
      g.source = yaml_required_string(n, "source", path);
      table.guards.push_back(g);
    });
    for (const LockGuard& g : table.guards)
      if (!table.find_primitive(g.acquire) || !table.find_primitive(g.release))
        yaml_fail(root["guards"], path, "guard '" + g.name + "' names a primitive that is not in primitives");

    for_each_in(root, "lockless", path, [&](const YAML::Node& n) {
      yaml_reject_unknown_keys(n,
                               {"name", "kind", "callee", "alt_callees", "match", "object_arg", "object", "access",
                                "atomic", "ordering", "source", "notes"},
                               path);
      LocklessAccess l;
      l.name = yaml_required_string(n, "name", path);
      l.kind = yaml_required_string(n, "kind", path);
      one_of(n, "kind", l.kind, {"function", "inline", "macro"}, path);
      l.callee = yaml_string(n, "callee", path);
      if (l.callee.empty()) l.callee = l.name;
      l.alt_callees = yaml_string_list(n, "alt_callees", path);
      l.match = yaml_string(n, "match", path);
      if (l.match.empty()) l.match = "call";
      one_of(n, "match", l.match, {"call", "macro"}, path);
      yaml_require(n, "object_arg", path);
      l.object_arg = optional_index(n, "object_arg", path);
      l.object = yaml_required_string(n, "object", path);
      one_of(n, "object", l.object, {"pointer", "lvalue"}, path);
      l.access = yaml_required_string(n, "access", path);
      one_of(n, "access", l.access, {"read", "write", "rmw", "address"}, path);
      yaml_require(n, "atomic", path);
      l.atomic = yaml_bool(n, "atomic", path, false);
      l.ordering = yaml_required_string(n, "ordering", path);
      one_of(n, "ordering", l.ordering, {"relaxed", "acquire", "release", "full"}, path);
      l.source = yaml_required_string(n, "source", path);
      l.notes = yaml_string(n, "notes", path);
      table.lockless.push_back(l);
    });

    for_each_in(root, "annotations", path, [&](const YAML::Node& n) {
      yaml_reject_unknown_keys(n,
                               {"name", "kind", "meaning", "expands_to", "sparse_expands_to", "ast_visible", "source",
                                "notes"},
                               path);
      LockAnnotation a;
      a.name = yaml_required_string(n, "name", path);
      a.kind = yaml_required_string(n, "kind", path);
      a.meaning = yaml_required_string(n, "meaning", path);
      a.expands_to = yaml_string(n, "expands_to", path);
      a.sparse_expands_to = yaml_string(n, "sparse_expands_to", path);
      a.ast_visible = yaml_bool(n, "ast_visible", path, false);
      a.source = yaml_required_string(n, "source", path);
      a.notes = yaml_string(n, "notes", path);
      table.annotations.push_back(a);
    });
    table.index_callees();
    return table;
  });
}

const LockTable& default_lock_table() {
  static std::once_flag once;
  static LockTable table;
  std::call_once(once, [] { table = load_lock_table(data_dir() + "/rules/locks.yaml"); });
  return table;
}

}  // namespace kmodlint
