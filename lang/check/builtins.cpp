// The table of built-in functions, by name, expanded from builtins.def.
#include "lang/check/builtins.hpp"

#include <initializer_list>

namespace catengine::lang {

namespace {

constexpr bool Calendar = true;
constexpr bool NoCalendar = false;

namespace part_column {  // the part column's words
using K = DefinitionInfo::Kind;
constexpr std::optional<K> NoPart, NoticeIssued{K::NoticeIssued}, NoticeGrounds{K::NoticeGrounds},
    NoticeGroundLetters{K::NoticeGroundLetters}, NoticeDue{K::NoticeDue},
    CadenceNext{K::CadenceNext}, CadenceOverdue{K::CadenceOverdue};
}  // namespace part_column

constexpr std::uint8_t count(std::initializer_list<BuiltinArg> args) {
  return static_cast<std::uint8_t>(args.size());
}

constexpr std::array<BuiltinInfo, kBuiltinCount> kBuiltins{
#define BUILTIN(id, name, signature, rule, op, result, calendar, part, ...) \
  BuiltinInfo{Builtin::id,                                                  \
              name,                                                         \
              signature,                                                    \
              BuiltinRule::rule,                                            \
              BaseType::result,                                             \
              calendar,                                                     \
              part_column::part,                                            \
              count({__VA_ARGS__}),                                         \
              std::array<BuiltinArg, 3>{{__VA_ARGS__}}},
#include "lang/check/builtins.def"
#undef BUILTIN
};

// The enum and the table come from the same rows, so a Builtin indexes its own entry.
static_assert(kBuiltins[static_cast<std::size_t>(Builtin::HowMany)].id == Builtin::HowMany);

}  // namespace

std::optional<Builtin> find_builtin(std::string_view name) {
  // `how many of [...]` reads as English; the parser gives it the name "how many".
  if (name == "how many") return Builtin::HowMany;
  for (const auto& b : kBuiltins) {
    if (b.name == name) return b.id;
  }
  return std::nullopt;
}

const BuiltinInfo& info(Builtin b) {
  return kBuiltins.at(static_cast<std::size_t>(b));
}

}  // namespace catengine::lang
