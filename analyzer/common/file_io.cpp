#include "common/file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/error.h"

namespace kmodlint {

namespace {

std::string megabytes(std::size_t bytes) { return std::to_string(bytes >> 20) + " MB"; }

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

std::optional<std::string> try_read_regular_file(const std::string& path, std::size_t max_bytes, std::string& why) {
  if (path.empty()) {
    why = "an empty path";
    return std::nullopt;
  }
  // O_NONBLOCK: opening a FIFO must not wait for a writer; fstat below then refuses it.
  FileDescriptor fd(open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
  if (fd.get() < 0) {
    why = std::strerror(errno);
    return std::nullopt;
  }
  struct stat info {};
  if (fstat(fd.get(), &info) != 0) {
    why = std::strerror(errno);
    return std::nullopt;
  }
  if (!S_ISREG(info.st_mode)) {
    why = S_ISDIR(info.st_mode) ? "a directory, not a file" : "not a regular file (a device, FIFO or socket)";
    return std::nullopt;
  }
  if (static_cast<std::size_t>(info.st_size) > max_bytes) {
    why = "larger than " + megabytes(max_bytes);
    return std::nullopt;
  }
  int flags = fcntl(fd.get(), F_GETFL);
  if (flags >= 0) fcntl(fd.get(), F_SETFL, flags & ~O_NONBLOCK);
  std::string contents;
  contents.reserve(static_cast<std::size_t>(info.st_size));
  char buffer[65536];
  while (true) {
    ssize_t n = read(fd.get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      why = std::strerror(errno);
      return std::nullopt;
    }
    if (n == 0) break;
    contents.append(buffer, static_cast<std::size_t>(n));
    if (contents.size() > max_bytes) {  // it grew while being read
      why = "larger than " + megabytes(max_bytes);
      return std::nullopt;
    }
  }
  return contents;
}

std::string read_regular_file(const std::string& path, std::size_t max_bytes, const std::string& what) {
  std::string why;
  std::optional<std::string> contents = try_read_regular_file(path, max_bytes, why);
  if (contents) return *contents;
  bool refused = why.rfind("not a regular", 0) == 0 || why.rfind("larger", 0) == 0 || why.rfind("a directory", 0) == 0;
  throw InputError(path.empty() ? "(empty path)" : path,
                   "cannot read this " + what + " (" + why + "); " +
                       (refused ? "kmodlint reads only regular files of at most " + megabytes(max_bytes)
                                : std::string("check that it exists and is readable")));
}

}  // namespace kmodlint
