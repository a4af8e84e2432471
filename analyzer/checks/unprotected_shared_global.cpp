#include "checks/unprotected_shared_global.h"

#include <algorithm>
#include <map>

#include "engines/concurrency/shared_globals.h"
#include "tables/entry_points.h"
#include "tables/locks.h"

namespace kmodlint {

namespace {

std::string lock_list(const std::set<std::string>& locks) {
  if (locks.empty()) return "with no lock";
  std::string out;
  for (const std::string& l : locks) out += (out.empty() ? "'" : ", '") + l + "'";
  return "holding " + out;
}

const char* verb(const SharedAccess& a) {
  switch (a.access->mode) {
    case AccessEvent::Mode::Write: return "written";
    case AccessEvent::Mode::ReadWrite: return "updated";
    default: return "read";
  }
}

bool before(const SharedAccess* a, const SharedAccess* b) {
  return a->access->location < b->access->location;
}

}  // namespace

void UnprotectedSharedGlobalCheck::check_module(const ModuleModel& module, CheckContext& ctx) {
  const SharedGlobalsAnalysis& analysis = module.memo<SharedGlobalsAnalysis>(
      "shared-globals", [&] {
        const RuleTables& t = ctx.tables();
        return analyze_shared_globals(module, *t.entry_points, *t.locks, *t.api_names, *t.cleanup_pairs);
      });

  std::map<std::string, std::vector<const SharedAccess*>> by_location;
  for (const SharedAccess& a : analysis.accesses) by_location[a.location_key].push_back(&a);

  for (auto& [key, sites] : by_location) {
    std::sort(sites.begin(), sites.end(), before);
    // The first write that races with another access, and its partner (preferring a partner in
    // another entry point, then the earliest one).
    // The first write that races with another access, preferring one that holds no lock at all
    // (the unprotected one), and its partner (preferring one in another entry point).
    const SharedAccess* write = nullptr;
    const SharedAccess* other = nullptr;
    for (bool want_unlocked : {true, false}) {
      for (const SharedAccess* w : sites) {
        if (!w->is_write() || (want_unlocked && !w->locks.empty())) continue;
        const SharedAccess* partner = nullptr;
        for (const SharedAccess* o : sites) {
          if (!analysis.concurrent(w->entry, w->concurrent_entries, o->entry, o->concurrent_entries)) continue;
          bool common =
              std::any_of(w->locks.begin(), w->locks.end(), [&](const std::string& l) { return o->locks.count(l); });
          if (common) continue;
          if (!partner || (partner->entry == w->entry && o->entry != w->entry)) partner = o;
        }
        if (partner) {
          write = w;
          other = partner;
          break;
        }
      }
      if (write) break;
    }
    if (!write) continue;

    // A lock that protects this location elsewhere in the module.
    std::map<std::string, int> lock_use;
    for (const SharedAccess* s : sites)
      for (const std::string& l : s->locks) ++lock_use[l];
    std::string suggestion;
    if (!lock_use.empty()) {
      auto best = std::max_element(lock_use.begin(), lock_use.end(),
                                   [](const auto& a, const auto& b) { return a.second < b.second; });
      suggestion = "; it is protected by '" + best->first + "' elsewhere (" + std::to_string(best->second) + " of " +
                   std::to_string(sites.size()) + " accesses): take that lock here too";
    } else {
      suggestion = "; protect every access with one lock, or use atomic_t or READ_ONCE()/WRITE_ONCE() if a lone "
                   "value is enough";
    }

    const EntryPoint& we = analysis.entries[write->entry];
    const EntryPoint& oe = analysis.entries[other->entry];
    std::string where = other == write ? "by the same code running twice at once"
                        : other->entry == write->entry
                            ? "in the same entry point, which can run on two CPUs at once"
                            : "in " + oe.describe();
    std::string message = "'" + write->display + "' is " + verb(*write) + " in " + we.describe() + " " +
                          lock_list(write->locks) + ", and " + verb(*other) + " " + where + " " +
                          lock_list(other->locks) + ": data race" + suggestion;
    Finding& finding = ctx.report(module, write->access->location, message, write->function->name);
    finding.notes.push_back({write->access->location, std::string(verb(*write)) + " here in " + write->function->name +
                                                          "(), reached from " + we.describe() + ", " +
                                                          lock_list(write->locks)});
    if (other != write)
      finding.notes.push_back({other->access->location, std::string(verb(*other)) + " here in " +
                                                            other->function->name + "(), reached from " +
                                                            oe.describe() + ", " + lock_list(other->locks)});
  }
}

}  // namespace kmodlint
