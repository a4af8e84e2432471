#include "project/make_variables.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "project/kbuild_file.h"
#include "project/shell_words.h"

namespace kmodlint {

namespace {

constexpr int kMaxExpansionDepth = 8;

bool is_identifier(const std::string& name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
  return std::all_of(name.begin(), name.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

// $(NAME), ${NAME} and $(shell pwd) replaced; anything else stays as written.
std::string expand(const std::string& text, const std::map<std::string, std::string>& vars, int depth) {
  if (depth > kMaxExpansionDepth) return text;
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '$' || i + 1 >= text.size() || (text[i + 1] != '(' && text[i + 1] != '{')) {
      out += text[i];
      continue;
    }
    char close = text[i + 1] == '(' ? ')' : '}';
    std::size_t end = text.find(close, i + 2);
    if (end == std::string::npos) {
      out += text.substr(i);
      break;
    }
    std::string inner = text.substr(i + 2, end - i - 2);
    std::string trimmed = inner;
    trimmed.erase(0, trimmed.find_first_not_of(" \t"));
    if (trimmed == "shell pwd" && vars.count("CURDIR")) {
      out += vars.at("CURDIR");
    } else if (auto found = vars.find(inner); found != vars.end()) {
      out += expand(found->second, vars, depth + 1);
    } else {
      out += text.substr(i, end - i + 1);
    }
    i = end;
  }
  return out;
}

}  // namespace

bool passable_make_variable(const std::string& name) {
  static const std::set<std::string> kDenied = {
      "M", "O", "C", "V", "W", "PWD", "CURDIR", "SUBDIRS", "ARCH", "SRCARCH", "CROSS_COMPILE", "CC", "LD", "AR", "NM",
      "OBJCOPY", "OBJDUMP", "STRIP", "AS", "CPP", "HOSTCC", "HOSTCXX", "HOSTLD", "LLVM", "LLVM_IAS", "MAKE", "MAKEFLAGS",
      "MFLAGS", "MAKELEVEL", "SHELL", "KERNELRELEASE", "KERNELVERSION", "src", "obj", "srctree", "objtree", "quiet", "Q"};
  if (!is_identifier(name) || kDenied.count(name)) return false;
  return !name.starts_with("KBUILD_") && !name.starts_with("INSTALL_") && !name.starts_with("MAKE");
}

std::vector<std::string> make_variable_words(const std::vector<std::string>& words) {
  std::vector<std::string> out;
  for (const std::string& word : words) {
    std::size_t equals = word.find('=');
    if (equals == std::string::npos || equals == 0) continue;
    std::string name = word.substr(0, equals);
    if (!passable_make_variable(name) || word.find_first_of("$`", equals) != std::string::npos) continue;
    out.push_back(word);
  }
  return out;
}

std::vector<std::string> makefile_kbuild_variables(const std::string& makefile_text, const std::string& directory) {
  static const std::regex assignment(R"(^\s*(?:override\s+|export\s+)*([A-Za-z_][A-Za-z0-9_]*)\s*(:::=|::=|:=|\?=|\+=|!=|=)\s*(.*?)\s*$)");
  std::map<std::string, std::string> vars{{"PWD", directory}, {"CURDIR", directory}};
  std::vector<std::string> recipes;
  std::smatch match;
  std::istringstream in(makefile_text);
  for (const std::string& line : logical_lines(in)) {
    if (!line.empty() && line[0] == '\t') {
      recipes.push_back(line.substr(1));
      continue;
    }
    if (!std::regex_match(line, match, assignment)) continue;
    std::string name = match[1].str(), op = match[2].str(), value = match[3].str();
    if (name == "PWD" || name == "CURDIR" || op == "!=") continue;  // the directory, whatever the Makefile says
    if (op == "?=" && vars.count(name)) continue;
    if (op == "+=" && vars.count(name)) vars[name] += " " + value;
    else vars[name] = (op == ":=" || op == "::=" || op == ":::=") ? expand(value, vars, 0) : value;
  }
  std::vector<std::string> out;
  std::set<std::string> names;
  for (const std::string& recipe : recipes) {
    std::vector<std::string> words = split_shell_words(expand(recipe, vars, 0));
    bool runs_kbuild = std::any_of(words.begin(), words.end(), [](const std::string& w) { return w.starts_with("-C"); }) &&
                       std::any_of(words.begin(), words.end(), [](const std::string& w) {
                         return w.starts_with("M=") || w.starts_with("SUBDIRS=") || w.starts_with("KBUILD_EXTMOD=");
                       });
    if (!runs_kbuild) continue;
    for (const std::string& word : make_variable_words(words))
      if (names.insert(word.substr(0, word.find('='))).second) out.push_back(word);
  }
  return out;
}

}  // namespace kmodlint
