#include "report/output_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "common/error.h"

namespace kmodlint {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void fail(const std::string& path, int error) {
  throw InputError(path, std::string("cannot write the output file: ") + std::strerror(error));
}

void write_all(int fd, const std::string& contents, const std::string& path) {
  std::size_t written = 0;
  while (written < contents.size()) {
    ssize_t n = write(fd, contents.data() + written, contents.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int saved = n < 0 ? errno : EIO;
      close(fd);
      fail(path, saved);
    }
    written += static_cast<std::size_t>(n);
  }
}

// A device, FIFO or socket: written in place, as a shell redirection would.
void write_in_place(const std::string& path, const std::string& contents) {
  int fd = open(path.c_str(), O_WRONLY | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) fail(path, errno);
  write_all(fd, contents, path);
  if (close(fd) != 0) fail(path, errno);
}

mode_t default_mode() {
  mode_t mask = umask(0);
  umask(mask);
  return 0666 & ~mask;
}

}  // namespace

void write_file_atomically(const std::string& path, const std::string& contents) {
  struct stat existing {};
  bool exists = stat(path.c_str(), &existing) == 0;  // follows a symbolic link to its target
  if (exists && !S_ISREG(existing.st_mode)) {
    if (S_ISDIR(existing.st_mode)) throw InputError(path, "cannot write the output file: it is a directory");
    write_in_place(path, contents);
    return;
  }
  // A symbolic link to a regular file: replace the file it points at, not the link.
  std::error_code error;
  fs::path target = exists ? fs::canonical(path, error) : fs::absolute(path);
  if (error) target = fs::absolute(path);
  std::string temp = (target.parent_path() / ("." + target.filename().string() + ".kmodlint-XXXXXX")).string();
  int fd = mkstemp(temp.data());
  if (fd < 0) fail(path, errno);
  try {
    write_all(fd, contents, path);
  } catch (...) {
    unlink(temp.c_str());
    throw;
  }
  if (exists) {
    fchmod(fd, existing.st_mode & 07777);
    if (geteuid() == 0) (void)!fchown(fd, existing.st_uid, existing.st_gid);
  } else {
    fchmod(fd, default_mode());
  }
  if (fsync(fd) != 0 || close(fd) != 0 || rename(temp.c_str(), target.c_str()) != 0) {
    int saved = errno;
    unlink(temp.c_str());
    fail(path, saved);
  }
}

}  // namespace kmodlint
