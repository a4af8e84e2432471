#include "engines/concurrency/shared_globals.h"

#include <algorithm>
#include <deque>
#include <functional>
#include <map>
#include <optional>

#include "engines/concurrency/lock_calls.h"

namespace kmodlint {

namespace {

// Pseudo-locks for local CPU state: tracked like locks, never count as protecting shared data.
const char* const kIrqOff = "<irqs-off>";
const char* const kBhOff = "<bh-off>";

bool is_pseudo(const std::string& lock) { return !lock.empty() && lock[0] == '<'; }

std::string join(const std::vector<std::string>& items, const std::string& sep) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : sep) + item;
  return out;
}

// The lock a primitive's argument names: a global lock by its lvalue, a lock inside a
// per-device structure by "struct <type>.<field>" (the same for every path that reaches it).
std::string lock_identity(const ValueRef& value) {
  switch (value.kind) {
    case ValueRef::Kind::Global:
      if (!value.field.empty() && value.path.find("->") != std::string::npos)
        return "struct " + value.record + "." + value.field;
      return value.root + value.path;
    case ValueRef::Kind::Local:
    case ValueRef::Kind::Param:
      if (!value.field.empty()) return "struct " + value.record + "." + value.field;
      return value.root + value.path;  // a pointer to a lock passed around: best effort
    default:
      return value.text.empty() ? "?" : value.text;
  }
}

struct BlockState {
  bool reached = false;
  std::set<std::string> locks;  // must-hold
  std::set<int> registered;     // init: entries registered on some path (may)
  std::set<int> stopped;        // exit: entries whose registration was undone on every path (must)
};

// Per (entry, function): what the function is entered with.
struct FunctionContext {
  std::optional<std::set<std::string>> locks;  // intersection over call sites
  std::set<int> registered;                    // union over call sites (init)
  bool unreg_after = false;                    // exit: an unregistration follows some call site
  std::optional<std::set<int>> stopped;        // exit: intersection over call sites
};

class Analyzer {
 public:
  Analyzer(const ModuleModel& module, const EntryPointTable& eps, const LockTable& locks, const ApiNameTable& names,
           const CleanupPairTable& pairs)
      : module_(module), eps_(eps), locks_(locks), names_(names), pairs_(pairs) {}

  SharedGlobalsAnalysis run() {
    find_sole_instances();
    for (const SerializerInfo& s : eps_.serializers)
      if (s.scope != "instance" || s.instance.find("open") == std::string::npos)
        result_.excluding_serializers.insert(s.id);
    find_entries();
    compute_unregistration_summaries();
    compute_stop_summaries();
    for (int i = 0; i < static_cast<int>(result_.entries.size()); ++i) analyze_entry(i);
    return std::move(result_);
  }

 private:
  const ModuleModel& module_;
  const EntryPointTable& eps_;
  const LockTable& locks_;
  const ApiNameTable& names_;
  const CleanupPairTable& pairs_;
  SharedGlobalsAnalysis result_;
  // Exit: the entries a release undoes the registration of. By cleanup pair: what the module's
  // registration calls of that pair registered (misc_register() -> its file operations); by module
  // function: what its calls stop (may: on some path).
  std::map<std::string, std::set<int>> entries_by_pair_;
  std::map<const FunctionFacts*, std::set<int>> stops_;
  // Entries registered by a given registration site (call or assignment), keyed by holder global
  // or function name.
  std::map<std::string, std::vector<int>> entries_by_holder_;
  std::map<const FunctionFacts*, std::vector<int>> entries_by_function_;
  std::set<int> entries_with_specific_registration_;
  std::map<const FunctionFacts*, bool> unregisters_;  // the function (transitively) unregisters something
  // Callbacks set up on an object (timer_setup(&t, cb)) that run only once it is armed
  // (mod_timer(&t, ...)), by the object as armed_object() names it.
  std::map<std::string, std::set<int>> entries_by_armed_object_;

  // Struct types the module has exactly one global instance of, whose address it hands out
  // (evdi's `dev_set_drvdata(root, &g_ctx)`): a pointer to such a type met anywhere (`ctx =
  // dev_get_drvdata(dev)`) is taken to point at that instance, so `ctx->lock` is `g_ctx.lock`.
  // "struct evdi_platform_drv_context" -> "g_ctx".
  std::map<std::string, std::string> sole_instances_;

