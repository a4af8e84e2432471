#include "project/discovery.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <future>
#include <initializer_list>
#include <map>
#include <memory>
#include <regex>
#include <semaphore>

#include "common/error.h"
#include "project/compile_db.h"
#include "project/dkms_conf.h"
#include "project/flag_translation.h"
#include "project/kbuild_dry_run.h"
#include "project/kbuild_file.h"
#include "project/make_variables.h"
#include "common/file_io.h"
#include "common/read_policy.h"

namespace kmodlint {

namespace fs = std::filesystem;

namespace {

std::string canonical(const std::string& path) {
  std::error_code error;
  fs::path result = fs::weakly_canonical(fs::absolute(path), error);
  return error ? fs::absolute(path).lexically_normal().string() : result.string();
}

std::string c_file_of(const std::string& object) {
  return object.substr(0, object.size() - 2) + ".c";
}

bool names_objects(const std::string& directory, const ReadPolicy* policy) {
  std::string kbuild = kbuild_file_in(directory);
  if (kbuild.empty() || (policy && !policy->allows(kbuild))) return false;
  return parse_kbuild_file(kbuild).names_objects;
}

void check_readable(const std::string& file) {
  std::ifstream in(file);
  if (access(file.c_str(), R_OK) != 0 || !in)
    throw InputError(file, "cannot read this file; check its permissions");
}

class Discoverer {
 public:
  explicit Discoverer(const DiscoveryOptions& options) : options_(options) {}

  Project run() {
    std::vector<std::string> paths = options_.paths.empty() ? std::vector<std::string>{"."} : options_.paths;
    std::vector<std::string> named_files;
    std::vector<std::string> named_headers;
    std::vector<std::string> walked_files;
    for (const std::string& given : paths) {
      std::error_code error;
      if (!fs::exists(given, error))
        throw InputError(given, "no such file or directory; give a module directory or a .c file");
      std::string path = canonical(given);
      linted_dirs_.push_back(fs::is_directory(path, error) ? path : fs::path(path).parent_path().string());
      if (fs::is_directory(path, error)) {
        std::size_t before = walked_files.size();
        walk(path, walked_files);
        if (walked_files.size() == before)
          throw InputError(given, "no C source files here; give a module directory or a .c file");
      } else if (fs::path(path).extension() == ".h") {
        // A header (e.g. staged for a commit): lint the modules around it, report in it only.
        check_readable(path);
        named_headers.push_back(path);
        if (!add_module_root_for(fs::path(path).parent_path().string())) {
          std::vector<std::string> ignored;
          walk(enclosing_repository(fs::path(path).parent_path().string()), ignored);
        }
      } else {
        if (fs::path(path).extension() != ".c")
          throw InputError(given, "not a C source file; give a module directory, a .c file or a .h file");
        check_readable(path);
        named_files.push_back(path);
        add_module_root_for(fs::path(path).parent_path().string());
      }
    }
    for (const std::string& file : walked_files) check_readable(file);
    project_.kernel = find_kernel_dir(options_.kernel_dir);
    if (!project_.kernel.note.empty()) project_.remarks.push_back(project_.kernel.note);
    if (options_.policy && options_.policy->restricted()) project_.kernel_trees = kernel_trees(project_.kernel);
    load_compile_db();

    std::sort(module_roots_.begin(), module_roots_.end());
    module_roots_.erase(std::unique(module_roots_.begin(), module_roots_.end()), module_roots_.end());
    start_dry_runs();
    for (const std::string& root : module_roots_) {
      if (covered_dirs_.count(root)) continue;  // an enclosing module directory builds it
      if (outside_dkms_build(root)) continue;
      add_modules_of(root);
    }
    place_loose_files(walked_files, false);
    place_loose_files(named_files, true);
    if ((!named_files.empty() || !named_headers.empty()) && walked_files.empty()) {
      project_.report_only_files.insert(named_files.begin(), named_files.end());
      project_.report_only_files.insert(named_headers.begin(), named_headers.end());
    }
    if (!named_files.empty() && named_headers.empty() && walked_files.empty()) keep_modules_of(named_files);
    check_dkms_modules();
    note_refused_flags();
    // (A header alone may belong to no module: a commit that touches only a userspace header.)
    if (project_.modules.empty() && named_headers.empty())
      throw InputError(paths.front(), "no module to lint: Kbuild builds none of these C files with these settings "
                                      "(an obj-$(CONFIG_...) line whose option is unset? kmodlint -v lists what was skipped)");
    return std::move(project_);
  }

