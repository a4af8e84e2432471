// What the lifetimes engine knows at one point of one path: the resources acquired (by acquire
// site), what the path learned of tested values, releases that came too early, and the other
// names of pointer values.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "engines/lifetimes/value_key.h"
#include "engines/paths/path_trail.h"
#include "report/finding.h"

namespace kmodlint::lifetimes {

// Value classes of a tested value: negative / error pointer, zero / NULL, positive / valid pointer.
constexpr unsigned kNeg = 1, kZero = 2, kPos = 4, kAll = 7;

unsigned test_set(BranchCondition::Test test, bool holds);
// The values an acquire can return, and which of them mean failure.
unsigned domain_of(FailsOn fails);
unsigned failure_of(FailsOn fails);
unsigned sign_class(std::int64_t value);

// Acquire sites: one per acquiring call (or per resource a helper call brings in).
struct Site {
  const CleanupPair* pair = nullptr;
  const AcquireApi* api = nullptr;
  SourceLocation location;  // the acquiring call
  std::string function;     // where it is
  int ordinal = 0;
};

struct Resource {
  int site = 0;
  enum class Status { Maybe, Held, FailedHeld, Released };
  Status status = Status::Maybe;
  bool prior = false;  // earlier iterations of a loop hold it too
  std::vector<std::set<ValueKey>> comps;  // aliases of each handle component
  std::set<ValueKey> status_keys;         // values carrying the acquire's success/failure
  int depends_on = -1;                       // site this one depends on (depends_on in the table)
  FailsOn fails = FailsOn::Never;            // how the status values say failure (the API's, or a helper's)
  bool definite_release = false;
  ValueKey held_if_fails;  // the result of a helper call that leaves it held when it fails
  SourceLocation released_at;
  std::string released_by;
  // Handed to code that may keep it (an unknown or indirect callee, a registration, a queue), or
  // compared with another pointer in a way the walk cannot follow: no longer lost when the
  // function's own names of it go away.
  bool handed_over = false;
  // Passed to an unknown or indirect callee that may release it (an URB's completion frees it):
  // where it is kept no longer tells who releases it.
  bool passed_on = false;
  // Its failure was tested (a branch, IS_ERR(), PTR_ERR_OR_ZERO()) or cannot matter any more.
  bool tested = false;
  PathTrail acquired_on;  // the path's decisions up to the acquire (path notes start after it)

  bool live() const { return status != Status::Released; }
  auto tie() const {
    return std::tie(site, status, prior, comps, status_keys, depends_on, definite_release, released_at, released_by,
                    handed_over, passed_on, tested);
  }
};

// An acquire that this path knows failed: a release of its handle later on the path releases
// something it never got.
struct FailedAcquire {
  int site = 0;
  std::set<ValueKey> handle;  // names of component 0 on this path
  SourceLocation learnt_at;   // the test that said it failed
  PathTrail learnt_on;        // the path's decisions up to that test (not compared)
  auto operator<=>(const FailedAcquire& other) const {
    return std::tie(site, handle, learnt_at) <=> std::tie(other.site, other.handle, other.learnt_at);
  }
  bool operator==(const FailedAcquire& other) const { return (*this <=> other) == 0; }
};

struct PendingOrder {
  int dependent = 0;  // site still live
  int base = 0;       // site released too early
  SourceLocation at;  // the early release
  std::string by;
  auto operator<=>(const PendingOrder&) const = default;
};

// What a path knows of a value's exact integer value, from `x == C` / `x != C` tests and the edges
// of a switch on x: either the value, or values it is not.
struct ExactValue {
  std::optional<std::int64_t> equals;
  std::set<std::int64_t> excluded;
  auto operator<=>(const ExactValue&) const = default;
};

struct State {
  std::vector<Resource> resources;  // sorted by site
  std::map<ValueKey, unsigned> knowledge;
  std::map<ValueKey, ExactValue> exact;
  std::vector<PendingOrder> pending;
  std::vector<FailedAcquire> failed;
  // Names of one pointer value, from assignments of one variable or field to another
  // (priv->dev = &pdev->dev): keyed by the assigned location.
  std::map<ValueKey, std::set<ValueKey>> same_value;
  // A branch this path cannot take (what it knows contradicts the test): dropped by the walk.
  bool infeasible = false;
  // The branch decisions the path made (for path notes; not part of its fingerprint: two paths
  // that know the same walk on as one, with the first one's trail).
  PathTrail trail;

