#include "tables/ownership.h"

#include <mutex>

#include "tables/yaml_table.h"

namespace kmodlint {

const DrvdataSetter* OwnershipTable::drvdata_setter(const std::string& callee) const {
  for (const DrvdataSetter& s : drvdata_setters)
    if (s.callee == callee) return &s;
  return nullptr;
}

bool OwnershipTable::drvdata_getter(const std::string& callee) const {
  for (const std::string& g : drvdata_getters)
    if (g == callee) return true;
  return false;
}

const CallbackInvoker* OwnershipTable::callback_invoker(const std::string& callee) const {
  for (const CallbackInvoker& c : callback_invokers)
    for (const std::string& name : c.callees)
      if (name == callee) return &c;
  return nullptr;
}

const OwnershipTransfer* OwnershipTable::transfer(const std::string& callee) const {
  for (const OwnershipTransfer& t : transfers)
    if (t.callee == callee) return &t;
  return nullptr;
}

namespace {

YAML::Node list_of(const YAML::Node& map, const std::string& key, const std::string& path) {
  YAML::Node node = yaml_require(map, key, path);
  if (!node.IsSequence()) yaml_fail(node, path, "key '" + key + "': expected a list");
  return node;
}

// name, kind, callee (defaults to name), source: the keys every entry has.
std::string entry_callee(const YAML::Node& entry, const std::string& path) {
  if (!entry.IsMap()) yaml_fail(entry, path, "an entry must be a mapping");
  std::string name = yaml_required_string(entry, "name", path);
  std::string kind = yaml_required_string(entry, "kind", path);
  if (kind != "function" && kind != "inline" && kind != "macro")
    yaml_fail(entry["kind"], path, "key 'kind': expected function, inline or macro, not '" + kind + "'");
  yaml_required_string(entry, "source", path);
  std::string callee = yaml_string(entry, "callee", path);
  return callee.empty() ? name : callee;
}

int required_index(const YAML::Node& entry, const std::string& key, const std::string& path) {
  int index = yaml_int(entry, key, path, -1);
  if (index < 0) yaml_fail(entry, path, "missing required key '" + key + "' (a non-negative argument index)");
  return index;
}

}  // namespace

OwnershipTable load_ownership_table(const std::string& path) {
  return with_yaml_errors(path, [&]() -> OwnershipTable {
    YAML::Node root = load_yaml_file(path);
    if (!root.IsMap() || yaml_string(root, "table", path) != "ownership")
      yaml_fail(root, path, "expected an ownership table (table: ownership)");
    yaml_reject_unknown_keys(
        root, {"schema_version", "table", "drvdata", "callback_invokers", "ownership_transfers", "flag_bits"}, path);
    if (yaml_int(root, "schema_version", path, 0) != 1) yaml_fail(root, path, "key 'schema_version': expected 1");
    OwnershipTable table;
    const std::vector<std::string> common = {"name", "kind", "callee", "source", "notes"};
    auto with = [&](std::vector<std::string> more) {
      more.insert(more.end(), common.begin(), common.end());
      return more;
    };

    YAML::Node drvdata = yaml_require(root, "drvdata", path);
    yaml_reject_unknown_keys(drvdata, {"setters", "getters"}, path);
    for (const YAML::Node& e : list_of(drvdata, "setters", path)) {
      std::string callee = entry_callee(e, path);
      yaml_reject_unknown_keys(e, with({"value_arg"}), path);
      table.drvdata_setters.push_back({e["name"].as<std::string>(), callee, required_index(e, "value_arg", path)});
    }
    for (const YAML::Node& e : list_of(drvdata, "getters", path)) {
      std::string callee = entry_callee(e, path);
      yaml_reject_unknown_keys(e, common, path);
      table.drvdata_getters.push_back(callee);
    }

    for (const YAML::Node& e : list_of(root, "callback_invokers", path)) {
      CallbackInvoker invoker;
      invoker.callees.push_back(entry_callee(e, path));
      yaml_reject_unknown_keys(e, with({"alt_callees", "callback_arg", "callback_fields", "data_arg", "runs"}), path);
      invoker.name = e["name"].as<std::string>();
      for (const std::string& alt : yaml_string_list(e, "alt_callees", path)) invoker.callees.push_back(alt);
      std::vector<std::string> fields = yaml_string_list(e, "callback_fields", path);
      if (fields.empty()) invoker.callback_arg = required_index(e, "callback_arg", path);
      for (const std::string& field : fields) {
        std::size_t dot = field.find('.');
        if (dot == std::string::npos || dot == 0 || dot + 1 == field.size() || e["callback_arg"])
          yaml_fail(e, path, "key 'callback_fields': expected a list of record.field (and no callback_arg)");
        invoker.callback_fields.emplace_back(field.substr(0, dot), field.substr(dot + 1));
      }
      invoker.data_arg = required_index(e, "data_arg", path);
      std::string runs = yaml_required_string(e, "runs", path);
      if (runs == "now") invoker.runs = CallbackInvoker::Runs::Now;
      else if (runs == "detach") invoker.runs = CallbackInvoker::Runs::Detach;
      else if (runs == "detach_or_now_on_failure") invoker.runs = CallbackInvoker::Runs::DetachOrNowOnFailure;
      else yaml_fail(e["runs"], path, "key 'runs': expected now, detach or detach_or_now_on_failure, not '" + runs + "'");
      table.callback_invokers.push_back(std::move(invoker));
    }

    for (const YAML::Node& e : list_of(root, "ownership_transfers", path)) {
      std::string callee = entry_callee(e, path);
      yaml_reject_unknown_keys(e, with({"object_arg"}), path);
      table.transfers.push_back({e["name"].as<std::string>(), callee, required_index(e, "object_arg", path)});
    }

    YAML::Node bits = yaml_require(root, "flag_bits", path);
    yaml_reject_unknown_keys(bits, {"set", "clear", "test", "source", "notes"}, path);
    yaml_required_string(bits, "source", path);
    table.bit_setters = yaml_string_list(bits, "set", path);
    table.bit_clearers = yaml_string_list(bits, "clear", path);
    table.bit_testers = yaml_string_list(bits, "test", path);
    return table;
  });
}

const OwnershipTable& default_ownership_table() {
  static std::once_flag once;
  static OwnershipTable table;
  std::call_once(once, [] { table = load_ownership_table(data_dir() + "/rules/ownership.yaml"); });
  return table;
}

}  // namespace kmodlint