  void find_sole_instances() {
    std::map<std::string, std::vector<std::string>> by_type;
    for (const UnitFacts* unit : module_.units())
      for (const GlobalVarFacts& g : unit->globals)
        if (g.is_definition && !g.is_static_local && g.type.starts_with("struct ") &&
            g.type.find_first_of("*[(") == std::string::npos)
          by_type[g.type].push_back(g.name);
    for (const auto& [type, names] : by_type) {
      if (names.size() != 1) continue;
      bool handed_out = false;
      for (const FunctionRef& ref : module_.functions())
        for (const AccessEvent& access : ref.function->accesses)
          handed_out = handed_out || (access.variable == names[0] && access.path.empty() &&
                                      access.mode == AccessEvent::Mode::AddressTaken);
      if (handed_out) sole_instances_[type] = names[0];
    }
  }

  // A lock identity with the per-instance name of a sole instance's type made that instance's.
  std::string same_object(std::string id) const {
    if (!id.starts_with("struct ")) return id;
    std::size_t dot = id.find('.');
    if (dot == std::string::npos) return id;
    if (auto it = sole_instances_.find(id.substr(0, dot)); it != sole_instances_.end()) return it->second + id.substr(dot);
    return id;
  }

  // The object a set-up or arming call is given, named as locks are (lock_identity(): a global by
  // its path, a member of any instance by its struct and field); "" when a variable does not name it.
  static std::string armed_object(const ValueRef& v) {
    using K = ValueRef::Kind;
    return v.kind == K::Global || v.kind == K::Local || v.kind == K::Param ? lock_identity(v) : std::string();
  }

  int add_entry(FunctionRef ref, EntryPoint::Phase phase, std::string how, CallContext ctx, SourceLocation where) {
    for (int i = 0; i < static_cast<int>(result_.entries.size()); ++i) {
      const EntryPoint& e = result_.entries[i];
      if (e.function.function == ref.function && e.how == how) return i;
    }
    EntryPoint entry;
    entry.function = ref;
    // A driver's probe (remove) is the init (exit) of one device: what it sets up before it
    // registers the device's callbacks cannot race with them.
    if (phase == EntryPoint::Phase::Callback && ctx.role == "probe") phase = EntryPoint::Phase::Init;
    if (phase == EntryPoint::Phase::Callback && ctx.role == "remove") phase = EntryPoint::Phase::Exit;
    entry.phase = phase;
    entry.how = std::move(how);
    entry.context = std::move(ctx);
    entry.registered_at = std::move(where);
    result_.entries.push_back(std::move(entry));
    int index = static_cast<int>(result_.entries.size()) - 1;
    entries_by_function_[ref.function].push_back(index);
    return index;
  }

  static CallContext unknown_struct_context() {
    CallContext ctx;
    ctx.context = {"process"};
    ctx.may_sleep = true;
    ctx.concurrent_with_self = "other_instances";
    return ctx;
  }

