#pragma once

#include "checks/check.h"

namespace kmodlint {

// See docs/checks/gpl-only-symbol.md.
class GplOnlySymbolCheck : public Check {
 public:
  void check_module(const ModuleModel& module, CheckContext& ctx) override;
};

}  // namespace kmodlint
