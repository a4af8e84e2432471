#include "checks/extern_of_static.h"

#include "checks/externs_common.h"

namespace kmodlint {

void ExternOfStaticCheck::check_module(const ModuleModel& module, CheckContext& ctx) {
  const ProjectSymbols& symbols = project_symbols(ctx.project());
  // A declaration nobody uses links to nothing: a header shared by several modules may declare
  // functions only some of them define (or may use).
  std::set<std::string> used = externs::referenced_names(module);
  for (const externs::ModuleExternDecl& item : externs::extern_decls(module)) {
    const ExternDecl& decl = *item.decl;
    if (!used.count(decl.name)) continue;
    if (symbols.resolve(module, decl.name).kind != SymbolResolution::Kind::Undefined) continue;
    const SymbolDefinition* hidden = nullptr;
    for (const SymbolDefinition& definition : symbols.definitions(decl.name)) {
      if (definition.unit == item.unit) continue;
      if (definition.is_static || definition.module != &module) {
        hidden = &definition;
        break;
      }
    }
    if (!hidden) continue;
    std::string where = externs::short_location(hidden->location) +
                        (hidden->module == &module ? "" : " in module " + hidden->module->name() + ".ko");
    std::string problem =
        hidden->is_static
            ? "its definition at " + where + " is static: it exists in that file only, and this declaration names "
                                             "a different symbol that nothing defines"
            : "its definition at " + where + " is not exported, and modules share only exported symbols";
    std::string fix = hidden->module == &module
                          ? "drop 'static' from the definition and declare it once in a header both files include"
                          : "in " + hidden->module->name() + ".ko, keep the variable static and export accessor "
                            "functions with EXPORT_SYMBOL_GPL(), declare them in a shared header, and build this "
                            "module with KBUILD_EXTRA_SYMBOLS (kmodlint: --symvers) pointing at its Module.symvers";
    ctx.report(module, decl.location,
               "extern declaration of '" + decl.name + "' cannot link: " + problem + "; " + fix);
  }
}

}  // namespace kmodlint
