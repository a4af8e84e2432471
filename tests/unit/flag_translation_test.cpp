#include <gtest/gtest.h>

#include <algorithm>

#include "project/flag_translation.h"

using namespace kmodlint;

namespace {

bool has(const std::vector<std::string>& words, const std::string& word) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

}  // namespace

TEST(FlagTranslation, DropsGccOnlyFlagsAndKeepsSemantics) {
  FlagTable table = load_flag_table(KMODLINT_TEST_SOURCE_DIR "/rules/gcc-flags.yaml");
  std::vector<std::string> gcc = {"gcc-12", "-Wp,-MMD,/m/.a.o.d", "-nostdinc", "-I./include", "-include",
                                  "./include/linux/kconfig.h", "-D__KERNEL__", "-std=gnu11", "-mno-sse",
                                  "-fconserve-stack", "-mrecord-mcount", "-mindirect-branch=thunk-extern",
                                  "-fno-allow-store-data-races", "-mpreferred-stack-boundary=3", "-mharden-sls=all",
                                  "-Wall", "-Werror=implicit-int", "-O2", "-DKBUILD_MODNAME=\"a\"", "-c", "-o",
                                  "/m/a.o", "/m/./a.c"};
  auto clang = translate_gcc_command(gcc, "/m/a.c", "/kdir", table);
  EXPECT_EQ(clang.front(), "clang");
  EXPECT_EQ(clang.back(), "/m/a.c");
  EXPECT_EQ(std::count(clang.begin(), clang.end(), "/m/a.c"), 1);
  for (const char* kept : {"-nostdinc", "-I/kdir/include", "-D__KERNEL__", "-std=gnu11", "-mno-sse", "-O2",
                           "-DKBUILD_MODNAME=\"a\"", "/kdir/include/linux/kconfig.h"})
    EXPECT_TRUE(has(clang, kept)) << kept;
  for (const char* dropped : {"-fconserve-stack", "-mrecord-mcount", "-mindirect-branch=thunk-extern",
                              "-fno-allow-store-data-races", "-mpreferred-stack-boundary=3", "-mharden-sls=all",
                              "-Wall", "-Werror=implicit-int", "-c", "-o", "/m/a.o", "-Wp,-MMD,/m/.a.o.d"})
    EXPECT_FALSE(has(clang, dropped)) << dropped;
}

TEST(FlagTranslation, TableRejectsUnknownKeysWithLine) {
  char path[] = "/tmp/kmodlint-flags-XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  std::string text = "schema_version: 1\ndrop:\n  - -pg\ndrop_prefix:\n  - -W\n";
  ASSERT_EQ(write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size()));
  close(fd);
  try {
    load_flag_table(path);
    FAIL() << "expected an error";
  } catch (const std::exception& error) {
    EXPECT_EQ(std::string(error.what()), std::string(path) + ":4: unknown key 'drop_prefix'");
  }
  unlink(path);
}
