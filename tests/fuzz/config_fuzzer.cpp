// .kmodlint.yaml: parse_config_file reports mistakes as problems naming the file; it may also
// throw InputError naming it, nothing else.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "config/config.h"
#include "fuzz_support.h"

using namespace kmodlint;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string path = fuzz::write_input(kConfigFileName, fuzz::as_text(data, size));
  std::vector<ConfigProblem> problems;
  fuzz::expect_input_error_naming("parse_config_file", path, [&] { parse_config_file(path, problems); });
  for (const ConfigProblem& problem : problems) {
    if (problem.file != path) fuzz::fail("parse_config_file", "a problem names another file: " + problem.text());
    if (problem.line < 0) fuzz::fail("parse_config_file", "a problem with a negative line: " + problem.text());
  }
  return 0;
}
