// The designed cases for the open schools of LA 874: which rule (L1-L10), trap or override each
// case exercises, and the list one copy of the design draws from, so that as of 2026-01-05 every
// rule, every warning-notice ground, trust letters, absences and live and expired overrides all
// occur. examples/report-cards/README.md describes them.

#pragma once

#include <cstdint>

namespace report_cards {

// The kind of school a case asks for (any: drawn as for a random school).
enum class Gov : std::uint8_t { any, maintained, academy, free_school, special };

// What a case exercises, grouped by the rule it meets; the comments after L10 are its traps.
enum class V : std::uint8_t {
  random,  // a realistic random school
  // L1
  sm_legacy,
  swk_legacy,
  sm_card,
  rsi_card,
  // L2
  not_met,
  // L3
  achievement_urgent,
  leadership_urgent,
  attendance_urgent,
  inclusion_urgent,
  // L4
  leadership_attention,
  leadership_attention_breakdown,
  leadership_attention_low_ks2,
  // L5
  two_attention,
  early_years_and_one,
  // L6
  one_attention,
  one_attention_first_day,
  post16_attention,
  // L7
  oeif4,
  oeif4_stale,
  oeif4_low_ks2,
  oeif4_breakdown,
  // L8
  oeif3,
  oeif3_stale_last_week,
  // L9
  low_ks2,
  low_ks2_51,
  low_ks2_telig11,
  low_ks2_no_ofsted,
  // L10 and its traps
  good,
  breakdown_only,
  telig10_low,
  suppressed_low,
  ks2_52,
  stale_legacy,
  not_inspected,
  not_in_la,
  nursery,  // a maintained nursery school: early years graded, post-16 not applicable
};

// The adviser override a case carries, and whether it applies as of 2026-01-05.
enum class O : std::uint8_t {
  none,
  raise_intensive,          // applies: a maintained school with a breakdown gets a notice
  raise_intervention,       // applies: an academy gets a trust letter
  lower_universal,          // applies
  lower_intensive,          // applies: still a trust letter
  lower_targeted_on_as_of,  // applies: until = the as-of date itself
  expired,                  // until 2025-12-19: ignored with a warning
  expired_day_before,       // until 2026-01-04: ignored with a warning
};

// One designed case: what it exercises, the kind of school, and its override.
struct Case {
  V v;
  Gov gov;
  O o = O::none;
};

// One copy of the design; --schools N uses about N/120 copies (at least one), truncated if N is
// smaller than one copy, and tops up with random schools.
inline constexpr Case kDesign[] = {
    // L1: category of concern, legacy and report card
    {V::sm_legacy, Gov::maintained},
    {V::swk_legacy, Gov::academy},
    {V::sm_card, Gov::maintained},
    {V::rsi_card, Gov::academy},
    {V::swk_legacy, Gov::maintained},
    {V::rsi_card, Gov::maintained},
    // L2: safeguarding not met
    {V::not_met, Gov::maintained},
    {V::not_met, Gov::maintained},
    {V::not_met, Gov::academy},
    {V::not_met, Gov::free_school},
    // L3: an urgent improvement
    {V::achievement_urgent, Gov::maintained},
    {V::achievement_urgent, Gov::academy},
    {V::leadership_urgent, Gov::maintained},
    {V::attendance_urgent, Gov::maintained},
    {V::inclusion_urgent, Gov::academy, O::lower_intensive},
    {V::achievement_urgent, Gov::maintained},
    // L4: leadership needs attention
    {V::leadership_attention_breakdown, Gov::maintained},
    {V::leadership_attention, Gov::academy},
    {V::leadership_attention_low_ks2, Gov::maintained},
    {V::leadership_attention, Gov::academy},
    // L5: two areas need attention
    {V::two_attention, Gov::maintained},
    {V::two_attention, Gov::academy},
    {V::early_years_and_one, Gov::academy},
    {V::two_attention, Gov::special},
    // L6: one area needs attention
    {V::one_attention, Gov::any},
    {V::one_attention, Gov::any},
    {V::one_attention, Gov::maintained},
    {V::one_attention_first_day, Gov::any},
    {V::post16_attention, Gov::academy},
    {V::one_attention, Gov::academy, O::lower_universal},
    // L7: legacy inadequate, no category
    {V::oeif4, Gov::maintained},
    {V::oeif4_stale, Gov::academy},
    {V::oeif4_low_ks2, Gov::maintained},
    {V::oeif4_breakdown, Gov::maintained},
    {V::oeif4, Gov::academy, O::lower_targeted_on_as_of},
    // L8: legacy requires improvement
    {V::oeif3, Gov::any},
    {V::oeif3, Gov::any},
    {V::oeif3, Gov::maintained},
    {V::oeif3, Gov::academy},
    {V::oeif3, Gov::any},
    {V::oeif3, Gov::any},
    {V::oeif3_stale_last_week, Gov::any},
    {V::oeif3, Gov::academy, O::lower_universal},
    {V::oeif3, Gov::maintained, O::expired},
    {V::oeif3, Gov::any, O::expired_day_before},
    // L9: low attainment
    {V::low_ks2, Gov::any},
    {V::low_ks2, Gov::maintained},
    {V::low_ks2, Gov::academy},
    {V::low_ks2_51, Gov::any},
    {V::low_ks2_telig11, Gov::any},
    {V::low_ks2_no_ofsted, Gov::any},
    {V::low_ks2, Gov::any, O::lower_universal},
    // L10 and its traps
    {V::breakdown_only, Gov::maintained},
    {V::breakdown_only, Gov::maintained, O::raise_intensive},
    {V::telig10_low, Gov::any},
    {V::suppressed_low, Gov::any},
    {V::ks2_52, Gov::any},
    {V::stale_legacy, Gov::maintained},
    {V::not_inspected, Gov::free_school},
    {V::not_in_la, Gov::any},
    {V::not_in_la, Gov::any},
    {V::good, Gov::academy, O::raise_intervention},
    {V::nursery, Gov::maintained},
};

// The cases that need KS2 results, so a primary school with year 6.
constexpr bool needs_primary(V v) {
  switch (v) {
    case V::leadership_attention_low_ks2:
    case V::oeif4_low_ks2:
    case V::low_ks2:
    case V::low_ks2_51:
    case V::low_ks2_telig11:
    case V::low_ks2_no_ofsted:
    case V::telig10_low:
    case V::suppressed_low:
    case V::ks2_52:
    case V::early_years_and_one:
      return true;
    default:
      return false;
  }
}

}  // namespace report_cards
