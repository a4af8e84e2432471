// The parser of `make -n` output: text in, no exception whatever the text.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "project/kbuild_dry_run.h"

using namespace kmodlint;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string output(fuzz::as_text(data, size));
  fuzz::expect_no_exception("parse_dry_run_output", [&] { parse_dry_run_output(output, "/fuzz/module"); });
  return 0;
}
