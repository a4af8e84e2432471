// Value identities of the lifetimes engine: a comparable name for every value a function's facts
// mention, and the translation of a helper's names into its caller's.
//
// A name is "G:x.f" (global), "R:rec.field" (a field of a struct reached from a local or a
// parameter: the driver's private data, the same in probe and remove), "P#0->f" (parameter by
// position), "L:p" (local), "C:5" (constant), "#c3" (result of call 3), "F:fn" (a function),
// "D:drvdata" (the device's driver-data slot). Prefixes "&" (address taken) and "*"
// (dereferenced). Empty when the value cannot be compared.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "facts/facts.h"
#include "tables/cleanup_pairs.h"

namespace kmodlint::lifetimes {

bool starts_with(const std::string& s, const std::string& prefix);

// The driver-data slot of the module's device (dev_set_drvdata / platform_get_drvdata, ...).
extern const std::string kDrvdataSlot;

std::string key_of(const ValueRef& v, const FunctionFacts& fn);
// The key without its "&" / "*" prefixes.
std::string bare(const std::string& key);
// Every name of the value: key_of first, then the other spellings of the same storage.
std::vector<std::string> keys_of(const ValueRef& v, const FunctionFacts& fn);
bool names_any(const std::set<std::string>& comp, const std::vector<std::string>& keys);
// Storage that outlives the function: a global, driver data, something reached from a parameter.
bool outliving(const std::string& key);
bool is_local(const std::string& key);

// The values a handle component names, from the call's arguments (key_of first, then aliases).
std::vector<std::string> component_keys(const HandleComponent& c, const CallEvent& call, int call_index,
                                        const FunctionFacts& fn);
std::string component_key(const HandleComponent& c, const CallEvent& call, int call_index, const FunctionFacts& fn);
// The call passes what the entry's `equals` components require (&iomem_resource, not &ioport_resource).
bool arguments_match(const AcquireApi& api, const CallEvent& call, const FunctionFacts& fn);
// A helper's key in its caller's terms: "P#i..." becomes what the caller passed as argument i.
std::string in_caller_terms(const std::string& key, const std::vector<ValueRef>& args, const FunctionFacts& caller);

}  // namespace kmodlint::lifetimes
