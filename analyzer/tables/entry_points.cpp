#include "tables/entry_points.h"

#include <algorithm>
#include <mutex>
#include <set>

#include "tables/yaml_table.h"

namespace kmodlint {

namespace {

const std::vector<std::string> kContextKeys = {"context",   "may_sleep",  "irqs_disabled", "bh_disabled",
                                               "concurrent_with_self",    "serialized_by", "role",
                                               "pairs_with", "bus_releases", "notes"};

std::vector<std::string> with(std::vector<std::string> keys, const std::vector<std::string>& more) {
  keys.insert(keys.end(), more.begin(), more.end());
  return keys;
}

void require_map(const YAML::Node& node, const std::string& path, const std::string& what) {
  if (!node.IsMap()) yaml_fail(node, path, what + ": expected a mapping");
}

template <typename F>
void for_each_in(const YAML::Node& map, const std::string& key, const std::string& path, bool required, F f) {
  YAML::Node list = map[key];
  if (!list) {
    if (required) yaml_fail(map, path, "missing required key '" + key + "'");
    return;
  }
  if (list.IsNull()) return;
  if (!list.IsSequence()) yaml_fail(list, path, "key '" + key + "': expected a list");
  for (const YAML::Node& item : list) {
    require_map(item, path, "an entry of '" + key + "'");
    f(item);
  }
}

CallContext read_context(const YAML::Node& map, const std::string& path) {
  CallContext ctx;
  yaml_require(map, "context", path);
  ctx.context = yaml_string_list(map, "context", path);
  if (ctx.context.empty()) yaml_fail(map["context"], path, "key 'context': needs at least one context");
  yaml_require(map, "may_sleep", path);
  ctx.may_sleep = yaml_bool(map, "may_sleep", path, false);
  ctx.irqs_disabled = yaml_bool(map, "irqs_disabled", path, false);
  ctx.bh_disabled = yaml_bool(map, "bh_disabled", path, false);
  ctx.concurrent_with_self = yaml_required_string(map, "concurrent_with_self", path);
  static const std::set<std::string> kSelf = {"always", "other_instances", "never"};
  if (!kSelf.count(ctx.concurrent_with_self))
    yaml_fail(map["concurrent_with_self"], path,
              "key 'concurrent_with_self': expected always, other_instances or never, not '" +
                  ctx.concurrent_with_self + "'");
  ctx.serialized_by = yaml_string_list(map, "serialized_by", path);
  if (map["role"]) ctx.role = yaml_string(map, "role", path);
  static const std::set<std::string> kRoles = {"callback", "probe", "remove", "open", "close", "suspend",
                                               "resume",   "shutdown", "init", "exit"};
  if (!kRoles.count(ctx.role)) yaml_fail(map["role"], path, "key 'role': unknown role '" + ctx.role + "'");
  ctx.pairs_with = yaml_string_list(map, "pairs_with", path);
  ctx.notes = yaml_string(map, "notes", path);
  return ctx;
}

// Checks that the context block names known contexts and serializers.
void validate_context(const CallContext& ctx, const YAML::Node& node, const EntryPointTable& table,
                      const std::string& path) {
  for (const std::string& id : ctx.context) {
    bool known = std::any_of(table.contexts.begin(), table.contexts.end(),
                             [&](const ExecutionContextInfo& c) { return c.id == id; });
    if (!known) yaml_fail(node, path, "unknown context '" + id + "' (see the table's contexts)");
  }
  for (const std::string& id : ctx.serialized_by)
    if (!table.find_serializer(id)) yaml_fail(node, path, "unknown serializer '" + id + "' (see the table's serializers)");
}

}  // namespace

bool CallContext::has_context(const std::string& id) const {
  return std::find(context.begin(), context.end(), id) != context.end();
}

const CallbackField* OpsStruct::find_field(const std::string& field) const {
  for (const CallbackField& f : fields)
    if (f.field == field) return &f;
  return nullptr;
}

const OpsStruct* EntryPointTable::find_struct(const std::string& name) const {
  for (const OpsStruct& s : structs)
    if (s.name == name) return &s;
  return nullptr;
}

const SerializerInfo* EntryPointTable::find_serializer(const std::string& id) const {
  for (const SerializerInfo& s : serializers)
    if (s.id == id) return &s;
  return nullptr;
}

std::vector<const ArmingCall*> EntryPointTable::arming_calls(const std::string& callee) const {
  std::vector<const ArmingCall*> out;
  if (callee.empty()) return out;
  for (const Registration& r : registrations)
    for (const ArmingCall& arm : r.armed_by)
      if (arm.name == callee) out.push_back(&arm);
  return out;
}

const Registration* EntryPointTable::find_registration_by_callee(const std::string& callee) const {
  for (const Registration& r : registrations)
    if (r.match != "macro" && r.callee == callee) return &r;
  return nullptr;
}

const Registration* EntryPointTable::find_registration(const std::string& name) const {
  for (const Registration& r : registrations)
    if (r.name == name) return &r;
  return nullptr;
}

const CallContext* EntryPointTable::field_context(const std::string& record, const std::string& field) const {
  if (const OpsStruct* s = find_struct(record))
    if (const CallbackField* f = s->find_field(field)) return &f->context;
  return nullptr;
}

EntryPointTable load_entry_point_table(const std::string& path, bool user_table) {
  return with_yaml_errors(path, [&]() -> EntryPointTable {
    YAML::Node root = load_yaml_file(path);
    if (!root.IsMap()) yaml_fail(root, path, "expected a mapping at the top level");
    yaml_reject_unknown_keys(root,
                             {"schema_version", "table", "kernel", "contexts", "serializers", "structs",
                              "registrations", "lifecycle"},
                             path);
    if (yaml_int(root, "schema_version", path, -1) != 1)
      yaml_fail(root["schema_version"] ? root["schema_version"] : root, path, "key 'schema_version': must be 1");
    if (yaml_string(root, "table", path) != "entry-points")
      yaml_fail(root["table"] ? root["table"] : root, path, "key 'table': must be \"entry-points\"");

    EntryPointTable table;
    const bool required = !user_table;
    if (user_table) table = default_entry_point_table();  // user entries may refer to built-in ids
    EntryPointTable own;

    for_each_in(root, "contexts", path, required, [&](const YAML::Node& n) {
      yaml_reject_unknown_keys(n, {"id", "atomic", "description"}, path);
      own.contexts.push_back({yaml_required_string(n, "id", path), yaml_bool(n, "atomic", path, false),
                              yaml_string(n, "description", path)});
    });
    for_each_in(root, "serializers", path, required, [&](const YAML::Node& n) {
      yaml_reject_unknown_keys(n, {"id", "scope", "instance", "description"}, path);
      SerializerInfo s{yaml_required_string(n, "id", path), yaml_required_string(n, "scope", path),
                       yaml_string(n, "instance", path), yaml_string(n, "description", path)};
      if (s.scope != "global" && s.scope != "module" && s.scope != "instance")
        yaml_fail(n["scope"], path, "key 'scope': expected global, module or instance, not '" + s.scope + "'");
      if (s.scope == "instance" && s.instance.empty())
        yaml_fail(n, path, "serializer '" + s.id + "': scope instance needs key 'instance'");
      own.serializers.push_back(s);
    });
    // Vocabulary first, so blocks below can be validated against built-in + own ids.
    EntryPointTable vocabulary = table;
    merge_entry_point_table(vocabulary, own);

    for_each_in(root, "structs", path, required, [&](const YAML::Node& n) {
      yaml_reject_unknown_keys(n, {"struct", "family", "instance", "source", "fields", "nested", "notes"}, path);
      OpsStruct s;
      s.name = yaml_required_string(n, "struct", path);
      s.family = yaml_required_string(n, "family", path);
      s.instance = yaml_required_string(n, "instance", path);
      s.source = yaml_required_string(n, "source", path);
      s.notes = yaml_string(n, "notes", path);
      for_each_in(n, "fields", path, true, [&](const YAML::Node& f) {
        yaml_reject_unknown_keys(f, with(kContextKeys, {"field"}), path);
        CallbackField field{yaml_required_string(f, "field", path), read_context(f, path)};
        validate_context(field.context, f, vocabulary, path);
        s.fields.push_back(field);
      });
      for_each_in(n, "nested", path, true, [&](const YAML::Node& f) {
        yaml_reject_unknown_keys(f, {"field", "struct", "via", "notes"}, path);
        NestedStruct nested{yaml_required_string(f, "field", path), yaml_required_string(f, "struct", path),
                            yaml_required_string(f, "via", path), yaml_string(f, "notes", path)};
        if (nested.via != "pointer" && nested.via != "embedded")
          yaml_fail(f["via"], path, "key 'via': expected pointer or embedded");
        s.nested.push_back(nested);
      });
      own.structs.push_back(s);
    });

    for_each_in(root, "registrations", path, required, [&](const YAML::Node& n) {
      yaml_reject_unknown_keys(n,
                               {"name", "kind", "callee", "match", "family", "callbacks", "ops_args", "assigns",
                                "cleanup_pair", "object_arg", "armed_by", "source", "notes"},
                               path);
      Registration r;
      r.name = yaml_required_string(n, "name", path);
      r.kind = yaml_required_string(n, "kind", path);
      if (r.kind != "function" && r.kind != "inline" && r.kind != "macro")
        yaml_fail(n["kind"], path, "key 'kind': expected function, inline or macro");
      r.callee = yaml_string(n, "callee", path);
      if (r.callee.empty()) r.callee = r.name;
      r.match = yaml_string(n, "match", path);
      if (r.match.empty()) r.match = "call";
      if (r.match != "call" && r.match != "macro") yaml_fail(n["match"], path, "key 'match': expected call or macro");
      r.family = yaml_required_string(n, "family", path);
      r.cleanup_pair = yaml_string(n, "cleanup_pair", path);
      r.source = yaml_required_string(n, "source", path);
      r.notes = yaml_string(n, "notes", path);
      for_each_in(n, "callbacks", path, true, [&](const YAML::Node& c) {
        yaml_reject_unknown_keys(c, with(kContextKeys, {"arg", "data_arg", "data_param", "optional"}), path);
        yaml_require(c, "arg", path);
        RegistrationCallback cb;
        cb.arg = yaml_int(c, "arg", path, -1);
        cb.context = read_context(c, path);
        validate_context(cb.context, c, vocabulary, path);
        cb.data_arg = yaml_int(c, "data_arg", path, -1);
        cb.data_param = yaml_int(c, "data_param", path, -1);
        cb.optional = yaml_bool(c, "optional", path, false);
        if (cb.arg < 0) yaml_fail(c["arg"], path, "key 'arg': expected an argument index >= 0");
        r.callbacks.push_back(cb);
      });
      for_each_in(n, "ops_args", path, true, [&](const YAML::Node& o) {
        yaml_reject_unknown_keys(o, {"arg", "struct", "member", "overrides", "notes"}, path);
        yaml_require(o, "arg", path);
        RegistrationOpsArg ops;
        ops.arg = yaml_int(o, "arg", path, -1);
        ops.struct_name = yaml_required_string(o, "struct", path);
        ops.member = yaml_string(o, "member", path);
        ops.notes = yaml_string(o, "notes", path);
        if (YAML::Node overrides = o["overrides"]) {
          if (!overrides.IsMap()) yaml_fail(overrides, path, "key 'overrides': expected a mapping of field to context");
          for (const auto& item : overrides) {
            require_map(item.second, path, "override '" + yaml_key(item.first, path) + "'");
            yaml_reject_unknown_keys(item.second, kContextKeys, path);
            CallContext ctx = read_context(item.second, path);
            validate_context(ctx, item.second, vocabulary, path);
            ops.overrides[yaml_key(item.first, path)] = ctx;
          }
        }
        r.ops_args.push_back(ops);
      });
      r.object_arg = yaml_int(n, "object_arg", path, -1);
      for_each_in(n, "armed_by", path, false, [&](const YAML::Node& a) {
        yaml_reject_unknown_keys(a, {"name", "arg"}, path);
        yaml_require(a, "arg", path);
        ArmingCall arm{yaml_required_string(a, "name", path), yaml_int(a, "arg", path, -1)};
        if (arm.arg < 0) yaml_fail(a["arg"], path, "key 'arg': expected an argument index >= 0");
        r.armed_by.push_back(std::move(arm));
      });
      if (r.armed_by.empty() != (r.object_arg < 0))
        yaml_fail(n, path, "registration '" + r.name + "': object_arg and armed_by go together");
      for_each_in(n, "assigns", path, true, [&](const YAML::Node& a) {
        yaml_reject_unknown_keys(a, {"struct", "field", "macro_arg", "target_macro_arg", "target_member"}, path);
        r.assigns.push_back({yaml_required_string(a, "struct", path), yaml_required_string(a, "field", path),
                             yaml_int(a, "macro_arg", path, -1), yaml_int(a, "target_macro_arg", path, -1),
                             yaml_string(a, "target_member", path)});
      });
      own.registrations.push_back(r);
    });

    for_each_in(root, "lifecycle", path, required, [&](const YAML::Node& n) {
      yaml_reject_unknown_keys(n, with(kContextKeys, {"name", "kind", "expansion", "ast", "source"}), path);
      LifecycleEntry e;
      e.name = yaml_required_string(n, "name", path);
      e.kind = yaml_required_string(n, "kind", path);
      e.context = read_context(n, path);
      validate_context(e.context, n, vocabulary, path);
      e.expansion = yaml_string(n, "expansion", path);
      e.ast = yaml_string(n, "ast", path);
      e.notes = yaml_string(n, "notes", path);
      e.source = yaml_required_string(n, "source", path);
      own.lifecycle.push_back(e);
    });

    // Cross references: nested and ops_args structs must exist (built-in or in this table).
    EntryPointTable all = table;
    merge_entry_point_table(all, own);
    auto check_struct = [&](const std::string& name, const std::string& where) {
      if (!all.find_struct(name)) yaml_fail(root, path, where + " names struct '" + name + "', which no structs entry defines");
    };
    for (const OpsStruct& s : own.structs)
      for (const NestedStruct& nested : s.nested) check_struct(nested.struct_name, "struct " + s.name + " nested " + nested.field);
    for (const Registration& r : own.registrations) {
      for (const RegistrationOpsArg& ops : r.ops_args) {
        check_struct(ops.struct_name, "registration " + r.name);
        const OpsStruct* s = all.find_struct(ops.struct_name);
        for (const auto& [field, ctx] : ops.overrides)
          if (!s->find_field(field))
            yaml_fail(root, path, "registration " + r.name + ": override of unknown field '" + field + "' of struct " + s->name);
      }
      for (const RegistrationAssign& a : r.assigns) check_struct(a.struct_name, "registration " + r.name);
    }
    return user_table ? own : all;
  });
}

void merge_entry_point_table(EntryPointTable& base, const EntryPointTable& user) {
  auto merge = [](auto& into, const auto& from, auto key) {
    for (const auto& entry : from) {
      auto it = std::find_if(into.begin(), into.end(), [&](const auto& e) { return key(e) == key(entry); });
      if (it != into.end())
        *it = entry;
      else
        into.push_back(entry);
    }
  };
  merge(base.contexts, user.contexts, [](const ExecutionContextInfo& e) { return e.id; });
  merge(base.serializers, user.serializers, [](const SerializerInfo& e) { return e.id; });
  merge(base.structs, user.structs, [](const OpsStruct& e) { return e.name; });
  merge(base.registrations, user.registrations, [](const Registration& e) { return e.name; });
  merge(base.lifecycle, user.lifecycle, [](const LifecycleEntry& e) { return e.name; });
}

const EntryPointTable& default_entry_point_table() {
  static std::once_flag once;
  static EntryPointTable table;
  std::call_once(once, [] { table = load_entry_point_table(data_dir() + "/rules/entry-points.yaml"); });
  return table;
}

}  // namespace kmodlint
