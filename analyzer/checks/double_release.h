#pragma once

#include "checks/check.h"

namespace kmodlint {

// The same resource released twice on one path.
class DoubleReleaseCheck : public Check {
 public:
  void check_module(const ModuleModel& module, CheckContext& ctx) override;
};

}  // namespace kmodlint
