#include "frontend/confined_file_system.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/Path.h"

namespace kmodlint::frontend {

namespace {

namespace sys = llvm::sys;

class ConfinedFileSystem : public llvm::vfs::ProxyFileSystem {
 public:
  ConfinedFileSystem(llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> real, const ReadPolicy& policy)
      : ProxyFileSystem(std::move(real)), policy_(policy) {}

  llvm::ErrorOr<llvm::vfs::Status> status(const llvm::Twine& path) override {
    llvm::ErrorOr<llvm::vfs::Status> found = ProxyFileSystem::status(path);
    if (!found) return found;
    if (std::error_code refused = check(path, *found)) return refused;
    return found;
  }

  llvm::ErrorOr<std::unique_ptr<llvm::vfs::File>> openFileForRead(const llvm::Twine& path) override {
    llvm::ErrorOr<llvm::vfs::Status> found = ProxyFileSystem::status(path);
    if (!found) return found.getError();
    if (std::error_code refused = check(path, *found)) return refused;
    return ProxyFileSystem::openFileForRead(path);
  }

  llvm::vfs::directory_iterator dir_begin(const llvm::Twine& dir, std::error_code& error) override {
    if (policy_.restricted() && !policy_.allows(absolute(dir))) {
      error = std::make_error_code(std::errc::permission_denied);
      return {};
    }
    return ProxyFileSystem::dir_begin(dir, error);
  }

 private:
  std::string absolute(const llvm::Twine& path) {
    llvm::SmallString<256> text;
    path.toVector(text);
    if (!sys::path::is_absolute(text)) {
      llvm::ErrorOr<std::string> cwd = getCurrentWorkingDirectory();
      if (cwd) {
        llvm::SmallString<256> joined(*cwd);
        sys::path::append(joined, text);
        text = joined;
      }
    }
    return text.str().str();
  }

  std::error_code check(const llvm::Twine& path, const llvm::vfs::Status& status) {
    sys::fs::file_type type = status.getType();
    if (type != sys::fs::file_type::regular_file && type != sys::fs::file_type::directory_file)
      return std::make_error_code(std::errc::permission_denied);  // a device, FIFO or socket
    if (policy_.restricted() && !policy_.allows(absolute(path)))
      return std::make_error_code(std::errc::permission_denied);
    return {};
  }

  const ReadPolicy& policy_;
};

}  // namespace

llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> make_confined_file_system(
    llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> real, const ReadPolicy& policy) {
  return llvm::makeIntrusiveRefCnt<ConfinedFileSystem>(std::move(real), policy);
}

}  // namespace kmodlint::frontend
