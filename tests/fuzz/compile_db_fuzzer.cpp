// compile_commands.json as read by -p.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "project/compile_db.h"

using namespace kmodlint;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string path = fuzz::write_input("compile_commands.json", fuzz::as_text(data, size));
  fuzz::expect_input_error_naming("read_compile_db", path, [&] { read_compile_db(path); });
  return 0;
}