  void find_entries() {
    // Overrides from registrations (notifier chains): holder global -> field -> context.
    std::map<std::string, std::map<std::string, CallContext>> overrides;
    for (const FunctionRef& ref : module_.functions())
      for (const CallEvent& call : ref.function->calls)
        if (const Registration* reg = eps_.find_registration_by_callee(call.callee))
          for (const RegistrationOpsArg& ops : reg->ops_args)
            if (ops.arg < static_cast<int>(call.args.size()) && call.args[ops.arg].kind == ValueRef::Kind::Global)
              for (const auto& [field, ctx] : ops.overrides) overrides[call.args[ops.arg].root][field] = ctx;

    for (const UnitFacts* unit : module_.units()) {
      for (const FunctionStore& store : unit->function_stores) {
        FunctionRef ref = module_.resolve_function(store.function, unit);
        if (!ref.function) continue;
        const CallContext* ctx = eps_.field_context(store.record, store.field);
        CallContext chosen = ctx ? *ctx : unknown_struct_context();
        if (auto it = overrides.find(store.holder); it != overrides.end())
          if (auto f = it->second.find(store.field); f != it->second.end()) chosen = f->second;
        int index = add_entry(ref, EntryPoint::Phase::Callback, store.record + "." + store.field, chosen,
                              store.location);
        if (!ctx && !eps_.find_struct(store.record)) result_.entries[index].unknown_ops_holder = store.holder;
        entries_by_holder_[store.holder].push_back(index);
      }
    }
    for (const FunctionRef& ref : module_.functions()) {
      const FunctionFacts& f = *ref.function;
      for (const AssignEvent& assign : f.assigns) {
        if (assign.value.kind != ValueRef::Kind::Function || assign.target.field.empty()) continue;
        FunctionRef target = module_.resolve_function(assign.value.root, ref.unit);
        if (!target.function) continue;
        const CallContext* ctx = eps_.field_context(assign.target.record, assign.target.field);
        int index = add_entry(target, EntryPoint::Phase::Callback, assign.target.record + "." + assign.target.field,
                              ctx ? *ctx : unknown_struct_context(), assign.location);
        entries_with_specific_registration_.insert(index);
      }
      for (const CallEvent& call : f.calls) {
        const Registration* reg = eps_.find_registration_by_callee(call.callee);
        if (!reg) continue;
        for (const RegistrationCallback& cb : reg->callbacks) {
          if (cb.arg >= static_cast<int>(call.args.size())) continue;
          const ValueRef& arg = call.args[cb.arg];
          if (arg.kind != ValueRef::Kind::Function) continue;
          FunctionRef target = module_.resolve_function(arg.root, ref.unit);
          if (!target.function) continue;
          int index = add_entry(target, EntryPoint::Phase::Callback, reg->name + " callback", cb.context, call.location);
          entries_with_specific_registration_.insert(index);
          if (!reg->armed_by.empty() && reg->object_arg < static_cast<int>(call.args.size()))
            if (std::string object = armed_object(call.args[reg->object_arg]); !object.empty())
              entries_by_armed_object_[object].insert(index);
        }
      }
    }
    for (const auto& [holder, indexes] : entries_by_holder_)
      if (is_registered_holder(holder)) entries_with_specific_registration_.insert(indexes.begin(), indexes.end());

    CallContext lifecycle;
    lifecycle.context = {"process"};
    lifecycle.may_sleep = true;
    lifecycle.concurrent_with_self = "never";
    if (auto init = module_.module_init()) {
      FunctionRef ref = module_.resolve_function(init->second.function, init->first);
      if (ref.function) add_entry(ref, EntryPoint::Phase::Init, "module_init", lifecycle, init->second.location);
    }
    if (auto exit = module_.module_exit()) {
      FunctionRef ref = module_.resolve_function(exit->second.function, exit->first);
      if (ref.function) add_entry(ref, EntryPoint::Phase::Exit, "module_exit", lifecycle, exit->second.location);
    }
  }

  // True when some call of the module passes &holder (or holder) to a registration API.
  bool is_registered_holder(const std::string& holder) const {
    for (const FunctionRef& ref : module_.functions())
      for (const CallEvent& call : ref.function->calls)
        if (eps_.find_registration_by_callee(call.callee))
          for (const ValueRef& arg : call.args)
            if (arg.kind == ValueRef::Kind::Global && arg.root == holder) return true;
    return false;
  }

  // The entries a call or assignment registers ("all entries without a registration of their
  // own" for a registration API whose ops argument we cannot follow, e.g. misc_register).
  std::set<int> registered_by(const FunctionFacts& f, const UnitFacts* unit, const Event& event) const {
    std::set<int> out;
    if (event.kind == Event::Kind::Assign) {
      const AssignEvent& assign = f.assigns[event.index];
      if (assign.value.kind == ValueRef::Kind::Function) {
        FunctionRef target = module_.resolve_function(assign.value.root, unit);
        if (auto it = entries_by_function_.find(target.function); target.function && it != entries_by_function_.end())
          out.insert(it->second.begin(), it->second.end());
      }
      return out;
    }
    if (event.kind != Event::Kind::Call) return out;
    const CallEvent& call = f.calls[event.index];
    // mod_timer(&t, ...): what timer_setup(&t, cb) set up can run from here on.
    if (!entries_by_armed_object_.empty())
      for (const ArmingCall* arm : eps_.arming_calls(call.callee))
        if (arm->arg < static_cast<int>(call.args.size()))
          if (auto it = entries_by_armed_object_.find(armed_object(call.args[arm->arg]));
              it != entries_by_armed_object_.end())
            out.insert(it->second.begin(), it->second.end());
    const Registration* reg = eps_.find_registration_by_callee(call.callee);
    if (!reg) return out;
    // timer_setup(): set up, not yet runnable (unless the object cannot be named).
    if (!reg->armed_by.empty() && reg->object_arg < static_cast<int>(call.args.size()) &&
        !armed_object(call.args[reg->object_arg]).empty())
      return out;
    bool specific = false;
    for (const ValueRef& arg : call.args) {
      if (arg.kind == ValueRef::Kind::Function) {
        FunctionRef target = module_.resolve_function(arg.root, unit);
        if (auto it = entries_by_function_.find(target.function); target.function && it != entries_by_function_.end()) {
          out.insert(it->second.begin(), it->second.end());
          specific = true;
        }
      } else if (arg.kind == ValueRef::Kind::Global) {
        if (auto it = entries_by_holder_.find(arg.root); it != entries_by_holder_.end()) {
          out.insert(it->second.begin(), it->second.end());
          specific = true;
        }
      }
    }
    if (!specific)
      for (int i = 0; i < static_cast<int>(result_.entries.size()); ++i)
        if (result_.entries[i].phase == EntryPoint::Phase::Callback && !entries_with_specific_registration_.count(i))
          out.insert(i);
    return out;
  }

