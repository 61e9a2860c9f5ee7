// generate_peterborough: deterministic synthetic school records in the Peterborough input format
// (specs/peterborough.md, section 1), any size, byte-identical across platforms for a given seed.
//
//   generate_peterborough --count N [--seed S] [--year 2017/18]
//
// All randomness comes from a splitmix64 generator and integer arithmetic only (no <random>
// distributions, no floating point), so the output depends on nothing but the arguments.
// Values are drawn so that, for N >= 1000, every categorisation rule R1-R14 of section 3 is
// reached, with realistic proportions of Ofsted grades, phases, governance and network
// membership, and with the untidiness of real returns: DfE suppression codes, `%` signs,
// two date forms, mixed boolean spellings and quoted names containing commas.

#include <fmt/format.h>

#include "synthetic.hpp"

#include <array>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <iterator>
#include <string>
#include <string_view>

namespace {

using namespace synthetic;

// ---------------------------------------------------------------------------------------------
// Vocabulary

constexpr std::array<std::string_view, 14> kSaints = {
    "St Mary's",      "St John's",     "St Botolph's", "St Michael's", "St Augustine's",
    "St Thomas More", "St Peter's",    "St Andrew's",  "All Saints'",  "St Kyneburgha's",
    "Holy Trinity",   "St Margaret's", "St Oswald's",  "Christ Church"};

constexpr std::array<std::string_view, 5> kPrimaryKinds = {
    "Primary School", "Primary Academy", "Infant and Junior School", "Community Primary School",
    "Junior School"};
constexpr std::array<std::string_view, 4> kSecondaryKinds = {
    "Academy", "School", "Community College", "Secondary School"};
constexpr std::array<std::string_view, 3> kSpecialKinds = {"Special School", "School", "Academy"};
constexpr std::array<std::string_view, 3> kPruKinds = {
    "Pupil Referral Unit", "Alternative Provision Academy", "Education Centre"};
constexpr std::array<std::string_view, 3> kFaiths = {"Church of England", "Catholic",
                                                     "CofE Voluntary Aided"};

constexpr std::array<std::string_view, 16> kMissing = {
    "SUPP",   "supp",   "Supp", "NE", "ne", "NP", "np", "LOWCOV",
    "lowcov", "LowCov", "NA",   "na", "x",  "X",  "",   ""};

constexpr std::array<std::string_view, 10> kTrue = {"yes",  "Yes",  "YES",  "y", "Y",
                                                    "true", "True", "TRUE", "1", "yes"};
constexpr std::array<std::string_view, 10> kFalse = {"no",    "No",    "NO",    "n", "N",
                                                     "false", "False", "FALSE", "0", "no"};

// Header, in the order of specs/peterborough.md section 1.
constexpr std::string_view kHeader =
    "urn,name,phase,governance,academic_year,in_network,ofsted_date,ofsted_overall,"
    "ofsted_achievement,ofsted_teaching,ofsted_behaviour,ofsted_leadership,ofsted_category,"
    "ks2_rwm,ks2_rwm_prev,ks2_rwm_prev2,ks2_read_prog,ks2_writ_prog,ks2_mat_prog,ks2_read_ep,"
    "ks2_writ_ep,ks2_mat_ep,ks4_p8,ks4_p8_prev,ks4_p8_prev2,ks4_p8_upper,la_leadership,"
    "la_self_evaluation,la_capacity,governance_breakdown,safety_threatened,system_leader,"
    "previous_category,last_sia_visit,last_peer_review,entry_attainment,eyfs_gld,ks1_rwm\n";

// National KS2 reading, writing and maths attainment (% expected standard / level 4+).
int national_rwm(int results_year) {
  switch (results_year) {
    case 2012:
      return 75;
    case 2013:
      return 75;
    case 2014:
      return 79;
    case 2015:
      return 80;
    case 2016:
      return 53;
    case 2017:
      return 61;
    case 2018:
      return 64;
    default:
      return results_year < 2016 ? 76 : 65;
  }
}

// ---------------------------------------------------------------------------------------------
// Output

// A fixed-point value `units / 10^decimals`, e.g. (-51, 2) -> "-0.51".
void put_fixed(Buffer& out, int units, int decimals, bool plus_sign = false) {
  if (decimals == 0) {
    if (plus_sign && units > 0) out.push_back('+');
    fmt::format_to(std::back_inserter(out), "{}", units);
    return;
  }
  const int scale = decimals == 1 ? 10 : 100;
  const bool negative = units < 0;
  const int mag = negative ? -units : units;
  if (negative)
    out.push_back('-');
  else if (plus_sign && units > 0)
    out.push_back('+');
  fmt::format_to(std::back_inserter(out), "{}.{:0{}}", mag / scale, mag % scale, decimals);
}

class Row {
 public:
  Row(Buffer& out, Rng& rng) : out_(out), rng_(rng) {}