 private:
  void walk(const std::string& dir, std::vector<std::string>& files) {
    std::error_code error;
    if (!walked_dirs_.insert(dir).second) return;
    std::vector<fs::path> entries;
    fs::directory_iterator listing(dir, error);
    for (; !error && listing != fs::directory_iterator(); listing.increment(error)) entries.push_back(listing->path());
    if (error) {
      project_.unreadable.push_back(dir + ": cannot read this directory (" + error.message() +
                                    "); its files are not linted");
      return;
    }
    if (names_objects(dir, options_.policy)) module_roots_.push_back(dir);
    read_dkms_conf(dir, /*walked=*/true);
    std::sort(entries.begin(), entries.end());
    for (const fs::path& entry : entries) {
      std::string name = entry.filename().string();
      if (name.empty() || name[0] == '.') continue;
      if (fs::is_directory(entry, error) && !fs::is_symlink(entry, error)) {
        walk(entry.string(), files);
      } else if (entry.extension() == ".c" && fs::is_regular_file(entry, error) && name.find(".mod.c") == std::string::npos) {
        if (confined_out(entry.string())) continue;
        files.push_back(entry.string());
      }
    }
  }

  // Safe mode: a file whose real path leaves the linted trees (a symbolic link to /etc/...) is
  // not read.
  bool confined_out(const std::string& file) {
    if (!options_.policy || options_.policy->allows(file)) return false;
    project_.remarks.push_back(file + ": leads out of the linted tree (a symbolic link?); not read in --no-make mode");
    return true;
  }

  // A file given by name belongs to the module whose Kbuild file is in its directory or above.
  bool add_module_root_for(std::string dir) {
    while (!dir.empty() && dir != "/") {
      read_dkms_conf(dir);
      if (names_objects(dir, options_.policy)) {
        module_roots_.push_back(dir);
        return true;
      }
      if (fs::exists(fs::path(dir) / ".git")) return false;
      dir = fs::path(dir).parent_path().string();
    }
    return false;
  }

  // dkms.conf: BUILT_MODULE_LOCATION[i] is where module BUILT_MODULE_NAME[i] is built (default:
  // the dkms.conf directory); MAKE[0]'s "-C DIR" or "M=DIR", when literal, is a module directory too.
  // `walked`: found while walking a given directory (not above a named file), so its build
  // decides which module directories below it are linted (outside_dkms_build()).
  void read_dkms_conf(const std::string& dir, bool walked = false) {
    std::string conf = (fs::path(dir) / "dkms.conf").string();
    std::error_code error;
    if (!fs::is_regular_file(conf, error) || !dkms_read_.insert(conf).second || confined_out(conf)) return;
    DkmsConf parsed = parse_dkms_conf(conf);
    std::set<std::string> locations;
    for (std::size_t i = 0; i < parsed.module_names.size(); ++i) {
      std::string location = i < parsed.module_locations.size() ? parsed.module_locations[i] : "";
      std::string module_dir = canonical((fs::path(dir) / location).string());
      dkms_modules_.push_back({conf, parsed.module_names[i], module_dir});
      locations.insert(module_dir);
    }
    for (const std::string& make_dir : parsed.make_dirs) locations.insert(canonical((fs::path(dir) / make_dir).string()));
    // A package whose build starts with a configure step (openafs) generates its Kbuild files
    // where its own Makefiles decide: which directories it enters is not known before it has run.
    // Otherwise DKMS runs MAKE in the package's directory, so its own Makefile is built too
    // (ovpn-dco's top Makefile is the Kbuild file that enters drivers/net/ovpn-dco/ with obj-y).
    std::set<std::string>* built = nullptr;
    if (walked && !fs::exists(fs::path(dir) / "configure", error)) {
      std::string package_dir = canonical(dir);
      built = &dkms_built_dirs_[package_dir];
      built->insert(package_dir);
    }
    // How DKMS builds them: the MAKE line's variables, then those its Makefile hands to Kbuild.
    std::vector<std::string> variables = parsed.make_variables;
    for (const std::string& word : makefile_variables(dir)) variables.push_back(word);
    for (const std::string& location : locations) add_make_variables(location, variables);
    for (const std::string& location : locations)
      if (fs::is_directory(location, error) && !kbuild_file_in(location).empty()) {
        if (std::find(module_roots_.begin(), module_roots_.end(), location) == module_roots_.end()) {
          module_roots_.push_back(location);
          if (!names_objects(location, options_.policy)) named_by_dkms_only_.insert(location);
        }
        if (built) built->insert(location);
      }
  }

