#pragma once

#include "checks/check.h"

namespace kmodlint {

// A resource acquired in module init or a driver's probe, kept in a global or in driver data,
// that module exit (or the driver's remove) never releases.
class UnreleasedInExitCheck : public Check {
 public:
  void check_module(const ModuleModel& module, CheckContext& ctx) override;
};

}  // namespace kmodlint
