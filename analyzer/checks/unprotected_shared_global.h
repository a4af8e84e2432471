#pragma once

#include "checks/check.h"

namespace kmodlint {

// A global (or a field of one) written by one entry point and accessed by a concurrent one with no lock in common.
class UnprotectedSharedGlobalCheck : public Check {
 public:
  void check_module(const ModuleModel& module, CheckContext& ctx) override;
};

}  // namespace kmodlint
