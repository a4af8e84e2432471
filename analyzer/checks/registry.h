// The one list of kmodlint's checks, from which --list-checks, the docs index and runs come.
#pragma once

#include <string>
#include <vector>

#include "checks/check.h"

namespace kmodlint {

const std::vector<CheckInfo>& all_checks();
const CheckInfo* find_check(const std::string& id);

// Runs `checks` over every module of `project` and returns their findings, sorted.
std::vector<Finding> run_checks(const LinkedProject& project, const std::vector<const CheckInfo*>& checks);

}  // namespace kmodlint
