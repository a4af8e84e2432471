#include "checks/registry.h"

#include "checks/double_release.h"
#include "checks/exported_mutable_global.h"
#include "checks/extern_in_source.h"
#include "checks/extern_of_static.h"
#include "checks/extern_type_mismatch.h"
#include "checks/global_should_be_static.h"
#include "checks/gpl_only_symbol.h"
#include "checks/invalid_export.h"
#include "checks/irq_unsafe_lock.h"
#include "checks/leak_on_init_error.h"
#include "checks/lock_imbalance.h"
#include "checks/lost_resource.h"
#include "checks/mismatched_release.h"
#include "checks/missing_module_exit.h"
#include "checks/missing_module_license.h"
#include "checks/namespace_not_imported.h"
#include "checks/release_order.h"
#include "checks/release_without_acquire.h"
#include "checks/unchecked_acquire.h"
#include "checks/undefined_symbol.h"
#include "checks/unprotected_shared_global.h"
#include "checks/wrong_unwind_index.h"
#include "checks/unreleased_callback_resource.h"
#include "checks/unreleased_in_exit.h"

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

const char* to_string(Category category) { return category == Category::Style ? "style" : "bug"; }

Finding& CheckContext::report(const ModuleModel& module, const SourceLocation& location, std::string message,
                              std::string function) {
  Finding finding;
  finding.check_id = info_.id;
  finding.severity = info_.severity;
  finding.style = info_.category == Category::Style;
  finding.location = location;
  finding.message = std::move(message);
  finding.function = std::move(function);
  finding.module = module.name();
  sink_.push_back(std::move(finding));
  return sink_.back();
}

const RuleTables& CheckContext::tables() const {
  if (!tables_) tables_ = default_rule_tables();
  return *tables_;
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
      {"unprotected-shared-global", "shared-globals", Severity::Warning,
       "a global written by one entry point and accessed by a concurrent one, with no lock in common", true,
       factory<UnprotectedSharedGlobalCheck>()},
      {"global-should-be-static", "shared-globals", Severity::Warning,
       "a non-static function or variable that no header declares, nothing exports and no other file uses", true,
       factory<GlobalShouldBeStaticCheck>(), true, Category::Style},
      {"exported-mutable-global", "shared-globals", Severity::Warning,
       "EXPORT_SYMBOL of a writable variable: export accessors that take the owner's lock", false,
       factory<ExportedMutableGlobalCheck>()},
      {"irq-unsafe-lock", "shared-globals", Severity::Error,
       "a spinlock taken in an interrupt handler and, with interrupts enabled, in process context: deadlock", true,
       factory<IrqUnsafeLockCheck>()},
      {"lock-imbalance", "locking", Severity::Warning,
       "a lock held on one return of a function but not on another, taken twice on one path, or released unheld",
       true, factory<LockImbalanceCheck>()},
      {"undefined-symbol", "externs", Severity::Error,
       "a function or variable the module uses that nothing it can link against defines; modpost and insmod reject it",
       true, factory<UndefinedSymbolCheck>()},
      {"extern-of-static", "externs", Severity::Error,
       "an extern declaration whose only definition, in another file or module, is static or not exported", true,
       factory<ExternOfStaticCheck>()},
      {"extern-type-mismatch", "externs", Severity::Error,
       "an extern declaration whose type differs from the definition in another file: memory corruption at run time",
       true, factory<ExternTypeMismatchCheck>()},
      {"extern-in-source", "externs", Severity::Warning,
       "an extern declaration or prototype of something defined elsewhere, written in a .c file instead of a header",
       true, factory<ExternInSourceCheck>(), true, Category::Style},
      {"gpl-only-symbol", "externs", Severity::Error,
       "an EXPORT_SYMBOL_GPL symbol used by a module whose MODULE_LICENSE is not GPL-compatible", true,
       factory<GplOnlySymbolCheck>()},
      {"invalid-export", "externs", Severity::Error,
       "EXPORT_SYMBOL of a static or __init/__exit symbol, of one not defined in that file, or exported twice", true,
       factory<InvalidExportCheck>()},
      {"namespace-not-imported", "externs", Severity::Error,
       "a symbol exported into a namespace used without MODULE_IMPORT_NS of that namespace", true,
       factory<NamespaceNotImportedCheck>()},
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
      {"lost-resource", "cleanup-pairs", Severity::Warning,
       "a function returns while only its own local variables name a resource it acquired: nothing can release it",
       true, factory<LostResourceCheck>()},
      {"release-without-acquire", "cleanup-pairs", Severity::Warning,
       "a release of what the path never acquired: the acquire failed, or a failed registration is released as a "
       "successful one",
       true, factory<ReleaseWithoutAcquireCheck>()},
      {"unchecked-acquire", "cleanup-pairs", Severity::Warning,
       "the result of an acquire that can fail is dereferenced, passed on or kept before any test of it", true,
       factory<UncheckedAcquireCheck>()},
      {"wrong-unwind-index", "cleanup-pairs", Severity::Warning,
       "an unwind loop counts one variable down but releases the element of another one: one element is released "
       "on every pass, the others never",
       false, factory<WrongUnwindIndexCheck>()},
      {"unreleased-callback-resource", "cleanup-pairs", Severity::Warning,
       "a callback keeps a resource in a global or a structure field that no function of the module releases",
       true, factory<UnreleasedCallbackResourceCheck>(), /*enabled_by_default=*/false},
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
                                const CheckOptionsLookup& options, const RuleTables* tables) {
  std::vector<Finding> findings;
  for (const CheckInfo* info : checks) {
    std::unique_ptr<Check> check = info->create();
    CheckContext ctx(project, *info, findings, tables);
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
