#pragma once

#include "cli/options.h"

namespace kmodlint {

// Runs kmodlint with parsed options; returns the exit status. Throws InputError for bad input.
int run(const Options& options);

}  // namespace kmodlint
