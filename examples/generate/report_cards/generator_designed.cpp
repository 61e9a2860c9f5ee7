// Generator members for the open schools of LA 874: one designed case (design.hpp) made into a
// school with the Ofsted, KS2 and LA records and the override its case needs, or a random one.

#include "generator.hpp"

#include <array>
#include <string_view>
#include <utility>

namespace report_cards {

// The Ofsted row, KS2 results and LA record that case c needs (V::random: all drawn at random).
void Generator::designed(School& s, const Case& c) {
  const int strength = rng.range(-1, 2);
  const auto low = [&] { return rng.range(30, 50); };
  switch (c.v) {
    case V::random:
      random_ofsted(s, strength);
      random_ks2(s, strength);
      random_la(s);
      return;
    case V::sm_legacy:
    case V::swk_legacy:
      legacy(s, 4);
      s.category = c.v == V::sm_legacy ? "SM" : "SWK";
      break;
    case V::sm_card:  // grounds (a), (b) and (c) at once
      card(s, -1);
      s.category = "SM";
      s.safeguarding = 2;
      s.areas[kAchievement] = kUrgent;
      s.areas[kLeadership] = kUrgent;
      s.areas[kInclusion] = kAttention;
      break;
    case V::rsi_card:
      card(s, -1);
      s.category = "RSI";
      s.areas[kCurriculum] = kUrgent;
      s.areas[kLeadership] = kAttention;
      break;
    case V::not_met:
      card(s, 0);
      s.safeguarding = 2;
      s.areas[kLeadership] = kAttention;
      if (rng.chance(500)) s.areas[other_area()] = kAttention;
      break;
    case V::achievement_urgent:
      card(s, -1);
      s.areas[kAchievement] = kUrgent;
      s.areas[kCurriculum] = kAttention;
      break;
    case V::leadership_urgent:
      card(s, -1);
      s.areas[kLeadership] = kUrgent;
      break;
    case V::attendance_urgent:
      card(s, 0);
      s.areas[kAttendance] = kUrgent;
      break;
    case V::inclusion_urgent:
      card(s, 0);
      s.areas[kInclusion] = kUrgent;
      s.areas[kPersonal] = kAttention;
      break;
    case V::leadership_attention:
    case V::leadership_attention_breakdown:
    case V::leadership_attention_low_ks2:
      card(s, 0);
      s.areas[kLeadership] = kAttention;
      if (rng.chance(500)) s.areas[other_area()] = kAttention;
      break;
    case V::two_attention: {
      card(s, 0);
      const std::size_t a = other_area();
      s.areas[a] = kAttention;
      s.areas[other_area(a)] = kAttention;
      break;
    }
    case V::early_years_and_one:
      card(s, 0);
      s.areas[kEarlyYears] = kAttention;  // applies: a primary school with a reception class
      s.areas[other_area()] = kAttention;
      break;
    case V::one_attention:
    case V::one_attention_first_day:
    case V::post16_attention:
      card(s, 1);
      if (c.v == V::one_attention_first_day) s.inspection = card_start();
      if (c.v == V::post16_attention)
        s.areas[kPost16] = kAttention;
      else
        s.areas[other_area()] = kAttention;
      break;
    case V::oeif4:
    case V::oeif4_stale:
    case V::oeif4_low_ks2:
    case V::oeif4_breakdown:
      legacy(s, 4);
      if (c.v == V::oeif4_stale) stale(s, kUrgent, 2);
      break;
    case V::oeif3:
      legacy(s, 3);
      break;
    case V::oeif3_stale_last_week:  // the last week of the old framework
      legacy(s, 3);
      s.inspection = days_from_civil(2025, 11, 5);
      stale(s, kUrgent, 2);
      break;
    case V::low_ks2:
    case V::low_ks2_51:
    case V::low_ks2_telig11:
      if (rng.chance(400))
        card(s, 0);
      else
        legacy(s, rng.chance(200) ? 1 : 2);
      break;
    case V::low_ks2_no_ofsted:
    case V::not_inspected:
      break;  // not in the Ofsted file at all
    case V::good:
    case V::breakdown_only:
    case V::telig10_low:
    case V::suppressed_low:
    case V::ks2_52:
    case V::not_in_la:
    case V::nursery:
      if (rng.chance(300))
        card(s, 1);
      else
        legacy(s, rng.chance(250) ? 1 : 2);
      break;
    case V::stale_legacy:  // a good legacy grade beside stale "Not met" and urgent cells
      legacy(s, 2);
      stale(s, kUrgent, 2);
      break;
  }

  // KS2: low results where the case needs them, otherwise ordinary (and never low with a
  // countable cohort, so that L10 cases stay L10).
  switch (c.v) {
    case V::leadership_attention_low_ks2:
    case V::oeif4_low_ks2:
    case V::low_ks2:
    case V::low_ks2_no_ofsted:
      ks2(s, rng.range(20, 60), low());
      break;
    case V::low_ks2_51:
      ks2(s, rng.range(25, 60), 51);
      break;
    case V::low_ks2_telig11:
      ks2(s, 11, low());
      break;
    case V::telig10_low:
      ks2(s, 10, low());
      break;
    case V::suppressed_low:
      ks2(s, rng.range(20, 40), low());
      s.ptrwm_code = "SUPP";
      break;
    case V::ks2_52:
      ks2(s, rng.range(25, 60), 52);
      break;
    default:
      if (has_ks2(s) && rng.chance(960)) ks2(s, rng.range(15, 90), rng.range(53, 85));
      break;
  }

  // LA records.
  const bool breakdown = c.v == V::leadership_attention_breakdown || c.v == V::oeif4_breakdown ||
                         c.v == V::breakdown_only;
  if (c.v != V::not_in_la) la_record(s, breakdown ? 2 : (rng.chance(750) ? 1 : 0));
  if (s.in_la && s.category.empty() && s.areas[kLeadership] != kUrgent && !breakdown &&
      rng.chance(60))
    s.last_visit = 0;  // never visited: due on the as-of date
}

// The override row of case c, if it has one.
void Generator::designed_override(const School& s, O o) {
  const long day = as_of();
  switch (o) {
    case O::none:
      return;
    case O::raise_intensive:
      overrides.push_back({s.urn, Level::intensive,
                           "Chair and vice-chair resigned, finance committee not quorate since "
                           "October; LA to support a new governing body",
                           "Dr A. Okafor, Head of School Improvement", day + 82});
      return;
    case O::raise_intervention:
      overrides.push_back({s.urn, Level::intervention,
                           "Whistleblowing concerns about off-rolling, shared with the DfE "
                           "Regional Director; awaiting trust's response",
                           "Director of Education", day + 53});
      return;
    case O::lower_universal: {
      // Several of these: different words, as different advisers write them.
      constexpr std::array<std::string_view, 3> reasons = {
          "New headteacher since September 2025, rapid improvement seen at the December "
          "visit; review at Easter",
          "Dip in results was one cohort with high mobility, 2026 predictions in line with "
          "national",
          "Governors have appointed a strong deputy, and the trust's own review found no "
          "concerns"};
      const std::size_t k = lowered_++ % reasons.size();
      overrides.push_back({s.urn, Level::universal, reasons[k],
                           k == 1 ? "S. Kowalski, Senior Adviser (Secondary)"
                                  : "J. Whitfield, Senior Adviser (Primary)",
                           day + 102 - 14 * static_cast<long>(k)});
      return;
    }
    case O::lower_intensive:
      overrides.push_back({s.urn, Level::intensive,
                           "Trust has appointed an executive head, and the inclusion plan is "
                           "agreed; monitor half-termly",
                           "Dr A. Okafor, Head of School Improvement", day + 68});
      return;
    case O::lower_targeted_on_as_of:
      overrides.push_back({s.urn, Level::targeted,
                           "Re-brokered to a new trust, monitoring visit positive, "
                           "re-inspection expected soon",
                           "Director of Education", day});
      return;
    case O::expired:
      overrides.push_back(
          {s.urn, Level::universal, "Interim arrangement, until the autumn term ends",
           "J. Whitfield, Senior Adviser (Primary)", days_from_civil(2025, 12, 19)});
      return;
    case O::expired_day_before:
      overrides.push_back({s.urn, Level::universal,
                           "Agreed at the December panel, to be reviewed after Christmas",
                           "Schools Causing Concern panel, chaired by M. Hussain", day - 1});
      return;
  }
}

// One open school of LA 874 made to case c, and the closed predecessor it may have.
void Generator::open_school_874(const Case& c) {
  School s;
  s.la = la_index(kLa);
  const bool primary = needs_primary(c.v);
  kind(s, c.gov, primary);
  if (primary) {
    s.phase = Phase::primary;
    ages(s);
    s.infant = false;  // has KS2 results
    if (c.v == V::early_years_and_one) s.junior = false, s.low_age = 4;
    if (s.high_age != 11) s.high_age = 11;
  }
  if (c.v == V::post16_attention) {
    s.phase = Phase::secondary;
    s.type_code = 34;
    s.type_name = "Academy converter";
    s.low_age = 11;
    s.high_age = 18;
  }
  if (c.v == V::nursery) {
    s.phase = Phase::nursery;
    s.type_code = 15;
    s.type_name = "Local authority nursery school";
    ages(s);
  }
  const bool academy = s.group == Group::academy || s.group == Group::free_school;
  s.urn = academy ? urns.draw(rng, 136000, 152999) : urns.draw(rng, 110400, 111200);
  if (c.v == V::not_inspected) {
    s.urn = urns.draw(rng, 153000, 154999);  // a new free school
  }
  identity(s);
  if (c.v == V::not_inspected) s.open_date = days_from_civil(2025, 9, 1);
  designed(s, c);
  if (c.o != O::none) designed_override(s, c.o);
  const School copy = s;
  add(std::move(s));
  predecessor(copy);
}

}  // namespace report_cards
