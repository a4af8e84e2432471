// Module.symvers (the kernel's, or --symvers files).
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "link/symvers.h"

using namespace kmodlint;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string path = fuzz::write_input("Module.symvers", fuzz::as_text(data, size));
  SymbolTable table;
  fuzz::expect_input_error_naming("SymbolTable::load_symvers", path, [&] { table.load_symvers(path); });
  return 0;
}