  // A module directory below a dkms.conf whose build never enters it: DKMS builds its
  // BUILT_MODULE_LOCATIONs and MAKE directories, and whatever their Kbuild files descend into
  // (covered_dirs_, filled as the roots are added in order, parents first). dahdi's legacy
  // drivers/dahdi/datamods has a Makefile with obj-m that nothing includes, and does not compile.
  bool outside_dkms_build(const std::string& root) {
    std::string real = canonical(root);
    for (const auto& [conf_dir, built] : dkms_built_dirs_) {
      if (built.count(real) || !path_is_under(real, conf_dir)) continue;
      project_.verbose.push_back(kbuild_file_in(root) + ": skipped: DKMS does not build here (" + conf_dir +
                                 "/dkms.conf builds " + join_relative(built, conf_dir) +
                                 ", and no Kbuild file there enters this directory)");
      return true;
    }
    return false;
  }

  static std::string join_relative(const std::set<std::string>& dirs, const std::string& base) {
    std::string out;
    for (const std::string& dir : dirs) {
      std::string relative = fs::path(dir).lexically_relative(base).string();
      out += (out.empty() ? "" : ", ") + (relative == "." ? std::string("the top directory") : relative + "/");
    }
    return out;
  }

  // NAME=value words the Makefile in `dir` passes to Kbuild (none in safe mode: no make runs).
  std::vector<std::string> makefile_variables(const std::string& dir) {
    if (options_.no_make) return {};
    std::string makefile = (fs::path(dir) / "Makefile").string();
    std::string why;
    std::error_code error;
    if (!fs::is_regular_file(makefile, error)) return {};
    std::optional<std::string> text = try_read_regular_file(makefile, kMaxTableBytes, why);
    return text ? makefile_kbuild_variables(*text, dir) : std::vector<std::string>{};
  }

  // Adds variables for the dry run of `root`; a name already given keeps its first value.
  void add_make_variables(const std::string& root, const std::vector<std::string>& words) {
    std::vector<std::string>& known = make_variables_[root];
    for (const std::string& word : words) {
      std::string name = word.substr(0, word.find('='));
      bool given = std::any_of(known.begin(), known.end(), [&](const std::string& k) { return k.substr(0, k.find('=')) == name; });
      if (!given) known.push_back(word);
    }
  }

  // Says when a module dkms.conf names is not one discovery found (a wrong BUILT_MODULE_LOCATION).
  void check_dkms_modules() {
    for (const DkmsModule& expected : dkms_modules_) {
      bool found = std::any_of(project_.modules.begin(), project_.modules.end(), [&](const ModuleSpec& module) {
        return module.name == expected.name;
      });
      if (!found)
        project_.remarks.push_back(expected.conf + ": BUILT_MODULE_NAME " + expected.name + " is not a module that " +
                                   expected.directory + "'s Kbuild file builds; check BUILT_MODULE_LOCATION");
    }
  }

  void load_compile_db() {
    if (options_.compile_db.empty()) return;
    std::string path = options_.compile_db;
    std::error_code error;
    if (fs::is_directory(path, error)) path = (fs::path(path) / "compile_commands.json").string();
    for (const CompileDbEntry& entry : read_compile_db(path)) compile_db_[canonical(entry.file)] = entry;
  }

  const CompileDbEntry* db_entry_for(const std::string& file, const std::string& module_dir) {
    if (compile_db_.empty() && !options_.no_make) {
      std::string local = (fs::path(module_dir) / "compile_commands.json").string();
      std::error_code error;
      if (fs::is_regular_file(local, error) && loaded_local_dbs_.insert(local).second)
        for (const CompileDbEntry& entry : read_compile_db(local)) compile_db_[canonical(entry.file)] = entry;
    }
    auto found = compile_db_.find(file);
    return found == compile_db_.end() ? nullptr : &found->second;
  }

  bool uses_dry_run(const std::string& root) const {
    return !options_.no_make && compile_db_.empty() && !fs::exists(fs::path(root) / "compile_commands.json");
  }

