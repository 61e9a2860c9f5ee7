// Generator members for the KS2 performance tables (results, DfE suppression codes) and for the
// LA's own records (last visit, governance breakdown).

#include "generator.hpp"

#include <algorithm>
#include <array>
#include <string_view>

namespace report_cards {

// --- KS2 --------------------------------------------------------------------------------------

bool Generator::has_ks2(const School& s) const {
  return s.phase == Phase::primary && !s.infant;
}

void Generator::ks2(School& s, int telig, int ptrwm) {
  s.in_ks2 = true;
  s.telig = telig;
  s.ptrwm = ptrwm;
  s.telig_code = s.ptrwm_code = {};
}

void Generator::random_ks2(School& s, int strength) {
  if (!has_ks2(s) || !rng.chance(980)) return;
  if (s.open_date > days_from_civil(2024, 9, 1) && s.group == Group::free_school) return;
  const int cohort = rng.chance(120) ? rng.range(4, 14) : rng.range(15, 95);
  ks2(s, cohort, std::clamp(kResultsNational + strength * 7 + rng.noise(12), 5, 100));
  if (rng.chance(40)) {  // DfE suppression and coverage codes
    constexpr std::array<std::string_view, 6> codes = {"SUPP", "NE", "NP", "LOWCOV", "x", "supp"};
    s.ptrwm_code = rng.pick(codes);
  } else if (cohort <= 5) {
    s.ptrwm_code = "SUPP";
  }
  if (rng.chance(5)) s.telig_code = "NP";
}

// --- LA records -------------------------------------------------------------------------------

void Generator::la_record(School& s, int breakdown) {
  s.in_la = true;
  s.breakdown = breakdown;
  if (!rng.chance(60)) s.last_visit = as_of() - rng.range(3, 400);
}

void Generator::random_la(School& s) {
  if (!rng.chance(960)) return;
  const int r = rng.range(0, 999);
  la_record(s, r < 8 ? 2 : r < 750 ? 1 : 0);
}

}  // namespace report_cards
