// Writing a Value as text, by its static type: the one place that decides how results look
// (yes/no, YYYY-MM-DD, enumeration keys, exact decimals, 2016/17).
#pragma once

#include <string>

#include <nlohmann/json_fwd.hpp>

#include "data/dataset.hpp"
#include "lang/check/checked_policy.hpp"

namespace catengine::engine {

class ValueFormatter {
 public:
  ValueFormatter(const lang::CheckedPolicy& policy, const TextPool& text)
      : policy_(policy), text_(text) {}

  // Missing values are written as the empty string.
  std::string format(Value v, const lang::Type& type) const;
  void append(std::string& out, Value v, const lang::Type& type) const;

  // As a JSON value: numbers stay numbers when their JSON text is exactly the decimal (else a
  // string, so no digit is lost), booleans are true/false, missing is null.
  nlohmann::ordered_json json(Value v, const lang::Type& type) const;

  // A duration (`lasting`) in its one canonical form: "half a day", "1 day", "2 days", "1 hour",
  // "1.5 hours"; with no unit (the old text form), as format() writes the value.
  std::string duration(Value count, const lang::Type& type, lang::DurationUnit unit) const;

  // For explanations: "3 (Requires improvement)" where a member has a description.
  std::string describe(Value v, const lang::Type& type) const;

 private:
  const lang::CheckedPolicy& policy_;
  const TextPool& text_;
};

}  // namespace catengine::engine
