// --summary: the policy evaluated on the generator's own model (not on the files, and not with
// catengine), first run with no history store, and the counts printed as Markdown for
// examples/report-cards/README.md.

#include "summary.hpp"

#include "local_authorities.hpp"

#include <array>
#include <cstddef>
#include <cstdio>
#include <string>
#include <string_view>

namespace report_cards {

namespace {

bool is_maintained(const School& s) {
  return s.group == Group::maintained;  // spec 1.1: the type group, not the type
}

}  // namespace

Outcome evaluate(const School& s, const std::vector<Override>& overrides) {
  Outcome o;
  const bool card = s.in_ofsted && s.inspection != 0 && s.inspection >= card_start();
  const auto area = [&](Area a) { return card ? s.areas[a] : kNull; };
  const bool not_met = card && s.safeguarding == 2;
  int attention = 0, urgent = 0;
  for (std::size_t a = 0; a < 8; ++a) {
    attention += area(static_cast<Area>(a)) == kAttention;
    urgent += area(static_cast<Area>(a)) == kUrgent;
  }
  const int oeif = s.in_ofsted ? s.oeif : 0;
  const bool telig_ok = s.in_ks2 && s.telig_code.empty() && s.telig >= 11;
  o.low = s.phase == Phase::primary && telig_ok && s.ptrwm_code.empty() &&
          s.ptrwm - kResultsNational < -10;
  const bool category = s.in_ofsted && !s.category.empty();

  struct R {
    bool when;
    Level level;
  };
  const std::array<R, 10> rules = {{{category, Level::intervention},
                                    {card && not_met, Level::intervention},
                                    {card && urgent >= 1, Level::intervention},
                                    {card && area(kLeadership) == kAttention, Level::intensive},
                                    {card && attention >= 2, Level::intensive},
                                    {card && attention == 1, Level::targeted},
                                    {!card && oeif == 4, Level::intensive},
                                    {!card && oeif == 3, Level::targeted},
                                    {o.low, Level::targeted},
                                    {true, Level::universal}}};
  for (std::size_t i = 0; i < rules.size(); ++i) {
    if (rules[i].when) {
      o.rule = static_cast<int>(i) + 1;
      o.computed = o.level = rules[i].level;
      break;
    }
  }
  for (const Override& v : overrides) {
    if (v.urn != s.urn) continue;
    if (v.until >= as_of()) {
      o.level = v.level;
      o.overridden = true;
    } else {
      o.expired_override = true;
    }
  }
  const bool concern = o.level == Level::intensive || o.level == Level::intervention;
  const int terms = concern ? 1 : 0;  // first term: no history store
  o.maintained = is_maintained(s);
  o.grounds[0] = area(kAchievement) == kUrgent || (o.low && terms >= 2);
  o.grounds[1] = (s.in_la && s.breakdown == 2) || area(kLeadership) == kUrgent;
  o.grounds[2] = not_met;
  const bool any_ground = o.grounds[0] || o.grounds[1] || o.grounds[2];
  o.notice = o.maintained && any_ground && concern;
  o.letter = !o.maintained && concern;
  o.rise = o.rule == 1 && (s.category == "RSI" || s.category == "SWK");
  constexpr std::array<int, 4> weeks = {52, 12, 6, 4};
  const long next = s.in_la && s.last_visit != 0
                        ? s.last_visit + 7L * weeks[static_cast<std::size_t>(o.level)]
                        : as_of();
  o.overdue = next < as_of();
  return o;
}

void print_summary(const Generator& g, std::size_t open_874) {
  std::array<int, 11> by_rule{}, maintained{}, final_rule{};
  std::array<int, 3> cited{}, held_no_notice{}, held_academy{};
  int overridden = 0, expired = 0, notices = 0, letters = 0, rise = 0, overdue = 0;
  int no_ofsted = 0, no_ks2 = 0, primaries = 0, no_la = 0, second_run_a = 0, cards = 0;
  for (const School& s : g.schools) {
    if (kLas[s.la].code != kLa || s.status != Status::open) continue;
    const Outcome o = evaluate(s, g.overrides);
    ++by_rule[static_cast<std::size_t>(o.rule)];
    if (o.maintained) ++maintained[static_cast<std::size_t>(o.rule)];
    if (!o.overridden) ++final_rule[static_cast<std::size_t>(o.rule)];
    overridden += o.overridden;
    expired += o.expired_override;
    notices += o.notice;
    letters += o.letter;
    rise += o.rise;
    overdue += o.overdue;
    no_ofsted += !s.in_ofsted;
    cards += s.in_ofsted && s.inspection >= card_start();
    primaries += s.phase == Phase::primary;
    no_ks2 += s.phase == Phase::primary && !s.in_ks2;
    no_la += !s.in_la;
    const bool concern = o.level == Level::intensive || o.level == Level::intervention;
    for (std::size_t k = 0; k < 3; ++k) {
      if (!o.grounds[k]) continue;
      if (o.notice)
        ++cited[k];
      else if (o.maintained)
        ++held_no_notice[k];
      else
        ++held_academy[k];
    }
    if (o.maintained && concern && o.low && !o.grounds[0]) ++second_run_a;
  }
  int overrides_outside = 0;
  for (const Override& v : g.overrides) {
    bool found = false;
    for (const School& s : g.schools)
      found = found || (s.urn == v.urn && kLas[s.la].code == kLa && s.status == Status::open);
    overrides_outside += !found;
  }
  constexpr std::array<std::string_view, 11> when = {
      "",
      "category of concern SM, SWK or RSI",
      "report card, safeguarding not met",
      "report card, an area urgent improvement",
      "report card, leadership and governance needs attention",
      "report card, two or more areas need attention",
      "report card, one area needs attention",
      "no report card, legacy OEIF 4",
      "no report card, legacy OEIF 3",
      "low KS2 attainment (gap below -10)",
      "otherwise"};
  std::printf("Open schools of LA 874 evaluated: %zu (report cards: %d)\n\n", open_874, cards);
  std::printf("| rule | when | schools | of which maintained | final rule (not overridden) |\n");
  std::printf("|---|---|---:|---:|---:|\n");
  for (std::size_t r = 1; r <= 10; ++r)
    std::printf("| L%zu | %s | %d | %d | %d |\n", r, std::string(when[r]).c_str(), by_rule[r],
                maintained[r], final_rule[r]);
  std::printf("| override | an override on or after the as-of date | | | %d |\n\n", overridden);
  std::printf(
      "| ground | in issued warning notices | holds for a maintained school below "
      "intensive (no notice) | holds for an academy or other (trust letter instead) |\n");
  std::printf("|---|---:|---:|---:|\n");
  constexpr std::array<std::string_view, 3> ground = {"(a) standards", "(b) governance",
                                                      "(c) safety"};
  for (std::size_t k = 0; k < 3; ++k)
    std::printf("| %s | %d | %d | %d |\n", std::string(ground[k]).c_str(), cited[k],
                held_no_notice[k], held_academy[k]);
  std::printf(
      "\nWarning notices: %d. Trust letters: %d. RISE referrals: %d. Visits overdue: %d.\n"
      "Absent: from ofsted %d, from ks2 %d of %d primary, from la %d.\n"
      "Overrides: %zu rows; applied %d, expired %d, for a URN outside the list %d.\n"
      "Second run on the same files with this run saved: ground (a) through low attainment for "
      "%d more maintained schools.\n",
      notices, letters, rise, overdue, no_ofsted, no_ks2, primaries, no_la, g.overrides.size(),
      overridden, expired, overrides_outside, second_run_a);
}

}  // namespace report_cards
