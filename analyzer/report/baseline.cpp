#include "report/baseline.h"

#include <filesystem>
#include <map>
#include <tuple>

#include <yaml-cpp/yaml.h>

#include "common/error.h"
#include "llvm/Support/JSON.h"
#include "report/output_file.h"
#include "report/source_cache.h"
#include "tables/yaml_table.h"

namespace kmodlint {

namespace fs = std::filesystem;

namespace {

using Key = std::tuple<std::string, std::string, std::string, std::string>;

std::string directory_of(const std::string& path) { return baseline_directory(path); }

Key key_of(const Finding& finding, const std::string& baseline_dir) {
  return {finding.check_id, relative_path(finding.location.file, baseline_dir), finding.function,
          normalize_message(finding.message)};
}

bool is_yaml(const std::string& path) {
  std::string extension = fs::path(path).extension().string();
  return extension == ".yaml" || extension == ".yml";
}

}  // namespace

std::string baseline_directory(const std::string& path) {
  std::error_code error;
  fs::path dir = fs::absolute(path).lexically_normal().parent_path();
  fs::path real = fs::weakly_canonical(dir, error);  // findings name files by their real paths
  return (error ? dir : real).string();
}

std::string normalize_message(const std::string& message) {
  std::string out;
  bool in_digits = false, in_space = false;
  for (char c : message) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      if (!in_digits) out += '#';
      in_digits = true;
      in_space = false;
      continue;
    }
    in_digits = false;
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (!in_space) out += ' ';
      in_space = true;
      continue;
    }
    in_space = false;
    out += c;
  }
  return out;
}

void write_baseline(const std::string& path, const std::vector<Finding>& findings) {
  std::string dir = directory_of(path);
  std::map<Key, unsigned> counts;
  for (const Finding& finding : findings) ++counts[key_of(finding, dir)];
  std::string text;
  if (is_yaml(path)) {
    YAML::Emitter out;
    out << YAML::BeginMap << YAML::Key << "kmodlint-baseline" << YAML::Value << 1;
    out << YAML::Key << "findings" << YAML::Value << YAML::BeginSeq;
    for (const auto& [key, count] : counts) {
      out << YAML::BeginMap << YAML::Key << "check" << YAML::Value << std::get<0>(key) << YAML::Key << "file"
          << YAML::Value << std::get<1>(key) << YAML::Key << "function" << YAML::Value << std::get<2>(key)
          << YAML::Key << "message" << YAML::Value << YAML::DoubleQuoted << std::get<3>(key);
      if (count > 1) out << YAML::Key << "count" << YAML::Value << count;
      out << YAML::EndMap;
    }
    out << YAML::EndSeq << YAML::EndMap;
    text = std::string(out.c_str()) + "\n";
  } else {
    llvm::json::Array entries;
    for (const auto& [key, count] : counts) {
      llvm::json::Object entry{{"check", std::get<0>(key)},
                               {"file", std::get<1>(key)},
                               {"function", std::get<2>(key)},
                               {"message", std::get<3>(key)}};
      if (count > 1) entry["count"] = static_cast<int64_t>(count);
      entries.push_back(std::move(entry));
    }
    llvm::json::Object root{{"kmodlint-baseline", 1}, {"findings", std::move(entries)}};
    llvm::raw_string_ostream stream(text);
    stream << llvm::formatv("{0:2}", llvm::json::Value(std::move(root))) << "\n";
    stream.flush();
  }
  write_file_atomically(path, text);
}

std::vector<BaselineEntry> read_baseline(const std::string& path) {
  return with_yaml_errors(path, [&]() -> std::vector<BaselineEntry> {
    YAML::Node root = load_yaml_file(path, "baseline");  // JSON is YAML too
    if (!root.IsMap() || !root["kmodlint-baseline"])
      yaml_fail(root, path, "not a kmodlint baseline (no 'kmodlint-baseline' key); create one with --baseline-create");
    yaml_reject_unknown_keys(root, {"kmodlint-baseline", "findings"}, path);
    YAML::Node list = root["findings"];
    std::vector<BaselineEntry> entries;
    if (!list) return entries;
    if (!list.IsSequence()) yaml_fail(list, path, "key 'findings': expected a list");
    for (const YAML::Node& item : list) {
      yaml_reject_unknown_keys(item, {"check", "file", "function", "message", "count"}, path);
      BaselineEntry entry;
      entry.check = yaml_string(item, "check", path);
      entry.file = yaml_string(item, "file", path);
      entry.function = yaml_string(item, "function", path);
      entry.message = yaml_string(item, "message", path);
      int count = yaml_int(item, "count", path, 1);
      if (entry.check.empty() || entry.file.empty() || count < 1)
        yaml_fail(item, path, "a baseline entry needs 'check', 'file' and a positive 'count'");
      entry.count = static_cast<unsigned>(count);
      entries.push_back(std::move(entry));
    }
    return entries;
  });
}

BaselineResult apply_baseline(const std::vector<Finding>& findings, const std::vector<BaselineEntry>& entries,
                              const std::string& baseline_dir) {
  std::map<Key, unsigned> remaining;
  for (const BaselineEntry& entry : entries)
    remaining[{entry.check, entry.file, entry.function, normalize_message(entry.message)}] += entry.count;
  BaselineResult result;
  for (const Finding& finding : findings) {
    auto found = remaining.find(key_of(finding, baseline_dir));
    if (found != remaining.end() && found->second > 0) {
      --found->second;
      ++result.known;
    } else {
      result.new_findings.push_back(finding);
    }
  }
  for (const auto& [key, count] : remaining)
    if (count > 0) result.stale.push_back({std::get<0>(key), std::get<1>(key), std::get<2>(key), std::get<3>(key), count});
  return result;
}

}  // namespace kmodlint
