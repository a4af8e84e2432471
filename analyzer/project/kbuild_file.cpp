#include "project/kbuild_file.h"

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "common/error.h"
#include "common/file_io.h"
#include "project/shell_words.h"

namespace kmodlint {

namespace fs = std::filesystem;

namespace {

std::string trim(const std::string& text) {
  std::size_t begin = text.find_first_not_of(" \t");
  if (begin == std::string::npos) return {};
  std::size_t end = text.find_last_not_of(" \t\r");
  return text.substr(begin, end - begin + 1);
}


class Reader {
 public:
  explicit Reader(const std::string& path) : dir_(fs::path(path).parent_path().string()) {
    variables_["src"] = variables_["obj"] = variables_["M"] = variables_["PWD"] = variables_["CURDIR"] = dir_;
    variables_["KERNELRELEASE"] = "kmodlint";
  }

  void read(std::istream& in, KbuildFile& out) {
    for (const std::string& raw : logical_lines(in)) {
      std::string line = trim(raw);
      if (line.empty() || raw[0] == '\t') continue;  // recipe lines belong to rules, not Kbuild
      if (handle_conditional(line)) continue;
      if (!active()) continue;
      handle_assignment(line, out);
    }
    finish(out);
  }

 private:
  bool active() const {
    for (bool branch : conditions_)
      if (!branch) return false;
    return true;
  }

  // Only KERNELRELEASE tests are decided (Kbuild sets it); other conditions keep both branches,
  // so that a file listed under any configuration is known to belong to the module.
  bool handle_conditional(const std::string& line) {
    std::string head = line.substr(0, line.find_first_of(" \t("));
    if (head == "ifeq" || head == "ifneq" || head == "ifdef" || head == "ifndef") {
      bool value = true;
      if (line.find("KERNELRELEASE") != std::string::npos) {
        bool tests_set = (head == "ifneq" && line.find(",)") != std::string::npos) || head == "ifdef";
        bool tests_unset = (head == "ifeq" && line.find(",)") != std::string::npos) || head == "ifndef";
        value = tests_set || !tests_unset;
        decided_.push_back(true);
      } else {
        decided_.push_back(false);
      }
      conditions_.push_back(value);
      return true;
    }
    if (head == "else" && !conditions_.empty()) {
      if (decided_.back()) conditions_.back() = !conditions_.back();
      return true;
    }
    if (head == "endif" && !conditions_.empty()) {
      conditions_.pop_back();
      decided_.pop_back();
      return true;
    }
    return false;
  }

  std::string expand(const std::string& text) const {
    static const std::regex reference(R"(\$[\(\{]([A-Za-z0-9_.-]+)[\)\}])");
    std::string result;
    auto begin = std::sregex_iterator(text.begin(), text.end(), reference);
    std::size_t last = 0;
    for (auto it = begin; it != std::sregex_iterator(); ++it) {
      result += text.substr(last, it->position() - last);
      std::string name = (*it)[1].str();
      if (name.rfind("CONFIG_", 0) == 0) {
        result += "m";  // any configuration value: the object may be built
      } else if (name == "srctree") {
        result += "";
      } else {
        auto found = variables_.find(name);
        if (found != variables_.end()) result += found->second;
      }
      last = it->position() + it->length();
    }
    result += text.substr(last);
    return result;
  }

  void handle_assignment(const std::string& line, KbuildFile& out) {
    static const std::regex assignment(R"(^(override\s+|export\s+)?([A-Za-z0-9_.$(){}/-]+)\s*(:=|::=|\+=|\?=|=)\s*(.*)$)");
    std::smatch match;
    if (!std::regex_match(line, match, assignment)) return;
    std::string name = expand(match[2].str());
    std::string op = match[3].str();
    std::string value = expand(match[4].str());
    if (op == "+=" && variables_.count(name))
      variables_[name] += " " + value;
    else if (op != "?=" || !variables_.count(name))
      variables_[name] = value;
    if (name.rfind("obj-", 0) == 0) out.names_objects = true;
    assigned_order_.push_back(name);
  }

  std::vector<std::string> words(const std::string& name) const {
    auto found = variables_.find(name);
    if (found == variables_.end()) return {};
    return split_shell_words(found->second);
  }

  std::string absolute(const std::string& path) const {
    return (fs::path(dir_) / path).lexically_normal().string();
  }

  void finish(KbuildFile& out) {
    std::set<std::string> seen;
    for (const std::string& variable : assigned_order_) {
      if (!seen.insert(variable).second) continue;
      if (variable == "obj-m" || variable == "obj-y") {
        for (const std::string& object : words(variable)) add_top_object(object, out);
      } else if (variable == "ccflags-y" || variable == "EXTRA_CFLAGS" || variable == "subdir-ccflags-y" ||
                 variable == "ccflags-m") {
        for (const std::string& flag : words(variable)) out.ccflags.push_back(absolutize_flag(flag));
      } else if (variable.rfind("CFLAGS_", 0) == 0 && variable.size() > 9) {
        std::string object = absolute(variable.substr(7));
        for (const std::string& flag : words(variable)) out.object_cflags[object].push_back(absolutize_flag(flag));
      }
    }
  }

  std::string absolutize_flag(const std::string& flag) const {
    if (flag.size() > 2 && flag.compare(0, 2, "-I") == 0 && flag[2] != '/') return "-I" + absolute(flag.substr(2));
    return flag;
  }

  void add_top_object(const std::string& object, KbuildFile& out) {
    if (!object.empty() && object.back() == '/') {
      out.subdirs.push_back(absolute(object.substr(0, object.size() - 1)));
      return;
    }
    if (object.size() < 3 || object.compare(object.size() - 2, 2, ".o") != 0) return;
    KbuildModule module;
    module.name = object.substr(0, object.size() - 2);
    std::vector<std::string> parts;
    for (const std::string& suffix : {"-objs", "-y", "-m"})
      for (const std::string& part : words(module.name + suffix)) parts.push_back(part);
    if (parts.empty()) parts.push_back(object);
    std::set<std::string> unique;
    for (const std::string& part : parts)
      if (part.size() > 2 && part.compare(part.size() - 2, 2, ".o") == 0 && unique.insert(part).second)
        module.objects.push_back(absolute(part));
    out.modules.push_back(module);
  }

  std::string dir_;
  std::map<std::string, std::string> variables_;
  std::vector<std::string> assigned_order_;
  std::vector<bool> conditions_;
  std::vector<bool> decided_;
};

}  // namespace

std::vector<std::string> logical_lines(std::istream& in) {
  std::vector<std::string> lines;
  std::string line, pending;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    bool continued = !line.empty() && line.back() == '\\';
    if (continued) line.pop_back();
    pending += line + (continued ? " " : "");
    if (continued) continue;
    std::size_t hash = pending.find('#');
    if (hash != std::string::npos) pending.erase(hash);
    lines.push_back(pending);
    pending.clear();
  }
  if (!pending.empty()) lines.push_back(pending);
  return lines;
}

std::string kbuild_file_in(const std::string& directory) {
  std::error_code error;
  for (const char* name : {"Kbuild", "Makefile", "makefile", "GNUmakefile"}) {
    fs::path candidate = fs::path(directory) / name;
    if (fs::is_regular_file(candidate, error)) return candidate.string();
  }
  return {};
}

KbuildFile parse_kbuild_file(const std::string& path) {
  std::istringstream in(read_regular_file(path, kMaxTableBytes, "Kbuild file"));
  KbuildFile result;
  result.path = path;
  Reader(path).read(in, result);
  return result;
}

}  // namespace kmodlint
