// Where each symbol of a run is defined and exported, and where a module's reference resolves:
// the module itself, the kernel (Module.symvers, --symvers), a sibling module of the run, or
// modpost. Built once per LinkedProject from facts only.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "link/module_model.h"

namespace kmodlint {

struct SymbolDefinition {
  const ModuleModel* module = nullptr;
  const UnitFacts* unit = nullptr;
  std::string name;
  bool is_function = false;
  bool is_static = false;
  std::string type;     // canonical type (a function's signature)
  std::string section;  // ".init.text", ...
  SourceLocation location;
};

struct SiblingExport {
  const ModuleModel* module = nullptr;
  const UnitFacts* unit = nullptr;
  const ExportFacts* exported = nullptr;
};

struct SymbolResolution {
  enum class Kind { Module, Modpost, Kernel, Sibling, Undefined };
  Kind kind = Kind::Undefined;
  const SymbolDefinition* definition = nullptr;  // Module
  const ExportedSymbol* kernel = nullptr;        // Kernel (Module.symvers or --symvers)
  SiblingExport sibling;                         // Sibling
  bool gpl_only() const;
  std::string name_space() const;
  std::string provider() const;  // "vmlinux", "foo.ko", ...
};

class ProjectSymbols {
 public:
  explicit ProjectSymbols(const LinkedProject& project);

  // Every definition of `name` in the run (static ones too), in project order.
  const std::vector<SymbolDefinition>& definitions(const std::string& name) const;
  // The non-static definition of `name` inside `module`, if any.
  const SymbolDefinition* module_definition(const ModuleModel& module, const std::string& name) const;
  // The definition a unit's own use of `name` reaches: its static one, else the module's.
  const SymbolDefinition* unit_definition(const ModuleModel& module, const UnitFacts& unit, const std::string& name) const;
  const std::vector<SiblingExport>& sibling_exports(const std::string& name) const;
  // Where a reference from `module` to `name` is resolved when the module is linked and loaded.
  SymbolResolution resolve(const ModuleModel& module, const std::string& name) const;

 private:
  const LinkedProject& project_;
  std::map<std::string, std::vector<SymbolDefinition>> definitions_;
  std::map<std::string, std::vector<SiblingExport>> exports_;
};

// Symbols modpost resolves itself for every module (scripts/mod/modpost.c, ignore_undef_symbol).
bool modpost_provides(const std::string& name);

// The ProjectSymbols of `project`, built on first use.
const ProjectSymbols& project_symbols(const LinkedProject& project);

// /usr/src/linux-headers-6.1.0-56-common/include/linux/fs.h → <linux/fs.h>; "" when the path is
// not under an include/ directory (or arch/*/include/).
std::string include_spelling(const std::string& header_path);

}  // namespace kmodlint
