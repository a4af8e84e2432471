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

}  // namespace

FlagTable load_flag_table(const std::string& path) {
  YAML::Node root = load_yaml_file(path);
  yaml_reject_unknown_keys(root, {"schema_version", "drop", "drop_prefixes", "drop_with_argument", "path_arguments", "append"},
                           path);
  FlagTable table;
  table.drop = yaml_string_list(root, "drop", path);
  table.drop_prefixes = yaml_string_list(root, "drop_prefixes", path);
  table.drop_with_argument = yaml_string_list(root, "drop_with_argument", path);
  table.path_arguments = yaml_string_list(root, "path_arguments", path);
  table.append = yaml_string_list(root, "append", path);
  return table;
}

const FlagTable& default_flag_table() {
  static std::once_flag once;
  static FlagTable table;
  std::call_once(once, [] { table = load_flag_table(data_dir() + "/rules/gcc-flags.yaml"); });
  return table;
}

std::vector<std::string> translate_gcc_command(const std::vector<std::string>& gcc_words, const std::string& source_file,
                                               const std::string& directory, const FlagTable& table) {
  std::vector<std::string> result{"clang"};
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
  result.push_back(source_file);
  return result;
}

}  // namespace kmodlint
