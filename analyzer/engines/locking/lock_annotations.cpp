// The lock a sparse annotation names (__acquires(&d->lock), __must_hold(d->lock), __releases(RCU)),
// in the terms the lock walk names locks by.
#include <cctype>

#include "engines/locking/lock_balance.h"

namespace kmodlint::locking {

using lifetimes::ValueKey;

namespace {

bool identifier_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

std::string without_spaces(const std::string& text) {
  std::string out;
  for (char c : text)
    if (!std::isspace(static_cast<unsigned char>(c))) out += c;
  return out;
}

// `&d->lock`, `(d)->lock`, `*lock`: the & or * the spelling starts with and outer parentheses do
// not change which lock it is (the walk names a lock by its object either way).
std::string strip_address_and_parens(std::string text) {
  for (bool changed = true; changed && !text.empty();) {
    changed = false;
    if (text.front() == '&' || text.front() == '*') {
      text.erase(0, 1);
      changed = true;
    }
    if (text.size() >= 2 && text.front() == '(' && text.back() == ')') {
      int depth = 0;
      bool encloses = true;
      for (std::size_t i = 0; i + 1 < text.size(); ++i) {
        depth += text[i] == '(' ? 1 : text[i] == ')' ? -1 : 0;
        if (depth == 0) encloses = false;
      }
      if (encloses) {
        text = text.substr(1, text.size() - 2);
        changed = true;
      }
    }
  }
  // `(d)->lock`
  if (text.starts_with("(")) {
    std::size_t close = text.find(')');
    if (close != std::string::npos && text.find_first_of("()", 1) == close) text = text.substr(1, close - 1) + text.substr(close + 1);
  }
  return text;
}

// `->a.b->c`: member accesses only (no element, no call); false otherwise.
bool member_path(const std::string& path) {
  std::size_t i = 0;
  while (i < path.size()) {
    if (path.compare(i, 2, "->") == 0)
      i += 2;
    else if (path[i] == '.')
      i += 1;
    else
      return false;
    std::size_t start = i;
    while (i < path.size() && identifier_char(path[i])) ++i;
    if (i == start) return false;
  }
  return true;
}

// Whether the function has a local of that name (the annotation then names the lock through a
// local the walk only knows after its assignment: not followed).
bool is_local(const FunctionFacts& fn, const std::string& name) {
  auto local = [&](const ValueRef& v) { return v.kind == ValueRef::Kind::Local && v.root == name; };
  for (const AssignEvent& a : fn.assigns)
    if (local(a.target) || local(a.value)) return true;
  for (const CallEvent& c : fn.calls)
    for (const ValueRef& arg : c.args)
      if (local(arg)) return true;
  return false;
}

}  // namespace

std::optional<LockRef> annotated_lock(const ContextAnnotation& annotation, const FunctionFacts& fn,
                                      const LockTable& table) {
  std::string text = strip_address_and_parens(without_spaces(annotation.lock));
  std::size_t end = 0;
  while (end < text.size() && identifier_char(text[end])) ++end;
  if (end == 0 || std::isdigit(static_cast<unsigned char>(text[0]))) return std::nullopt;
  std::string root = text.substr(0, end), path = text.substr(end);
  if (!member_path(path)) return std::nullopt;
  LockRef lock;
  if (path.empty() && (root == "RCU" || root == "rcu" || root == "RCU_BH" || root == "RCU_SCHED")) {
    if (!table.find_class("rcu")) return std::nullopt;
    lock.implicit_class = "rcu";
    return lock;
  }
  for (std::size_t i = 0; i < fn.params.size(); ++i)
    if (fn.params[i] == root) {
      lock.object = ValueKey::param(static_cast<int>(i), path);
      return lock;
    }
  if (is_local(fn, root)) return std::nullopt;
  lock.object = ValueKey::global(root, path);
  return lock;
}

}  // namespace kmodlint::locking
