#include <gtest/gtest.h>

#include "project/kbuild_dry_run.h"

using namespace kmodlint;

// Lines as Kbuild 6.1 prints them under `make -n` (shortened).
TEST(DryRunParse, FindsCompilesAndModuleComposition) {
  std::string output =
      "make: Entering directory '/usr/src/linux-headers-6.1.0-56-amd64'\n"
      "set -e;  echo '  CC [M]  /m/a.o';  trap 'rm -f /m/a.o; trap - HUP; kill -s HUP $$' HUP;  gcc-12 "
      "-Wp,-MMD,/m/.a.o.d -nostdinc -I./include -DKBUILD_BASENAME='\"a\"' -c -o /m/a.o /m/a.c   ; "
      "./tools/objtool/objtool --module /m/a.o\n"
      "set -e; if nm /m/a.o | grep -q __ksymtab; then  gcc-12 -E -D__GENKSYMS__ -nostdinc /m/a.c | "
      "scripts/genksyms/genksyms >> /m/.a.o.cmd; fi\n"
      "set -e; printf '%s\\n'   a.o b.o | awk '!x[$0]++ { print(\"/m/\"$0) }' > /m/foo.mod; printf '%s\\n' 'cmd' > "
      "/m/.foo.mod.cmd\n"
      "make: Leaving directory '/usr/src/linux-headers-6.1.0-56-amd64'\n";
  DryRun run = parse_dry_run_output(output, "/start");
  ASSERT_EQ(run.compiles.size(), 1u);
  EXPECT_EQ(run.compiles[0].source_file, "/m/a.c");
  EXPECT_EQ(run.compiles[0].directory, "/usr/src/linux-headers-6.1.0-56-amd64");
  EXPECT_EQ(run.compiles[0].words[0], "gcc-12");
  EXPECT_EQ(run.compiles[0].words[4], "-DKBUILD_BASENAME=\"a\"");
  ASSERT_EQ(run.modules.size(), 1u);
  EXPECT_EQ(run.modules[0].name, "foo");
  EXPECT_EQ(run.modules[0].objects, (std::vector<std::string>{"/m/a.o", "/m/b.o"}));
}

// `obj-m += ../staging/echo/echo.o` in /m/drivers/dahdi/Kbuild (dahdi builds the OSLEC echo
// canceller so): the objects are relative to the Kbuild file's directory, which awk prefixes, not
// to the directory of the .mod file.
TEST(DryRunParse, ObjectsOfAModuleInAnotherDirectory) {
  std::string output =
      "set -e; printf '%s\\n'   ../staging/echo/echo.o | awk '!x[$0]++ { print(\"/m/drivers/dahdi/\"$0) }' > "
      "/m/drivers/dahdi/../staging/echo/echo.mod\n";
  DryRun run = parse_dry_run_output(output, "/start");
  ASSERT_EQ(run.modules.size(), 1u);
  EXPECT_EQ(run.modules[0].name, "echo");
  EXPECT_EQ(run.modules[0].directory, "/m/drivers/staging/echo");
  EXPECT_EQ(run.modules[0].objects, (std::vector<std::string>{"/m/drivers/staging/echo/echo.o"}));
}

TEST(DryRunParse, TemplateInstantiationRenamesTheModule) {
  DryRunCompile probe{"/tmp/p/kmodlint_probe.c", "/k",
                      {"gcc-12", "-DKBUILD_BASENAME=\"kmodlint_probe\"", "-DKBUILD_MODNAME=\"kmodlint_probe\"",
                       "-D__KBUILD_MODNAME=kmod_kmodlint_probe", "-c", "-o", "/tmp/p/kmodlint_probe.o",
                       "/tmp/p/kmodlint_probe.c"}};
  auto words = instantiate_template(probe, "/src/my-drv.c", "my-drv", {"-I/src"});
  EXPECT_EQ(words, (std::vector<std::string>{"gcc-12", "-DKBUILD_BASENAME=\"my-drv\"", "-DKBUILD_MODNAME=\"my_drv\"",
                                             "-D__KBUILD_MODNAME=kmod_my_drv", "-c", "-o", "/tmp/p/kmodlint_probe.o",
                                             "-I/src", "/src/my-drv.c"}));
}
