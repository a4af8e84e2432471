// Value identities of the lifetimes engine: a comparable name for every value a function's facts
// mention, and the translation of a helper's names into its caller's.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "common/fingerprint.h"
#include "facts/facts.h"
#include "tables/cleanup_pairs.h"

namespace kmodlint::lifetimes {

// A value by what it is rooted at and the accesses from there. to_string() spells it for
// debugging and for the walk's state keys: "G:x.f", "R:rec.field", "P#0->f", "L:p", "C:5", "#c3",
// "F:fn", "D:drvdata", "T:a != b", "B:C:3@G:flags", with "&" (address taken) and "*"
// (dereferenced) in front.
struct ValueKey {
  enum class Kind : std::uint8_t {
    None,        // a value that cannot be compared
    Constant,    // an integer constant, by its spelling
    CallResult,  // the result of call `index` of the function
    Function,    // a function, by name
    Global,      // a global variable (a static one by its name in its unit)
    Record,      // a field of any instance of struct `root` (the driver's private data, the same in
                 // probe and remove); `path` starts with ".field"
    Param,       // parameter `index` of the function
    Local,       // a local variable
    Drvdata,     // the driver-data slot of the module's device (dev_set_drvdata / platform_get_drvdata)
    Text,        // the outcome of a condition the facts cannot name, by its spelling in `root`
    Bit,         // a flag bit: operands are the bit number and the word it is in
  };
  enum class Op : std::uint8_t { AddressOf, Deref };

  Kind kind = Kind::None;
  std::vector<Op> ops;  // applied to the value, outermost first: {AddressOf} is &x
  std::string root;     // the name or spelling (see Kind)
  int index = -1;       // Param: position; CallResult: call index
  std::string path;     // member and element accesses as the facts spell them: "->f", ".g", "[]", "^"
  std::vector<ValueKey> operands;  // Bit: {bit number, word}

  static ValueKey constant(std::string spelling);
  // A string literal, by its bytes: a constant that names a resource
  // (remove_proc_entry(PROC_DIR, NULL)).
  static ValueKey string_literal(const std::string& bytes);
  bool is_string_literal() const;
  static ValueKey call_result(int call_index);
  static ValueKey function(std::string name);
  static ValueKey global(std::string name, std::string path = {});
  static ValueKey record(std::string record, const std::string& field);
  static ValueKey param(int position, std::string path = {});
  static ValueKey local(std::string name, std::string path = {});
  static ValueKey drvdata();
  static ValueKey text(std::string spelling);
  static ValueKey bit(ValueKey number, ValueKey word);

  bool empty() const { return kind == Kind::None; }
  // No & or * in front.
  bool plain() const { return ops.empty(); }
  bool plain(Kind k) const { return kind == k && ops.empty(); }
  // The value itself, without & or *.
  ValueKey bare() const;
  // This key with `op` applied (in front of the ops it has).
  ValueKey with(Op op) const;
  // This key without its outermost op (which must be `op`): the key of `&x` given `*&x`, ...
  bool starts_with_op(Op op) const { return !ops.empty() && ops.front() == op; }
  ValueKey without_first_op() const;
  // An element of an array is in its path.
  bool has_element() const { return path.find("[]") != std::string::npos; }
  // `inner` (without ops) is this value (without ops) or storage inside it: the same root and a
  // path that extends this one at one of `delimiters` ("-." for members, "-.[" also for elements).
  bool contains(const ValueKey& inner, const char* delimiters) const;

  std::string to_string() const;
  // Feeds every field into a digest (a walk's visited states).
  void add_to(Fingerprinter& digest) const;

  bool operator==(const ValueKey& other) const;
  bool operator<(const ValueKey& other) const;
};

std::vector<ValueKey::Op> ops_of(const ValueRef& v);

// The position of parameter `name` of `fn`, or -1.
int param_index(const FunctionFacts& fn, const std::string& name);

ValueKey key_of(const ValueRef& v, const FunctionFacts& fn);
// Every name of the value: key_of first, then the other spelling of the same storage.
std::vector<ValueKey> keys_of(const ValueRef& v, const FunctionFacts& fn);
bool names_any(const std::set<ValueKey>& comp, const std::vector<ValueKey>& keys);
// The storage a key names, as the source spells it ("&priv->wq", "my_class", "struct dev.buf",
// "the driver data"); parameters by their names in `fn`.
std::string spelling(const ValueKey& key, const FunctionFacts& fn);
// Storage that outlives the function: a global, driver data, something reached from a parameter.
bool outliving(const ValueKey& key);
bool is_local(const ValueKey& key);

// The values a handle component names, from the call's arguments (key_of first, then aliases).
std::vector<ValueKey> component_keys(const HandleComponent& c, const CallEvent& call, int call_index,
                                     const FunctionFacts& fn);
ValueKey component_key(const HandleComponent& c, const CallEvent& call, int call_index, const FunctionFacts& fn);
// The call passes what the entry's `equals` components require (&iomem_resource, not &ioport_resource).
bool arguments_match(const AcquireApi& api, const CallEvent& call, const FunctionFacts& fn);
// A helper's key in its caller's terms: parameter i becomes what the caller passed as argument i.
ValueKey in_caller_terms(const ValueKey& key, const std::vector<ValueRef>& args, const FunctionFacts& caller);

}  // namespace kmodlint::lifetimes
