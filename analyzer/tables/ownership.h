// rules/ownership.yaml: APIs that move a handle between owners (schema: docs/rules/ownership.md):
// the driver-data slot, callbacks the kernel runs with a data argument, and structures that take
// ownership of an object linked into them.
#pragma once

#include <string>
#include <vector>

namespace kmodlint {

struct DrvdataSetter {
  std::string name;
  std::string callee;
  int value_arg = 1;
};

struct CallbackInvoker {
  enum class Runs { Now, Detach, DetachOrNowOnFailure };
  std::string name;
  std::vector<std::string> callees;  // callee and alt_callees
  int callback_arg = -1;           // the function is this argument, or
  // every module function stored in one of these struct fields: {"device", "release"}, ...
  std::vector<std::pair<std::string, std::string>> callback_fields;
  int data_arg = -1;
  Runs runs = Runs::Now;
};

struct OwnershipTransfer {
  std::string name;
  std::string callee;
  int object_arg = 0;
};

struct OwnershipTable {
  std::vector<DrvdataSetter> drvdata_setters;
  std::vector<std::string> drvdata_getters;  // callees
  std::vector<CallbackInvoker> callback_invokers;
  std::vector<OwnershipTransfer> transfers;
  std::vector<std::string> bit_setters, bit_clearers, bit_testers;  // callees: (nr, addr)

  const DrvdataSetter* drvdata_setter(const std::string& callee) const;
  bool drvdata_getter(const std::string& callee) const;
  const CallbackInvoker* callback_invoker(const std::string& callee) const;
  const OwnershipTransfer* transfer(const std::string& callee) const;
};

// Throws InputError "file:line: ..." on a malformed table.
OwnershipTable load_ownership_table(const std::string& path);
const OwnershipTable& default_ownership_table();

}  // namespace kmodlint
