// Module-level linking: all units of one .ko seen together, for checks that need the whole module.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "facts/facts.h"
#include "link/symvers.h"
#include "project/discovery.h"

namespace kmodlint {

struct FunctionRef {
  const UnitFacts* unit = nullptr;
  const FunctionFacts* function = nullptr;
};

class ModuleModel {
 public:
  ModuleModel(const ModuleSpec& spec, std::vector<const UnitFacts*> units);

  const ModuleSpec& spec() const { return *spec_; }
  const std::string& name() const { return spec_->name; }
  const std::vector<const UnitFacts*>& units() const { return units_; }
  // True when every unit parsed: whole-module conclusions ("no exit anywhere") are safe.
  bool complete() const { return complete_; }

  // The definition a call from `from_unit` to `name` reaches: that unit's static function,
  // else the module's non-static one. Null for functions outside the module.
  FunctionRef resolve_function(const std::string& name, const UnitFacts* from_unit) const;
  const std::vector<FunctionRef>& functions() const { return functions_; }

  // module_init / module_exit of the module, wherever they are.
  std::optional<std::pair<const UnitFacts*, EntryMacro>> module_init() const;
  std::optional<std::pair<const UnitFacts*, EntryMacro>> module_exit() const;
  std::vector<std::pair<const UnitFacts*, ModuleInfoEntry>> module_info(const std::string& tag) const;

  // The result of a whole-module analysis that several checks read (the cleanup-pairs engine,
  // the shared-globals analysis), computed on the first request and kept with the module.
  template <typename T, typename Compute>
  const T& memo(const std::string& key, Compute compute) const {
    auto found = memos_.find(key);
    if (found == memos_.end()) found = memos_.emplace(key, std::make_shared<T>(compute())).first;
    return *static_cast<const T*>(found->second.get());
  }

 private:
  mutable std::map<std::string, std::shared_ptr<const void>> memos_;
  const ModuleSpec* spec_;
  std::vector<const UnitFacts*> units_;
  bool complete_ = true;
  std::vector<FunctionRef> functions_;
  std::multimap<std::string, FunctionRef> by_name_;
};

class ProjectSymbols;

// Everything the checks see: all modules of the run, and the symbols they can link against.
struct LinkedProject {
  const Project* project = nullptr;
  std::vector<UnitFacts> units;     // in the order of the project's modules and their units
  std::vector<ModuleModel> modules;
  SymbolTable kernel_symbols;       // the kernel dir's Module.symvers and --symvers files
  mutable std::shared_ptr<const ProjectSymbols> symbols;  // see project_symbols(); built on first use
};

// Groups parsed units into their modules. `units` must be in project order.
LinkedProject link_project(const Project& project, std::vector<UnitFacts> units,
                           const std::vector<std::string>& extra_symvers);

}  // namespace kmodlint