  // Adds to `comp` every other name of a value it names, and of storage reached through one
  // (card->pcidev->irq is also pci_dev->irq after card->pcidev = pci_dev).
  void add_same_values(std::set<ValueKey>& comp) const;

  Resource* find(int site) {
    for (Resource& r : resources)
      if (r.site == site) return &r;
    return nullptr;
  }
  const Resource* find(int site) const {
    for (const Resource& r : resources)
      if (r.site == site) return &r;
    return nullptr;
  }
  void put(Resource r) {
    for (Resource& existing : resources)
      if (existing.site == r.site) {
        existing = std::move(r);
        return;
      }
    resources.push_back(std::move(r));
    std::sort(resources.begin(), resources.end(), [](const Resource& a, const Resource& b) { return a.site < b.site; });
  }
  void erase(int site) {
    std::erase_if(resources, [&](const Resource& r) { return r.site == site; });
    std::erase_if(pending, [&](const PendingOrder& p) { return p.dependent == site; });
  }
  // This state at `block`, as a digest: two paths with the same one walk on the same way (which
  // call released what is not part of it). How the walk remembers what it has walked.
  Fingerprint fingerprint_at(int block) const;
};

// The handle is kept where it outlives the function: component 0 names such storage, or, when
// component 0 cannot be named (device_create's dev_t as an expression), another component does.
template <typename R>
bool kept_outside(const R& r) {
  if (r.comps.empty()) return false;
  if (!r.comps[0].empty()) return std::any_of(r.comps[0].begin(), r.comps[0].end(), [](const ValueKey& k) { return outliving(k); });
  for (const auto& comp : r.comps)
    for (const ValueKey& k : comp)
      if (outliving(k)) return true;
  return false;
}

// The address of an array element that a plain value points to on this path (dev = &devs[i],
// dev = devs + i): "&G:devs[]", or an empty key.
ValueKey element_pointed_to(const State& state, const ValueKey& pointer);
// Adds, for each key reached through a pointer to an array element (dev->buf with dev = &devs[i]),
// the key of the same storage spelled through the array (devs[].buf): the unwind loop and exit
// write devs[i].buf.
void add_element_names(const State& state, std::vector<ValueKey>& keys);
void add_element_names(const State& state, std::set<ValueKey>& keys);

// Forgets everything the state knows about `key` and the storage inside it; with keep_pointer (a
// write through the pointer `key` dereferences) the pointer itself keeps its names.
void kill_key(State& state, const ValueKey& key, bool keep_pointer = false);
// Forgets remembered condition outcomes whose spelling mentions `name` as a whole word.
void kill_text_keys(State& state, const std::string& name);
// The resources whose object a plain local of `values` points into, by what the path assigned it
// (rp = &rps[j], p = &obj->member).
std::vector<int> resources_pointed_into(const State& state, const std::vector<ValueKey>& values);
// The resources held in the object `v` points into (&obj->member names obj), or that are it.
std::vector<int> resources_in_object(const State& state, ValueRef v, const FunctionFacts& fn);
// Both: the resources in the object `v` names or is a member of, and those a plain local `v`
// points into by what the path assigned it (adev = &madev->adev).
std::vector<int> resources_reached_from(const State& state, const ValueRef& v, const FunctionFacts& fn);
// For a helper's summary: each key that names a local replaced by a name of the same value that
// its caller can see.
std::vector<ValueKey> visible_names(const State& state, std::vector<ValueKey> keys);
// The class of `c ? a : b` on this path, when what the path knows of c's subject decides it.
std::optional<unsigned> chosen_class(const State& state, const ChosenValue& chosen, const FunctionFacts& fn);
// `target` is a field of a local that names an element of a global list.
bool in_global_list_element(const State& state, const ValueRef& target);

}  // namespace kmodlint::lifetimes
