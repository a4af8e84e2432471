#include "project/dkms_conf.h"

#include "common/file_io.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include "project/make_variables.h"
#include "project/shell_words.h"

namespace kmodlint {

namespace fs = std::filesystem;

namespace {

// $NAME and ${NAME} from `vars`; unknown variables stay as written.
std::string expand(const std::string& text, const std::map<std::string, std::string>& vars) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '$' || i + 1 >= text.size()) {
      out += text[i];
      continue;
    }
    std::size_t start = i + 1, end;
    bool braced = text[start] == '{';
    if (braced) {
      end = text.find('}', start);
      if (end == std::string::npos) {
        out += text.substr(i);
        break;
      }
      ++start;
    } else {
      end = start;
      while (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '_')) ++end;
    }
    std::string name = text.substr(start, end - start);
    auto found = vars.find(name);
    if (found != vars.end()) out += found->second;
    else out += text.substr(i, end - i + (braced ? 1 : 0));
    i = braced ? end : end - 1;
  }
  return out;
}

// The part of `path` below the package's own tree, DKMS's build tree ($dkms_tree/NAME/VERSION/build)
// or the installed source (`installed`, /usr/src/NAME-VERSION): "" for the tree itself, "/sub/dir"
// below it; nullopt for any other path.
std::optional<std::string> below_package_tree(const std::string& path, const std::string& installed) {
  if (path.starts_with("$dkms_tree/") || path.starts_with("${dkms_tree}/")) {
    std::size_t build = path.find("/build");
    if (build == std::string::npos || (build + 6 < path.size() && path[build + 6] != '/')) return std::nullopt;
    return path.substr(build + 6);
  }
  if (!installed.empty() && (path == installed || path.starts_with(installed + "/"))) return path.substr(installed.size());
  return std::nullopt;
}

// "${dkms_tree}/foo/1.0/build/src" -> "src"; "/usr/src/foo-1.0/src" (the installed source) -> "src";
// "src" -> "src"; anything else with a '$', or absolute -> "".
std::string source_relative(const std::string& dir, const std::string& installed) {
  std::string path = dir;
  if (std::optional<std::string> below = below_package_tree(dir, installed)) {
    path = below->empty() ? std::string() : below->substr(1);
    if (path.empty()) path = ".";
  }
  if (path.find('$') != std::string::npos || path.empty() || path[0] == '/') return "";
  return path;
}

// A MAKE word NAME=PATH with PATH in the package's own tree: the same path under `source_dir`.
std::string in_source_dir(const std::string& word, const std::string& source_dir, const std::string& installed) {
  std::size_t equals = word.find('=');
  if (source_dir.empty() || equals == std::string::npos) return word;
  std::optional<std::string> below = below_package_tree(word.substr(equals + 1), installed);
  if (!below || below->find("..") != std::string::npos) return word;
  return word.substr(0, equals + 1) + source_dir + *below;
}

void put(std::vector<std::string>& list, std::size_t index, const std::string& value) {
  if (list.size() <= index) list.resize(index + 1);
  list[index] = value;
}

}  // namespace

DkmsConf parse_dkms_conf_text(const std::string& text, const std::string& source_dir) {
  DkmsConf conf;
  std::map<std::string, std::string> vars;
  std::vector<std::string> makes;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    std::size_t start = line.find_first_not_of(" \t");
    if (start == std::string::npos || line[start] == '#') continue;
    std::size_t equals = line.find('=', start);
    if (equals == std::string::npos) continue;
    std::string name = line.substr(start, equals - start);
    std::size_t index = 0;
    if (std::size_t bracket = name.find('['); bracket != std::string::npos) {
      try {
        index = std::stoul(name.substr(bracket + 1));
      } catch (const std::exception&) {
        continue;
      }
      name.erase(bracket);
    }
    if (name.empty() || name.find_first_of(" \t") != std::string::npos) continue;
    std::vector<std::string> words = split_shell_words(line.substr(equals + 1));
    std::string value = expand(words.empty() ? "" : words.front(), vars);
    vars[name] = value;
    if (name == "BUILT_MODULE_NAME") put(conf.module_names, index, value);
    else if (name == "BUILT_MODULE_LOCATION") put(conf.module_locations, index, source_relative(value, ""));
    else if (name == "MAKE") put(makes, index, value);
  }
  std::string installed = vars.count("PACKAGE_NAME") && vars.count("PACKAGE_VERSION")
                              ? "/usr/src/" + vars["PACKAGE_NAME"] + "-" + vars["PACKAGE_VERSION"]
                              : std::string();
  for (const std::string& make : makes) {
    // "(make modules KVERS=$kernelver MODULES_EXTRA='a b'; make KVERS=$kernelver)": each command's words.
    for (const ShellPipeline& pipeline : split_shell_line(make))
      for (const ShellCommand& command : pipeline) {
        std::vector<std::string> words;
        for (const std::string& word : command.words) words.push_back(in_source_dir(word, source_dir, installed));
        for (const std::string& word : make_variable_words(words))
          if (std::find(conf.make_variables.begin(), conf.make_variables.end(), word) == conf.make_variables.end())
            conf.make_variables.push_back(word);
      }
    std::vector<std::string> words = split_shell_words(make);
    for (std::size_t i = 0; i < words.size(); ++i) {
      std::string dir;
      if (words[i] == "-C" && i + 1 < words.size()) dir = words[i + 1];
      else if (words[i].rfind("-C", 0) == 0 && words[i].size() > 2) dir = words[i].substr(2);
      else if (words[i].rfind("M=", 0) == 0) dir = words[i].substr(2);
      else continue;
      if (std::string relative = source_relative(dir, installed); !relative.empty()) conf.make_dirs.push_back(relative);
    }
  }
  for (std::string& name : conf.module_names)
    if (name.size() > 3 && name.compare(name.size() - 3, 3, ".ko") == 0) name.erase(name.size() - 3);
  return conf;
}

DkmsConf parse_dkms_conf(const std::string& path) {
  std::string why;
  std::optional<std::string> text = try_read_regular_file(path, kMaxTableBytes, why);
  return text ? parse_dkms_conf_text(*text, fs::absolute(path).parent_path().lexically_normal().string()) : DkmsConf{};
}

}  // namespace kmodlint
