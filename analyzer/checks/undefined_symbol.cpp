#include "checks/undefined_symbol.h"

#include "checks/externs_common.h"

namespace kmodlint {

void UndefinedSymbolCheck::check_module(const ModuleModel& module, CheckContext& ctx) {
  const ProjectSymbols& symbols = project_symbols(ctx.project());
  for (const externs::ModuleReference& use : externs::first_references(module)) {
    const SymbolReference& reference = *use.reference;
    if (symbols.resolve(module, reference.name).kind != SymbolResolution::Kind::Undefined) continue;
    std::string what = reference.is_function ? "function" : "variable";
    std::string why = "it is not defined in " + module.name() + ".ko, not exported by the kernel (Module.symvers) "
                      "and not exported by another module of this run or a --symvers file";
    // Say why, when the symbol exists somewhere it cannot be linked from.
    for (const SymbolDefinition& definition : symbols.definitions(reference.name)) {
      if (definition.is_static) {
        why = "its only definition, " + externs::short_location(definition.location) +
              (definition.module == &module ? "" : " in " + definition.module->name() + ".ko") +
              ", is static and visible in that file only";
      } else if (definition.module != &module) {
        why = "it is defined in " + definition.module->name() + ".ko (" + externs::short_location(definition.location) +
              ") but not exported; modules share only exported symbols";
      }
      break;
    }
    ctx.report(module, reference.location,
               "'" + reference.name + "' is an undefined " + what + ": " + why +
                   "; the build stops with 'ERROR: modpost: \"" + reference.name + "\" [" + module.name() +
                   ".ko] undefined!' (and insmod would refuse it with 'Unknown symbol " + reference.name + "')",
               reference.from_function);
  }
}

}  // namespace kmodlint