  bool call_unregisters(const CallEvent& call, const UnitFacts* unit) const {
    if (call.callee.empty()) return false;
    FunctionRef target = module_.resolve_function(call.callee, unit);
    if (target.function) {
      auto it = unregisters_.find(target.function);
      return it != unregisters_.end() && it->second;
    }
    return names_.unregisters_by_name(call.callee);
  }

  void compute_unregistration_summaries() {
    for (const FunctionRef& ref : module_.functions()) unregisters_[ref.function] = false;
    bool changed = true;
    while (changed) {
      changed = false;
      for (const FunctionRef& ref : module_.functions()) {
        if (unregisters_[ref.function]) continue;
        for (const CallEvent& call : ref.function->calls)
          if (call_unregisters(call, ref.unit)) {
            unregisters_[ref.function] = true;
            changed = true;
            break;
          }
      }
    }
  }

  // What a registration call of a cleanup pair registered, for each pair; then, per module
  // function, the entries its calls stop (a fixpoint over the call graph).
  void compute_stop_summaries() {
    for (const FunctionRef& ref : module_.functions())
      for (std::size_t i = 0; i < ref.function->calls.size(); ++i)
        if (const Registration* reg = eps_.find_registration_by_callee(ref.function->calls[i].callee);
            reg && !reg->cleanup_pair.empty()) {
          std::set<int> regs = registered_by(*ref.function, ref.unit, Event{Event::Kind::Call, static_cast<int>(i)});
          entries_by_pair_[reg->cleanup_pair].insert(regs.begin(), regs.end());
        }
    if (entries_by_pair_.empty()) return;
    bool changed = true;
    while (changed) {
      changed = false;
      for (const FunctionRef& ref : module_.functions()) {
        std::set<int>& stops = stops_[ref.function];
        std::size_t before = stops.size();
        for (const CallEvent& call : ref.function->calls) {
          std::set<int> more = stopped_by(call, ref.unit);
          stops.insert(more.begin(), more.end());
        }
        if (stops.size() != before) changed = true;
      }
    }
  }

  // The entries that cannot run once `call` returns: misc_deregister() stops what misc_register()
  // registered, a module function what its own calls stop.
  std::set<int> stopped_by(const CallEvent& call, const UnitFacts* unit) const {
    if (call.callee.empty() || entries_by_pair_.empty()) return {};
    FunctionRef target = module_.resolve_function(call.callee, unit);
    if (target.function) {
      auto it = stops_.find(target.function);
      return it == stops_.end() ? std::set<int>{} : it->second;
    }
    std::set<int> out;
    for (const CleanupPairTable::ReleaseMatch& match : pairs_.releases_by_callee(call.callee))
      if (auto it = entries_by_pair_.find(match.pair->id); it != entries_by_pair_.end())
        out.insert(it->second.begin(), it->second.end());
    return out;
  }

  // Exit: for each block, whether an unregistration can still happen from its start.
  std::vector<bool> unregistration_ahead(const FunctionFacts& f, const UnitFacts* unit) const {
    std::vector<bool> in_block(f.blocks.size(), false), ahead(f.blocks.size(), false);
    for (size_t b = 0; b < f.blocks.size(); ++b)
      for (const Event& e : f.blocks[b].events)
        if (e.kind == Event::Kind::Call && call_unregisters(f.calls[e.index], unit)) in_block[b] = true;
    bool changed = true;
    while (changed) {
      changed = false;
      for (size_t b = 0; b < f.blocks.size(); ++b) {
        bool value = in_block[b];
        for (int s : f.blocks[b].successors)
          if (s >= 0 && s < static_cast<int>(f.blocks.size()) && ahead[s]) value = true;
        if (value != ahead[b]) {
          ahead[b] = value;
          changed = true;
        }
      }
    }
    return ahead;
  }

