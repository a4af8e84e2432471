#include "checks/global_should_be_static.h"

#include <set>

namespace kmodlint {

namespace {

// Names the kernel or the toolchain looks up by name in a module object.
bool needed_by_kernel(const std::string& name) {
  static const std::set<std::string> kNames = {"init_module", "cleanup_module", "__this_module"};
  return kNames.count(name) > 0 || name.rfind("__", 0) == 0;
}

}  // namespace

void GlobalShouldBeStaticCheck::check_module(const ModuleModel& module, CheckContext& ctx) {
  // Every name the module declares in its own headers, exports, or references across files.
  std::set<std::string> declared, exported;
  for (const UnitFacts* unit : module.units()) {
    for (const ExternDecl& decl : unit->module_header_decls) declared.insert(decl.name);
    for (const ExportFacts& e : unit->exports) exported.insert(e.symbol);
  }
  auto used_elsewhere = [&](const std::string& name, const UnitFacts* owner) {
    for (const UnitFacts* unit : module.units()) {
      if (unit == owner) continue;
      for (const SymbolReference& ref : unit->external_references)
        if (ref.name == name) return true;
      for (const ExternDecl& decl : unit->extern_decls)
        if (decl.name == name) return true;
    }
    return false;
  };
  // module_init/module_exit targets are referenced by the alias the macro emits.
  std::set<std::string> entry_macros;
  if (auto init = module.module_init()) entry_macros.insert(init->second.function);
  if (auto exit = module.module_exit()) entry_macros.insert(exit->second.function);

  for (const UnitFacts* unit : module.units()) {
    // A prototype or extern declaration written before the definition counts as a declaration
    // (as for sparse): the author declared it on purpose.
    std::set<std::string> declared_here;
    for (const ExternDecl& decl : unit->extern_decls) declared_here.insert(decl.name);
    auto consider = [&](const std::string& name, bool is_function, const SourceLocation& where) {
      if (needed_by_kernel(name) || entry_macros.count(name) || declared.count(name) || exported.count(name) ||
          declared_here.count(name))
        return;
      if (used_elsewhere(name, unit)) return;
      bool single = module.units().size() == 1;
      std::string message = std::string(is_function ? "function" : "variable") + " '" + name +
                            "' is not static, but no header of the module declares it, it is not exported, and " +
                            (single ? "the module has no other file to use it"
                                    : "no other file of module '" + module.name() + "' uses it") +
                            ": make it static (it pollutes the kernel's global namespace and hides unused code)";
      ctx.report(module, where, message, is_function ? name : std::string());
    };
    for (const FunctionFacts& f : unit->functions)
      if (!f.is_static && !f.is_inline) consider(f.name, true, f.location);
    for (const GlobalVarFacts& g : unit->globals)
      if (!g.is_static && !g.is_static_local && g.is_definition) consider(g.name, false, g.location);
  }
}

}  // namespace kmodlint
