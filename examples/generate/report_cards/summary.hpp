// --summary: the policy evaluated on the generator's own model of what it wrote (not on the
// files, and not with catengine), first run with no history store, for the table in
// examples/report-cards/README.md.

#pragma once

#include "generator.hpp"
#include "model.hpp"

#include <array>
#include <cstddef>
#include <vector>

namespace report_cards {

// What the policy decides for one school.
struct Outcome {
  int rule = 10;  // 1..10
  Level computed = Level::universal;
  Level level = Level::universal;
  bool overridden = false;
  bool maintained = false;
  std::array<bool, 3> grounds{};
  bool notice = false, letter = false, rise = false, overdue = false;
  bool low = false;
  bool expired_override = false;
};

Outcome evaluate(const School& s, const std::vector<Override>& overrides);

// Prints, as Markdown, how many of the open schools of LA 874 meet each rule and ground.
void print_summary(const Generator& g, std::size_t open_874);

}  // namespace report_cards
