// The interface every check implements, and what it is given to look at.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "link/module_model.h"
#include "report/finding.h"
#include "tables/rule_tables.h"

namespace kmodlint {

class CheckContext;

class Check {
 public:
  virtual ~Check() = default;
  // Called once per module; report with ctx.report().
  virtual void check_module(const ModuleModel& module, CheckContext& ctx) = 0;
};

// A bug check finds code that misbehaves; a style check finds code that works but should be
// written otherwise. Style findings are listed and counted after the bugs, and `--fail-on bugs`
// ignores them.
enum class Category { Bug, Style };
const char* to_string(Category category);

struct CheckInfo {
  std::string id;        // stable kebab-case id; also the doc page docs/checks/<id>.md
  std::string family;    // "module", "shared-globals", "cleanup-pairs", "externs"
  Severity severity;     // default severity
  std::string summary;   // one line
  bool needs_whole_module;  // skipped for a module with a unit that did not parse
  std::function<std::unique_ptr<Check>()> create;
  // Off unless a glob of the configuration or --checks names it (still measured on real code).
  bool enabled_by_default = true;
  Category category = Category::Bug;
};

// Options of one check from the configuration (`options: {check-id: {key: value}}`): a scalar
// value is a list of one string, a list is a list of strings.
using CheckOptions = std::map<std::string, std::vector<std::string>>;

class CheckContext {
 public:
  // `tables`: the rule tables of the run (nullptr: the built-in ones, see default_rule_tables()).
  CheckContext(const LinkedProject& project, const CheckInfo& info, std::vector<Finding>& sink,
               const RuleTables* tables = nullptr)
      : project_(project), info_(info), sink_(sink), tables_(tables ? std::optional<RuleTables>(*tables) : std::nullopt) {}

  const LinkedProject& project() const { return project_; }
  // The rule tables every check and engine reads (loaded on first use when the run gave none).
  const RuleTables& tables() const;

  // The configured options of the running check for the module being checked (empty by default).
  const CheckOptions& options() const { return options_ ? *options_ : empty_options(); }
  // Option `key` as a list (empty when unset) or as one string (`fallback` when unset).
  const std::vector<std::string>& option_list(const std::string& key) const;
  std::string option(const std::string& key, const std::string& fallback = {}) const;
  void set_options(const CheckOptions* options) { options_ = options; }

  // Reports a finding of the running check at `location` in `module`.
  Finding& report(const ModuleModel& module, const SourceLocation& location, std::string message,
                  std::string function = {});

 private:
  const LinkedProject& project_;
  static const CheckOptions& empty_options();

  const CheckInfo& info_;
  std::vector<Finding>& sink_;
  const CheckOptions* options_ = nullptr;
  mutable std::optional<RuleTables> tables_;
};

}  // namespace kmodlint
