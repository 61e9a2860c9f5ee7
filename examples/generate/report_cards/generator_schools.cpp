// Generator members for every other school: random state-funded schools of any LA (open,
// closed or proposed), independent schools, further-education colleges and Welsh schools.

#include "generator.hpp"

#include "vocabulary.hpp"

#include <fmt/format.h>

#include <string>
#include <string_view>
#include <utility>

namespace report_cards {

// A random school of any LA (a state-funded one unless group says otherwise).
void Generator::random_school(std::size_t la, Status status) {
  School s;
  s.la = la;
  s.status = status;
  kind(s, Gov::any, false);
  const bool academy = s.group == Group::academy || s.group == Group::free_school;
  s.urn = academy ? urns.draw(rng, 136000, 159999) : urns.draw(rng, 100000, 135999);
  identity(s);
  if (status == Status::closed) {
    s.close_date = days_from_civil(rng.range(1995, 2025), rng.chance(600) ? 8 : 12, 31);
    s.close_reason = rng.chance(500) ? "Merged" : "Closure";
    if (s.open_date >= s.close_date) s.open_date = 0;
    add(std::move(s));
    return;
  }
  const int strength = rng.range(-1, 2);
  random_ofsted(s, strength);
  random_ks2(s, strength);
  if (kLas[la].code == kLa) random_la(s);
  const School copy = s;
  add(std::move(s));
  predecessor(copy);
}

// An open independent school, named at random or as the caller says.
void Generator::independent(std::size_t la, std::string_view fixed_name) {
  School s;
  s.la = la;
  s.group = Group::independent;
  s.phase = Phase::none;
  s.type_code = rng.chance(850) ? 11 : 10;
  s.type_name = s.type_code == 11 ? "Other independent school" : "Other independent special school";
  s.urn = urns.draw(rng, 100000, 159999);
  s.low_age = 3;
  s.high_age = 18;
  s.pupils = rng.range(40, 900);
  const std::string_view p = place(s);
  s.name = fixed_name.empty()
               ? fmt::format("{} {}", p, rng.chance(500) ? "Preparatory School" : "House School")
               : std::string(fixed_name);
  s.estab = next_estab(la, 6000, 4);
  postcode(s);
  s.open_date = days_from_civil(rng.range(1950, 2020), 9, 1);
  add(std::move(s));
}

// An open further-education college.
void Generator::college(std::size_t la) {
  School s;
  s.la = la;
  s.group = Group::college;
  s.phase = Phase::sixteen_plus;
  s.type_code = 18;
  s.type_name = "Further education";
  s.urn = urns.draw(rng, 130000, 135999);
  s.low_age = 16;
  s.high_age = 99;
  s.name = fmt::format("{} College", kLas[la].code == kLa ? "Peterborough Fens" : place(s));
  s.estab = next_estab(la, 8000, 5);
  postcode(s);
  add(std::move(s));
}

// An open Welsh school (in GIAS, not in the English Ofsted or KS2 files).
void Generator::welsh(std::size_t la) {
  School s;
  s.la = la;
  s.group = Group::welsh;
  s.type_code = 30;
  s.type_name = "Welsh establishment";
  s.phase = rng.chance(800) ? Phase::primary : Phase::secondary;
  ages(s);
  s.urn = urns.draw(rng, 400000, 404999);
  const std::string_view p = rng.pick(kWelshPlaces);
  const int r = rng.range(0, 2);
  if (s.phase == Phase::secondary)
    s.name = fmt::format("Ysgol {}{}", r == 0 ? "Gyfun " : "", p);
  else
    s.name = fmt::format("Ysgol {}{}", r == 0 ? "Gymraeg " : r == 1 ? "Gynradd " : "", p);
  s.estab =
      next_estab(la, s.phase == Phase::primary ? 2000 : 4000, s.phase == Phase::primary ? 0 : 1);
  postcode(s);
  add(std::move(s));
}

}  // namespace report_cards
