// rules/api-names.yaml: kernel API names the analyses match by the start or a part of a name
// (schema: docs/rules/api-names.md): callees that only borrow their arguments, types whose objects
// synchronise themselves, and calls that undo registrations.
#pragma once

#include <string>
#include <vector>

namespace kmodlint {

struct ApiNameTable {
  std::vector<std::string> borrows;                  // callee prefixes
  std::vector<std::string> self_synchronised_types;  // type prefixes, as Clang prints the type
  std::vector<std::string> unregisters;              // parts of a callee's name
  std::vector<std::string> error_tests;              // exact callee names

  // The callee reads its pointer arguments without taking ownership of them.
  bool borrows_only(const std::string& callee) const;
  // Objects of `type` are synchronised by the kernel APIs that operate on them (atomic_t, struct mutex).
  bool self_synchronised(const std::string& type) const;
  // The callee undoes a registration (module init error paths, module exit).
  bool unregisters_by_name(const std::string& callee) const;
  // The callee tests its argument for an error value (IS_ERR, PTR_ERR_OR_ZERO).
  bool tests_for_error(const std::string& callee) const;
};

// Throws InputError "file:line: ..." on a malformed table.
ApiNameTable load_api_name_table(const std::string& path);
const ApiNameTable& default_api_name_table();

}  // namespace kmodlint
