// rules/cleanup-pairs.yaml: acquire/release pairs of kernel APIs (schema: docs/rules/cleanup-pairs.md).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kmodlint {

struct HandleComponent {
  enum class From { Return, Arg, OutArg, Constant, Global };
  From from = From::Return;
  int index = -1;         // for Arg / OutArg
  std::string value;      // for Constant / Global
  std::string member;     // the argument is &(H)->member
  bool zero_means_return = false;
  std::string equals;     // the argument must be this expression ("&iomem_resource")
};

enum class FailsOn { Never, NullPtr, ErrPtr, ErrPtrOrNull, Negative, NonZero, Zero, DmaMappingError };

struct ArgRef {
  std::string pair;
  int arg = -1;
};

struct AcquireApi {
  std::string name;
  std::string callee;  // after macro expansion
  std::vector<std::string> alt_callees;
  bool match_macro = false;
  std::vector<HandleComponent> handle;
  FailsOn fails = FailsOn::Never;
  bool unchecked_ok = false;
  bool acquired_on_failure = false;
  std::vector<std::string> failure_release;
  struct Consume {
    int arg = -1;
    bool always = false;
  };
  std::vector<Consume> consumes;
  std::vector<ArgRef> depends_on;
  // Argument `arg` is the handle of a live resource of `pair` (pcim_enable_device): devres then
  // releases what this call acquires.
  std::vector<ArgRef> managed_after;
  // The returned handle is this argument (get_device(dev) returns dev): a release of the argument
  // releases it even when the result is not kept. -1: none.
  int returns_arg = -1;
};

struct ReleaseApi {
  std::string name;
  std::string callee;
  std::vector<std::string> alt_callees;
  bool match_macro = false;
  std::vector<std::optional<int>> handle_args;
  std::string member;
  bool null_ok = false;
  bool err_ptr_ok = false;
  bool idempotent = false;
  // Releasing a handle that was never acquired (its acquire failed) is harmless: no
  // release-without-acquire.
  bool absent_ok = false;
  bool recursive = false;
  std::vector<std::string> also_releases;
};

struct SetupApi {
  std::string name;
  std::string callee;
  std::vector<std::string> alt_callees;
  bool match_macro = false;
  std::vector<HandleComponent> handle;
};

struct WrongRelease {
  std::string name;
  std::string callee;
  bool match_macro = false;
  bool teardown_only = false;  // when: teardown
  // when: unreleased: a step before the release (flush_workqueue() before destroy_workqueue()),
  // wrong only when the function does not go on to release the same handle.
  bool before_release_ok = false;
  std::string reason;
};

struct CleanupPair {
  std::string id;
  std::string family;
  std::string summary;
  bool managed = false;
  // A reference count: every acquire needs its own release, and one release undoes one acquire.
  bool counted = false;
  // The acquire publishes the object (registers a device on a bus): the kernel hands it to the
  // module's callbacks, so a function that drops its own pointer to it has not lost it.
  bool published = false;
  // Handle component naming what the resource is registered in (a notifier chain head): when
  // that is a variable of the module itself, the registration dies with the module.
  int module_owned_container = -1;
  // Argument of the acquire that is the object's parent, whose unregistration removes it
  // (i2c_del_adapter() unregisters the adapter's clients). -1: none.
  int removed_with_parent = -1;
  std::vector<SetupApi> setup;
  std::vector<AcquireApi> acquire;
  std::vector<ReleaseApi> release;
  std::vector<WrongRelease> wrong_release;
  std::string source;
  std::string notes;
  std::string defined_in;  // file:line of the pair, for messages about the table itself
};

class CleanupPairTable {
 public:
  // Adds `pair`, replacing a pair of the same id (the --rules merge rule).
  void add_or_replace(CleanupPair pair);
  // Checks cross-references (depends_on, also_releases) once every file is merged; throws InputError.
  void validate() const;

  const std::vector<CleanupPair>& pairs() const { return pairs_; }
  const CleanupPair* find(const std::string& id) const;

  struct AcquireMatch {
    const CleanupPair* pair;
    const AcquireApi* api;
  };
  struct ReleaseMatch {
    const CleanupPair* pair;
    const ReleaseApi* api;
  };
  struct WrongMatch {
    const CleanupPair* pair;
    const WrongRelease* api;
  };
  struct SetupMatch {
    const CleanupPair* pair;
    const SetupApi* api;
  };
  // Lookups by callee name (after macro expansion); entries with match: macro are not returned.
  std::vector<AcquireMatch> acquires_by_callee(const std::string& callee) const;
  std::vector<ReleaseMatch> releases_by_callee(const std::string& callee) const;
  std::vector<WrongMatch> wrong_releases_by_callee(const std::string& callee) const;
  std::vector<SetupMatch> setups_by_callee(const std::string& callee) const;
  // True when `callee` appears anywhere in the table (acquire, release, wrong release, setup).
  bool knows(const std::string& callee) const;

 private:
  void reindex();
  std::vector<CleanupPair> pairs_;
  std::multimap<std::string, std::pair<std::size_t, std::size_t>> acquire_index_, release_index_, wrong_index_,
      setup_index_;
};

// Loads one table file into `table` (merging by id). Throws InputError "file:line: ..." on errors.
void load_cleanup_pairs(const std::string& path, CleanupPairTable& table);
CleanupPairTable load_cleanup_pair_table(const std::string& path);

// The table the checks use: the built-in rules/cleanup-pairs.yaml plus every --rules file,
// configured once by the CLI before the checks run (the built-in table alone by default).
void configure_cleanup_pairs(const std::vector<std::string>& user_rule_files);
const CleanupPairTable& active_cleanup_pairs();

}  // namespace kmodlint
