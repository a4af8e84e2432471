// Loading YAML rule tables and configuration with errors that name file, line and key.
#pragma once

#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

namespace kmodlint {

// Parses `path`; throws InputError "path:line: message" on a syntax error, and "path: cannot read
// this <what> (...)" for a missing, unreadable, oversized or non-regular file.
YAML::Node load_yaml_file(const std::string& path, const std::string& what = "YAML file");

// Typed accessors: throw InputError "path:line: key 'key': expected ..." when the type is wrong.
// A missing key gives the default (empty list, empty string, `fallback`).
std::vector<std::string> yaml_string_list(const YAML::Node& map, const std::string& key, const std::string& path);
std::string yaml_string(const YAML::Node& map, const std::string& key, const std::string& path);
bool yaml_bool(const YAML::Node& map, const std::string& key, const std::string& path, bool fallback);
int yaml_int(const YAML::Node& map, const std::string& key, const std::string& path, int fallback);

// The value of a key that must be present; throws "path:line: missing required key 'key'".
YAML::Node yaml_require(const YAML::Node& map, const std::string& key, const std::string& path);
// A string key that must be present and non-empty.
std::string yaml_required_string(const YAML::Node& map, const std::string& key, const std::string& path);

// Throws for a key of `map` not in `known`, naming the line; catches typos in tables.
void yaml_reject_unknown_keys(const YAML::Node& map, const std::vector<std::string>& known, const std::string& path);

// A mapping key as text; throws "path:line: a key must be a plain name" for a list or map key.
std::string yaml_key(const YAML::Node& key, const std::string& path);

// Every loader runs its walk of the YAML tree through this: any yaml-cpp error (a value of an
// unexpected type deep in a table) becomes an InputError naming the file and line.
[[noreturn]] void rethrow_yaml_error(const YAML::Exception& error, const std::string& path);
template <class Body>
auto with_yaml_errors(const std::string& path, Body&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const YAML::Exception& error) {
    rethrow_yaml_error(error, path);
  }
}

[[noreturn]] void yaml_fail(const YAML::Node& node, const std::string& path, const std::string& message);

// The directory holding kmodlint's data (rules/, docs/): the source tree when run from a
// build directory, the installed share/kmodlint otherwise.
std::string data_dir();

}  // namespace kmodlint
