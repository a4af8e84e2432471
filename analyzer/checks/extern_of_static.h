#pragma once

#include "checks/check.h"

namespace kmodlint {

// See docs/checks/extern-of-static.md.
class ExternOfStaticCheck : public Check {
 public:
  void check_module(const ModuleModel& module, CheckContext& ctx) override;
};

}  // namespace kmodlint
