#include "common/fingerprint.h"

#include <cstring>

namespace kmodlint {

Fingerprinter& Fingerprinter::add(std::string_view text) {
  add(static_cast<std::uint64_t>(text.size()));
  std::size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    std::uint64_t word;
    std::memcpy(&word, text.data() + i, 8);
    add(word);
  }
  if (i < text.size()) {
    std::uint64_t tail = 0;
    std::memcpy(&tail, text.data() + i, text.size() - i);
    add(tail);
  }
  return *this;
}

}  // namespace kmodlint
