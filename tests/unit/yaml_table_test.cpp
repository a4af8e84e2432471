#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "tables/licenses.h"
#include "tables/yaml_table.h"

#include "temp_table.h"

using namespace kmodlint;

namespace {

std::string write_temp(const std::string& text) { return test_support::write_temp_yaml("yaml", text); }

using test_support::error_of;

}  // namespace

TEST(YamlTable, SyntaxErrorNamesFileAndLine) {
  std::string path = write_temp("schema_version: 1\ngpl_compatible: [GPL\n");
  EXPECT_EQ(error_of([&] { load_license_table(path); }).rfind(path + ":3: invalid YAML", 0), 0u);
}

TEST(YamlTable, WrongTypeNamesKeyAndLine) {
  std::string path = write_temp("schema_version: 1\ngpl_compatible: GPL\n");
  EXPECT_EQ(error_of([&] { load_license_table(path); }), path + ":2: key 'gpl_compatible': expected a list of strings");
}

TEST(YamlTable, MissingFileSaysSo) {
  EXPECT_EQ(error_of([] { load_yaml_file("/nonexistent/x.yaml"); }),
            "/nonexistent/x.yaml: cannot read this YAML file (No such file or directory); check that it exists and is readable");
}

TEST(YamlTable, ShippedLicenseTableKnowsTheKernelStrings) {
  LicenseTable table = load_license_table(KMODLINT_TEST_SOURCE_DIR "/rules/licenses.yaml");
  EXPECT_TRUE(table.is_gpl_compatible("Dual BSD/GPL"));
  EXPECT_TRUE(table.is_known("Proprietary"));
  EXPECT_FALSE(table.is_gpl_compatible("Proprietary"));
  EXPECT_FALSE(table.is_known("GPLv2"));
}
