#include "checks/namespace_not_imported.h"

#include "checks/externs_common.h"

namespace kmodlint {

void NamespaceNotImportedCheck::check_module(const ModuleModel& module, CheckContext& ctx) {
  std::set<std::string> imported;
  for (const auto& [unit, entry] : module.module_info("import_ns")) imported.insert(entry.value);
  const ProjectSymbols& symbols = project_symbols(ctx.project());
  for (const externs::ModuleReference& use : externs::first_references(module)) {
    const SymbolReference& reference = *use.reference;
    SymbolResolution resolution = symbols.resolve(module, reference.name);
    std::string name_space = resolution.name_space();
    if (name_space.empty() || imported.count(name_space)) continue;
    ctx.report(module, reference.location,
               "'" + reference.name + "' is exported by " + resolution.provider() + " into namespace " + name_space +
                   ", which " + module.name() + ".ko does not import: the build stops with 'ERROR: modpost: module " +
                   module.name() + " uses symbol " + reference.name + " from namespace " + name_space +
                   ", but does not import it.'; add MODULE_IMPORT_NS(" + name_space + ");",
               reference.from_function);
  }
}

}  // namespace kmodlint
