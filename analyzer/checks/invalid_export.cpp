#include "checks/invalid_export.h"

#include "checks/externs_common.h"

namespace kmodlint {

namespace {

bool is_init_or_exit(const std::string& section) {
  return section.rfind(".init.", 0) == 0 || section.rfind(".exit.", 0) == 0;
}

std::string macro_of(const ExportFacts& exported) {
  std::string macro = exported.gpl_only ? "EXPORT_SYMBOL_GPL" : "EXPORT_SYMBOL";
  return exported.name_space.empty() ? macro : (exported.gpl_only ? "EXPORT_SYMBOL_NS_GPL" : "EXPORT_SYMBOL_NS");
}

}  // namespace

void InvalidExportCheck::check_module(const ModuleModel& module, CheckContext& ctx) {
  const ProjectSymbols& symbols = project_symbols(ctx.project());
  for (const UnitFacts* unit : module.units()) {
    for (const ExportFacts& exported : unit->exports) {
      const std::string& name = exported.symbol;
      std::string macro = macro_of(exported) + "(" + name + ")";

      // The same symbol exported before, in this run (in project order) or by the kernel itself.
      const std::vector<SiblingExport>& all = symbols.sibling_exports(name);
      const SiblingExport* earlier = all.front().exported == &exported ? nullptr : &all.front();
      if (earlier) {
        std::string where = externs::short_location(earlier->exported->location) +
                            (earlier->module == &module ? "" : " in " + earlier->module->name() + ".ko");
        std::string result = earlier->unit == unit
                                 ? "the assembler rejects the second one ('symbol `__kstrtab_" + name +
                                       "' is already defined')"
                                 : "the build stops with 'ERROR: modpost: " + module.name() + ": '" + name +
                                       "' exported twice'";
        ctx.report(module, exported.location,
                   macro + ": '" + name + "' is already exported at " + where + "; " + result +
                       "; export each symbol once, next to its definition");
        continue;
      }
      if (const ExportedSymbol* kernel = ctx.project().kernel_symbols.find(name); kernel && kernel->module == "vmlinux") {
        ctx.report(module, exported.location,
                   macro + ": the kernel itself already exports '" + name + "'; the build stops with 'ERROR: modpost: " +
                       module.name() + ": '" + name + "' exported twice. Previous export was in vmlinux'; rename it");
        continue;
      }

      const SymbolDefinition* here = nullptr;
      for (const SymbolDefinition& definition : symbols.definitions(name))
        if (definition.unit == unit && (!here || definition.is_static)) here = &definition;
      if (!here) {
        const SymbolDefinition* elsewhere = symbols.module_definition(module, name);
        if (elsewhere) {
          // It links: a matter of the kernel's coding style, reported with the style findings
          // (dahdi's oct612x-user.c exports the vendor API it leaves untouched from a glue file).
          Finding& finding = ctx.report(module, exported.location,
                     macro + ": '" + name + "' is defined in another file (" +
                         externs::short_location(elsewhere->location) +
                         "), not in this one; it links, but the kernel's rule is that the export follows the "
                         "definition (checkpatch: EXPORT_SYMBOL should immediately follow its function/variable), "
                         "so that it is not lost when the definition moves; move it there");
          finding.style = true;
        } else
          ctx.report(module, exported.location,
                     macro + ": '" + name + "' is not defined in this file or anywhere in " + module.name() +
                         ".ko; the build stops with 'ERROR: modpost: \"" + name + "\" [" + module.name() +
                         ".ko] was exported without definition'; export it where it is defined");
        continue;
      }
      if (here->is_static) {
        ctx.report(module, exported.location,
                   macro + ": '" + name + "' is static (" + externs::short_location(here->location) +
                       "), so no other module can link to it; the build stops with 'error: local symbol " + name +
                       " was exported'; remove 'static' from the definition (and declare it in a header)");
        continue;
      }
      if (is_init_or_exit(here->section)) {
        ctx.report(module, exported.location,
                   macro + ": '" + name + "' is in " + here->section + " (" +
                       externs::short_location(here->location) + "), which the kernel frees after " +
                       (here->section.rfind(".init.", 0) == 0 ? "loading" : "linking") +
                       ": a module calling it later jumps into freed memory; modpost warns 'EXPORT_SYMBOL used for "
                       "init/exit symbol: " + name + " (section: " + here->section + ")'; drop __init/__exit "
                       "from the definition or do not export it");
      }
    }
  }
}

}  // namespace kmodlint
