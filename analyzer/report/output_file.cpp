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

void write_file_atomically(const std::string& path, const std::string& contents) {
  fs::path target = fs::absolute(path);
  std::string temp = (target.parent_path() / ("." + target.filename().string() + ".kmodlint-XXXXXX")).string();
  int fd = mkstemp(temp.data());
  if (fd < 0) throw InputError(path, std::string("cannot write the output file: ") + std::strerror(errno));
  std::size_t written = 0;
  while (written < contents.size()) {
    ssize_t n = write(fd, contents.data() + written, contents.size() - written);
    if (n <= 0) {
      int saved = errno;
      close(fd);
      unlink(temp.c_str());
      throw InputError(path, std::string("cannot write the output file: ") + std::strerror(saved));
    }
    written += static_cast<std::size_t>(n);
  }
  fchmod(fd, 0644);
  if (fsync(fd) != 0 || close(fd) != 0 || rename(temp.c_str(), target.c_str()) != 0) {
    int saved = errno;
    unlink(temp.c_str());
    throw InputError(path, std::string("cannot write the output file: ") + std::strerror(saved));
  }
}

}  // namespace kmodlint
