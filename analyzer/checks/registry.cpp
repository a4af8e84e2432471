#include "checks/registry.h"

#include "checks/exported_mutable_global.h"
#include "checks/global_should_be_static.h"
#include "checks/irq_unsafe_lock.h"
#include "checks/missing_module_exit.h"
#include "checks/missing_module_license.h"
#include "checks/unprotected_shared_global.h"

namespace kmodlint {

namespace {

template <typename T>
std::function<std::unique_ptr<Check>()> factory() {
  return [] { return std::make_unique<T>(); };
}

}  // namespace

Finding& CheckContext::report(const ModuleModel& module, const SourceLocation& location, std::string message,
                              std::string function) {
  Finding finding;
  finding.check_id = info_.id;
  finding.severity = info_.severity;
  finding.location = location;
  finding.message = std::move(message);
  finding.function = std::move(function);
  finding.module = module.name();
  sink_.push_back(std::move(finding));
  return sink_.back();
}

const std::vector<CheckInfo>& all_checks() {
  static const std::vector<CheckInfo> checks = {
      {"missing-module-exit", "module", Severity::Warning,
       "the module has an init function but no exit function, so it can never be unloaded", true,
       factory<MissingModuleExitCheck>()},
      {"missing-module-license", "module", Severity::Error,
       "the module has no MODULE_LICENSE, or one the kernel does not know; modpost rejects it", true,
       factory<MissingModuleLicenseCheck>()},
      {"unprotected-shared-global", "shared-globals", Severity::Warning,
       "a global written by one entry point and accessed by a concurrent one, with no lock in common", true,
       factory<UnprotectedSharedGlobalCheck>()},
      {"global-should-be-static", "shared-globals", Severity::Warning,
       "a non-static function or variable that no header declares, nothing exports and no other file uses", true,
       factory<GlobalShouldBeStaticCheck>()},
      {"exported-mutable-global", "shared-globals", Severity::Warning,
       "EXPORT_SYMBOL of a writable variable: export accessors that take the owner's lock", false,
       factory<ExportedMutableGlobalCheck>()},
      {"irq-unsafe-lock", "shared-globals", Severity::Error,
       "a spinlock taken in an interrupt handler and, with interrupts enabled, in process context: deadlock", true,
       factory<IrqUnsafeLockCheck>()},
  };
  return checks;
}

const CheckInfo* find_check(const std::string& id) {
  for (const CheckInfo& info : all_checks())
    if (info.id == id) return &info;
  return nullptr;
}

std::vector<Finding> run_checks(const LinkedProject& project, const std::vector<const CheckInfo*>& checks) {
  std::vector<Finding> findings;
  for (const CheckInfo* info : checks) {
    std::unique_ptr<Check> check = info->create();
    CheckContext ctx(project, *info, findings);
    for (const ModuleModel& module : project.modules) {
      if (info->needs_whole_module && !module.complete()) continue;
      check->check_module(module, ctx);
    }
  }
  sort_findings(findings);
  return findings;
}

}  // namespace kmodlint
