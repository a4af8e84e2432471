// The shell-word splitters: text in, no exception whatever the text.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "project/shell_words.h"

using namespace kmodlint;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(fuzz::as_text(data, size));
  fuzz::expect_no_exception("split_shell_words", [&] { split_shell_words(text); });
  fuzz::expect_no_exception("split_shell_line", [&] { split_shell_line(text); });
  return 0;
}
