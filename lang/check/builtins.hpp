// The built-in functions a policy may call: their names, signatures and typing rules, from the
// table in builtins.def, and the rules (strategies) that type and lower them, from
// builtin_rules.def. The checker types calls with these; lowering turns them into instructions;
// the machines implement those.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "lang/check/checked_policy.hpp"
#include "lang/check/types.hpp"

namespace catengine::lang {

enum class Builtin : std::uint8_t {
#define BUILTIN(id, ...) id,
#include "lang/check/builtins.def"
#undef BUILTIN
};

inline constexpr std::size_t kBuiltinCount = 0
#define BUILTIN(...) +1
#include "lang/check/builtins.def"
#undef BUILTIN
    ;

// How the checker types a call and lowering lowers it: the strategy the row's `rule` names, one
// per row of builtin_rules.def (Fixed: from the row's argument list).
enum class BuiltinRule : std::uint8_t {
#define BUILTIN_RULE(name) name,
#include "lang/check/builtin_rules.def"
#undef BUILTIN_RULE
};

inline constexpr std::size_t kBuiltinRuleCount = 0
#define BUILTIN_RULE(name) +1
#include "lang/check/builtin_rules.def"
#undef BUILTIN_RULE
    ;

struct BuiltinArg {
  BaseType base = BaseType::Error;
  std::string_view what;  // for messages: "a date"
};

struct BuiltinInfo {
  Builtin id;
  std::string_view name;
  std::string_view signature;  // for messages: "add_days(DATE, INTEGER)"
  BuiltinRule rule;
  BaseType result;  // Fixed: the result's type, missing when an argument may be
  bool calendar;    // counts working days: needs a holiday calendar
  // NoticePart, CadencePart: the kind of the notice's or cadence's definition the call reads.
  std::optional<DefinitionInfo::Kind> part;
  std::uint8_t arity;  // Fixed: the number of arguments
  std::array<BuiltinArg, 3> args;
};

std::optional<Builtin> find_builtin(std::string_view name);
const BuiltinInfo& info(Builtin b);

}  // namespace catengine::lang