  void analyze_entry(int entry_index) {
    const EntryPoint& entry = result_.entries[entry_index];
    std::map<const FunctionFacts*, FunctionContext> contexts;
    std::map<const FunctionFacts*, const UnitFacts*> units;
    std::deque<const FunctionFacts*> work;
    FunctionContext root;
    root.locks = std::set<std::string>{};
    if (entry.hardirq()) root.locks->insert(kIrqOff);
    if (entry.hardirq() || entry.softirq() || entry.context.irqs_disabled) root.locks->insert(kBhOff);
    if (entry.context.irqs_disabled) root.locks->insert(kIrqOff);
    if (entry.context.bh_disabled) root.locks->insert(kBhOff);
    contexts[entry.function.function] = root;
    units[entry.function.function] = entry.function.unit;
    work.push_back(entry.function.function);
    std::map<const FunctionFacts*, int> visits;
    while (!work.empty()) {
      const FunctionFacts* f = work.front();
      work.pop_front();
      if (++visits[f] > 20) continue;  // lock sets only shrink; this bounds pathological cases
      walk_function(entry_index, *f, units[f], contexts[f], /*record=*/false,
                    [&](const FunctionFacts* callee, const UnitFacts* callee_unit, const FunctionContext& at_call) {
                      FunctionContext& ctx = contexts[callee];
                      units[callee] = callee_unit;
                      bool changed = false;
                      if (!ctx.locks) {
                        ctx.locks = at_call.locks;
                        changed = true;
                      } else {
                        std::set<std::string> meet;
                        std::set_intersection(ctx.locks->begin(), ctx.locks->end(), at_call.locks->begin(),
                                              at_call.locks->end(), std::inserter(meet, meet.begin()));
                        if (meet != *ctx.locks) {
                          ctx.locks = meet;
                          changed = true;
                        }
                      }
                      size_t before = ctx.registered.size();
                      ctx.registered.insert(at_call.registered.begin(), at_call.registered.end());
                      if (ctx.registered.size() != before) changed = true;
                      if (at_call.unreg_after && !ctx.unreg_after) {
                        ctx.unreg_after = true;
                        changed = true;
                      }
                      if (at_call.stopped) {
                        if (!ctx.stopped) {
                          ctx.stopped = at_call.stopped;
                          changed = true;
                        } else {
                          std::set<int> both;
                          std::set_intersection(ctx.stopped->begin(), ctx.stopped->end(), at_call.stopped->begin(),
                                                at_call.stopped->end(), std::inserter(both, both.begin()));
                          if (both != *ctx.stopped) {
                            ctx.stopped = std::move(both);
                            changed = true;
                          }
                        }
                      }
                      if (changed) work.push_back(callee);
                    });
    }
    for (auto& [f, ctx] : contexts) walk_function(entry_index, *f, units[f], ctx, /*record=*/true, nullptr);
  }

