// What kmodlint leaves behind when it ends, normally or by a signal: nothing. Child processes
// (Kbuild dry runs and whatever make starts) run in their own process groups and are killed with
// kmodlint; temporary directories are private (mkdtemp, mode 0700, never reused) and removed.
#pragma once

#include <sys/types.h>

#include <string>

namespace kmodlint {

// Blocks SIGINT, SIGTERM and SIGHUP in the calling thread (call it first thing in main, before any
// thread starts, so every thread inherits the mask) and starts a thread that waits for them: on
// one, it kills every registered child process group, removes every live PrivateTempDir and exits
// with 128 + the signal number.
void install_termination_handling();

// fork() for a child that runs in a process group of its own, registered (atomically with the
// fork) so that a terminating signal kills it. Returns 0 in the child (its signal mask reset to
// nothing blocked), the child's pid in the parent, -1 when it cannot fork or kmodlint is ending.
pid_t fork_child_group();
// After waitpid(): the group is no longer kmodlint's to kill.
void unregister_child_group(pid_t group);

// A fresh directory under $TMPDIR (else /tmp) that only this process can use.
class PrivateTempDir {
 public:
  // `purpose` names it ("kmodlint-probe" gives /tmp/kmodlint-probe-XXXXXX). Throws InputError
  // naming the temporary directory when it cannot be created.
  explicit PrivateTempDir(const std::string& purpose);
  ~PrivateTempDir();
  PrivateTempDir(const PrivateTempDir&) = delete;
  PrivateTempDir& operator=(const PrivateTempDir&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace kmodlint
