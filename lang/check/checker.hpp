// Name resolution and static type checking: LoadedPolicy in, CheckedPolicy (or diagnostics) out.
// Every error in the policy is reported in one run; an expression whose type could not be
// worked out gets the Error type, which silences follow-on errors about it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "lang/check/checked_policy.hpp"
#include "lang/diagnostics/diagnostic.hpp"
#include "lang/load/loader.hpp"

namespace catengine::lang {

struct CheckResult {
  std::optional<CheckedPolicy> policy;  // present only when there are no errors
  std::vector<Diagnostic> diagnostics;
};

struct CheckOptions {
  // A module (a file without a `policy` header, checked on its own by `catengine check`): the
  // requirements only a whole policy has (a header, a record, an output block) are skipped.
  bool module = false;
};

// How deep an expression may be with every definition it uses written out in place of its
// name, each name counting one level more (E0011). Checking a definition, evaluating it and
// explaining it all walk into the definitions it uses on demand, so this bounds their stack as
// kMaxExpressionDepth (parser.hpp) does within one expression. At the limit, on a chain of 1,022
// renamings, `explain` (the deepest) uses about 100 KiB of stack in a release build and 700 KiB
// under AddressSanitizer, of the 8 MiB a thread has. A chain of definitions each adding one to
// the next may be about 500 long; the shipped policies reach 23 levels.
inline constexpr int kMaxDefinitionDepth = 1024;

CheckResult check(LoadedPolicy loaded, const CheckOptions& options = {});

// "percent?", "Grade", "academic year": a type as the policy writes it.
std::string type_name(const Type& t, const std::vector<EnumInfo>& enums);

}  // namespace catengine::lang
