#pragma once

#include "checks/check.h"

namespace kmodlint {

// Dependent resources released in other than reverse order (class_destroy before device_destroy).
class ReleaseOrderCheck : public Check {
 public:
  void check_module(const ModuleModel& module, CheckContext& ctx) override;
};

}  // namespace kmodlint
