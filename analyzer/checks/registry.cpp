#include "checks/registry.h"

#include "checks/missing_module_exit.h"
#include "checks/missing_module_license.h"

namespace kmodlint {

namespace {

template <typename T>
std::function<std::unique_ptr<Check>()> factory() {
  return [] { return std::make_unique<T>(); };
}

// suppression-problem findings come from the run (cli/run.cpp), not from a module.
class NoModuleCheck : public Check {
 public:
  void check_module(const ModuleModel&, CheckContext&) override {}
};

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

const CheckOptions& CheckContext::empty_options() {
  static const CheckOptions empty;
  return empty;
}

const std::vector<std::string>& CheckContext::option_list(const std::string& key) const {
  static const std::vector<std::string> empty;
  auto found = options().find(key);
  return found == options().end() ? empty : found->second;
}

std::string CheckContext::option(const std::string& key, const std::string& fallback) const {
  const std::vector<std::string>& values = option_list(key);
  return values.empty() ? fallback : values.front();
}

const std::vector<CheckInfo>& all_checks() {
  static const std::vector<CheckInfo> checks = {
      {"missing-module-exit", "module", Severity::Warning,
       "the module has an init function but no exit function, so it can never be unloaded", true,
       factory<MissingModuleExitCheck>()},
      {"missing-module-license", "module", Severity::Error,
       "the module has no MODULE_LICENSE, or one the kernel does not know; modpost rejects it", true,
       factory<MissingModuleLicenseCheck>()},
      {kSuppressionProblem, "meta", Severity::Warning,
       "a kmodlint-disable comment names an unknown check, is unmatched, or (with "
       "--report-unused-suppressions) silences nothing",
       false, factory<NoModuleCheck>()},
  };
  return checks;
}

const CheckInfo* find_check(const std::string& id) {
  for (const CheckInfo& info : all_checks())
    if (info.id == id) return &info;
  return nullptr;
}

std::vector<Finding> run_checks(const LinkedProject& project, const std::vector<const CheckInfo*>& checks,
                                const CheckOptionsLookup& options) {
  std::vector<Finding> findings;
  for (const CheckInfo* info : checks) {
    std::unique_ptr<Check> check = info->create();
    CheckContext ctx(project, *info, findings);
    for (const ModuleModel& module : project.modules) {
      if (info->needs_whole_module && !module.complete()) continue;
      ctx.set_options(options ? options(module, *info) : nullptr);
      check->check_module(module, ctx);
    }
  }
  sort_findings(findings);
  return findings;
}

}  // namespace kmodlint
