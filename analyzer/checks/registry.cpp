#include "checks/registry.h"

#include "checks/missing_module_exit.h"
#include "checks/missing_module_license.h"

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
