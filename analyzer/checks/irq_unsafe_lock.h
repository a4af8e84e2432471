#pragma once

#include "checks/check.h"

namespace kmodlint {

// A spinlock taken in a hardirq (softirq) handler and, with IRQs (BHs) enabled, in process context: deadlock.
class IrqUnsafeLockCheck : public Check {
 public:
  void check_module(const ModuleModel& module, CheckContext& ctx) override;
};

}  // namespace kmodlint
