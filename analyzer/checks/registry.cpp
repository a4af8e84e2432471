#include "checks/registry.h"

#include "checks/double_release.h"
#include "checks/leak_on_init_error.h"
#include "checks/mismatched_release.h"
#include "checks/missing_module_exit.h"
#include "checks/missing_module_license.h"
#include "checks/release_order.h"
#include "checks/unreleased_in_exit.h"

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
      {"unreleased-in-exit", "cleanup-pairs", Severity::Warning,
       "a resource that init or probe acquires and keeps is never released by exit or remove", true,
       factory<UnreleasedInExitCheck>()},
      {"leak-on-init-error", "cleanup-pairs", Severity::Warning,
       "an error return of init or probe leaks what was acquired earlier on that path", true,
       factory<LeakOnInitErrorCheck>()},
      {"release-order", "cleanup-pairs", Severity::Warning,
       "exit or an unwind ladder releases a resource before the ones that depend on it", true,
       factory<ReleaseOrderCheck>()},
      {"mismatched-release", "cleanup-pairs", Severity::Warning,
       "a resource is released with a function that does not release it", true,
       factory<MismatchedReleaseCheck>()},
      {"double-release", "cleanup-pairs", Severity::Warning,
       "the same resource is released twice on one path", true, factory<DoubleReleaseCheck>()},
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
