// Helpers of the table and loader tests: a YAML file written for one test, and the text of the
// error an action throws.
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <exception>
#include <fstream>
#include <functional>
#include <string>

namespace kmodlint::test_support {

// Writes `text` to a fresh /tmp/kmodlint-<tag>-<pid>-<n>.yaml and returns its path.
inline std::string write_temp_yaml(const std::string& tag, const std::string& text) {
  std::string path = "/tmp/kmodlint-" + tag + "-" + std::to_string(getpid()) + "-" + std::to_string(std::rand()) + ".yaml";
  std::ofstream(path) << text;
  return path;
}

// What `action` throws, or "no error".
inline std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const std::exception& error) {
    return error.what();
  }
  return "no error";
}

}  // namespace kmodlint::test_support
