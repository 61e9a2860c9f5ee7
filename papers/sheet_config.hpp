// What a policy folder adds to its papers, so that nothing about one LA is written in C++:
//   papers.csv        the profile sheet's criteria (in the LA's order) and the measures whose
//                     trend is charted; columns `part,title,fields,labels`:
//                       criterion,"Attainment on entry",entry_attainment,
//                       trend,"KS2 reading, writing and maths",ks2_rwm_prev2 ks2_rwm_prev
//                       ks2_rwm,two years before|year before|this year
//                     `fields` names record fields or definitions, separated by spaces.
//   notice.mustache   the wording of every notice and letter draft (docs/reports.md lists its
//                     variables); NAME.mustache for the notice NAME alone. Without one, a
//                     built-in letter is used.
// Both are optional. They are read with the one CSV reader and rendered with mstch, a
// logic-less template engine: nothing in a template or in the data is ever executed.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "lang/check/checked_policy.hpp"

namespace catengine::engine {

struct SheetPart {
  enum class Kind { Criterion, Trend };
  Kind kind = Kind::Criterion;
  std::string title;
  std::vector<std::string> fields;  // record fields or definitions, checked against the policy
  std::vector<std::string> labels;  // trend: one per field, else the field names
};

struct PaperSettings {
  std::vector<SheetPart> parts;                  // in the file's order
  std::map<std::string, std::string> templates;  // notice name (or "" for all) -> template text
};

// Reads `folder`/papers.csv and `folder`/*.mustache when present. Returns nullopt with every
// problem in `error` (FILE:ROW:COLUMN: message lines) when papers.csv names an unknown part or
// a name that is neither a field nor a definition of `policy`.
std::optional<PaperSettings> read_paper_settings(const std::string& folder,
                                                 const lang::CheckedPolicy& policy,
                                                 std::string& error);

// The built-in notice template, used when the policy folder has none.
const std::string& default_notice_template();

}  // namespace catengine::engine
