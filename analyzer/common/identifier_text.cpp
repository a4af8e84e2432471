#include "common/identifier_text.h"

#include <cctype>

namespace kmodlint {

namespace {

bool identifier_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// Calls `accept(end)` for each whole-identifier occurrence of `name`, `end` just past it, until it
// returns true.
template <typename Accept>
bool find_identifier(const std::string& text, const std::string& name, Accept accept) {
  if (name.empty()) return false;
  for (std::size_t at = text.find(name); at != std::string::npos; at = text.find(name, at + 1)) {
    std::size_t end = at + name.size();
    if ((at > 0 && identifier_char(text[at - 1])) || (end < text.size() && identifier_char(text[end]))) continue;
    if (accept(end)) return true;
  }
  return false;
}

}  // namespace

bool mentions_identifier(const std::string& text, const std::string& name) {
  return find_identifier(text, name, [](std::size_t) { return true; });
}

bool mentions_as_value(const std::string& text, const std::string& name) {
  return find_identifier(text, name, [&](std::size_t end) {
    std::size_t next = text.find_first_not_of(" \t", end);
    return next == std::string::npos ||
           !(text.compare(next, 2, "->") == 0 || text[next] == '.' || text[next] == '[');
  });
}

}  // namespace kmodlint
