#pragma once

#include "checks/check.h"

namespace kmodlint {

// EXPORT_SYMBOL of a non-const variable: other modules can change it without the owner's lock.
class ExportedMutableGlobalCheck : public Check {
 public:
  void check_module(const ModuleModel& module, CheckContext& ctx) override;
};

}  // namespace kmodlint
