// Unwind loops that index with the wrong variable: a loop that counts one local down and calls
// something with an array element indexed by another local the loop never changes.
#pragma once

#include <functional>
#include <vector>

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "facts/facts.h"

namespace kmodlint::frontend {

// `call_index` maps a call of the body to its index among the function's call events (-1 when it
// has none).
std::vector<MisindexedLoopCall> find_misindexed_loop_calls(
    const clang::FunctionDecl& function, const std::function<int(const clang::CallExpr*)>& call_index);

}  // namespace kmodlint::frontend
