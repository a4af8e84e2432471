// --fix: applies the fix-its that findings carry to the source files.
#pragma once

#include <string>
#include <vector>

#include "report/finding.h"

namespace kmodlint {

// Applies `fixits` to `text` (all of one file). Returns false, leaving `text` unchanged, when one
// lies outside the text or two overlap.
bool apply_fixits_to_text(std::string& text, std::vector<FixIt> fixits);

struct FixResult {
  std::vector<Finding> remaining;  // findings without a fix-it, or whose fix could not be applied
  std::size_t fixed = 0;           // findings fixed
  std::vector<std::string> files;  // files rewritten
};

// Applies every finding's fix-its (a finding's fix-its together or not at all; the first of two
// overlapping fixes wins) and rewrites the files atomically.
FixResult apply_fixits(const std::vector<Finding>& findings);

}  // namespace kmodlint
