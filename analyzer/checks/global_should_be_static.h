#pragma once

#include "checks/check.h"

namespace kmodlint {

// A non-static function or variable that nothing outside its file uses: it should be static.
class GlobalShouldBeStaticCheck : public Check {
 public:
  void check_module(const ModuleModel& module, CheckContext& ctx) override;
};

}  // namespace kmodlint
