// Builds FunctionFacts (basic blocks of call/assign/access/return events) from a function body.
#pragma once

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "facts/facts.h"

namespace kmodlint::frontend {

FunctionFacts extract_function(const clang::FunctionDecl& function, clang::ASTContext& context);

// The function's attributes without its body (name, linkage, section, signature, location).
FunctionFacts describe_function(const clang::FunctionDecl& function, clang::ASTContext& context);

}  // namespace kmodlint::frontend
