#include <iostream>

#include "cli/options.h"
#include "cli/run.h"
#include "common/error.h"
#include "common/process_guard.h"

int main(int argc, char** argv) {
  // First, before any thread starts: a SIGINT or SIGTERM then kills the dry runs kmodlint started
  // and removes its temporary directories before it exits.
  kmodlint::install_termination_handling();
  try {
    std::vector<std::string> args(argv + 1, argv + argc);
    return kmodlint::run(kmodlint::parse_options(args));
  } catch (const kmodlint::InputError& error) {
    std::cerr << "kmodlint: " << error.what() << "\n";
    return 2;
  } catch (const std::exception& error) {
    std::cerr << "kmodlint: internal error: " << error.what() << "; please report it with the command you ran\n";
    return 2;
  }
}