  void sep() { out_.push_back(','); }
  void missing_code() { put(out_, rng_.pick(kMissing)); }

  // A result value that may be suppressed (about 5%).
  bool suppressed() { return rng_.chance(50); }

  // Percentage held in tenths; whole numbers usually, sometimes with a `%` sign.
  void percent(int tenths) {
    if (suppressed()) return missing_code();
    if (rng_.chance(700)) tenths = (tenths + 5) / 10 * 10;  // most returns give whole percents
    if (tenths % 10 == 0)
      put_fixed(out_, tenths / 10, 0);
    else
      put_fixed(out_, tenths, 1);
    if (rng_.chance(150)) out_.push_back('%');
  }

  // Signed score in tenths (KS2 progress), occasionally with an explicit `+`.
  void score_tenths(int tenths) {
    if (suppressed()) return missing_code();
    put_fixed(out_, tenths, 1, rng_.chance(100));
  }

  // Signed score in hundredths (Progress 8).
  void score_hundredths(int hundredths) {
    if (suppressed()) return missing_code();
    put_fixed(out_, hundredths, 2, rng_.chance(50));
  }

  void grade(int g) {
    if (g <= 0) return;  // missing: blank
    if (rng_.chance(5)) {
      fmt::format_to(std::back_inserter(out_), " {} ", g);  // stray spaces are ignored
      return;
    }
    fmt::format_to(std::back_inserter(out_), "{}", g);
  }

  void boolean(bool v) { put(out_, v ? rng_.pick(kTrue) : rng_.pick(kFalse)); }

  // An optional boolean whose absence means "no".
  void optional_boolean(bool v) {
    if (!v && rng_.chance(450)) return;
    boolean(v);
  }

  void date(long day) { put_date(out_, rng_, day, 620, 700); }

  void enumeration(std::string_view v) { put_enumeration(out_, rng_, v); }

