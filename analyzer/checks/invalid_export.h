#pragma once

#include "checks/check.h"

namespace kmodlint {

// See docs/checks/invalid-export.md.
class InvalidExportCheck : public Check {
 public:
  void check_module(const ModuleModel& module, CheckContext& ctx) override;
};

}  // namespace kmodlint
