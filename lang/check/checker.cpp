// Resolves every name in a loaded policy and works out the type of every expression, recording
// both in side tables. Declarations from all modules share one namespace; types (enumerations
// and scales) have their own. Definitions may appear in any order: their types are worked out on
// demand, and a cycle among them is reported once, at the definition that closes it.
#include "lang/check/checker.hpp"

#include "lang/check/checker_impl.hpp"

namespace catengine::lang {

std::string type_name(const Type& t, const std::vector<EnumInfo>& enums) {
  std::string base;
  switch (t.base) {
    case BaseType::Error:
      base = "unknown";
      break;
    case BaseType::Integer:
      base = "integer";
      break;
    case BaseType::Number:
      base = "number";
      break;
    case BaseType::Percent:
      base = "percent";
      break;
    case BaseType::Boolean:
      base = "boolean";
      break;
    case BaseType::Text:
      base = "text";
      break;
    case BaseType::Date:
      base = "date";
      break;
    case BaseType::AcademicYear:
      base = "academic year";
      break;
    case BaseType::Enum:
      base = t.enum_id < enums.size() ? enums[t.enum_id].name : "?";
      break;
  }
  return t.optional ? base + "?" : base;
}

namespace checking {

CheckResult Checker::run() {
  collect_declarations();
  if (!definitions_shallow_enough()) {
    CheckResult r;
    r.diagnostics = std::move(diags_);
    return r;
  }
  resolve_record();
  resolve_parameters();
  for (std::uint32_t i = 0; i < p_.definitions.size(); ++i) definition_type(i);
  for (std::uint32_t i = 0; i < p_.definitions.size(); ++i) {
    if (def_sources_[i].define != nullptr || def_sources_[i].decide != nullptr)
      check_definition_body(i);
  }
  for (std::uint32_t i = 0; i < p_.notices.size(); ++i) check_notice(i);
  for (std::uint32_t i = 0; i < p_.cadences.size(); ++i) check_cadence(i);
  check_warnings();
  order_definitions();
  check_outputs();
  CheckResult r;
  r.diagnostics = std::move(diags_);
  if (!has_errors(r.diagnostics)) r.policy = std::move(p_);
  return r;
}

}  // namespace checking

CheckResult check(LoadedPolicy loaded, const CheckOptions& options) {
  checking::Checker checker(std::move(loaded), options);
  return checker.run();
}

}  // namespace catengine::lang
