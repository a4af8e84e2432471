// The YAML rule tables: the first input byte picks the loader, the rest is the file.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "project/flag_translation.h"
#include "tables/cleanup_pairs.h"
#include "tables/driver_lifecycle.h"
#include "tables/entry_points.h"
#include "tables/licenses.h"
#include "tables/locks.h"
#include "tables/ownership.h"

using namespace kmodlint;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::string path = fuzz::write_input("table.yaml", fuzz::as_text(data + 1, size - 1));
  switch (data[0] % 8) {
    case 0:
      fuzz::expect_input_error_naming("load_cleanup_pair_table", path, [&] { load_cleanup_pair_table(path); });
      break;
    case 1:
      fuzz::expect_input_error_naming("load_entry_point_table", path, [&] { load_entry_point_table(path); });
      break;
    case 2:  // a --rules table: sections may be missing
      fuzz::expect_input_error_naming("load_entry_point_table(user)", path, [&] { load_entry_point_table(path, true); });
      break;
    case 3:
      fuzz::expect_input_error_naming("load_lock_table", path, [&] { load_lock_table(path); });
      break;
    case 4:
      fuzz::expect_input_error_naming("load_ownership_table", path, [&] { load_ownership_table(path); });
      break;
    case 5:
      fuzz::expect_input_error_naming("load_license_table", path, [&] { load_license_table(path); });
      break;
    case 6:
      fuzz::expect_input_error_naming("load_driver_lifecycle", path, [&] { load_driver_lifecycle(path); });
      break;
    default:
      fuzz::expect_input_error_naming("load_flag_table", path, [&] { load_flag_table(path); });
      break;
  }
  return 0;
}
