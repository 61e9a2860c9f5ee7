// Generator members that give a school its identity: kind, type, phase and ages, name, trust,
// establishment number, address and opening date, and the closed maintained predecessor a
// converter academy often has in GIAS.

#include "generator.hpp"

#include "vocabulary.hpp"

#include <fmt/format.h>

#include <array>
#include <iterator>
#include <string>
#include <string_view>
#include <utility>

namespace report_cards {

int Generator::next_estab(std::size_t la, int kind_base, int slot) {
  int& n = estab_next[la * 8 + static_cast<std::size_t>(slot)];
  return kind_base + n++;
}

void Generator::postcode(School& s) {
  constexpr std::string_view letters = "ABDEFGHJLNPQRSTUWXYZ";
  const int district = kLas[s.la].code == kLa ? rng.range(1, 8) : rng.range(1, 29);
  const int sector = rng.range(1, 9);
  const char a = letters[static_cast<std::size_t>(rng.below(letters.size()))];
  const char b = letters[static_cast<std::size_t>(rng.below(letters.size()))];
  s.postcode = fmt::format("{}{} {}{}{}", kLas[s.la].postcode, district, sector, a, b);
  const int number = rng.range(1, 180);
  s.street = rng.chance(400) ? std::string(rng.pick(kStreets))
                             : fmt::format("{} {}", number, rng.pick(kStreets));
}

std::string_view Generator::place(const School& s) {
  return kLas[s.la].code == kLa ? rng.pick(synthetic::kPeterboroughPlaces)
                                : rng.pick(kEnglishPlaces);
}

// The school's name, from its phase and kind; draws happen in a fixed order (the order in
// which function arguments are evaluated is unspecified).
void Generator::name(School& s) {
  const int r = rng.range(0, 999);
  const std::string_view p = place(s);
  const std::string_view saint = rng.pick(kSaints);
  auto out = std::back_inserter(s.name);
  s.name.clear();
  const bool academy = s.group == Group::academy || s.group == Group::free_school;
  switch (s.phase) {
    case Phase::primary:
      if (s.infant) {
        fmt::format_to(out, "{} Infant School", p);
      } else if (s.junior) {
        fmt::format_to(out, "{} Junior {}", p, academy ? "Academy" : "School");
      } else if (r < 12 && kLas[s.la].code == kLa) {
        fmt::format_to(out, "Sacré Cœur Catholic Primary School, {}", p);
        s.religion = "Roman Catholic";
      } else if (r < 90) {  // "St Mary’s Catholic Primary School, Walton"
        fmt::format_to(out, "{} Catholic Primary {}, {}", saint, academy ? "Academy" : "School", p);
        s.religion = "Roman Catholic";
      } else if (r < 250) {
        fmt::format_to(out, "{} Church of England Primary {}", saint,
                       academy ? "Academy" : "School");
        s.religion = "Church of England";
      } else if (r < 270) {  // an en dash, byte 0x96 in GIAS
        fmt::format_to(out, "{} Primary – {} Campus", p, rng.pick(kEnglishPlaces));
      } else if (r < 400) {
        fmt::format_to(out, "{} Community Primary School", p);
      } else {
        fmt::format_to(out, "{} Primary {}", p, academy ? "Academy" : "School");
      }
      break;
    case Phase::secondary:
      if (r < 120) {
        fmt::format_to(out, "{} Catholic {}", saint, academy ? "Academy" : "High School");
        s.religion = "Roman Catholic";
      } else if (r < 400) {
        fmt::format_to(out, "{} {}", p, academy ? "Academy" : "Secondary School");
      } else if (r < 600) {
        fmt::format_to(out, "{} Community College", p);
      } else {
        fmt::format_to(out, "The {} School", p);
      }
      break;
    case Phase::all_through:
      fmt::format_to(out, "{} All-Through Academy", p);
      break;
    case Phase::nursery:
      fmt::format_to(out, "{} Nursery School", p);
      break;
    case Phase::sixteen_plus:
      fmt::format_to(out, "{} Sixth Form {}", p, academy ? "Academy" : "College");
      break;
    case Phase::none:
      if (s.type_code == 14 || s.type_code == 42 || s.type_code == 38)
        fmt::format_to(out, "{} {}", p, r < 500 ? "Pupil Referral Unit" : "Education Centre");
      else
        fmt::format_to(out, "{} {}", p, r < 500 ? "Special School" : "School");
      break;
  }
}

// Type, phase and ages of an open state-funded school of the given kind.
void Generator::kind(School& s, Gov gov, bool primary_only) {
  Group g = Group::maintained;
  switch (gov) {
    case Gov::any: {
      const int r = rng.range(0, 999);
      g = r < 360   ? Group::maintained
          : r < 900 ? Group::academy
          : r < 950 ? Group::free_school
                    : Group::special;
      break;
    }
    case Gov::maintained:
      g = Group::maintained;
      break;
    case Gov::academy:
      g = Group::academy;
      break;
    case Gov::free_school:
      g = Group::free_school;
      break;
    case Gov::special:
      g = Group::special;
      break;
  }
  if (primary_only && g == Group::special) g = Group::maintained;
  s.group = g;
  const int r = primary_only ? 0 : rng.range(0, 999);
  switch (g) {
    case Group::maintained: {
      s.phase = r < 860   ? Phase::primary
                : r < 940 ? Phase::secondary
                : r < 960 ? Phase::nursery
                          : Phase::none;
      const int t = rng.range(0, 999);
      if (s.phase == Phase::nursery) {
        s.type_code = 15;
        s.type_name = "Local authority nursery school";
      } else if (s.phase == Phase::none) {
        s.type_code = 14;
        s.type_name = "Pupil referral unit";
      } else if (t < 600) {
        s.type_code = 1;
        s.type_name = "Community school";
      } else if (t < 800) {
        s.type_code = 2;
        s.type_name = "Voluntary aided school";
      } else if (t < 920) {
        s.type_code = 3;
        s.type_name = "Voluntary controlled school";
      } else {
        s.type_code = 5;
        s.type_name = "Foundation school";
      }
      break;
    }
    case Group::academy: {
      s.phase = r < 740   ? Phase::primary
                : r < 900 ? Phase::secondary
                : r < 925 ? Phase::all_through
                : r < 950 ? Phase::sixteen_plus
                          : Phase::none;
      const bool sponsored = rng.chance(300);
      if (s.phase == Phase::sixteen_plus) {
        s.type_code = 45;
        s.type_name = "Academy 16-19 converter";
      } else if (s.phase == Phase::none) {
        s.type_code = sponsored ? 33 : 44;
        s.type_name = sponsored ? "Academy special sponsor led" : "Academy special converter";
      } else {
        s.type_code = sponsored ? 28 : 34;
        s.type_name = sponsored ? "Academy sponsor led" : "Academy converter";
      }
      break;
    }
    case Group::free_school:
      s.phase = r < 450   ? Phase::primary
                : r < 800 ? Phase::secondary
                : r < 900 ? Phase::sixteen_plus
                          : Phase::none;
      s.type_code = s.phase == Phase::sixteen_plus ? 39 : s.phase == Phase::none ? 36 : 35;
      s.type_name = s.type_code == 39   ? "Free schools 16 to 19"
                    : s.type_code == 36 ? "Free schools special"
                                        : "Free schools";
      break;
    case Group::special:
      s.phase = Phase::none;
      s.type_code = rng.chance(850) ? 7 : 12;
      s.type_name = s.type_code == 7 ? "Community special school" : "Foundation special school";
      break;
    default:
      break;
  }
  ages(s);
}

void Generator::ages(School& s) {
  s.infant = s.junior = false;
  switch (s.phase) {
    case Phase::primary: {
      const int r = rng.range(0, 999);
      s.infant = r < 40;
      s.junior = !s.infant && r < 90;
      s.low_age = s.junior ? 7 : (rng.chance(400) ? 3 : 4);
      s.high_age = s.infant ? 7 : 11;
      s.pupils = rng.range(s.infant || s.junior ? 80 : 60, 630);
      break;
    }
    case Phase::secondary:
      s.low_age = 11;
      s.high_age = rng.chance(600) ? 18 : 16;
      s.pupils = rng.range(450, 1800);
      break;
    case Phase::all_through:
      s.low_age = 4;
      s.high_age = 18;
      s.pupils = rng.range(900, 2100);
      break;
    case Phase::nursery:
      s.low_age = 2;
      s.high_age = 5;
      s.pupils = rng.range(40, 140);
      break;
    case Phase::sixteen_plus:
      s.low_age = 16;
      s.high_age = 19;
      s.pupils = rng.range(250, 1400);
      break;
    case Phase::none:
      s.low_age = rng.chance(500) ? 2 : 5;
      s.high_age = s.type_code == 14 ? 16 : 19;
      s.pupils = rng.range(30, 260);
      break;
  }
  if (rng.chance(30)) s.pupils = 0;  // not recorded
}

void Generator::trust(School& s) {
  if (s.group != Group::academy && s.group != Group::free_school) return;
  if (kLas[s.la].code == kLa && !rng.chance(120)) {
    const std::size_t t = static_cast<std::size_t>(rng.below(kPeterboroughTrusts.size()));
    s.trust = std::string(kPeterboroughTrusts[t]);
    s.trust_code = 16100 + static_cast<int>(t) * 7;
    return;
  }
  if (rng.chance(150)) {  // a single-academy trust, named after the school
    s.trust = s.name + " Trust";
    s.trust_code = 0;
    return;
  }
  // National multi-academy trusts: a few per LA, named after a place.
  const std::size_t k = s.la * 6 + static_cast<std::size_t>(rng.below(6));
  s.trust_code = 2000 + static_cast<int>(k);
  s.trust = fmt::format("{} {}", kEnglishPlaces[k % kEnglishPlaces.size()],
                        kTrustSuffixes[(k / kEnglishPlaces.size()) % kTrustSuffixes.size()]);
  if (kLas[s.la].region == kLondon && k % 3 == 0)
    s.trust = fmt::format("{} {}", kLas[s.la].name, s.trust);
}

void Generator::identity(School& s) {
  name(s);
  // A maintained church school is voluntary aided or controlled, not a community school.
  if (s.group == Group::maintained && s.type_code == 1 && s.religion != "Does not apply") {
    s.type_code = s.religion == "Roman Catholic" ? 2 : 3;
    s.type_name = s.type_code == 2 ? "Voluntary aided school" : "Voluntary controlled school";
  }
  trust(s);
  if (s.trust_code == 0 && !s.trust.empty()) s.trust_code = 30000 + s.urn % 9000;
  const int slot = s.phase == Phase::primary     ? 0
                   : s.phase == Phase::secondary ? 1
                   : s.phase == Phase::none      ? 2
                                                 : 3;
  constexpr std::array<int, 4> base = {2000, 4000, 7000, 1000};
  s.estab = next_estab(s.la, base[static_cast<std::size_t>(slot)], slot);
  postcode(s);
  const bool academy = s.group == Group::academy || s.group == Group::free_school;
  if (academy) {
    s.open_date = days_from_civil(rng.range(2011, 2025), rng.range(1, 12), 1);
    if (s.group == Group::free_school) s.open_date = days_from_civil(rng.range(2013, 2025), 9, 1);
  } else if (!rng.chance(550)) {
    s.open_date = days_from_civil(rng.range(1974, 2010), rng.chance(700) ? 9 : 4, 1);
  }
}

std::size_t Generator::add(School s) {
  schools.push_back(std::move(s));
  return schools.size() - 1;
}

// A converter academy often has its maintained predecessor in GIAS, closed the day before.
void Generator::predecessor(const School& a) {
  if (a.group != Group::academy || a.open_date == 0 || !rng.chance(600)) return;
  School p;
  p.la = a.la;
  p.urn = urns.draw(rng, 100000, 126999);
  p.group = Group::maintained;
  // A church school was voluntary aided before it converted.
  const bool church = a.religion != "Does not apply";
  p.type_code = church ? 2 : 1;
  p.type_name = church ? "Voluntary aided school" : "Community school";
  p.phase = a.phase == Phase::none ? Phase::primary : a.phase;
  p.status = Status::closed;
  p.low_age = a.low_age;
  p.high_age = a.high_age;
  p.name = a.name;
  if (const auto pos = p.name.rfind(" Academy"); pos != std::string::npos)
    p.name.replace(pos, 8, " School");
  p.estab = a.estab;
  p.close_date = a.open_date - 1;
  p.close_reason = "Academy converter";
  p.street = a.street;
  p.postcode = a.postcode;
  p.religion = a.religion;
  add(std::move(p));
}

}  // namespace report_cards
