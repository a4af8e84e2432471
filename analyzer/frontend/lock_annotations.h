// Sparse's lock context annotations of a function (__acquires(), __releases(), __must_hold()).
// Outside sparse (no __CHECKER__) they expand to nothing, so the AST has no trace of them: they
// are read from the spelling of each declaration of the function, from its first token to its
// body or its ';'. The Kbuild flags stay as they are.
#pragma once

#include <vector>

#include "clang/AST/Decl.h"
#include "facts/facts.h"

namespace kmodlint::frontend {

std::vector<ContextAnnotation> read_lock_annotations(const clang::FunctionDecl& function);
// Whether the body spells __acquire(x) or __release(x) (statements that expand to nothing).
bool has_context_markers(const clang::FunctionDecl& function);

}  // namespace kmodlint::frontend
