#pragma once

#include "checks/check.h"

namespace kmodlint {

// A module with an init function and no exit function can never be unloaded.
class MissingModuleExitCheck : public Check {
 public:
  void check_module(const ModuleModel& module, CheckContext& ctx) override;
};

}  // namespace kmodlint
