#pragma once

#include "checks/check.h"

namespace kmodlint {

// See docs/checks/undefined-symbol.md.
class UndefinedSymbolCheck : public Check {
 public:
  void check_module(const ModuleModel& module, CheckContext& ctx) override;
};

}  // namespace kmodlint
