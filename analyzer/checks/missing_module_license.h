#pragma once

#include "checks/check.h"

namespace kmodlint {

// No MODULE_LICENSE (modpost fails the build), or a license string the kernel does not know
// (the kernel treats it as proprietary: taint, and no EXPORT_SYMBOL_GPL symbols).
class MissingModuleLicenseCheck : public Check {
 public:
  void check_module(const ModuleModel& module, CheckContext& ctx) override;
};

}  // namespace kmodlint
