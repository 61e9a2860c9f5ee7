// Generator members for the Ofsted file: report cards (inspected from 10 November 2025), legacy
// OEIF grades with the stale cells a legacy row may keep, and the random mix of both.

#include "generator.hpp"

#include <cstddef>
#include <utility>

namespace report_cards {

namespace {

// Monday = 1 ... Sunday = 7 (1970-01-01 was a Thursday).
int weekday(long day) {
  return static_cast<int>(((day % 7) + 7 + 3) % 7) + 1;
}
// Inspections start Monday to Wednesday: move back to the nearest such day.
long inspection_day(long day) {
  while (weekday(day) > 3) --day;
  return day;
}

}  // namespace

// Which of the early-years and post-16 areas apply to this school.
std::pair<bool, bool> Generator::applicable(const School& s) {
  const bool ey = (s.phase == Phase::primary && !s.junior) || s.phase == Phase::nursery ||
                  s.phase == Phase::all_through || (s.phase == Phase::none && s.low_age < 5);
  const bool p16 = s.high_age > 16;
  return {ey, p16};
}

Grade Generator::good_grade(int strength) {
  const int r = rng.range(0, 999) + strength * 120;
  return r > 930 ? kExceptional : r > 620 ? kStrong : kExpected;
}

// A report card with every area at least expected standard.
void Generator::card(School& s, int strength) {
  s.in_ofsted = true;
  s.inspection = inspection_day(card_start() + rng.range(0, 17));
  s.safeguarding = 1;
  const auto [ey, p16] = applicable(s);
  for (std::size_t a = 0; a < 6; ++a) s.areas[a] = good_grade(strength);
  s.areas[kEarlyYears] = ey ? good_grade(strength) : kNotApplicable;
  s.areas[kPost16] = p16 ? good_grade(strength) : kNotApplicable;
  // The OEIF grade from before stays in the file beside the report card.
  if (rng.chance(900)) {
    const int before = strength >= 1 ? (rng.chance(300) ? 1 : 2) : strength == 0 ? 2 : 3;
    legacy_grade(s, before);
  }
}

void Generator::legacy_grade(School& s, int grade) {
  s.oeif = grade;
  const int back = grade == 1 ? rng.range(400, 3600) : rng.range(60, 1500);
  s.oeif_date = inspection_day(days_from_civil(2025, 11, 7) - back);
}

// No report card: the last OEIF grade, and an inspection start date before 10 November 2025
// (an ungraded visit since) or NULL.
void Generator::legacy(School& s, int grade) {
  s.in_ofsted = true;
  legacy_grade(s, grade);
  if (rng.chance(700)) {
    s.inspection = s.oeif_date;
    if (rng.chance(300)) {
      const long later = s.oeif_date + rng.range(300, 900);
      if (later < days_from_civil(2025, 11, 7)) s.inspection = inspection_day(later);
    }
  }
}

// Area grades and a safeguarding judgement left in a legacy row (they must be ignored).
void Generator::stale(School& s, Grade worst, int safeguarding) {
  for (std::size_t a = 0; a < 6; ++a) s.areas[a] = good_grade(0);
  s.areas[kAchievement] = worst;
  s.areas[kLeadership] = worst;
  s.areas[kEarlyYears] = kNotApplicable;
  s.areas[kPost16] = kNotApplicable;
  s.safeguarding = safeguarding;
}

// A core area other than leadership (and other than `except`).
std::size_t Generator::other_area(std::size_t except) {
  for (;;) {
    const auto a = static_cast<std::size_t>(rng.below(5));
    if (a != except) return a;
  }
}

void Generator::random_ofsted(School& s, int strength) {
  if (!rng.chance(970)) return;  // not in the file
  if (s.group == Group::free_school && s.open_date > days_from_civil(2024, 1, 1)) return;
  const int r = rng.range(0, 999);
  if (r < 30) {  // in the file, never inspected yet
    s.in_ofsted = true;
    return;
  }
  if (r < 110) {
    card(s, strength);
    // Now and then an area needs attention, rarely worse.
    for (std::size_t a = 0; a < 6; ++a) {
      if (rng.chance(70)) s.areas[a] = kAttention;
      if (rng.chance(6)) s.areas[a] = kUrgent;
    }
    if (rng.chance(10)) s.safeguarding = 2;
    return;
  }
  const int g = rng.range(0, 999) - strength * 60;
  const int grade = g < 140 ? 1 : g < 830 ? 2 : g < 975 ? 3 : 4;
  legacy(s, grade);
  if (grade == 4 && !rng.chance(60)) s.category = rng.chance(550) ? "SM" : "SWK";
  if (rng.chance(30)) stale(s, rng.chance(500) ? kAttention : kExpected, 1);
}

}  // namespace report_cards
