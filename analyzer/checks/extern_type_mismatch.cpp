#include "checks/extern_type_mismatch.h"

#include "checks/externs_common.h"

namespace kmodlint {

void ExternTypeMismatchCheck::check_module(const ModuleModel& module, CheckContext& ctx) {
  const ProjectSymbols& symbols = project_symbols(ctx.project());
  // A declaration nobody uses links to nothing: a header shared by several modules may declare
  // functions only some of them define (or may use).
  std::set<std::string> used = externs::referenced_names(module);
  for (const externs::ModuleExternDecl& item : externs::extern_decls(module)) {
    const ExternDecl& decl = *item.decl;
    if (!used.count(decl.name)) continue;
    const SymbolDefinition* definition = symbols.module_definition(module, decl.name);
    if (!definition) {
      SymbolResolution resolution = symbols.resolve(module, decl.name);
      if (resolution.kind == SymbolResolution::Kind::Sibling)
        definition = symbols.module_definition(*resolution.sibling.module, decl.name);
    }
    // In the defining file itself the compiler already compares the two.
    if (!definition || definition->unit == item.unit) continue;
    if (definition->is_function == decl.is_function && externs::types_compatible(definition->type, decl.type)) continue;
    std::string kind = decl.is_function ? "declared as a function" : "declared as a variable";
    std::string defined_kind = definition->is_function ? "a function" : "a variable";
    ctx.report(module, decl.location,
               "'" + decl.name + "' is declared here as '" + decl.type + "' but defined at " +
                   externs::short_location(definition->location) +
                   (definition->module == &module ? "" : " (" + definition->module->name() + ".ko)") + " as " +
                   (definition->is_function == decl.is_function ? "'" + definition->type + "'" : defined_kind) +
                   ": no compiler sees both, so the code reads and writes the wrong size or calls with the wrong "
                   "arguments at run time; declare it once in a header that the defining file includes too");
  }
}

}  // namespace kmodlint
