#pragma once

#include "checks/check.h"

namespace kmodlint {

// What a callback (open, ioctl, an IRQ handler, a work function, a helper of one) acquires and
// keeps in a global, a structure field or the driver data, where no release call of the module
// names that storage: it leaks, or keeps running, when the device or the module goes away.
// Off by default: its precision on real drivers is not yet where the default checks are.
class UnreleasedCallbackResourceCheck : public Check {
 public:
  void check_module(const ModuleModel& module, CheckContext& ctx) override;
};

}  // namespace kmodlint
