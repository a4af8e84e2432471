// Helpers shared by the checks of the "externs" family. Plain facts only.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "link/project_symbols.h"

namespace kmodlint::externs {

struct ModuleReference {
  const UnitFacts* unit = nullptr;
  const SymbolReference* reference = nullptr;
};

// The first reference of each symbol the module's units use without defining, in unit order.
std::vector<ModuleReference> first_references(const ModuleModel& module);

// Names of the symbols the module's units use without defining them.
std::set<std::string> referenced_names(const ModuleModel& module);

struct ModuleExternDecl {
  const UnitFacts* unit = nullptr;
  const ExternDecl* decl = nullptr;
};

// Extern declarations of the module: those written in its .c files (not forward declarations of a
// definition in the same file), then those of its own headers, each header line once.
std::vector<ModuleExternDecl> extern_decls(const ModuleModel& module);

// Whether two canonical C types, as the fact model spells them, are the same type as far as the
// linker's two sides are concerned (int[] matches int[10]; an unprototyped f() matches any f(...)
// with the same return type; attributes are ignored).
bool types_compatible(const std::string& a, const std::string& b);

// The module's MODULE_LICENSE string; "" when it has none.
std::string module_license(const ModuleModel& module);

// "file.c:12" relative to nothing: the file's name and line, for notes.
std::string short_location(const SourceLocation& location);

}  // namespace kmodlint::externs
