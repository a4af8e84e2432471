#include "fuzz_support.h"

#include <cxxabi.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <typeinfo>

namespace kmodlint::fuzz {

namespace fs = std::filesystem;

namespace {

std::string make_private_directory() {
  std::error_code error;
  std::string base = "/dev/shm";
  if (const char* chosen = std::getenv("KMODLINT_FUZZ_TMPDIR"); chosen && *chosen) {
    base = chosen;  // scripts/fuzz.sh: one directory it removes after the run, crashes included
  } else if (!fs::is_directory(base, error)) {
    const char* tmpdir = std::getenv("TMPDIR");
    base = tmpdir && *tmpdir ? tmpdir : "/tmp";
  }
  std::string pattern = base + "/kmodlint-fuzz-XXXXXX";
  if (!mkdtemp(pattern.data())) {
    std::perror(("kmodlint fuzz: mkdtemp " + pattern).c_str());
    std::abort();
  }
  return pattern;
}

const std::string& private_directory() {
  static const std::string directory = [] {
    std::string made = make_private_directory();
    static std::string to_remove = made;
    std::atexit([] {
      std::error_code error;
      fs::remove_all(to_remove, error);
    });
    return made;
  }();
  return directory;
}

}  // namespace

std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

std::string write_input(const std::string& name, std::string_view text) {
  std::string path = private_directory() + "/" + name;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.close();
  if (!out) fail("write_input", "cannot write " + path);
  return path;
}

void fail(const std::string& target, const std::string& what) {
  std::fprintf(stderr, "kmodlint fuzz: %s: %s\n", target.c_str(), what.c_str());
  std::fflush(stderr);
  std::abort();
}

bool verbose() {
  static const bool on = std::getenv("KMODLINT_FUZZ_VERBOSE") != nullptr;
  return on;
}

std::string current_exception_type() {
  const std::type_info* type = abi::__cxa_current_exception_type();
  if (!type) return "unknown exception";
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> name(abi::__cxa_demangle(type->name(), nullptr, nullptr, &status), std::free);
  return status == 0 && name ? name.get() : type->name();
}

}  // namespace kmodlint::fuzz
