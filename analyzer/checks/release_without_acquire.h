#pragma once

#include "checks/check.h"

namespace kmodlint {

// A release of what the path never acquired: the acquire failed (an unwind label that undoes the
// failing step itself), or a failed registration released like a successful one.
class ReleaseWithoutAcquireCheck : public Check {
 public:
  void check_module(const ModuleModel& module, CheckContext& ctx) override;
};

}  // namespace kmodlint
