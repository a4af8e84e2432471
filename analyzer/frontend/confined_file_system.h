// The file system Clang sees: the real one, except that only regular files and directories can be
// opened (an #include of /dev/zero or of a FIFO is an error, not a hang), and in safe mode only
// paths the ReadPolicy allows (anything else is "permission denied", naming the file).
#pragma once

#include "common/read_policy.h"
#include "llvm/ADT/IntrusiveRefCntPtr.h"
#include "llvm/Support/VirtualFileSystem.h"

namespace kmodlint::frontend {

llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> make_confined_file_system(
    llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> real, const ReadPolicy& policy);

}  // namespace kmodlint::frontend
