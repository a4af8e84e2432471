#include "project/flag_translation.h"

#include <algorithm>
#include <filesystem>
#include <mutex>

#include "tables/yaml_table.h"

namespace kmodlint {

namespace fs = std::filesystem;

namespace {

bool contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

bool has_prefix(const std::vector<std::string>& prefixes, const std::string& value) {
  return std::any_of(prefixes.begin(), prefixes.end(),
                     [&](const std::string& prefix) { return value.compare(0, prefix.size(), prefix) == 0; });
}

std::string absolute(const std::string& path, const std::string& directory) {
  if (path.empty()) return path;
  return (path[0] == '/' ? fs::path(path) : fs::path(directory) / path).lexically_normal().string();
}

// -f and -m options are allowed as a family; one whose value is a path (`-fprofile-use=/x`)
// reads or writes a file, whatever its name.
bool names_a_path(const std::string& word) {
  std::size_t equals = word.find('=');
  return equals != std::string::npos && word.find('/', equals) != std::string::npos;
}

// Keeps the words of `words` (Clang flags, without argv[0] and the source file) that `allow`
// admits; appends every other word, with its argument, to `refused`.
std::vector<std::string> allowed_flags(const std::vector<std::string>& words, const FlagAllowlist& allow,
                                       std::vector<std::string>& refused) {
  std::vector<std::string> kept;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string& word = words[i];
    if (contains(allow.with_argument, word)) {
      if (i + 1 < words.size()) {
        kept.push_back(word);
        kept.push_back(words[++i]);
      }
      continue;
    }
    bool allowed = contains(allow.exact, word) ||
                   (has_prefix(allow.prefixes, word) && !has_prefix(allow.deny_prefixes, word) &&
                    !((word.rfind("-f", 0) == 0 || word.rfind("-m", 0) == 0) && names_a_path(word)));
    if (allowed) {
      kept.push_back(word);
    } else if (contains(allow.drop_with_argument, word) && i + 1 < words.size()) {
      refused.push_back(word + " " + words[++i]);
    } else {
      refused.push_back(word);  // a stray word that is not a flag is another input file: dropped too
    }
  }
  return kept;
}

}  // namespace

FlagTable load_flag_table(const std::string& path) {
  return with_yaml_errors(path, [&]() -> FlagTable {
    YAML::Node root = load_yaml_file(path);
    yaml_reject_unknown_keys(
        root, {"schema_version", "drop", "drop_prefixes", "drop_with_argument", "path_arguments", "append", "allow"}, path);
    FlagTable table;
    table.drop = yaml_string_list(root, "drop", path);
    table.drop_prefixes = yaml_string_list(root, "drop_prefixes", path);
    table.drop_with_argument = yaml_string_list(root, "drop_with_argument", path);
    table.path_arguments = yaml_string_list(root, "path_arguments", path);
    table.append = yaml_string_list(root, "append", path);
    YAML::Node allow = yaml_require(root, "allow", path);
    yaml_reject_unknown_keys(allow, {"with_argument", "exact", "prefixes", "deny_prefixes", "drop_with_argument"}, path);
    table.allow.with_argument = yaml_string_list(allow, "with_argument", path);
    table.allow.exact = yaml_string_list(allow, "exact", path);
    table.allow.prefixes = yaml_string_list(allow, "prefixes", path);
    table.allow.deny_prefixes = yaml_string_list(allow, "deny_prefixes", path);
    table.allow.drop_with_argument = yaml_string_list(allow, "drop_with_argument", path);
    if (table.allow.prefixes.empty() && table.allow.exact.empty())
      yaml_fail(allow, path, "key 'allow': name the flags Clang may be given (prefixes, exact)");
    return table;
  });
}

const FlagTable& default_flag_table() {
  static std::once_flag once;
  static FlagTable table;
  std::call_once(once, [] { table = load_flag_table(data_dir() + "/rules/gcc-flags.yaml"); });
  return table;
}

std::vector<std::string> translate_gcc_command(const std::vector<std::string>& gcc_words, const std::string& source_file,
                                               const std::string& directory, const FlagTable& table,
                                               std::vector<std::string>* refused) {
  std::vector<std::string> result;
  for (std::size_t i = 1; i < gcc_words.size(); ++i) {
    const std::string& word = gcc_words[i];
    if (absolute(word, directory) == source_file) continue;
    if (contains(table.drop_with_argument, word)) {
      ++i;
      continue;
    }
    if (contains(table.drop, word) || has_prefix(table.drop_prefixes, word)) continue;
    if (contains(table.path_arguments, word) && i + 1 < gcc_words.size()) {
      result.push_back(word);
      result.push_back(absolute(gcc_words[++i], directory));
      continue;
    }
    bool joined_path = false;
    for (const std::string& flag : table.path_arguments) {
      if (word.size() > flag.size() && word.compare(0, flag.size(), flag) == 0 && flag.size() == 2) {
        result.push_back(flag + absolute(word.substr(flag.size()), directory));
        joined_path = true;
        break;
      }
    }
    if (!joined_path) result.push_back(word);
  }
  result.insert(result.end(), table.append.begin(), table.append.end());
  std::vector<std::string> dropped;
  std::vector<std::string> argv{"clang"};
  for (std::string& word : allowed_flags(result, table.allow, dropped)) argv.push_back(std::move(word));
  argv.push_back(source_file);
  if (refused) refused->insert(refused->end(), dropped.begin(), dropped.end());
  return argv;
}

}  // namespace kmodlint
