// The interface every check implements, and what it is given to look at.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "link/module_model.h"
#include "report/finding.h"

namespace kmodlint {

class CheckContext;

class Check {
 public:
  virtual ~Check() = default;
  // Called once per module; report with ctx.report().
  virtual void check_module(const ModuleModel& module, CheckContext& ctx) = 0;
};

struct CheckInfo {
  std::string id;        // stable kebab-case id; also the doc page docs/checks/<id>.md
  std::string family;    // "module", "shared-globals", "cleanup-pairs", "externs"
  Severity severity;     // default severity
  std::string summary;   // one line
  bool needs_whole_module;  // skipped for a module with a unit that did not parse
  std::function<std::unique_ptr<Check>()> create;
};

class CheckContext {
 public:
  CheckContext(const LinkedProject& project, const CheckInfo& info, std::vector<Finding>& sink)
      : project_(project), info_(info), sink_(sink) {}

  const LinkedProject& project() const { return project_; }

  // Reports a finding of the running check at `location` in `module`.
  Finding& report(const ModuleModel& module, const SourceLocation& location, std::string message,
                  std::string function = {});

 private:
  const LinkedProject& project_;
  const CheckInfo& info_;
  std::vector<Finding>& sink_;
};

}  // namespace kmodlint
