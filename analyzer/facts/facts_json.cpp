#include "facts/facts_json.h"

namespace kmodlint {

namespace json = llvm::json;

namespace {

json::Value location(const SourceLocation& loc) {
  return json::Array{loc.file, static_cast<int64_t>(loc.line), static_cast<int64_t>(loc.column)};
}

json::Value value(const ValueRef& ref) {
  json::Object object{{"kind", to_string(ref.kind)}, {"text", ref.text}};
  if (!ref.root.empty()) object["root"] = ref.root;
  if (!ref.path.empty()) object["path"] = ref.path;
  if (ref.address_of) object["address_of"] = true;
  if (ref.dereferenced) object["dereferenced"] = true;
  if (ref.kind == ValueRef::Kind::IntConstant) object["int"] = ref.int_value;
  if (ref.kind == ValueRef::Kind::CallResult) object["call"] = ref.call_index;
  if (!ref.record.empty()) object["record"] = ref.record;
  if (!ref.field.empty()) object["field"] = ref.field;
  return object;
}

json::Value strings(const std::vector<std::string>& list) {
  json::Array array;
  for (const std::string& item : list) array.push_back(item);
  return array;
}

json::Value function(const FunctionFacts& fn) {
  json::Array calls, assigns, accesses, returns, blocks;
  for (const CallEvent& call : fn.calls) {
    json::Array args;
    for (const ValueRef& arg : call.args) args.push_back(value(arg));
    json::Object object{{"callee", call.callee}, {"args", std::move(args)}, {"at", location(call.location)}};
    if (call.callee.empty()) object["through"] = value(call.indirect_target);
    if (call.result_to) object["result_to"] = value(*call.result_to);
    if (call.noreturn) object["noreturn"] = true;
    calls.push_back(std::move(object));
  }
  for (const AssignEvent& assign : fn.assigns) {
    json::Object object{{"target", value(assign.target)}, {"value", value(assign.value)}, {"at", location(assign.location)}};
    if (assign.chosen)
      object["chosen"] = json::Object{{"test", to_string(assign.chosen->condition.test)},
                                      {"negated", assign.chosen->condition.negated},
                                      {"subject", value(assign.chosen->condition.subject)},
                                      {"if_true", assign.chosen->if_true},
                                      {"if_false", assign.chosen->if_false}};
    assigns.push_back(std::move(object));
  }
  for (const AccessEvent& access : fn.accesses) {
    json::Object object{{"variable", access.variable}, {"path", access.path}, {"mode", to_string(access.mode)},
                        {"at", location(access.location)}};
    if (!access.macros.empty()) object["macros"] = strings(access.macros);
    if (!access.address_passed_to.empty()) object["address_passed_to"] = access.address_passed_to;
    if (access.is_static_local) object["static_local"] = true;
    accesses.push_back(std::move(object));
  }
  for (const ReturnEvent& ret : fn.returns) returns.push_back(json::Object{{"value", value(ret.value)}, {"at", location(ret.location)}});
  for (const BasicBlock& block : fn.blocks) {
    json::Array events, successors;
    for (const Event& event : block.events) {
      static const char* kinds[] = {"call", "assign", "access", "return"};
      events.push_back(std::string(kinds[static_cast<int>(event.kind)]) + ":" + std::to_string(event.index));
    }
    for (int successor : block.successors) successors.push_back(successor);
    json::Object object{{"id", block.id}, {"events", std::move(events)}, {"successors", std::move(successors)}};
    if (block.condition) {
      json::Object condition{{"test", to_string(block.condition->test)},
                             {"negated", block.condition->negated},
                             {"subject", value(block.condition->subject)},
                             {"spelling", block.condition->spelling},
                             {"spelling_negated", block.condition->spelling_negated}};
      if (const auto& compared = block.condition->compared)
        condition["compared"] = json::Object{{"operand", value(compared->operand)},
                                             {"constant", compared->constant},
                                             {"equal", compared->equal}};
      object["condition"] = std::move(condition);
    }
    if (block.counted_loop_test) object["counted_loop_test"] = true;
    if (block.switch_cases) {
      static const char* kinds[] = {"case", "default", "other"};
      json::Array edges;
      for (const SwitchEdge& edge : block.switch_cases->edges) {
        json::Object e{{"kind", kinds[static_cast<int>(edge.kind)]}};
        if (edge.kind == SwitchEdge::Kind::Case) e["value"] = edge.value;
        edges.push_back(std::move(e));
      }
      object["switch"] = json::Object{{"operand", value(block.switch_cases->operand)}, {"edges", std::move(edges)}};
    }
    blocks.push_back(std::move(object));
  }
  json::Array annotations;
  for (const ContextAnnotation& a : fn.lock_annotations)
    annotations.push_back(json::Object{{"macro", to_string(a.kind)}, {"lock", a.lock}, {"at", location(a.location)}});
  json::Object object{{"name", fn.name},
                      {"at", location(fn.location)},
                      {"static", fn.is_static},
                      {"section", fn.section},
                      {"signature", fn.signature},
                      {"params", strings(fn.params)},
                      {"entry", fn.entry_block},
                      {"exit", fn.exit_block},
                      {"blocks", std::move(blocks)},
                      {"calls", std::move(calls)},
                      {"assigns", std::move(assigns)},
                      {"accesses", std::move(accesses)},
                      {"returns", std::move(returns)},
                      {"scope_cleaned_locals", strings(fn.scope_cleaned_locals)}};
  if (!annotations.empty()) object["lock_annotations"] = std::move(annotations);
  if (fn.context_markers) object["context_markers"] = true;
  return object;
}

json::Value extern_decl(const ExternDecl& decl) {
  return json::Object{{"name", decl.name},           {"function", decl.is_function},
                      {"type", decl.type},           {"at", location(decl.location)},
                      {"in_main_file", decl.in_main_file}, {"header", decl.declared_in_header},
                      {"defined_in_unit", decl.defined_in_unit}};
}

}  // namespace

json::Value unit_to_json(const UnitFacts& unit) {
  json::Array functions, globals, stores, externs, references, exports, info, header_decls;
  for (const FunctionFacts& fn : unit.functions) functions.push_back(function(fn));
  for (const GlobalVarFacts& global : unit.globals)
    globals.push_back(json::Object{{"name", global.name},     {"type", global.type},
                                   {"static", global.is_static}, {"const", global.is_const},
                                   {"section", global.section}, {"at", location(global.location)}});
  for (const FunctionStore& store : unit.function_stores)
    stores.push_back(json::Object{{"record", store.record}, {"field", store.field}, {"function", store.function},
                                  {"holder", store.holder}, {"at", location(store.location)}});
  for (const ExternDecl& decl : unit.extern_decls) externs.push_back(extern_decl(decl));
  for (const ExternDecl& decl : unit.module_header_decls) header_decls.push_back(extern_decl(decl));
  for (const SymbolReference& ref : unit.external_references)
    references.push_back(json::Object{{"name", ref.name}, {"function", ref.is_function}, {"at", location(ref.location)},
                                      {"from", ref.from_function}});
  for (const ExportFacts& exported : unit.exports)
    exports.push_back(json::Object{{"symbol", exported.symbol}, {"gpl_only", exported.gpl_only},
                                   {"namespace", exported.name_space}, {"at", location(exported.location)}});
  for (const ModuleInfoEntry& entry : unit.module_info)
    info.push_back(json::Object{{"tag", entry.tag}, {"value", entry.value}, {"at", location(entry.location)}});
  json::Object root{{"source_file", unit.source_file},
                    {"parsed", unit.parsed},
                    {"functions", std::move(functions)},
                    {"globals", std::move(globals)},
                    {"function_stores", std::move(stores)},
                    {"extern_decls", std::move(externs)},
                    {"module_header_decls", std::move(header_decls)},
                    {"external_references", std::move(references)},
                    {"exports", std::move(exports)},
                    {"module_info", std::move(info)},
                    {"included_files", strings(unit.included_files)}};
  if (unit.module_init) root["module_init"] = json::Object{{"function", unit.module_init->function}, {"at", location(unit.module_init->location)}};
  if (unit.module_exit) root["module_exit"] = json::Object{{"function", unit.module_exit->function}, {"at", location(unit.module_exit->location)}};
  return root;
}

}  // namespace kmodlint
