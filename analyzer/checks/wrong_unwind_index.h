#pragma once

#include "checks/check.h"

namespace kmodlint {

// An unwind loop that counts one variable down and releases an element indexed by another one
// the loop never changes: one element is released on every pass, the others never.
class WrongUnwindIndexCheck : public Check {
 public:
  void check_module(const ModuleModel& module, CheckContext& ctx) override;
};

}  // namespace kmodlint
