#include "checks/exported_mutable_global.h"

namespace kmodlint {

void ExportedMutableGlobalCheck::check_module(const ModuleModel& module, CheckContext& ctx) {
  for (const UnitFacts* unit : module.units()) {
    for (const ExportFacts& e : unit->exports) {
      for (const GlobalVarFacts& g : unit->globals) {
        if (g.name != e.symbol || g.is_static_local || !g.is_definition) continue;
        if (g.is_const || g.section.find("ro_after_init") != std::string::npos) continue;
        std::string macro = e.gpl_only ? "EXPORT_SYMBOL_GPL" : "EXPORT_SYMBOL";
        Finding& finding = ctx.report(
            module, e.location,
            macro + "(" + g.name + ") exports a writable variable: any module can change it without taking the lock " +
                "that protects it in module '" + module.name() +
                "'; export accessor functions that take the owner's lock instead (or make it const)");
        finding.notes.push_back({g.location, "'" + g.name + "' is defined here, not const"});
      }
    }
  }
}

}  // namespace kmodlint
