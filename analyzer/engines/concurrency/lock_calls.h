// What a call to a lock primitive names: shared by the analyses that follow locks
// (shared globals, lock balance).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "facts/facts.h"

namespace kmodlint {

// Argument `index` of `call`, looking through the calls the primitive's expansion wraps around the
// lock expression (`unwrap`: spinlock_check; empty: any single-argument wrapper).
std::optional<ValueRef> lock_argument(const FunctionFacts& function, const CallEvent& call, int index,
                                      const std::vector<std::string>& unwrap);

}  // namespace kmodlint
