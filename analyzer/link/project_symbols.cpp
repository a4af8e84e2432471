#include "link/project_symbols.h"

#include <filesystem>

namespace kmodlint {

namespace {

const std::vector<SymbolDefinition> kNoDefinitions;
const std::vector<SiblingExport> kNoExports;

}  // namespace

bool SymbolResolution::gpl_only() const {
  if (kind == Kind::Kernel) return kernel->gpl_only;
  if (kind == Kind::Sibling) return sibling.exported->gpl_only;
  return false;
}

std::string SymbolResolution::name_space() const {
  if (kind == Kind::Kernel) return kernel->name_space;
  if (kind == Kind::Sibling) return sibling.exported->name_space;
  return {};
}

std::string SymbolResolution::provider() const {
  switch (kind) {
    case Kind::Kernel:
      return kernel->module == "vmlinux" ? "vmlinux"
                                         : std::filesystem::path(kernel->module).filename().string() + ".ko";
    case Kind::Sibling: return sibling.module->name() + ".ko";
    case Kind::Module: return definition->module->name() + ".ko";
    case Kind::Modpost: return "modpost";
    case Kind::Undefined: return {};
  }
  return {};
}

bool modpost_provides(const std::string& name) {
  return name == "__this_module" || name == "_GLOBAL_OFFSET_TABLE_";
}

ProjectSymbols::ProjectSymbols(const LinkedProject& project) : project_(project) {
  for (const ModuleModel& module : project.modules)
    for (const UnitFacts* unit : module.units()) {
      for (const FunctionFacts& function : unit->functions) {
        definitions_[function.name].push_back({&module, unit, function.name, true, function.is_static,
                                               function.signature, function.section, function.location});
      }
      for (const GlobalVarFacts& global : unit->globals) {
        if (global.is_static_local) continue;
        definitions_[global.name].push_back({&module, unit, global.name, false, global.is_static, global.type,
                                             global.section, global.location});
      }
      for (const ExportFacts& exported : unit->exports) exports_[exported.symbol].push_back({&module, unit, &exported});
    }
}

const std::vector<SymbolDefinition>& ProjectSymbols::definitions(const std::string& name) const {
  auto found = definitions_.find(name);
  return found == definitions_.end() ? kNoDefinitions : found->second;
}

const SymbolDefinition* ProjectSymbols::module_definition(const ModuleModel& module, const std::string& name) const {
  for (const SymbolDefinition& definition : definitions(name))
    if (definition.module == &module && !definition.is_static) return &definition;
  return nullptr;
}

const SymbolDefinition* ProjectSymbols::unit_definition(const ModuleModel& module, const UnitFacts& unit,
                                                        const std::string& name) const {
  for (const SymbolDefinition& definition : definitions(name))
    if (definition.unit == &unit && definition.is_static) return &definition;
  return module_definition(module, name);
}

const std::vector<SiblingExport>& ProjectSymbols::sibling_exports(const std::string& name) const {
  auto found = exports_.find(name);
  return found == exports_.end() ? kNoExports : found->second;
}

SymbolResolution ProjectSymbols::resolve(const ModuleModel& module, const std::string& name) const {
  SymbolResolution result;
  if (const SymbolDefinition* definition = module_definition(module, name)) {
    result.kind = SymbolResolution::Kind::Module;
    result.definition = definition;
    return result;
  }
  if (modpost_provides(name)) {
    result.kind = SymbolResolution::Kind::Modpost;
    return result;
  }
  if (const ExportedSymbol* exported = project_.kernel_symbols.find(name)) {
    result.kind = SymbolResolution::Kind::Kernel;
    result.kernel = exported;
    return result;
  }
  for (const SiblingExport& exported : sibling_exports(name)) {
    if (exported.module == &module) continue;
    // Exporting a symbol does not define it: the export counts only where it is defined.
    bool defined = false;
    for (const SymbolDefinition& definition : definitions(name))
      defined = defined || (definition.module == exported.module &&
                            (!definition.is_static || definition.unit == exported.unit));
    if (!defined) continue;
    result.kind = SymbolResolution::Kind::Sibling;
    result.sibling = exported;
    return result;
  }
  return result;
}

const ProjectSymbols& project_symbols(const LinkedProject& project) {
  if (!project.symbols) project.symbols = std::make_shared<ProjectSymbols>(project);
  return *project.symbols;
}

std::string include_spelling(const std::string& header_path) {
  // The last "/include/" that is followed by a header path (not .../include/generated/...).
  std::size_t at = header_path.rfind("/include/");
  while (at != std::string::npos) {
    std::string rest = header_path.substr(at + 9);
    if (rest.rfind("generated/", 0) == 0) rest = rest.substr(10);
    if (rest.rfind("uapi/", 0) == 0) rest = rest.substr(5);
    if (!rest.empty()) return "<" + rest + ">";
    if (at == 0) break;
    at = header_path.rfind("/include/", at - 1);
  }
  return {};
}

}  // namespace kmodlint
