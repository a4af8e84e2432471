// dkms.conf of a module packaged for DKMS: where its modules are built.
#pragma once

#include <string>
#include <vector>

namespace kmodlint {

struct DkmsConf {
  std::vector<std::string> module_names;      // BUILT_MODULE_NAME[i]
  std::vector<std::string> module_locations;  // BUILT_MODULE_LOCATION[i], relative ("" = the dkms.conf directory)
  std::vector<std::string> make_dirs;         // literal "-C DIR" / "M=DIR" of MAKE[i], relative
  std::vector<std::string> make_variables;    // NAME=value words of MAKE[i] for Kbuild (make_variables.h)
};

// Reads the shell assignments of dkms.conf (NAME="value", NAME[i]="value"), expanding variables
// set earlier in the file; DKMS's own build tree ${dkms_tree}/$PACKAGE_NAME/$PACKAGE_VERSION/build
// is the dkms.conf directory. Missing file: empty result.
DkmsConf parse_dkms_conf(const std::string& path);
// `source_dir` (absolute, may be empty) is the dkms.conf directory: a MAKE variable whose value is
// a path in DKMS's build tree or in the installed source (/usr/src/$PACKAGE_NAME-$PACKAGE_VERSION)
// gets the same path under it (xtables-addons' XA_ABSTOPSRCDIR=${BDIR}).
DkmsConf parse_dkms_conf_text(const std::string& text, const std::string& source_dir = "");

}  // namespace kmodlint
