#pragma once

#include "checks/check.h"

namespace kmodlint {

// An error return of init/probe (or a helper of theirs) that does not release what the path acquired.
class LeakOnInitErrorCheck : public Check {
 public:
  void check_module(const ModuleModel& module, CheckContext& ctx) override;
};

}  // namespace kmodlint