  using OnCall = std::function<void(const FunctionFacts*, const UnitFacts*, const FunctionContext&)>;
  void walk_function(int entry_index, const FunctionFacts& f, const UnitFacts* unit, const FunctionContext& ctx,
                     bool record, const OnCall& on_call) {
    if (f.blocks.empty() || f.entry_block < 0) return;
    const EntryPoint& entry = result_.entries[entry_index];
    const bool init = entry.phase == EntryPoint::Phase::Init;
    const bool exit = entry.phase == EntryPoint::Phase::Exit;
    std::vector<bool> ahead;
    if (exit) ahead = unregistration_ahead(f, unit);

    std::vector<BlockState> in(f.blocks.size());
    in[f.entry_block].reached = true;
    in[f.entry_block].locks = ctx.locks.value_or(std::set<std::string>{});
    in[f.entry_block].registered = ctx.registered;
    if (exit) in[f.entry_block].stopped = ctx.stopped.value_or(std::set<int>{});

    auto merge_into = [&](int target, const BlockState& state) {
      if (target < 0 || target >= static_cast<int>(in.size())) return false;
      BlockState& t = in[target];
      if (!t.reached) {
        t = state;
        t.reached = true;
        return true;
      }
      bool changed = false;
      std::set<std::string> meet;
      std::set_intersection(t.locks.begin(), t.locks.end(), state.locks.begin(), state.locks.end(),
                            std::inserter(meet, meet.begin()));
      if (meet != t.locks) {
        t.locks = std::move(meet);
        changed = true;
      }
      size_t before = t.registered.size();
      t.registered.insert(state.registered.begin(), state.registered.end());
      if (t.registered.size() != before) changed = true;
      if (exit) {
        std::set<int> both;
        std::set_intersection(t.stopped.begin(), t.stopped.end(), state.stopped.begin(), state.stopped.end(),
                              std::inserter(both, both.begin()));
        if (both != t.stopped) {
          t.stopped = std::move(both);
          changed = true;
        }
      }
      return changed;
    };

    bool changed = true;
    int rounds = 0;
    while (changed && rounds++ < 50) {
      changed = false;
      for (size_t b = 0; b < f.blocks.size(); ++b) {
        if (!in[b].reached) continue;
        BlockState state = in[b];
        const BasicBlock& block = f.blocks[b];
        // Try-locks of this block, by the value their result is tested through.
        std::map<std::string, std::pair<std::string, const LockPrimitive*>> pending;
        for (size_t ei = 0; ei < block.events.size(); ++ei) {
          const Event& event = block.events[ei];
          bool exit_concurrent = exit && exit_unreg_ahead(f, unit, ahead, b, ei, ctx);
          if (event.kind == Event::Kind::Access) {
            if (record) record_access(entry_index, f, unit, f.accesses[event.index], state, init, exit_concurrent);
            continue;
          }
          if (init) {
            std::set<int> regs = registered_by(f, unit, event);
            if (!regs.empty()) state.registered.insert(regs.begin(), regs.end());
          }
          if (event.kind != Event::Kind::Call) continue;
          const CallEvent& call = f.calls[event.index];
          if (init && call_unregisters(call, unit)) state.registered.clear();
          if (const LockPrimitive* p = locks_.find_primitive_by_callee(call.callee)) {
            std::string id = primitive_lock(f, call, *p);
            if (p->op == "release") {
              state.locks.erase(id);
              if (p->disables_irq()) state.locks.erase(kIrqOff);
              if (p->disables_bh()) state.locks.erase(kBhOff);
            } else if (p->op == "acquire" || p->held_when == "always") {
              if (record) record_acquisition(entry_index, f, call, *p, id, state, init, exit_concurrent);
              acquire(state, id, *p);
            } else {
              if (record) record_acquisition(entry_index, f, call, *p, id, state, init, exit_concurrent);
              pending["call#" + std::to_string(event.index)] = {id, p};
              if (call.result_to && !call.result_to->lvalue().empty())
                pending["var:" + call.result_to->lvalue()] = {id, p};
            }
          } else if (const LockGuard* g = locks_.find_guard_by_constructor(call.callee)) {
            const LockPrimitive* p = locks_.find_primitive(g->acquire);
            std::string id = g->lock_arg < 0 ? "rcu" : [&] {
              auto arg = lock_argument(f, call, g->lock_arg, {});
              return arg ? same_object(lock_identity(*arg)) : std::string("?");
            }();
            if (p) {
              if (record) record_acquisition(entry_index, f, call, *p, id, state, init, exit_concurrent);
              acquire(state, id, *p);
            }
          } else if (!call.callee.empty()) {
            FunctionRef target = module_.resolve_function(call.callee, unit);
            if (target.function && on_call) {
              FunctionContext at_call;
              at_call.locks = state.locks;
              if (init) at_call.registered = state.registered;
              // What the callee does runs before the unregistrations that follow the call, not
              // before the call itself (xpp_usb's cleanup: kmem_cache_destroy() after usb_deregister()).
              at_call.unreg_after = exit && exit_unreg_ahead(f, unit, ahead, b, ei + 1, ctx);
              if (exit) at_call.stopped = state.stopped;
              on_call(target.function, target.unit, at_call);
            }
          }
          if (exit) {
            std::set<int> stops = stopped_by(call, unit);
            state.stopped.insert(stops.begin(), stops.end());
          }
        }
        // Successors, with try-lock results applied on the branch where the lock is held.
        for (size_t si = 0; si < block.successors.size(); ++si) {
          BlockState out = state;
          if (block.condition && si < 2) {
            const BranchCondition& cond = *block.condition;
            std::string key;
            if (cond.subject.kind == ValueRef::Kind::CallResult)
              key = "call#" + std::to_string(cond.subject.call_index);
            else if (!cond.subject.lvalue().empty())
              key = "var:" + cond.subject.lvalue();
            if (auto it = pending.find(key); it != pending.end()) {
              bool test_holds = si == 0;
              bool value_zero;
              bool known = true;
              switch (cond.test) {
                case BranchCondition::Test::Zero: value_zero = test_holds; break;
                case BranchCondition::Test::NonZero: value_zero = !test_holds; break;
                case BranchCondition::Test::Negative: value_zero = !test_holds; break;  // not negative: 0
                case BranchCondition::Test::NonNegative: value_zero = test_holds; break;
                default: known = false; value_zero = false; break;
              }
              if (known) {
                bool held = it->second.second->held_when == "zero" ? value_zero : !value_zero;
                if (held) acquire(out, it->second.first, *it->second.second);
              }
            }
          }
          if (merge_into(block.successors[si], out)) changed = true;
        }
      }
    }
  }

