// The one list of kmodlint's checks, from which --list-checks, the docs index and runs come.
#pragma once

#include <string>
#include <vector>

#include "checks/check.h"

namespace kmodlint {

const std::vector<CheckInfo>& all_checks();
const CheckInfo* find_check(const std::string& id);

// The id of the findings kmodlint reports about its own suppression comments (see
// docs/checks/suppression-problem.md); it is registered like a check but the run produces them.
inline constexpr const char* kSuppressionProblem = "suppression-problem";

// Options of `check` for `module` (nullptr: none). Lets the configuration differ per directory.
using CheckOptionsLookup = std::function<const CheckOptions*(const ModuleModel& module, const CheckInfo& check)>;

// Runs `checks` over every module of `project` and returns their findings, sorted.
// `tables`: the rule tables the checks read (nullptr: the built-in ones and the configured --rules).
std::vector<Finding> run_checks(const LinkedProject& project, const std::vector<const CheckInfo*>& checks,
                                const CheckOptionsLookup& options = {}, const RuleTables* tables = nullptr);

}  // namespace kmodlint