  // Dry runs take about a second each, mostly waiting on make: run up to --jobs at once. A root
  // that turns out to lie inside another module's directory has its result discarded.
  void start_dry_runs() {
    auto slots = std::make_shared<std::counting_semaphore<>>(std::max(1u, options_.jobs));
    for (const std::string& root : module_roots_)
      if (uses_dry_run(root)) {
        add_make_variables(root, makefile_variables(root));
        std::vector<std::string> variables = make_variables_[root];
        if (!variables.empty()) {
          std::string list;
          for (const std::string& v : variables) list += (list.empty() ? "" : " ") + v;
          project_.verbose.push_back(root + ": make variables of the module's own build passed to Kbuild: " + list);
        }
        dry_runs_[root] = std::async(std::launch::async, [slots, kernel = project_.kernel, root, variables] {
          slots->acquire();
          struct Release {
            std::counting_semaphore<>& slots;
            ~Release() { slots.release(); }
          } release{*slots};
          return kbuild_dry_run(kernel, root, variables);
        });
      }
  }

  void add_modules_of(const std::string& root) {
    std::string kbuild = kbuild_file_in(root);
    std::map<std::string, DryRunCompile> compiles;
    std::vector<KbuildModule> modules;
    if (uses_dry_run(root)) {
      DryRun run;
      try {
        run = dry_runs_.at(root).get();
      } catch (const InputError&) {
        // A directory only dkms.conf names, whose Makefile is not a Kbuild file (openafs's
        // configure-made top Makefile, which recurses into the generated libafs directory itself).
        if (!named_by_dkms_only_.count(root)) throw;
        project_.verbose.push_back(root + ": skipped: dkms.conf builds here, but its Makefile is not a Kbuild file "
                                          "(it names no objects, and Kbuild cannot dry-run it)");
        return;
      }
      if (!run.partial_failure.empty())
        project_.unreadable.push_back(kbuild + ": make could not dry-run all of it (" + run.partial_failure +
                                      "); the objects it could not make are not linted");
      for (const DryRunCompile& compile : run.compiles) compiles[compile.source_file] = compile;
      for (const DryRunModule& module : run.modules) modules.push_back({module.name, module.objects});
    } else {
      collect_literal_modules(kbuild, modules);
    }
    covered_dirs_.insert(root);
    for (const KbuildModule& module : modules) {
      ModuleSpec spec;
      spec.name = module.name;
      spec.directory = root;
      spec.kbuild_file = kbuild;
      for (const std::string& object : module.objects) {
        std::string source = c_file_of(object);
        covered_dirs_.insert(fs::path(object).parent_path().lexically_normal().string());
        auto compiled = compiles.find(source);
        std::error_code error;
        if (confined_out(source)) continue;
        if (!fs::exists(source, error)) {
          project_.verbose.push_back(object + ": no C source for this object of " + module.name + ".ko; not linted");
          continue;
        }
        if (compiled != compiles.end()) {
          spec.units.push_back(make_compile_command(compiled->second.words, source, compiled->second.directory,
                                                    project_.kernel, root, own_tree(root)));
        } else if (const CompileDbEntry* entry = db_entry_for(source, root)) {
          spec.units.push_back(
              make_compile_command(entry->words, source, entry->directory, project_.kernel, root, own_tree(root)));
        } else {
          std::vector<std::string> extra = literal_flags_for(object);
          spec.units.push_back(make_compile_command(
              instantiate_template(kernel_compile_template(project_.kernel), source, module.name, extra), source,
              project_.kernel.path, project_.kernel, root, own_tree(root)));
        }
        claimed_.insert(source);
      }
      if (!spec.units.empty()) project_.modules.push_back(std::move(spec));
    }
  }

  void collect_literal_modules(const std::string& kbuild, std::vector<KbuildModule>& modules) {
    KbuildFile file = parse_kbuild_file(kbuild);
    literal_files_.push_back(file);
    modules.insert(modules.end(), file.modules.begin(), file.modules.end());
    for (const std::string& subdir : file.subdirs) {
      if (confined_out(subdir)) continue;
      std::string sub_kbuild = kbuild_file_in(subdir);
      if (!sub_kbuild.empty()) collect_literal_modules(sub_kbuild, modules);
    }
  }

  std::vector<std::string> literal_flags_for(const std::string& object) {
    std::vector<std::string> flags;
    for (const KbuildFile& file : literal_files_) {
      if (!path_is_under(object, fs::path(file.path).parent_path().string())) continue;
      flags.insert(flags.end(), file.ccflags.begin(), file.ccflags.end());
      auto specific = file.object_cflags.find(object);
      if (specific != file.object_cflags.end()) flags.insert(flags.end(), specific->second.begin(), specific->second.end());
    }
    return flags;
  }

