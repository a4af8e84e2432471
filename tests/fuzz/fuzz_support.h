// Shared by the libFuzzer targets of tests/fuzz: a private directory for the input files, and the
// contract every loader of kmodlint must keep on hostile input.
//
// The contract: a loader either returns, or throws kmodlint::InputError whose message names the
// file it was given (contains its path). Any other exception, or an InputError that does not name
// the file, is a bug: the target prints it and aborts, so libFuzzer records a crash and saves the
// input. Sanitizer reports (ASan, UBSan) are crashes too.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace kmodlint::fuzz {

// `data` as text (any bytes, NUL included).
std::string_view as_text(const std::uint8_t* data, std::size_t size);

// Writes `text` to `name` in this process's private directory (made once with mkdtemp under
// /dev/shm when it exists, else under $TMPDIR or /tmp, or under $KMODLINT_FUZZ_TMPDIR when set;
// removed at a normal exit, left behind by a crash) and returns its path.
std::string write_input(const std::string& name, std::string_view text);

// Prints "kmodlint fuzz: <target>: <what>" to stderr and aborts.
[[noreturn]] void fail(const std::string& target, const std::string& what);

// True when KMODLINT_FUZZ_VERBOSE is set: the targets print the InputErrors they see (to check
// that a seed is a valid input: run the target on it).
bool verbose();

// The name of the exception being handled, demangled ("YAML::TypedBadConversion<...>").
std::string current_exception_type();

// Runs `load` and enforces the contract for a loader of the file `path`.
template <typename Load>
void expect_input_error_naming(const std::string& target, const std::string& path, Load&& load);

// Runs `parse`, a function on text that no input may make throw.
template <typename Parse>
void expect_no_exception(const std::string& target, Parse&& parse);

}  // namespace kmodlint::fuzz

#include <cstdio>

#include "common/error.h"

namespace kmodlint::fuzz {

template <typename Load>
void expect_input_error_naming(const std::string& target, const std::string& path, Load&& load) {
  try {
    load();
  } catch (const InputError& error) {
    std::string message = error.what();
    if (message.find(path) == std::string::npos)
      fail(target, "InputError that does not name the file " + path + ": " + message);
    if (verbose()) std::fprintf(stderr, "kmodlint fuzz: %s: InputError: %s\n", target.c_str(), message.c_str());
  } catch (const std::exception& error) {
    fail(target, "exception other than InputError: " + current_exception_type() + ": " + error.what());
  } catch (...) {
    fail(target, "exception other than InputError: " + current_exception_type());
  }
}

template <typename Parse>
void expect_no_exception(const std::string& target, Parse&& parse) {
  try {
    parse();
  } catch (const std::exception& error) {
    fail(target, "exception: " + current_exception_type() + ": " + error.what());
  } catch (...) {
    fail(target, "exception: " + current_exception_type());
  }
}

}  // namespace kmodlint::fuzz
