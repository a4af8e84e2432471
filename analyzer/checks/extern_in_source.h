#pragma once

#include "checks/check.h"

namespace kmodlint {

// See docs/checks/extern-in-source.md.
class ExternInSourceCheck : public Check {
 public:
  void check_module(const ModuleModel& module, CheckContext& ctx) override;
};

}  // namespace kmodlint