  void place_loose_files(const std::vector<std::string>& files, bool named) {
    for (const std::string& file : files) {
      if (claimed_.count(file)) continue;
      std::string dir = fs::path(file).parent_path().string();
      std::string kbuild = kbuild_file_in(dir);
      bool in_module_dir = std::any_of(covered_dirs_.begin(), covered_dirs_.end(),
                                       [&](const std::string& covered) { return covered == dir; });
      if (!named && (in_module_dir || (!kbuild.empty() && names_objects(dir, options_.policy)))) {
        project_.verbose.push_back(file + ": skipped: " + (kbuild.empty() ? dir : kbuild) +
                                   " does not build it into any module");
        continue;
      }
      // A tree with module directories builds its modules there: a .c file elsewhere in it (a
      // userspace tool, an example, a test, a source that configure turns into a module) is not
      // a module of its own.
      if (!named && !module_roots_.empty()) {
        project_.verbose.push_back(file + ": skipped: no Kbuild file of this tree builds it");
        continue;
      }
      if (!named && looks_like_userspace(file)) {
        project_.verbose.push_back(file + ": skipped: a userspace program (main() or a libc header), not kernel code");
        continue;
      }
      std::string name = fs::path(file).stem().string();
      ModuleSpec spec;
      spec.name = name;
      spec.directory = dir;
      spec.single_file = true;
      spec.units.push_back(make_compile_command(
          instantiate_template(kernel_compile_template(project_.kernel), file, name, {"-I" + dir}), file,
          project_.kernel.path, project_.kernel, dir));
      claimed_.insert(file);
      project_.modules.push_back(std::move(spec));
    }
  }

  // Only .c files were named: their modules are linted, not every module of their Kbuild file (a
  // directory of single-file modules builds dozens).
  void keep_modules_of(const std::vector<std::string>& files) {
    std::set<std::string> named(files.begin(), files.end());
    std::erase_if(project_.modules, [&](const ModuleSpec& module) {
      bool keep = std::any_of(module.units.begin(), module.units.end(),
                              [&](const CompileCommand& unit) { return named.count(unit.file) > 0; });
      if (!keep) project_.verbose.push_back(module.directory + ": " + module.name + ".ko: not linted (no file of it was named)");
      return !keep;
    });
  }

  // main(), or a C library header and no kernel one: a program, not a module.
  bool looks_like_userspace(const std::string& file) const {
    std::string why;
    std::optional<std::string> text = try_read_regular_file(file, kMaxTableBytes, why);
    if (!text) return false;
    static const std::regex main_function(R"((^|\n)\s*(int|void)\s+main\s*\()");
    static const std::regex libc_header(R"(#\s*include\s*<(stdio|stdlib|unistd|string|fcntl|errno|pthread)\.h>)");
    static const std::regex kernel_header(R"(#\s*include\s*<(linux|asm|net|uapi/linux)/)");
    bool kernel = std::regex_search(*text, kernel_header);
    return std::regex_search(*text, main_function) || (std::regex_search(*text, libc_header) && !kernel);
  }

  void note_refused_flags() {
    for (const ModuleSpec& module : project_.modules)
      for (const CompileCommand& unit : module.units) {
        if (unit.refused_flags.empty()) continue;
        std::string list;
        for (const std::string& flag : unit.refused_flags) list += (list.empty() ? "" : ", ") + flag;
        project_.verbose.push_back(unit.file + ": flags not given to Clang (not on the allowlist of rules/gcc-flags.yaml: "
                                   "they could write or load files, or are not for Clang): " + list);
      }
  }

  // The kernel directory and the include directories of its own compile command: what Clang
  // reads of the kernel (safe mode lets it read there).
  static std::vector<std::string> kernel_trees(const KernelDir& kernel) {
    std::vector<std::string> trees{kernel.path, kernel.real_path};
    DryRunCompile command = kernel_compile_template(kernel);
    const std::vector<std::string>& words = command.words;
    for (std::size_t i = 0; i < words.size(); ++i) {
      const std::string& word = words[i];
      std::string path;
      bool file = false;
      if ((word == "-I" || word == "-isystem" || word == "-idirafter" || word == "-include" || word == "-imacros") &&
          i + 1 < words.size()) {
        path = words[++i];
        file = word == "-include" || word == "-imacros";
      } else if (word.size() > 2 && word.rfind("-I", 0) == 0) {
        path = word.substr(2);
      }
      if (path.empty()) continue;
      fs::path absolute = fs::path(path).is_absolute() ? fs::path(path) : fs::path(command.directory) / path;
      trees.push_back((file ? absolute.parent_path() : absolute).lexically_normal().string());
    }
    return trees;
  }

