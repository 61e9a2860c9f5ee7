// The requests a policy officer's editor makes, each a function of the server's state and the
// request's parameters, giving the result or throwing RequestError.
#pragma once

#include "lsp/server.hpp"

namespace catengine::lsp {

Json hover(Server& s, const Json& params);
Json definition(Server& s, const Json& params);
Json references(Server& s, const Json& params);
Json prepare_rename(Server& s, const Json& params);
Json rename(Server& s, const Json& params);
Json completion(Server& s, const Json& params);
Json formatting(Server& s, const Json& params);
Json range_formatting(Server& s, const Json& params);
Json folding_ranges(Server& s, const Json& params);
Json document_symbols(Server& s, const Json& params);
Json code_lenses(Server& s, const Json& params);
Json execute_command(Server& s, const Json& params);

// The protocol's Diagnostic for one of the policy's, in `file` of `a`.
Json to_lsp_diagnostic(const Analysis& a, const lang::Diagnostic& d);
// The LSP range of a span of the analysis's sources.
Json range_json(const Analysis& a, lang::SourceSpan span);

// The text of the explanation `catengine explain` gives for one school of the example data
// (lsp/explain.cpp); `urn` empty: the first school.
std::string explain_example(Server& s, const std::string& uri, const std::string& urn);

}  // namespace catengine::lsp
