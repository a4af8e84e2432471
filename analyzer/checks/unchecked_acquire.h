#pragma once

#include "checks/check.h"

namespace kmodlint {

// The result of an acquire that can fail, used or kept before any test of it.
class UncheckedAcquireCheck : public Check {
 public:
  void check_module(const ModuleModel& module, CheckContext& ctx) override;
};

}  // namespace kmodlint
