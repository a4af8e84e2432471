// Baselines: the first input byte picks JSON (even) or YAML (odd), as the file extension would.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "report/baseline.h"

using namespace kmodlint;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::string name = data[0] % 2 == 0 ? "baseline.json" : "baseline.yaml";
  std::string path = fuzz::write_input(name, fuzz::as_text(data + 1, size - 1));
  fuzz::expect_input_error_naming("read_baseline(" + name + ")", path, [&] { read_baseline(path); });
  return 0;
}