 private:
  Buffer& out_;
  Rng& rng_;
};

int clamp(int v, int lo, int hi) {
  return v < lo ? lo : (v > hi ? hi : v);
}

enum class Phase { primary, secondary, special, pru };

void school_name(std::string& name, Rng& rng, Phase phase) {
  // Every word is drawn into a local, in a fixed order, before formatting: the evaluation order
  // of function arguments is unspecified and would make the output compiler-dependent.
  name.clear();
  const int r = rng.range(0, 999);
  const std::string_view place = rng.pick(synthetic::kPeterboroughPlaces);
  const std::string_view saint = rng.pick(kSaints);
  const std::string_view faith = rng.pick(kFaiths);
  auto out = std::back_inserter(name);
  switch (phase) {
    case Phase::primary: {
      const std::string_view kind = rng.pick(kPrimaryKinds);
      if (r < 40) {  // "St Mary's, Church of England Primary School"
        fmt::format_to(out, "{}, {} {}", saint, faith, kind);
      } else if (r < 60) {  // "Eye, St Matthew's CofE Primary School"
        fmt::format_to(out, "{}, {} {}", place, saint, kind);
      } else if (r < 220) {
        fmt::format_to(out, "{} {} {}", saint, faith, kind);
      } else if (r < 224) {  // a quote in the name
        fmt::format_to(out, "{} \"The Meadows\" {}", place, kind);
      } else {
        fmt::format_to(out, "{} {}", place, kind);
      }
      break;
    }
    case Phase::secondary: {
      const std::string_view kind = rng.pick(kSecondaryKinds);
      if (r < 40) {
        fmt::format_to(out, "{}, {} Academy", place, saint);
      } else if (r < 160) {
        fmt::format_to(out, "{} {} {}", saint, faith, kind);
      } else {
        fmt::format_to(out, "{} {}", place, kind);
      }
      break;
    }
    case Phase::special:
      fmt::format_to(out, "{} {}", place, rng.pick(kSpecialKinds));
      break;
    case Phase::pru:
      fmt::format_to(out, "{} {}", place, rng.pick(kPruKinds));
      break;
  }
}

constexpr std::string_view phase_name(Phase p) {
  switch (p) {
    case Phase::primary:
      return "primary";
    case Phase::secondary:
      return "secondary";
    case Phase::special:
      return "special";
    case Phase::pru:
      return "pru";
  }
  return "primary";
}

// Trajectory of results over three years.
enum class Trend { steady, improving, declining, declining3 };

void generate_row(Buffer& out, Rng& rng, std::string& name, int urn, int start_year) {
  const int ry = start_year + 1;  // results year
  Row row(out, rng);

  // Phase: a city's mix.
  const int pr = rng.range(0, 999);
  const Phase phase = pr < 735   ? Phase::primary
                      : pr < 895 ? Phase::secondary
                      : pr < 985 ? Phase::special
                                 : Phase::pru;
  const bool primary = phase == Phase::primary;
  const bool secondary = phase == Phase::secondary;

  // Ofsted overall: 4% not yet inspected (new schools); of the others ~18% 1, 66% 2, 12% 3, 4% 4.
  const int orr = rng.range(0, 999);
  const int overall = orr < 40 ? 0 : orr < 215 ? 1 : orr < 850 ? 2 : orr < 962 ? 3 : 4;

  // Latent strength (-3 .. +3) that drives results and the LA's judgements.
  const int strength_base = overall == 0 ? rng.range(-1, 1) : 3 - overall;
  const int strength = clamp(strength_base + rng.noise(1), -3, 3);

  // A slump: low and sharply falling results, below the floor. A school in crisis has a slump
  // and weak leadership as well. Both are commoner among weaker and not yet inspected schools.
  const bool crisis = rng.chance(overall == 0 ? 250 : overall >= 3 ? 60 : 6);
  // (A new school's crisis shows as falling results that need not yet be below the floor.)
  const bool slump = (crisis && overall != 0) || rng.chance(overall == 0 ? 150 : 25);

  const int tr = rng.range(0, 999);
  Trend trend = tr < 120   ? Trend::improving
                : tr < 200 ? Trend::declining
                : tr < 245 ? Trend::declining3
                           : Trend::steady;
  if (slump || crisis || (overall == 0 && rng.chance(350))) trend = Trend::declining;

  // Key judgements near the overall grade; all outstanding for half of the outstanding schools.
  std::array<int, 4> kj{0, 0, 0, 0};
  if (overall > 0) {
    const bool all_one = overall == 1 && rng.chance(500);
    for (int& g : kj) {
      g = all_one ? 1 : clamp(overall + (rng.chance(300) ? rng.range(-1, 1) : 0), 1, 4);
      if (rng.chance(15)) g = 0;  // judgement not recorded
    }
  }

  // Ofsted category (only among inadequate schools).
  std::string_view ofsted_category;
  if (overall == 4) {
    const int c = rng.range(0, 999);
    ofsted_category = c < 350   ? "serious_weaknesses"
                      : c < 650 ? "special_measures"
                                : (c < 800 ? "none" : "");
  } else if (overall > 0 && rng.chance(250)) {
    ofsted_category = "none";
  }

  // LA judgements.
  auto la_grade = [&](int spread) {
    if (rng.chance(60)) return 0;
    const int base = strength >= 2 ? 1 : strength >= 0 ? 2 : strength == -1 ? 3 : 4;
    return clamp(base + (rng.chance(300) ? rng.noise(spread) : 0), 1, 3 + (strength < 0));
  };
  int la_lead = la_grade(1);
  int la_self = la_grade(1);
  int la_cap = la_grade(1);
  if (crisis) {
    if (rng.chance(600))
      la_lead = 4;
    else
      la_cap = 4;
  } else if (overall == 1 && rng.chance(700)) {
    la_self = rng.range(1, 2);
  } else if (rng.chance(overall == 0 ? 400 : 15)) {
    la_lead = 4;  // a leadership worry without (yet) a collapse in results
  }
  if (crisis && kj[3] > 0 && rng.chance(300)) kj[3] = 4;

  const bool governance_breakdown = rng.chance(crisis ? 120 : 10);
  const bool safety_threatened = rng.chance(crisis ? 60 : 10);
  const bool system_leader = overall == 1 ? rng.chance(450) : overall == 2 ? rng.chance(60) : false;

  // Previous LA category: near the category the school would be expected to hold now.
  std::string_view previous;
  {
    constexpr std::array<std::string_view, 5> cats = {"1", "2", "3a", "3b", "4"};
    int base = overall == 1 && system_leader ? 0 : overall <= 2 ? 1 : overall == 3 ? 2 : 4;
    if (crisis || slump) base = 2;
    if (rng.chance(250)) base = clamp(base + (rng.chance(500) ? 1 : -1), 0, 4);
    if (overall == 3 && rng.chance(80)) base = 4;
    if (!rng.chance(70)) previous = cats[static_cast<std::size_t>(base)];
  }

  // --- write the row ---
  fmt::format_to(std::back_inserter(out), "{},", urn);
  school_name(name, rng, phase);
  put_text(out, name);
  row.sep();
  row.enumeration(phase_name(phase));
  row.sep();
  row.enumeration(rng.chance(600) ? "maintained" : "academy");
  row.sep();
  fmt::format_to(std::back_inserter(out), "{}/{:02},", start_year, ry % 100);
  row.boolean(rng.chance(800));
  row.sep();

  // ofsted_date: within the five years before the end of the academic year.
  const long year_end = days_from_civil(ry, 7, 31);
  if (overall > 0) row.date(year_end - rng.range(30, 5 * 365));
  row.sep();
  row.grade(overall);
  for (int g : kj) {
    row.sep();
    row.grade(g);
  }
  row.sep();
  if (!ofsted_category.empty()) row.enumeration(ofsted_category);
  row.sep();

  // A school not yet inspected is often new, with no results from earlier years.
  const bool no_history = overall == 0 && trend != Trend::declining && rng.chance(700);

  // KS2 attainment (tenths of a percent).
  if (primary) {
    const int effect = (strength - 1) * 50 + rng.noise(70);
    auto rwm_for = [&](int year) {
      return clamp(national_rwm(year) * 10 + effect + rng.noise(50), 0, 1000);
    };
    int cur = rwm_for(ry), prev = rwm_for(ry - 1), prev2 = rwm_for(ry - 2);
    switch (trend) {
      case Trend::steady:
        break;
      case Trend::improving:
        cur = clamp(prev + rng.range(10, 120), 0, 1000);
        break;
      case Trend::declining:
        if (slump) cur = clamp(rng.range(300, 620), 0, 1000);
        prev = clamp(cur + rng.range(55, 200), 0, 1000);
        break;
      case Trend::declining3:
        prev = clamp(cur + rng.range(5, 50), 0, 1000);
        prev2 = clamp(prev + rng.range(5, 60), 0, 1000);
        break;
    }
    row.percent(cur);
    row.sep();
    if (!no_history) row.percent(prev);
    row.sep();
    if (!no_history) row.percent(prev2);
    row.sep();
    if (ry >= 2016) {
      // Progress scores, tenths; a crisis school falls well below the floor thresholds.
      const int base = (strength - 1) * 12 - (slump ? rng.range(40, 80) : 0);
      row.score_tenths(base + rng.noise(30));
      row.sep();
      row.score_tenths(base + rng.noise(35));
      row.sep();
      row.score_tenths(base + rng.noise(30));
      put(out, ",,,");  // no expected-progress measures from 2016
    } else {
      put(out, ",,,");
      // Expected progress, tenths of a percent.
      const int base = 910 + (strength - 1) * 20 - (slump ? rng.range(60, 140) : 0);
      row.percent(clamp(base + rng.noise(30), 0, 1000));
      row.sep();
      row.percent(clamp(base + 20 + rng.noise(30), 0, 1000));
      row.sep();
      row.percent(clamp(base + rng.noise(30), 0, 1000));
    }
  } else {
    put(out, ",,,,,,,,");
  }
  row.sep();

  // KS4 Progress 8 (hundredths), published from 2016.
  if (secondary && ry >= 2016) {
    const int p8_noise = rng.noise(30);
    const int p8 =
        clamp((strength - 1) * 18 + p8_noise - (slump ? rng.range(50, 90) : 0), -250, 200);
    int prev = p8 + rng.noise(15);
    int prev2 = prev + rng.noise(15);
    switch (trend) {
      case Trend::steady:
        break;
      case Trend::improving:
        prev = p8 - rng.range(5, 40);
        break;
      case Trend::declining:
        prev = p8 + rng.range(31, 70);
        break;
      case Trend::declining3:
        prev = p8 + rng.range(2, 25);
        prev2 = prev + rng.range(2, 25);
        break;
    }
    row.score_hundredths(p8);
    row.sep();
    if (!no_history) row.score_hundredths(prev);
    row.sep();
    if (ry >= 2017 && !no_history) row.score_hundredths(prev2);
    row.sep();
    row.score_hundredths(p8 + rng.range(18, 40));
  } else {
    put(out, ",,,");
  }
  row.sep();

  row.grade(la_lead);
  row.sep();
  row.grade(la_self);
  row.sep();
  row.grade(la_cap);
  row.sep();
  row.optional_boolean(governance_breakdown);
  row.sep();
  row.optional_boolean(safety_threatened);
  row.sep();
  row.optional_boolean(system_leader);
  row.sep();
  put(out, previous);
  row.sep();

  // last_sia_visit: spread over the 15 months before mid-September after the results year.
  const long sept = days_from_civil(ry, 9, 15);
  if (!rng.chance(50)) row.date(sept - rng.range(1, 450));
  row.sep();
  // last_peer_review: over the two years before; never for a fair share of schools.
  if (!rng.chance(120)) row.date(sept - rng.range(1, 730));
  row.sep();

  // The three criteria no rule reads (entry_attainment, eyfs_gld, ks1_rwm) come from a generator
  // of their own, seeded by the URN, so that every other column is what it was before they were
  // added and outputs of earlier runs stay byte-identical.
  Rng extra(static_cast<std::uint64_t>(urn) * 0x9E3779B97F4A7C15ULL);
  constexpr std::array<std::string_view, 4> kEntry = {"well below", "below", "typical", "above"};
  if (phase != Phase::special && phase != Phase::pru && !extra.chance(100))
    put(out, kEntry[static_cast<std::size_t>(clamp(1 + (strength + extra.noise(2)) / 2, 0, 3))]);
  row.sep();
  if (primary && !extra.chance(150)) {  // infant and primary schools; a junior school has none
    put_fixed(out, clamp(70 + strength * 4 + extra.noise(8), 20, 100), 0);
    row.sep();
    put_fixed(out, clamp(64 + strength * 5 + extra.noise(8), 10, 100), 0);
  } else {
    row.sep();
  }
  out.push_back('\n');
}

bool parse_year(std::string_view s, int& start) {
  if (s.size() != 7 || s[4] != '/') return false;
  std::uint64_t a = 0, b = 0;
  if (!parse_u64(s.substr(0, 4), a) || !parse_u64(s.substr(5, 2), b)) return false;
  if (a < 1990 || a > 2098 || (a + 1) % 100 != b) return false;
  start = static_cast<int>(a);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t count = 0, seed = 1;
  int start_year = 2017;
  CLI::App app{
      "Writes N synthetic school records in the Peterborough input format (all columns of "
      "specs/peterborough.md section 1, in that order) as CSV to standard output.",
      "generate_peterborough"};
  add_count_and_seed(app, count, seed);
  app.add_option("--year", "Academic year of the results, YYYY/YY (default 2017/18)")
      ->each([&](const std::string& text) {
        if (!parse_year(text, start_year))
          throw CLI::ValidationError("expected YYYY/YY, e.g. 2017/18");
      });
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;  // --help is 0; a usage error is 2, as for catengine
  }

  Rng rng(seed ^ 0x5065746572626F72ULL);  // "Peterbor"

  // Unique URNs: an affine permutation of 0..899999 (step coprime to 900000).
  constexpr std::uint64_t kSpan = 900000;
  std::uint64_t step = 1 + rng.below(kSpan - 1);
  while (gcd(step, kSpan) != 1) ++step;
  const std::uint64_t offset = rng.below(kSpan);

  Buffer out;
  put(out, kHeader);
  std::string name;
  name.reserve(96);
  for (std::uint64_t i = 0; i < count; ++i) {
    const int urn = static_cast<int>(100000 + (offset + i * step) % kSpan);
    generate_row(out, rng, name, urn, start_year);
    if (out.size() >= (8u << 20)) {  // flush in large blocks
      if (std::fwrite(out.data(), 1, out.size(), stdout) != out.size()) return 1;
      out.clear();
    }
  }
  if (std::fwrite(out.data(), 1, out.size(), stdout) != out.size()) return 1;
  return std::fflush(stdout) == 0 ? 0 : 1;
}
