// Runs a program without a shell and captures its output, with a hard time limit.
#pragma once

#include <string>
#include <vector>

namespace kmodlint {

struct ProcessResult {
  int exit_code = -1;  // -1 when it could not be started or was killed
  bool timed_out = false;
  std::string out;
  std::string err;
};

ProcessResult run_process(const std::vector<std::string>& argv, const std::string& directory,
                          unsigned timeout_seconds, const std::vector<std::string>& unset_env = {});

}  // namespace kmodlint
