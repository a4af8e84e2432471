// The rule tables of a run (rules/*.yaml), as the checks and the engines they run see them:
// through CheckContext::tables(), never through the process-wide loaders.
#pragma once

namespace kmodlint {

class CleanupPairTable;
struct DriverLifecycleTable;
struct OwnershipTable;
struct EntryPointTable;
struct LockTable;
struct LicenseTable;
struct ApiNameTable;

struct RuleTables {
  const CleanupPairTable* cleanup_pairs = nullptr;  // rules/cleanup-pairs.yaml and the --rules files
  const DriverLifecycleTable* driver_lifecycle = nullptr;
  const OwnershipTable* ownership = nullptr;
  const EntryPointTable* entry_points = nullptr;
  const LockTable* locks = nullptr;
  const LicenseTable* licenses = nullptr;
  const ApiNameTable* api_names = nullptr;
};

// The built-in tables, loaded once, with the cleanup pairs the CLI configured (--rules).
RuleTables default_rule_tables();

}  // namespace kmodlint
