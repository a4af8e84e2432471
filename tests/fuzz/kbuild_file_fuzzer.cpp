// The literal Kbuild reader (--no-make): a Kbuild file of any content.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "project/kbuild_file.h"

using namespace kmodlint;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string path = fuzz::write_input("Kbuild", fuzz::as_text(data, size));
  fuzz::expect_input_error_naming("parse_kbuild_file", path, [&] { parse_kbuild_file(path); });
  return 0;
}
