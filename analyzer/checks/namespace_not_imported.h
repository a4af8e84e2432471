#pragma once

#include "checks/check.h"

namespace kmodlint {

// See docs/checks/namespace-not-imported.md.
class NamespaceNotImportedCheck : public Check {
 public:
  void check_module(const ModuleModel& module, CheckContext& ctx) override;
};

}  // namespace kmodlint
