#include "facts/facts.h"

namespace kmodlint {

std::string ValueRef::lvalue() const {
  switch (kind) {
    case Kind::Local:
    case Kind::Param:
    case Kind::Global:
      return (dereferenced ? "*" : "") + root + path;
    default:
      return {};
  }
}

const char* to_string(ValueRef::Kind kind) {
  switch (kind) {
    case ValueRef::Kind::None: return "none";
    case ValueRef::Kind::IntConstant: return "int";
    case ValueRef::Kind::Local: return "local";
    case ValueRef::Kind::Param: return "param";
    case ValueRef::Kind::Global: return "global";
    case ValueRef::Kind::Function: return "function";
    case ValueRef::Kind::CallResult: return "call";
    case ValueRef::Kind::String: return "string";
    case ValueRef::Kind::Other: return "other";
  }
  return "?";
}

const char* to_string(AccessEvent::Mode mode) {
  switch (mode) {
    case AccessEvent::Mode::Read: return "read";
    case AccessEvent::Mode::Write: return "write";
    case AccessEvent::Mode::ReadWrite: return "read-write";
    case AccessEvent::Mode::AddressTaken: return "address-taken";
  }
  return "?";
}

const char* to_string(BranchCondition::Test test) {
  switch (test) {
    case BranchCondition::Test::Unknown: return "unknown";
    case BranchCondition::Test::NonZero: return "non-zero";
    case BranchCondition::Test::Zero: return "zero";
    case BranchCondition::Test::Negative: return "negative";
    case BranchCondition::Test::NonNegative: return "non-negative";
    case BranchCondition::Test::IsErr: return "IS_ERR";
    case BranchCondition::Test::IsErrOrNull: return "IS_ERR_OR_NULL";
    case BranchCondition::Test::BelowPositive: return "below-positive-constant";
    case BranchCondition::Test::AtLeastPositive: return "at-least-positive-constant";
  }
  return "?";
}

const char* to_string(ContextAnnotation::Kind kind) {
  switch (kind) {
    case ContextAnnotation::Kind::Acquires: return "__acquires";
    case ContextAnnotation::Kind::Releases: return "__releases";
    case ContextAnnotation::Kind::MustHold: return "__must_hold";
  }
  return "";
}

}  // namespace kmodlint
