#include "checks/extern_in_source.h"

#include <algorithm>

#include "checks/externs_common.h"

namespace kmodlint {

void ExternInSourceCheck::check_module(const ModuleModel& module, CheckContext& ctx) {
  for (const UnitFacts* unit : module.units()) {
    for (const ExternDecl& decl : unit->extern_decls) {
      if (!decl.in_main_file || decl.defined_in_unit) continue;
      std::string what = decl.is_function ? "function prototype" : "extern declaration";
      std::string advice;
      std::string header = include_spelling(decl.declared_in_header);
      bool kernel_header = !decl.declared_in_header.empty() &&
                           std::none_of(module.units().begin(), module.units().end(), [&](const UnitFacts* u) {
                             return std::find(u->included_files.begin(), u->included_files.end(),
                                              decl.declared_in_header) != u->included_files.end();
                           });
      if (kernel_header && !header.empty()) {
        advice = "the kernel already declares it in " + header + ": remove this line and include that header";
      } else if (!decl.declared_in_header.empty()) {
        advice = "it is already declared in " + decl.declared_in_header + ": remove this duplicate";
      } else {
        advice = "move it to a header that the file defining '" + decl.name +
                 "' includes too, so the compiler checks that both agree";
      }
      ctx.report(module, decl.location,
                 what + " of '" + decl.name + "' in a .c file: nothing checks it against the definition; " + advice);
    }
  }
}

}  // namespace kmodlint
