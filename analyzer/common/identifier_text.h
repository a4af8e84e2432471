// Finding a C identifier in source spellings (conditions, expressions the facts keep as text).
#pragma once

#include <string>

namespace kmodlint {

// `name` appears in `text` as a whole identifier (not inside a longer one).
bool mentions_identifier(const std::string& text, const std::string& name);
// ... and as a value of its own, not as the base of a member or element access (`pdev->vendor`).
bool mentions_as_value(const std::string& text, const std::string& name);

}  // namespace kmodlint
