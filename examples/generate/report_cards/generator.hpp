// The generator: one random-number stream, the URNs drawn so far, and the schools and overrides
// made so far. Every draw comes from `rng` in a fixed order, so the same arguments give the same
// bytes on every platform. The members are defined by what they make: a school's identity
// (generator_identity.cpp), its Ofsted row (generator_ofsted.cpp), its KS2 results and LA record
// (generator_ks2_la.cpp), the designed schools of LA 874 (generator_designed.cpp) and every other
// school (generator_schools.cpp).

#pragma once

#include "design.hpp"
#include "local_authorities.hpp"
#include "model.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace report_cards {

// URNs: unique across all files, drawn from realistic ranges per kind of establishment.
class Urns {
 public:
  Urns() : used_(1000000, false) {}
  int draw(Rng& rng, int lo, int hi) {
    int u = rng.range(lo, hi);
    // Rejection first (keeps ranges well mixed), then probing so a crowded range still ends.
    for (int tries = 0; tries < 32 && used_[static_cast<std::size_t>(u)]; ++tries)
      u = rng.range(lo, hi);
    while (used_[static_cast<std::size_t>(u)]) u = u >= 999999 ? 100000 : u + 1;
    used_[static_cast<std::size_t>(u)] = true;
    return u;
  }

 private:
  std::vector<bool> used_;
};

struct Generator {
  Rng rng;
  Urns urns;
  std::vector<School> schools;
  std::vector<Override> overrides;
  std::vector<int> estab_next = std::vector<int>(kLaCount * 8, 0);
  std::vector<std::string> trusts;  // national trust names, by code - 1000

  std::size_t lowered_ = 0;  // overrides to universal so far

  explicit Generator(std::uint64_t seed) : rng(seed ^ 0x5265706F72744361ULL) {}  // "ReportCa"

  // A school's identity (generator_identity.cpp).
  int next_estab(std::size_t la, int kind_base, int slot);
  void postcode(School& s);
  std::string_view place(const School& s);
  void name(School& s);
  void kind(School& s, Gov gov, bool primary_only);
  void ages(School& s);
  void trust(School& s);
  void identity(School& s);
  std::size_t add(School s);
  void predecessor(const School& a);

  // Ofsted (generator_ofsted.cpp).
  std::pair<bool, bool> applicable(const School& s);
  Grade good_grade(int strength);
  void card(School& s, int strength);
  void legacy_grade(School& s, int grade);
  void legacy(School& s, int grade);
  void stale(School& s, Grade worst, int safeguarding);
  std::size_t other_area(std::size_t except = 99);
  void random_ofsted(School& s, int strength);

  // KS2 and LA records (generator_ks2_la.cpp).
  bool has_ks2(const School& s) const;
  void ks2(School& s, int telig, int ptrwm);
  void random_ks2(School& s, int strength);
  void la_record(School& s, int breakdown);
  void random_la(School& s);

  // One designed or random open school of LA 874 (generator_designed.cpp).
  void designed(School& s, const Case& c);
  void designed_override(const School& s, O o);
  void open_school_874(const Case& c);

  // Every other school (generator_schools.cpp).
  void random_school(std::size_t la, Status status);
  void independent(std::size_t la, std::string_view fixed_name = {});
  void college(std::size_t la);
  void welsh(std::size_t la);
};

}  // namespace report_cards
