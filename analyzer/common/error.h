// An error the user must act on: bad input, configuration or environment. Exit code 2.
#pragma once

#include <stdexcept>
#include <string>

namespace kmodlint {

class InputError : public std::runtime_error {
 public:
  // `subject` is the file or directory at fault; `message` says what is wrong and what to do.
  InputError(const std::string& subject, const std::string& message)
      : std::runtime_error(subject.empty() ? message : subject + ": " + message) {}
};

}  // namespace kmodlint
