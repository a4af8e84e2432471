// rules/entry-points.yaml: where the kernel calls into a module, and in what context.
// Schema: docs/rules/entry-points.md. The whole table is loaded and validated (unknown keys,
// unknown context / serializer / struct ids are errors naming file and line).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kmodlint {

// "How the kernel calls this function": the same keys in fields, callbacks, overrides, lifecycle.
struct CallContext {
  std::vector<std::string> context;  // process, workqueue, kthread, softirq, hardirq, nmi
  bool may_sleep = false;
  bool irqs_disabled = false;
  bool bh_disabled = false;
  std::string concurrent_with_self;  // always, other_instances, never
  std::vector<std::string> serialized_by;
  std::string role = "callback";
  std::vector<std::string> pairs_with;
  std::string notes;

  bool has_context(const std::string& id) const;
  // True when the callback can run in interrupt context (hardirq/softirq/nmi).
  bool may_run_in_hardirq() const { return has_context("hardirq") || has_context("nmi"); }
  bool may_run_in_softirq() const { return has_context("softirq"); }
};

struct ExecutionContextInfo {
  std::string id;
  bool atomic = false;
  std::string description;
};

struct SerializerInfo {
  std::string id;
  std::string scope;  // global, module, instance
  std::string instance;
  std::string description;
};

struct CallbackField {
  std::string field;
  CallContext context;
};

struct NestedStruct {
  std::string field;
  std::string struct_name;
  std::string via;  // pointer, embedded
  std::string notes;
};

struct OpsStruct {
  std::string name;  // struct tag without "struct "
  std::string family;
  std::string instance;
  std::string source;
  std::vector<CallbackField> fields;
  std::vector<NestedStruct> nested;
  std::string notes;

  const CallbackField* find_field(const std::string& field) const;
};

struct RegistrationCallback {
  int arg = -1;
  CallContext context;
  int data_arg = -1;
  int data_param = -1;
  bool optional = false;
};

struct RegistrationOpsArg {
  int arg = -1;
  std::string struct_name;
  std::string member;
  std::map<std::string, CallContext> overrides;  // field -> context replacing the struct's default
  std::string notes;
};

struct RegistrationAssign {
  std::string struct_name;
  std::string field;
  int macro_arg = -1;
  int target_macro_arg = -1;
  std::string target_member;
};

// A call that makes a set-up callback runnable (mod_timer() for timer_setup()'s): `arg` is the
// object the set-up call initialised.
struct ArmingCall {
  std::string name;
  int arg = 0;
};

struct Registration {
  std::string name;
  std::string kind;    // function, inline, macro
  std::string callee;  // what the AST shows (default: name)
  std::string match;   // call (default), macro
  std::string family;
  std::vector<RegistrationCallback> callbacks;
  std::vector<RegistrationOpsArg> ops_args;
  std::vector<RegistrationAssign> assigns;
  std::string cleanup_pair;
  // Set-up only (timer_setup, tasklet_setup): the callbacks cannot run before one of armed_by is
  // called on the object of argument object_arg; empty: they can run from this call on.
  int object_arg = -1;
  std::vector<ArmingCall> armed_by;
  std::string source;
  std::string notes;
};

struct LifecycleEntry {
  std::string name;
  std::string kind;
  CallContext context;  // role is init / exit
  std::string expansion;
  std::string ast;
  std::string notes;
  std::string source;
};

struct EntryPointTable {
  std::vector<ExecutionContextInfo> contexts;
  std::vector<SerializerInfo> serializers;
  std::vector<OpsStruct> structs;
  std::vector<Registration> registrations;
  std::vector<LifecycleEntry> lifecycle;

  const OpsStruct* find_struct(const std::string& name) const;
  const SerializerInfo* find_serializer(const std::string& id) const;
  // The registration whose AST callee is `callee` (match: call entries only).
  const Registration* find_registration_by_callee(const std::string& callee) const;
  // The armed_by entries of every registration that `callee` arms (mod_timer: timer_setup's).
  std::vector<const ArmingCall*> arming_calls(const std::string& callee) const;
  const Registration* find_registration(const std::string& name) const;
  // The context of `record.field`, also through nested structs; null when not a callback field.
  const CallContext* field_context(const std::string& record, const std::string& field) const;
};

// Loads and validates one table file. `user_table` allows sections to be missing (for --rules).
EntryPointTable load_entry_point_table(const std::string& path, bool user_table = false);
// Merges a user table into `base`: entries with a known key replace the built-in one.
void merge_entry_point_table(EntryPointTable& base, const EntryPointTable& user);
// rules/entry-points.yaml of the data directory, loaded once.
const EntryPointTable& default_entry_point_table();

}  // namespace kmodlint
