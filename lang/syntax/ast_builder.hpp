// Building the typed AST from the parse tree of one declaration (ast.hpp): names, literals,
// expressions with their spans, and the expression-depth limit (E0010). Internal to lang/syntax:
// the driver in parser.cpp parses a declaration with grammar.hpp and hands its tree here.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lang/diagnostics/diagnostic.hpp"
#include "lang/syntax/ast.hpp"

namespace catengine::lang {

struct ParseNode;

class AstBuilder {
 public:
  // `text` is the whole file; lowered declarations and expressions are appended to `module`.
  AstBuilder(const std::string& text, FileId file, Module& module,
             std::vector<Diagnostic>& diagnostics);
  ~AstBuilder();
  AstBuilder(const AstBuilder&) = delete;
  AstBuilder& operator=(const AstBuilder&) = delete;

  // Lowers one declaration. When an expression in it is deeper than kMaxExpressionDepth, the
  // declaration is dropped (with its expressions) and E0010 is returned instead, so no later
  // phase ever walks a tree deep enough to exhaust the stack.
  std::optional<Diagnostic> build_decl(const ParseNode& n);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace catengine::lang
