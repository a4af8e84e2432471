// The facts of a unit as JSON: for `kmodlint --dump-facts`, frontend tests and check authors.
#pragma once

#include "facts/facts.h"
#include "llvm/Support/JSON.h"

namespace kmodlint {

llvm::json::Value unit_to_json(const UnitFacts& unit);

}  // namespace kmodlint
