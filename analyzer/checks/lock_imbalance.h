#pragma once

#include "checks/check.h"

namespace kmodlint {

// A lock a function still holds on one of its returns but not on another, a lock taken twice on
// one path, or released on a path that does not hold it.
class LockImbalanceCheck : public Check {
 public:
  void check_module(const ModuleModel& module, CheckContext& ctx) override;
};

}  // namespace kmodlint
