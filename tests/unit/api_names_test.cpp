// rules/api-names.yaml: the built-in table and the loader's errors.
#include <gtest/gtest.h>

#include <fstream>
#include <functional>

#include <unistd.h>

#include "tables/api_names.h"

#include "temp_table.h"

using namespace kmodlint;

namespace {

std::string write_temp(const std::string& text) { return test_support::write_temp_yaml("api-names", text); }

using test_support::error_of;

const std::string kRoot = KMODLINT_TEST_SOURCE_DIR;

const std::string kHeader = "schema_version: 1\ntable: api-names\n";
const std::string kSelfSynchronised = "self_synchronised_types:\n  source: t.h\n  names: [atomic_t]\n";
const std::string kUnregisters = "unregisters:\n  source: c\n  names: [unregister]\n";

}  // namespace

TEST(ApiNames, BuiltInTableLoads) {
  ApiNameTable table = load_api_name_table(kRoot + "/rules/api-names.yaml");
  EXPECT_EQ(table.borrows.size(), 114u);
  EXPECT_EQ(table.self_synchronised_types.size(), 35u);
  EXPECT_EQ(table.unregisters.size(), 17u);
  EXPECT_TRUE(table.borrows_only("dev_err"));
  EXPECT_TRUE(table.borrows_only("memcpy"));  // by the start of the name
  EXPECT_FALSE(table.borrows_only("kfree"));
  EXPECT_FALSE(table.borrows_only("my_dev_err"));
  EXPECT_TRUE(table.self_synchronised("struct mutex"));
  EXPECT_TRUE(table.self_synchronised("atomic_t"));
  EXPECT_FALSE(table.self_synchronised("int"));
  EXPECT_TRUE(table.unregisters_by_name("misc_deregister"));  // by a part of the name
  EXPECT_TRUE(table.unregisters_by_name("my_cleanup_all"));
  EXPECT_FALSE(table.unregisters_by_name("misc_register"));
}

TEST(ApiNames, ErrorsNameFileAndLine) {
  std::string twice = write_temp(kHeader +
                                 "borrows:\n"
                                 "  source: printk.h\n"
                                 "  names:\n"
                                 "    - printk\n"
                                 "    - dev_err\n"
                                 "    - printk\n" +
                                 kSelfSynchronised + kUnregisters);
  EXPECT_EQ(error_of([&] { load_api_name_table(twice); }),
            twice + ":8: 'printk' is listed twice in 'borrows' (first at line 6)");

  std::string unknown = write_temp(kHeader + "borrows:\n  source: p\n  names: [printk]\n  match: prefix\n" +
                                   kSelfSynchronised + kUnregisters);
  EXPECT_NE(error_of([&] { load_api_name_table(unknown); }).find(unknown + ":6: "), std::string::npos)
      << error_of([&] { load_api_name_table(unknown); });

  std::string missing = write_temp(kHeader + kSelfSynchronised + kUnregisters);
  EXPECT_NE(error_of([&] { load_api_name_table(missing); }).find("missing required key 'borrows'"), std::string::npos);

  std::string empty = write_temp(kHeader + "borrows:\n  source: p\n  names: []\n" + kSelfSynchronised + kUnregisters);
  EXPECT_EQ(error_of([&] { load_api_name_table(empty); }),
            empty + ":5: key 'names' of 'borrows': expected a non-empty list of names");

  std::string wrong_table = write_temp("schema_version: 1\ntable: locks\n");
  EXPECT_NE(error_of([&] { load_api_name_table(wrong_table); }).find("table: api-names"), std::string::npos);
  for (const std::string& path : {twice, unknown, missing, empty, wrong_table}) std::remove(path.c_str());
}