  bool exit_unreg_ahead(const FunctionFacts& f, const UnitFacts* unit, const std::vector<bool>& ahead, size_t b,
                        size_t ei, const FunctionContext& ctx) const {
    if (ctx.unreg_after) return true;
    const BasicBlock& block = f.blocks[b];
    for (size_t k = ei; k < block.events.size(); ++k)
      if (block.events[k].kind == Event::Kind::Call && call_unregisters(f.calls[block.events[k].index], unit))
        return true;
    for (int s : block.successors)
      if (s >= 0 && s < static_cast<int>(ahead.size()) && ahead[s]) return true;
    return false;
  }

  static void acquire(BlockState& state, const std::string& id, const LockPrimitive& p) {
    if (!id.empty()) state.locks.insert(id);
    if (p.disables_irq()) state.locks.insert(kIrqOff);
    if (p.disables_bh()) state.locks.insert(kBhOff);
  }

  std::string primitive_lock(const FunctionFacts& f, const CallEvent& call, const LockPrimitive& p) const {
    if (p.lock_arg < 0) {
      if (p.lock_class == "rcu") return "rcu";
      return "";  // local_irq / local_bh / preempt: pseudo state only
    }
    auto arg = lock_argument(f, call, p.lock_arg, p.unwrap);
    return arg ? same_object(lock_identity(*arg)) : "?";
  }

  std::set<int> concurrency(int entry_index, const BlockState& state, bool init, bool exit_concurrent) const {
    std::set<int> out;
    if (init) return state.registered;
    if (result_.entries[entry_index].phase == EntryPoint::Phase::Exit) {
      if (!exit_concurrent) return out;
      // What module exit has unregistered is gone for every device. A driver's remove only stops
      // its own device's callbacks: those of the other devices still reach module state (tor2's
      // cards[], which card 0's interrupt walks while another card is removed).
      bool module_exit = result_.entries[entry_index].how == "module_exit";
      for (int i = 0; i < static_cast<int>(result_.entries.size()); ++i)
        if (result_.entries[i].phase == EntryPoint::Phase::Callback && !(module_exit && state.stopped.count(i)))
          out.insert(i);
    }
    return out;
  }

  void record_access(int entry_index, const FunctionFacts& f, const UnitFacts* unit, const AccessEvent& access,
                     const BlockState& state, bool init, bool exit_concurrent) {
    if (access.mode == AccessEvent::Mode::AddressTaken) return;
    for (const std::string& macro : access.macros)
      if (const LocklessAccess* l = locks_.find_lockless_macro(macro); l && l->atomic) return;
    const GlobalVarFacts* global =
        find_module_global(module_, unit, access.variable, access.is_static_local ? f.name : std::string());
    if (!global) return;  // the kernel's own state (jiffies, ...)
    if (global->is_const || global->is_per_cpu || global->section.find("ro_after_init") != std::string::npos ||
        global->section.find(".init.") != std::string::npos)
      return;
    if (names_.self_synchronised(global->type) && access.path.empty()) return;
    const EntryPoint& entry = result_.entries[entry_index];
    if (entry.phase != EntryPoint::Phase::Callback) {
      std::set<int> conc = concurrency(entry_index, state, init, exit_concurrent);
      if (conc.empty()) return;  // before registration / after unregistration: no race
    }
    SharedAccess site;
    site.entry = entry_index;
    site.unit = unit;
    site.function = &f;
    site.access = &access;
    std::string path = access.path;
    site.display = access.variable + path;
    site.location_key = (global->is_static || global->is_static_local ? global->location.file + ":" : std::string()) +
                        (global->is_static_local ? global->enclosing_function + "::" : std::string()) + site.display;
    for (const std::string& lock : state.locks)
      if (!is_pseudo(lock)) site.locks.insert(lock);
    site.concurrent_entries = concurrency(entry_index, state, init, exit_concurrent);
    result_.accesses.push_back(std::move(site));
  }

