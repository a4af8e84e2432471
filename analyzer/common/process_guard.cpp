#include "common/process_guard.h"

#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <set>
#include <thread>

#include "common/error.h"

namespace kmodlint {

namespace fs = std::filesystem;

namespace {

struct Registry {
  std::mutex mutex;
  std::set<pid_t> child_groups;
  std::set<std::string> temp_dirs;
  bool terminating = false;
};

Registry& registry() {
  static Registry* instance = new Registry;  // never destroyed: the handler thread may outlive main
  return *instance;
}

sigset_t terminating_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  return set;
}

[[noreturn]] void terminate_on(int signal_number) {
  Registry& state = registry();
  {
    std::lock_guard<std::mutex> lock(state.mutex);
    state.terminating = true;  // no new child starts from now on
    for (pid_t group : state.child_groups) kill(-group, SIGKILL);
    for (const std::string& dir : state.temp_dirs) {
      std::error_code error;
      fs::remove_all(dir, error);
    }
  }
  _exit(128 + signal_number);
}

}  // namespace

void install_termination_handling() {
  static std::once_flag once;
  std::call_once(once, [] {
    sigset_t set = terminating_signals();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    std::thread([set] {
      int received = 0;
      while (sigwait(&set, &received) != 0) {
      }
      terminate_on(received);
    }).detach();
  });
}

pid_t fork_child_group() {
  Registry& state = registry();
  std::lock_guard<std::mutex> lock(state.mutex);
  if (state.terminating) return -1;
  pid_t pid = fork();
  if (pid == 0) {  // the child: only async-signal-safe calls until exec
    setpgid(0, 0);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    return 0;
  }
  if (pid > 0) {
    setpgid(pid, pid);  // also here, so that the group exists before the child runs
    state.child_groups.insert(pid);
  }
  return pid;
}

void unregister_child_group(pid_t group) {
  Registry& state = registry();
  std::lock_guard<std::mutex> lock(state.mutex);
  state.child_groups.erase(group);
}

PrivateTempDir::PrivateTempDir(const std::string& purpose) {
  const char* tmpdir = std::getenv("TMPDIR");
  std::string base = tmpdir && *tmpdir ? tmpdir : "/tmp";
  std::string pattern = (fs::path(base) / (purpose + "-XXXXXX")).string();
  Registry& state = registry();
  std::lock_guard<std::mutex> lock(state.mutex);
  if (!mkdtemp(pattern.data()))  // mode 0700, a name no other process has
    throw InputError(tmpdir && *tmpdir ? "TMPDIR=" + base : base,
                     std::string("cannot create a private temporary directory here (") + std::strerror(errno) +
                         "); set TMPDIR to a writable directory");
  path_ = pattern;
  state.temp_dirs.insert(path_);
}

PrivateTempDir::~PrivateTempDir() {
  Registry& state = registry();
  std::lock_guard<std::mutex> lock(state.mutex);
  std::error_code error;
  fs::remove_all(path_, error);
  state.temp_dirs.erase(path_);
}

}  // namespace kmodlint
