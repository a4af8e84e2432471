#include "checks/gpl_only_symbol.h"

#include "checks/externs_common.h"
#include "tables/licenses.h"

namespace kmodlint {

void GplOnlySymbolCheck::check_module(const ModuleModel& module, CheckContext& ctx) {
  // No MODULE_LICENSE at all: modpost stops with "missing MODULE_LICENSE()" and checks no GPL-only
  // use (missing-module-license reports it); once a license is added, this check decides.
  std::string license = externs::module_license(module);
  if (license.empty() || ctx.tables().licenses->is_gpl_compatible(license)) return;
  const ProjectSymbols& symbols = project_symbols(ctx.project());
  for (const externs::ModuleReference& use : externs::first_references(module)) {
    const SymbolReference& reference = *use.reference;
    SymbolResolution resolution = symbols.resolve(module, reference.name);
    if (!resolution.gpl_only()) continue;
    ctx.report(module, reference.location,
               "'" + reference.name + "' is exported by " + resolution.provider() +
                   " with EXPORT_SYMBOL_GPL, and MODULE_LICENSE(\"" + license +
                   "\") is not GPL-compatible: the build stops with 'ERROR: modpost: GPL-incompatible module " +
                   module.name() + ".ko uses GPL-only symbol '" + reference.name +
                   "''; use a GPL-compatible license (\"GPL\", \"Dual BSD/GPL\", ...) or do without the symbol",
               reference.from_function);
  }
}

}  // namespace kmodlint