  struct DkmsModule {
    std::string conf, name, directory;
  };

  const DiscoveryOptions& options_;
  Project project_;
  std::set<std::string> walked_dirs_;
  std::set<std::string> dkms_read_;
  std::vector<DkmsModule> dkms_modules_;
  // dkms.conf directory -> the module directories its build runs Kbuild in (with a Kbuild file).
  std::map<std::string, std::set<std::string>> dkms_built_dirs_;
  // Module roots only because dkms.conf names them: their Makefile has no literal obj- line.
  std::set<std::string> named_by_dkms_only_;
  std::vector<std::string> module_roots_;
  std::set<std::string> covered_dirs_;
  std::set<std::string> claimed_;
  std::map<std::string, CompileDbEntry> compile_db_;
  std::set<std::string> loaded_local_dbs_;
  std::vector<KbuildFile> literal_files_;
  std::map<std::string, std::future<DryRun>> dry_runs_;
  std::map<std::string, std::vector<std::string>> make_variables_;  // per module root, for its dry run
  std::vector<std::string> linted_dirs_;  // the directories given (or those of the files given)

  // Where the module's own headers are: its tree (a repository, a DKMS package), else the widest
  // directory given that holds it, else its own directory.
  std::string own_tree(const std::string& root) const {
    std::string tree = marked_tree_root(root);
    if (!tree.empty()) return tree;
    tree = root;
    for (const std::string& dir : linted_dirs_)
      if (path_is_under(root, dir) && (tree == root || dir.size() < tree.size())) tree = dir;
    return tree;
  }
};

}  // namespace

namespace {

// The nearest of `dir` and its ancestors (the filesystem root aside) that holds one of `markers`,
// or "". Only names are looked at.
std::string nearest_with(const std::string& dir, std::initializer_list<const char*> markers) {
  std::error_code error;
  for (fs::path at = dir; !at.empty() && at != at.parent_path(); at = at.parent_path())
    for (const char* marker : markers)
      if (fs::exists(at / marker, error)) return at.string();
  return {};
}

}  // namespace

std::string enclosing_repository(const std::string& dir) {
  std::string repository = nearest_with(dir, {".git"});
  return repository.empty() ? dir : repository;
}

std::string marked_tree_root(const std::string& dir) { return nearest_with(dir, {".git", "dkms.conf"}); }

std::string tree_root(const std::string& dir) {
  std::string marked = marked_tree_root(dir);
  return marked.empty() ? dir : marked;
}

CompileCommand make_compile_command(const std::vector<std::string>& gcc_words, const std::string& file,
                                    const std::string& directory, const KernelDir& kernel,
                                    const std::string& module_dir, const std::string& own_tree) {
  CompileCommand command;
  command.file = file;
  command.directory = directory;
  command.arguments = translate_gcc_command(gcc_words, file, directory, default_flag_table(), &command.refused_flags);
  command.kernel_roots = {kernel.real_path, kernel.path};
  for (std::size_t i = 1; i + 1 < command.arguments.size(); ++i) {
    const std::string& word = command.arguments[i];
    std::string path;
    if (word == "-include" || word == "-I" || word == "-isystem") path = command.arguments[i + 1];
    else if (word.rfind("-I", 0) == 0) path = word.substr(2);
    // The module's own headers: anything in its tree (jool's -I$(src)/../.. reaches src/), not only
    // under its directory.
    if (path.empty() || path[0] != '/' || path_is_under(path, module_dir) ||
        (!own_tree.empty() && path_is_under(path, own_tree)))
      continue;
    if (word == "-include") path = fs::path(path).parent_path().string();
    if (std::find(command.kernel_roots.begin(), command.kernel_roots.end(), path) == command.kernel_roots.end())
      command.kernel_roots.push_back(path);
  }
  return command;
}

Project discover_project(const DiscoveryOptions& options) { return Discoverer(options).run(); }

}  // namespace kmodlint
