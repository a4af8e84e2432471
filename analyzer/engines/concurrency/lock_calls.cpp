#include "engines/concurrency/lock_calls.h"

#include <algorithm>

namespace kmodlint {

std::optional<ValueRef> lock_argument(const FunctionFacts& function, const CallEvent& call, int index,
                                      const std::vector<std::string>& unwrap) {
  if (index < 0 || index >= static_cast<int>(call.args.size())) return std::nullopt;
  ValueRef value = call.args[index];
  for (int depth = 0; depth < 4 && value.kind == ValueRef::Kind::CallResult; ++depth) {
    if (value.call_index < 0 || value.call_index >= static_cast<int>(function.calls.size())) break;
    const CallEvent& inner = function.calls[value.call_index];
    if (inner.args.empty()) break;
    if (!unwrap.empty() && std::find(unwrap.begin(), unwrap.end(), inner.callee) == unwrap.end()) break;
    value = inner.args[0];
  }
  return value;
}

}  // namespace kmodlint
