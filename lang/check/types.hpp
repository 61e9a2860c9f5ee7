// Static types of the policy language. Every expression has one, computed by the checker.
#pragma once

#include <cstdint>
#include <string>

namespace catengine::lang {

enum class BaseType : std::uint8_t {
  Error,  // a type error was already reported; suppresses follow-on errors
  Integer,
  Number,
  Percent,
  Boolean,
  Text,
  Date,
  AcademicYear,
  Enum,  // an enumeration or scale: enum_id says which
};

struct Type {
  BaseType base = BaseType::Error;
  std::uint16_t enum_id = 0;  // index into CheckedPolicy::enums when base == Enum
  bool optional = false;      // may be missing

  bool is_numeric() const {
    return base == BaseType::Integer || base == BaseType::Number || base == BaseType::Percent;
  }
  bool is_error() const { return base == BaseType::Error; }
  Type required() const { return {base, enum_id, false}; }
  Type maybe(bool opt) const { return {base, enum_id, optional || opt}; }
  friend bool operator==(const Type&, const Type&) = default;
};

inline constexpr Type kErrorType{BaseType::Error, 0, false};
inline constexpr Type kBoolean{BaseType::Boolean, 0, false};
inline constexpr Type kInteger{BaseType::Integer, 0, false};
inline constexpr Type kNumber{BaseType::Number, 0, false};
inline constexpr Type kText{BaseType::Text, 0, false};
inline constexpr Type kDate{BaseType::Date, 0, false};

}  // namespace catengine::lang
