#pragma once

#include "checks/check.h"

namespace kmodlint {

// A resource released with a function that does not release it (table: wrong_release).
class MismatchedReleaseCheck : public Check {
 public:
  void check_module(const ModuleModel& module, CheckContext& ctx) override;
};

}  // namespace kmodlint
