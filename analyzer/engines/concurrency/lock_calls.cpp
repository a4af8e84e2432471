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
  // `_raw_spin_lock(((void)(subclass), (spinlock_check(lock))))` (spin_lock_nested): the comma
  // operator leaves only the macro's spelling; the wrapper call just before, at the same place,
  // holds the lock expression.
  if (value.kind == ValueRef::Kind::Other && !unwrap.empty() && !function.calls.empty() &&
      &call >= function.calls.data() && &call < function.calls.data() + function.calls.size() && &call != function.calls.data()) {
    const CallEvent& before = *(&call - 1);
    if (before.location == call.location && !before.args.empty() &&
        std::find(unwrap.begin(), unwrap.end(), before.callee) != unwrap.end())
      value = before.args[0];
  }
  return value;
}

}  // namespace kmodlint
