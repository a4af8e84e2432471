#include "engines/lifetimes/value_key.h"

#include <algorithm>
#include <tuple>

namespace kmodlint::lifetimes {

ValueKey ValueKey::constant(std::string spelling) {
  ValueKey k;
  k.kind = Kind::Constant;
  k.root = std::move(spelling);
  return k;
}

namespace {
const char kStringPrefix[] = "string:";
}

ValueKey ValueKey::string_literal(const std::string& bytes) { return constant(kStringPrefix + bytes); }

bool ValueKey::is_string_literal() const { return plain(Kind::Constant) && root.starts_with(kStringPrefix); }

ValueKey ValueKey::call_result(int call_index) {
  ValueKey k;
  k.kind = Kind::CallResult;
  k.index = call_index;
  return k;
}

ValueKey ValueKey::function(std::string name) {
  ValueKey k;
  k.kind = Kind::Function;
  k.root = std::move(name);
  return k;
}

ValueKey ValueKey::global(std::string name, std::string path) {
  ValueKey k;
  k.kind = Kind::Global;
  k.root = std::move(name);
  k.path = std::move(path);
  return k;
}

ValueKey ValueKey::record(std::string record, const std::string& field) {
  ValueKey k;
  k.kind = Kind::Record;
  k.root = std::move(record);
  k.path = "." + field;
  return k;
}

ValueKey ValueKey::param(int position, std::string path) {
  ValueKey k;
  k.kind = Kind::Param;
  k.index = position;
  k.path = std::move(path);
  return k;
}

ValueKey ValueKey::local(std::string name, std::string path) {
  ValueKey k;
  k.kind = Kind::Local;
  k.root = std::move(name);
  k.path = std::move(path);
  return k;
}

ValueKey ValueKey::drvdata() {
  ValueKey k;
  k.kind = Kind::Drvdata;
  return k;
}

ValueKey ValueKey::text(std::string spelling) {
  ValueKey k;
  k.kind = Kind::Text;
  k.root = std::move(spelling);
  return k;
}

ValueKey ValueKey::bit(ValueKey number, ValueKey word) {
  ValueKey k;
  k.kind = Kind::Bit;
  k.operands = {std::move(number), std::move(word)};
  return k;
}

ValueKey ValueKey::bare() const {
  ValueKey k = *this;
  k.ops.clear();
  return k;
}

ValueKey ValueKey::with(Op op) const {
  ValueKey k = *this;
  k.ops.insert(k.ops.begin(), op);
  return k;
}

ValueKey ValueKey::without_first_op() const {
  ValueKey k = *this;
  if (!k.ops.empty()) k.ops.erase(k.ops.begin());
  return k;
}

bool ValueKey::contains(const ValueKey& inner, const char* delimiters) const {
  if (std::tie(kind, root, index, operands) != std::tie(inner.kind, inner.root, inner.index, inner.operands))
    return false;
  if (!inner.path.starts_with(path)) return false;
  if (inner.path.size() == path.size()) return true;
  return std::string(delimiters).find(inner.path[path.size()]) != std::string::npos;
}

std::string ValueKey::to_string() const {
  std::string out;
  for (Op op : ops) out += op == Op::AddressOf ? '&' : '*';
  switch (kind) {
    case Kind::None: return out;
    case Kind::Constant: out += "C:" + root; break;
    case Kind::CallResult: out += "#c" + std::to_string(index); break;
    case Kind::Function: out += "F:" + root; break;
    case Kind::Global: out += "G:" + root; break;
    case Kind::Record: out += "R:" + root; break;
    case Kind::Param: out += "P#" + std::to_string(index); break;
    case Kind::Local: out += "L:" + root; break;
    case Kind::Drvdata: out += "D:drvdata"; break;
    case Kind::Text: out += "T:" + root; break;
    case Kind::Bit: out += "B:" + operands[0].to_string() + "@" + operands[1].to_string(); break;
  }
  return out + path;
}

void ValueKey::add_to(Fingerprinter& digest) const {
  digest.add(kind).add(static_cast<std::uint64_t>(ops.size()));
  for (Op op : ops) digest.add(op);
  digest.add(root).add(index).add(path).add(static_cast<std::uint64_t>(operands.size()));
  for (const ValueKey& operand : operands) operand.add_to(digest);
}

bool ValueKey::operator==(const ValueKey& other) const {
  return std::tie(kind, ops, root, index, path, operands) ==
         std::tie(other.kind, other.ops, other.root, other.index, other.path, other.operands);
}

bool ValueKey::operator<(const ValueKey& other) const {
  return std::tie(kind, ops, root, index, path, operands) <
         std::tie(other.kind, other.ops, other.root, other.index, other.path, other.operands);
}

std::vector<ValueKey::Op> ops_of(const ValueRef& v) {
  std::vector<ValueKey::Op> ops;
  if (v.address_of) ops.push_back(ValueKey::Op::AddressOf);
  if (v.dereferenced) ops.push_back(ValueKey::Op::Deref);
  return ops;
}

int param_index(const FunctionFacts& fn, const std::string& name) {
  auto found = std::find(fn.params.begin(), fn.params.end(), name);
  return found == fn.params.end() ? -1 : static_cast<int>(found - fn.params.begin());
}

namespace {

ValueKey with_ops(ValueKey key, std::vector<ValueKey::Op> ops) {
  key.ops = std::move(ops);
  return key;
}

}  // namespace

ValueKey key_of(const ValueRef& v, const FunctionFacts& fn) {
  using K = ValueRef::Kind;
  switch (v.kind) {
    case K::IntConstant: return ValueKey::constant(std::to_string(v.int_value));
    // A name that identifies a resource (remove_proc_entry(PROC_DIR, NULL) after
    // proc_mkdir(PROC_DIR, NULL)): the literal's bytes, never equal to a number.
    case K::String: return ValueKey::string_literal(v.root);
    case K::CallResult: return ValueKey::call_result(v.call_index);
    case K::Function: return ValueKey::function(v.root);
    case K::Global:
      if (v.address_of && !v.dereferenced && v.path == "[]") return ValueKey::global(v.root);  // &a[0] is a
      return with_ops(ValueKey::global(v.root, v.path), ops_of(v));
    case K::Local:
    case K::Param: {
      // A field of a local struct variable (input.pointer) is storage of that variable alone, not
      // the field of any instance.
      bool in_local_struct = v.kind == K::Local && v.path.starts_with(".");
      if (!in_local_struct && !v.record.empty() && !v.field.empty() &&
          (v.path.size() > v.field.size() && v.path.compare(v.path.size() - v.field.size(), v.field.size(), v.field) == 0))
        return with_ops(ValueKey::record(v.record, v.field), ops_of(v));
      if (v.kind == K::Param)
        if (int index = param_index(fn, v.root); index >= 0) return with_ops(ValueKey::param(index, v.path), ops_of(v));
      return with_ops(ValueKey::local(v.root, v.path), ops_of(v));
    }
    default: return {};
  }
}

// For a field of a struct also the other spelling of the same storage: a Record key (any
// instance's field) comes with its access path (p->f, parameter 0 ->f), which names the object it
// sits in; a global's field x.f comes with the Record key that code reaching the same global
// through a pointer produces.
std::vector<ValueKey> keys_of(const ValueRef& v, const FunctionFacts& fn) {
  ValueKey primary = key_of(v, fn);
  if (primary.empty()) return {};
  std::vector<ValueKey> keys{primary};
  if (primary.kind == ValueKey::Kind::Record) {
    ValueKey root = ValueKey::local(v.root, v.path);
    if (v.kind == ValueRef::Kind::Param)
      if (int index = param_index(fn, v.root); index >= 0) root = ValueKey::param(index, v.path);
    keys.push_back(with_ops(root, primary.ops));
  } else if (v.kind == ValueRef::Kind::Global && !v.record.empty() && !v.field.empty() && v.path.ends_with(v.field) &&
             v.path.find("[]") == std::string::npos) {
    keys.push_back(with_ops(ValueKey::record(v.record, v.field), primary.ops));
  }
  return keys;
}

// The storage a key names, as the source spells it ("priv->wq", "my_class").
std::string spelling(const ValueKey& key, const FunctionFacts& fn) {
  std::string ops;
  for (ValueKey::Op op : key.ops) ops += op == ValueKey::Op::AddressOf ? "&" : "*";
  switch (key.kind) {
    case ValueKey::Kind::Global:
    case ValueKey::Kind::Local: return ops + key.root + key.path;
    case ValueKey::Kind::Param:
      return ops + (key.index >= 0 && key.index < static_cast<int>(fn.params.size()) ? fn.params[key.index] : "?") +
             key.path;
    case ValueKey::Kind::Record: return ops + "struct " + key.root + key.path;
    case ValueKey::Kind::Drvdata: return "the driver data";
    default: return key.to_string();
  }
}

bool names_any(const std::set<ValueKey>& comp, const std::vector<ValueKey>& keys) {
  for (const ValueKey& k : keys)
    if (comp.count(k)) return true;
  return false;
}

bool outliving(const ValueKey& key) {
  using K = ValueKey::Kind;
  return key.kind == K::Global || key.kind == K::Record || key.kind == K::Param || key.kind == K::Drvdata;
}

bool is_local(const ValueKey& key) { return key.kind == ValueKey::Kind::Local; }

std::vector<ValueKey> component_keys(const HandleComponent& c, const CallEvent& call, int call_index,
                                     const FunctionFacts& fn) {
  using F = HandleComponent::From;
  switch (c.from) {
    case F::Return: return {ValueKey::call_result(call_index)};
    case F::Constant: return {ValueKey::constant(c.value)};
    case F::Global: return {ValueKey::global(c.value)};
    case F::Arg:
    case F::OutArg: {
      if (c.index < 0 || c.index >= static_cast<int>(call.args.size())) return {};
      ValueRef v = call.args[c.index];
      if (c.from == F::Arg && c.zero_means_return && v.kind == ValueRef::Kind::IntConstant && v.int_value == 0)
        return {ValueKey::call_result(call_index)};
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
      std::vector<ValueKey> keys = keys_of(v, fn);
      if (c.from == F::OutArg)
        for (ValueKey& key : keys)
          key = key.starts_with_op(ValueKey::Op::AddressOf) ? key.without_first_op() : key.with(ValueKey::Op::Deref);
      return keys;
    }
  }
  return {};
}

ValueKey component_key(const HandleComponent& c, const CallEvent& call, int call_index, const FunctionFacts& fn) {
  std::vector<ValueKey> keys = component_keys(c, call, call_index, fn);
  return keys.empty() ? ValueKey{} : keys[0];
}

bool arguments_match(const AcquireApi& api, const CallEvent& call, const FunctionFacts& fn) {
  for (const HandleComponent& c : api.handle) {
    if (c.equals.empty()) continue;
    if (c.index >= static_cast<int>(call.args.size())) return false;
    ValueKey wanted = c.equals[0] == '&' ? ValueKey::global(c.equals.substr(1)).with(ValueKey::Op::AddressOf)
                                         : ValueKey::global(c.equals);
    if (!(key_of(call.args[c.index], fn) == wanted)) return false;
  }
  return true;
}

ValueKey in_caller_terms(const ValueKey& key, const std::vector<ValueRef>& args, const FunctionFacts& caller) {
  using Op = ValueKey::Op;
  if (key.kind != ValueKey::Kind::Param) return key;
  if (key.index >= static_cast<int>(args.size())) return {};
  ValueKey arg = key_of(args[key.index], caller);
  if (arg.empty()) return {};
  const std::vector<Op> address{Op::AddressOf}, deref{Op::Deref};
  if (key.path.empty()) {
    if (key.ops == address && arg.starts_with_op(Op::Deref)) return arg.without_first_op();
    if (key.ops == deref && arg.starts_with_op(Op::AddressOf)) return arg.without_first_op();
    arg.ops.insert(arg.ops.begin(), key.ops.begin(), key.ops.end());
    return arg;
  }
  // p->f of a parameter given &obj is obj.f.
  if (key.path.starts_with("->") && arg.starts_with_op(Op::AddressOf)) {
    arg = arg.without_first_op();
    arg.ops.insert(arg.ops.begin(), key.ops.begin(), key.ops.end());
    arg.path += "." + key.path.substr(2);
    return arg;
  }
  arg.ops.insert(arg.ops.begin(), key.ops.begin(), key.ops.end());
  arg.path += key.path;
  return arg;
}

}  // namespace kmodlint::lifetimes
