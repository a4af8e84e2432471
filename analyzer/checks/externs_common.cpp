#include "checks/externs_common.h"

#include <filesystem>
#include <regex>

namespace kmodlint::externs {

std::vector<ModuleReference> first_references(const ModuleModel& module) {
  std::vector<ModuleReference> result;
  std::set<std::string> seen;
  for (const UnitFacts* unit : module.units())
    for (const SymbolReference& reference : unit->external_references)
      if (seen.insert(reference.name).second) result.push_back({unit, &reference});
  return result;
}

std::set<std::string> referenced_names(const ModuleModel& module) {
  std::set<std::string> names;
  for (const UnitFacts* unit : module.units())
    for (const SymbolReference& reference : unit->external_references) names.insert(reference.name);
  return names;
}

std::vector<ModuleExternDecl> extern_decls(const ModuleModel& module) {
  std::vector<ModuleExternDecl> result;
  std::set<SourceLocation> seen;
  for (const UnitFacts* unit : module.units())
    for (const ExternDecl& decl : unit->extern_decls)
      if (!decl.defined_in_unit && seen.insert(decl.location).second) result.push_back({unit, &decl});
  for (const UnitFacts* unit : module.units())
    for (const ExternDecl& decl : unit->module_header_decls)
      if (!decl.defined_in_unit && seen.insert(decl.location).second) result.push_back({unit, &decl});
  return result;
}

namespace {

std::string normalize_type(std::string type) {
  static const std::regex attributes(R"(\s*__attribute__\(\(.*\)\))");
  type = std::regex_replace(type, attributes, "");
  return type;
}

}  // namespace

bool types_compatible(const std::string& a_in, const std::string& b_in) {
  std::string a = normalize_type(a_in), b = normalize_type(b_in);
  if (a == b) return true;
  static const std::regex sized_array(R"(\[\d+\]$)");
  auto ends_with = [](const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  if (ends_with(a, "[]") || ends_with(b, "[]"))
    return std::regex_replace(a, sized_array, "[]") == std::regex_replace(b, sized_array, "[]");
  if (ends_with(a, " ()") || ends_with(b, " ()")) {
    std::size_t pa = a.find(" ("), pb = b.find(" (");
    return pa != std::string::npos && pb != std::string::npos && a.substr(0, pa) == b.substr(0, pb);
  }
  return false;
}

std::string module_license(const ModuleModel& module) {
  auto entries = module.module_info("license");
  return entries.empty() ? std::string() : entries.front().second.value;
}

std::string short_location(const SourceLocation& location) {
  return std::filesystem::path(location.file).filename().string() + ":" + std::to_string(location.line);
}

}  // namespace kmodlint::externs
