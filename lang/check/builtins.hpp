// The built-in functions a policy may call: their names, signatures and typing rules, from the
// table in builtins.def. The checker types calls with these; lowering turns them into
// instructions; the machines implement those.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

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

// How the checker types a call (and lowering lowers it): Fixed from the row's argument list,
// the others each by a case of their own.
enum class BuiltinRule : std::uint8_t {
  Fixed,
  Rule,
  Extreme,
  EarliestOnOrAfter,
  FirstDateOf,
  HowMany,
  NoticePart,
  CadencePart
};

struct BuiltinArg {
  BaseType base = BaseType::Error;
  std::string_view what;  // for messages: "a date"
};

struct BuiltinInfo {
  Builtin id;
  std::string_view name;
  std::string_view signature;  // for messages: "add_days(DATE, INTEGER)"
  BuiltinRule rule;
  BaseType result;     // Fixed: the result's type, missing when an argument may be
  bool calendar;       // counts working days: needs a holiday calendar
  std::uint8_t arity;  // Fixed: the number of arguments
  std::array<BuiltinArg, 3> args;
};

std::optional<Builtin> find_builtin(std::string_view name);
const BuiltinInfo& info(Builtin b);

}  // namespace catengine::lang
