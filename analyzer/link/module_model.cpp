#include "link/module_model.h"

#include <filesystem>

namespace kmodlint {

namespace fs = std::filesystem;

ModuleModel::ModuleModel(const ModuleSpec& spec, std::vector<const UnitFacts*> units)
    : spec_(&spec), units_(std::move(units)) {
  for (const UnitFacts* unit : units_) {
    complete_ = complete_ && unit->parsed;
    for (const FunctionFacts& function : unit->functions) {
      FunctionRef ref{unit, &function};
      functions_.push_back(ref);
      by_name_.emplace(function.name, ref);
    }
  }
}

FunctionRef ModuleModel::resolve_function(const std::string& name, const UnitFacts* from_unit) const {
  FunctionRef global;
  auto [begin, end] = by_name_.equal_range(name);
  for (auto it = begin; it != end; ++it) {
    if (it->second.function->is_static) {
      if (it->second.unit == from_unit) return it->second;
    } else if (!global.function) {
      global = it->second;
    }
  }
  return global;
}

std::optional<std::pair<const UnitFacts*, EntryMacro>> ModuleModel::module_init() const {
  for (const UnitFacts* unit : units_)
    if (unit->module_init) return std::make_pair(unit, *unit->module_init);
  return std::nullopt;
}

std::optional<std::pair<const UnitFacts*, EntryMacro>> ModuleModel::module_exit() const {
  for (const UnitFacts* unit : units_)
    if (unit->module_exit) return std::make_pair(unit, *unit->module_exit);
  return std::nullopt;
}

std::vector<std::pair<const UnitFacts*, ModuleInfoEntry>> ModuleModel::module_info(const std::string& tag) const {
  std::vector<std::pair<const UnitFacts*, ModuleInfoEntry>> result;
  for (const UnitFacts* unit : units_)
    for (const ModuleInfoEntry& entry : unit->module_info)
      if (entry.tag == tag) result.emplace_back(unit, entry);
  return result;
}

LinkedProject link_project(const Project& project, std::vector<UnitFacts> units,
                           const std::vector<std::string>& extra_symvers) {
  LinkedProject linked;
  linked.project = &project;
  linked.units = std::move(units);
  std::size_t next = 0;
  for (const ModuleSpec& spec : project.modules) {
    std::vector<const UnitFacts*> module_units;
    for (std::size_t i = 0; i < spec.units.size(); ++i) module_units.push_back(&linked.units[next++]);
    linked.modules.emplace_back(spec, std::move(module_units));
  }
  std::string kernel_symvers = (fs::path(project.kernel.path) / "Module.symvers").string();
  std::error_code error;
  if (fs::exists(kernel_symvers, error)) linked.kernel_symbols.load_symvers(kernel_symvers);
  for (const std::string& path : extra_symvers) linked.kernel_symbols.load_symvers(path);
  return linked;
}

}  // namespace kmodlint
