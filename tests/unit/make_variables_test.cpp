// The make variables a module's own build hands to Kbuild (project/make_variables.h).
#include <gtest/gtest.h>

#include "project/make_variables.h"

using namespace kmodlint;

// ovpn-dco's top Makefile: the variables sit in a list the Kbuild recipe expands; $(PWD) is the
// module directory; M, PWD and INSTALL_MOD_DIR are kmodlint's or the installer's, and REVISION
// comes from $(shell git ...), which is not run.
TEST(MakeVariables, FromTheRecipeThatRunsKbuild) {
  const char* makefile =
      "PWD:=$(shell pwd)\n"
      "KERNEL_SRC ?= /lib/modules/$(shell uname -r)/build\n"
      "REVISION= $(shell git describe)\n"
      "BUILD_FLAGS := \\\n"
      "\tM=$(PWD) \\\n"
      "\tPWD=$(PWD) \\\n"
      "\tREVISION=$(REVISION) \\\n"
      "\tCONFIG_OVPN_DCO_V2=m \\\n"
      "\tINSTALL_MOD_DIR=updates/\n"
      "\n"
      "all: config\n"
      "\t$(MAKE) -C $(KERNEL_SRC) $(BUILD_FLAGS)\tmodules\n"
      "config:\n"
      "\t$(PWD)/gen-compat-autoconf.sh $(PWD)/compat-autoconf.h\n"
      "tests:\n"
      "\t$(MAKE) -C tests DEBUG=1\n";
  EXPECT_EQ(makefile_kbuild_variables(makefile, "/src/ovpn"), (std::vector<std::string>{"CONFIG_OVPN_DCO_V2=m"}));
}

// dahdi's Makefile: a recursive variable holds the Kbuild command; paths under $(PWD) resolve; a
// quoted empty value is a value; O= (which makes Kbuild write elsewhere) and CC= are never passed.
TEST(MakeVariables, RecursiveCommandVariableAndDeniedNames) {
  const char* makefile =
      "KSRC:=/lib/modules/6.1/build\n"
      "KMAKE = +$(MAKE) -C $(KSRC) KBUILD_EXTMOD=$(PWD)/drivers/dahdi DAHDI_INCLUDE=$(PWD)/include \\\n"
      "  DAHDI_MODULES_EXTRA=\"$(DAHDI_MODULES_EXTRA)\" O=/tmp/out CC=evil-gcc\n"
      "DAHDI_MODULES_EXTRA:=\n"
      "modules:\n"
      "\t$(KMAKE) modules DAHDI_BUILD_ALL=m\n";
  EXPECT_EQ(makefile_kbuild_variables(makefile, "/src/dahdi"),
            (std::vector<std::string>{"DAHDI_INCLUDE=/src/dahdi/include", "DAHDI_MODULES_EXTRA=", "DAHDI_BUILD_ALL=m"}));
}

TEST(MakeVariables, PassableNames) {
  EXPECT_TRUE(passable_make_variable("CONFIG_LTTNG"));
  EXPECT_TRUE(passable_make_variable("DAHDI_INCLUDE"));
  for (const char* name : {"M", "O", "PWD", "CC", "ARCH", "KBUILD_EXTMOD", "INSTALL_MOD_PATH", "MAKEFLAGS", "SHELL", "1X", ""})
    EXPECT_FALSE(passable_make_variable(name)) << name;
}
