#include "engines/lifetimes/value_key.h"

#include <algorithm>
#include <cctype>

namespace kmodlint::lifetimes {

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

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

}  // namespace kmodlint::lifetimes
