#pragma once

#include "checks/check.h"

namespace kmodlint {

// A resource that only the function's own locals name when it returns: nothing can release it.
class LostResourceCheck : public Check {
 public:
  void check_module(const ModuleModel& module, CheckContext& ctx) override;
};

}  // namespace kmodlint