  void record_acquisition(int entry_index, const FunctionFacts& f, const CallEvent& call, const LockPrimitive& p,
                          const std::string& id, const BlockState& state, bool init, bool exit_concurrent) {
    if (id.empty() || id == "rcu") return;
    LockAcquisition acq;
    acq.entry = entry_index;
    acq.function = &f;
    acq.call = &call;
    acq.primitive = &p;
    acq.lock = id;
    acq.irqs_off = state.locks.count(kIrqOff) > 0;
    acq.bh_off = state.locks.count(kBhOff) > 0;
    if (result_.entries[entry_index].phase != EntryPoint::Phase::Callback) {
      acq.concurrent_entries = concurrency(entry_index, state, init, exit_concurrent);
      if (acq.concurrent_entries.empty()) return;
    }
    result_.acquisitions.push_back(acq);
  }
};

}  // namespace

bool SharedAccess::is_write() const {
  return access->mode == AccessEvent::Mode::Write || access->mode == AccessEvent::Mode::ReadWrite;
}

std::string EntryPoint::context_text() const {
  if (how == "module_init") return "module init, process context";
  if (how == "module_exit") return "module exit, process context";
  return join(context.context, "/") + " context";
}

std::string EntryPoint::describe() const {
  std::string name = function.function ? function.function->name : "?";
  if (how == "module_init" || how == "module_exit") return name + "() [" + context_text() + "]";
  return name + "() [" + how + ", " + context_text() + "]";
}

bool SharedGlobalsAnalysis::concurrent(int a, const std::set<int>& a_conc, int b, const std::set<int>& b_conc) const {
  const EntryPoint& ea = entries[a];
  const EntryPoint& eb = entries[b];
  using P = EntryPoint::Phase;
  if (ea.phase != P::Callback && eb.phase != P::Callback) return false;  // init, exit: one task, in order
  if (ea.phase != P::Callback) return a_conc.count(b) > 0;
  if (eb.phase != P::Callback) return b_conc.count(a) > 0;
  if (a == b) return ea.context.concurrent_with_self == "always";
  if (ea.function.function == eb.function.function && ea.context.concurrent_with_self == "never") return false;
  // Kernel-held locks around both callbacks (see excluding_serializers).
  for (const std::string& s : ea.context.serialized_by)
    if (std::find(eb.context.serialized_by.begin(), eb.context.serialized_by.end(), s) != eb.context.serialized_by.end())
      if (excluding_serializers.count(s)) return false;
  if (!ea.unknown_ops_holder.empty() && ea.unknown_ops_holder == eb.unknown_ops_holder) return false;
  return true;
}

const GlobalVarFacts* find_module_global(const ModuleModel& module, const UnitFacts* unit, const std::string& name,
                                         const std::string& function) {
  if (unit) {
    for (const GlobalVarFacts& g : unit->globals) {
      if (g.name != name || !g.is_definition) continue;
      if (g.is_static_local) {
        if (g.enclosing_function == function) return &g;
        continue;
      }
      if (function.empty() || !g.is_static_local) return &g;
    }
  }
  for (const UnitFacts* other : module.units())
    for (const GlobalVarFacts& g : other->globals)
      if (g.name == name && g.is_definition && !g.is_static && !g.is_static_local) return &g;
  return nullptr;
}

SharedGlobalsAnalysis analyze_shared_globals(const ModuleModel& module, const EntryPointTable& entry_points,
                                             const LockTable& locks, const ApiNameTable& names,
                                             const CleanupPairTable& pairs) {
  return Analyzer(module, entry_points, locks, names, pairs).run();
}

}  // namespace kmodlint
