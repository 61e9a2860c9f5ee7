// The generator's model of what it writes: the fixed points of the design (LA 874, the as-of
// date, the national KS2 result), the codes the files are written from, one school as it appears
// in every file, and one adviser override. The policy's view is derived from this model, both by
// catengine (from the files) and by --summary (from the model itself, summary.hpp).

#pragma once

#include "../synthetic.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace report_cards {

// The shared pieces of the synthetic generators that this one uses.
using synthetic::Buffer;
using synthetic::civil_from_days;
using synthetic::Date;
using synthetic::days_from_civil;
using synthetic::put;
using synthetic::put_text;
using synthetic::Rng;

// ---------------------------------------------------------------------------------------------
// Fixed points of the design

inline constexpr int kLa = 874;  // Peterborough
inline constexpr int kResultsNational =
    62;  // KS2 RWM national, 2025 (the results year for 2026-01-05)
inline long as_of() {
  return days_from_civil(2026, 1, 5);
}
inline long card_start() {
  return days_from_civil(2025, 11, 10);
}

// ---------------------------------------------------------------------------------------------
// The model of a school: what was written, from which the policy's view is derived.

enum class Group : std::uint8_t {
  maintained,
  academy,
  free_school,
  special,
  independent,
  welsh,
  college,
  other
};
enum class Phase : std::uint8_t { nursery, primary, secondary, all_through, sixteen_plus, none };
enum class Status : std::uint8_t { open, closed, proposed_to_close, proposed_to_open };

enum Grade : std::uint8_t {
  kNull,
  kNotApplicable,
  kExceptional,
  kStrong,
  kExpected,
  kAttention,
  kUrgent
};
inline constexpr std::array<std::string_view, 7> kGradeWords = {"NULL",
                                                                "Not applicable",
                                                                "Exceptional",
                                                                "Strong standard",
                                                                "Expected standard",
                                                                "Needs attention",
                                                                "Urgent improvement"};
enum Area : std::uint8_t {
  kInclusion,
  kCurriculum,
  kAchievement,
  kAttendance,
  kPersonal,
  kLeadership,
  kEarlyYears,
  kPost16
};

enum class Level : std::uint8_t { universal, targeted, intensive, intervention };
inline constexpr std::array<std::string_view, 4> kLevelNames = {"universal", "targeted",
                                                                "intensive", "intervention"};

struct Override {
  int urn;
  Level level;
  std::string_view reason;
  std::string_view agreed_by;
  long until;
};

struct School {
  int urn = 0;
  std::size_t la = 0;
  int estab = 0;
  std::string name;
  Group group = Group::maintained;
  int type_code = 1;
  std::string_view type_name;
  Phase phase = Phase::primary;
  Status status = Status::open;
  int low_age = 4, high_age = 11;
  bool infant = false, junior = false;
  std::string_view religion = "Does not apply";
  std::string_view gender = "Mixed";
  int pupils = 0;  // 0: blank
  long open_date = 0, close_date = 0;
  std::string_view close_reason;
  std::string trust;
  int trust_code = 0;
  std::string street, postcode;

  // Ofsted, as written.
  bool in_ofsted = false;
  long inspection = 0;  // "Inspection start date"; 0: NULL
  std::string_view category;
  int safeguarding = 0;  // 0 NULL, 1 Met, 2 Not met
  std::array<Grade, 8> areas{};
  int oeif = 0;  // 0: NULL
  long oeif_date = 0;

  // KS2, as written: -1 means a suppression code is written instead.
  bool in_ks2 = false;
  int telig = 0, ptrwm = 0;
  std::string_view telig_code, ptrwm_code;

  // LA records.
  bool in_la = false;
  long last_visit = 0;
  int breakdown = 0;  // 0 empty, 1 no, 2 yes
};

}  // namespace report_cards
