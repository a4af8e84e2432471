// The make variables a module's own build hands to Kbuild, so that the dry run builds what the
// author builds: NAME=value words of dkms.conf's MAKE line, and of the top Makefile's recipe that
// runs `$(MAKE) -C $(KDIR) M=$(PWD) CONFIG_FOO=m ...`.
#pragma once

#include <string>
#include <vector>

namespace kmodlint {

// A variable the dry run may be given: not one that chooses the kernel, the output directory,
// the tools or what Kbuild builds (M, O, ARCH, CC, KBUILD_*, INSTALL_*, ...), which kmodlint sets
// itself or which would make Kbuild write elsewhere.
bool passable_make_variable(const std::string& name);

// The NAME=value words of one command line whose value holds no unexpanded `$`, passable ones only.
std::vector<std::string> make_variable_words(const std::vector<std::string>& words);

// The NAME=value words the Makefile's recipes pass to a Kbuild run (a recipe line with `-C` and
// `M=`, `SUBDIRS=` or `KBUILD_EXTMOD=`), after expanding the Makefile's own simple assignments; $(PWD), $(CURDIR)
// and $(shell pwd) are `directory`. In order, each name once.
std::vector<std::string> makefile_kbuild_variables(const std::string& makefile_text, const std::string& directory);

}  // namespace kmodlint
