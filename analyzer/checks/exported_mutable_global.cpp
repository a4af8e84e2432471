#include "checks/exported_mutable_global.h"

namespace kmodlint {

namespace {

// Some function of the module that is not __init writes the variable (or takes its address).
bool written_after_init(const ModuleModel& module, const std::string& name) {
  for (const FunctionRef& ref : module.functions()) {
    if (ref.function->section == ".init.text") continue;
    for (const AccessEvent& access : ref.function->accesses)
      if (access.variable == name && access.mode != AccessEvent::Mode::Read) return true;
  }
  return false;
}

}  // namespace

void ExportedMutableGlobalCheck::check_module(const ModuleModel& module, CheckContext& ctx) {
  for (const UnitFacts* unit : module.units()) {
    for (const ExportFacts& e : unit->exports) {
      for (const GlobalVarFacts& g : unit->globals) {
        if (g.name != e.symbol || g.is_static_local || !g.is_definition) continue;
        if (g.is_const || g.section.find("ro_after_init") != std::string::npos) continue;
        // EXPORT_PER_CPU_SYMBOL: each CPU has its own copy, which users update with this_cpu_*()
        // under disabled preemption (lttng's lib_ring_buffer_nesting); no lock is wanted.
        if (g.is_per_cpu) continue;
        std::string macro = e.gpl_only ? "EXPORT_SYMBOL_GPL" : "EXPORT_SYMBOL";
        std::string exported = macro + "(" + g.name + ") exports a writable variable: any module can change it";
        // A table the owner fills in only at init (dahdi's __dahdi_alaw) has no lock to take: it
        // wants __ro_after_init. Otherwise the owner changes it at run time too.
        std::string message =
            written_after_init(module, g.name)
                ? exported + " while module '" + module.name() + "' also changes it at run time, and no lock of " +
                      module.name() + " can cover the other modules' writes; export accessor functions instead (or make it const)"
                : exported + ", though module '" + module.name() + "' writes it only while it initialises; mark it " +
                      "__ro_after_init (or const) so that nothing can change it afterwards";
        Finding& finding = ctx.report(module, e.location, std::move(message));
        finding.notes.push_back({g.location, "'" + g.name + "' is defined here, not const"});
      }
    }
  }
}

}  // namespace kmodlint
