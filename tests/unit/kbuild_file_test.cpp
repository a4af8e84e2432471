#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "project/kbuild_file.h"

using namespace kmodlint;
namespace fs = std::filesystem;

namespace {

std::string write_kbuild(const std::string& name, const std::string& text) {
  fs::path dir = fs::temp_directory_path() / ("kmodlint-kbuild-" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "Makefile") << text;
  return (dir / "Makefile").string();
}

}  // namespace

TEST(KbuildFile, ReadsCompositeModulesFlagsAndSubdirs) {
  std::string path = write_kbuild("composite",
                                  "ifneq ($(KERNELRELEASE),)\n"
                                  "obj-m := foo.o bar.o sub/\n"
                                  "foo-objs := a.o \\\n   b.o\n"
                                  "foo-$(CONFIG_FOO_DEBUG) += debug.o\n"
                                  "ccflags-y += -I$(src)/include -DFOO=1  # comment\n"
                                  "CFLAGS_a.o := -DONLY_A\n"
                                  "else\n"
                                  "obj-m := wrong.o\n"
                                  "all:\n\t$(MAKE) -C $(KDIR) M=$(PWD) modules\n"
                                  "endif\n");
  std::string dir = fs::path(path).parent_path().string();
  KbuildFile file = parse_kbuild_file(path);
  ASSERT_EQ(file.modules.size(), 2u);
  EXPECT_EQ(file.modules[0].name, "foo");
  EXPECT_EQ(file.modules[0].objects, (std::vector<std::string>{dir + "/a.o", dir + "/b.o", dir + "/debug.o"}));
  EXPECT_EQ(file.modules[1].name, "bar");
  EXPECT_EQ(file.modules[1].objects, (std::vector<std::string>{dir + "/bar.o"}));
  EXPECT_EQ(file.subdirs, (std::vector<std::string>{dir + "/sub"}));
  EXPECT_EQ(file.ccflags, (std::vector<std::string>{"-I" + dir + "/include", "-DFOO=1"}));
  EXPECT_EQ(file.object_cflags[dir + "/a.o"], (std::vector<std::string>{"-DONLY_A"}));
  EXPECT_TRUE(file.names_objects);
}

TEST(KbuildFile, PlainMakefileNamesNoObjects) {
  KbuildFile file = parse_kbuild_file(write_kbuild("plain", "all:\n\tcc -o tool tool.c\n"));
  EXPECT_FALSE(file.names_objects);
  EXPECT_TRUE(file.modules.empty());
}
