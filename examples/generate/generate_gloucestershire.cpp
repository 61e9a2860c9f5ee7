// generate_gloucestershire: deterministic synthetic school records in the Gloucestershire Schools
// Partnership input format (specs/gloucestershire.md), any size, byte-identical across platforms
// for a given seed.
//
//   generate_gloucestershire --count N [--seed S] [--as-of YYYY-MM-DD]
//
// All randomness comes from a splitmix64 generator and integer arithmetic only (no <random>
// distributions, no floating point), so the output depends on nothing but the arguments. Schools
// belong to one of seven primary partnerships or five secondary clusters and are named after
// places in that part of the county; about 90% are members; Ofsted grades follow the national
// mix; the three concern flags come in the untidy spellings of real returns, often blank; last
// peer reviews fall in the 18 months before the as-of date, in both date forms.

#include <fmt/format.h>

#include "synthetic.hpp"

#include <array>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <iterator>
#include <string>
#include <string_view>
#include <unordered_set>

namespace {

using namespace synthetic;

// ---------------------------------------------------------------------------------------------
// Vocabulary

// The seven primary partnerships, each with places in its part of the county. The index of a
// partnership is also its "area", which decides the places a special school there is named after.
constexpr std::size_t kAreas = 7;

constexpr std::array<std::string_view, kAreas> kPartnerships = {
    "Cotswolds Partnership",  "Forest of Dean Partnership",  "Stroud Valleys Partnership",
    "Cheltenham Partnership", "Gloucester City Partnership", "Tewkesbury Partnership",
    "Severn Vale Partnership"};

using Places = std::array<std::string_view, 16>;

constexpr std::array<Places, kAreas> kAreaPlaces = {{
    {"Bourton-on-the-Water", "Cirencester", "Tetbury", "Fairford", "Northleach", "Lechlade",
     "Moreton-in-Marsh", "Stow-on-the-Wold", "Chipping Campden", "Kemble", "Ampney Crucis",
     "Bibury", "Siddington", "Down Ampney", "South Cerney", "Avening"},
    {"Cinderford", "Lydney", "Coleford", "Newent", "Mitcheldean", "Drybrook", "Ruardean", "Bream",
     "Berry Hill", "Lydbrook", "Newnham", "Blakeney", "Yorkley", "Parkend", "Longhope",
     "St Briavels"},
    {"Stroud", "Nailsworth", "Painswick", "Minchinhampton", "Chalford", "Bisley", "Stonehouse",
     "Eastcombe", "Thrupp", "Amberley", "Uplands", "Rodborough", "Randwick", "Kings Stanley",
     "Leonard Stanley", "Horsley"},
    {"Cheltenham", "Charlton Kings", "Leckhampton", "Prestbury", "Hesters Way", "Springbank",
     "Up Hatherley", "Swindon Village", "Benhall", "Warden Hill", "Oakley", "Whaddon",
     "Naunton Park", "Pittville", "Fairview", "Battledown"},
    {"Gloucester", "Quedgeley", "Tuffley", "Hucclecote", "Longlevens", "Barnwood", "Abbeydale",
     "Kingsway", "Linden", "Tredworth", "Matson", "Podsmead", "Hardwicke", "Elmbridge", "Kingsholm",
     "Robinswood"},
    {"Tewkesbury", "Winchcombe", "Bishop's Cleeve", "Brockworth", "Churchdown", "Ashchurch",
     "Northway", "Gotherington", "Woodmancote", "Twyning", "Highnam", "Maisemore", "Deerhurst",
     "Shurdington", "Innsworth", "Toddington"},
    {"Dursley", "Wotton-under-Edge", "Berkeley", "Cam", "Frampton on Severn", "Slimbridge",
     "Sharpness", "Kingswood", "North Nibley", "Uley", "Eastington", "Whitminster", "Coaley",
     "Tortworth", "Hillesley", "Stone"},
}};

// The five secondary clusters and the towns with secondary schools in each.
constexpr std::size_t kClusters = 5;

constexpr std::array<std::string_view, kClusters> kClusterNames = {
    "North Cotswold Cluster", "South Cotswold Cluster", "Forest of Dean Cluster",
    "Cheltenham and Tewkesbury Cluster", "Gloucester and Severn Vale Cluster"};

using Towns = std::array<std::string_view, 8>;

constexpr std::array<Towns, kClusters> kClusterTowns = {{
    {"Chipping Campden", "Moreton-in-Marsh", "Bourton-on-the-Water", "Stow-on-the-Wold",
     "Northleach", "Winchcombe", "Blockley", "Mickleton"},
    {"Cirencester", "Tetbury", "Fairford", "Stroud", "Nailsworth", "Minchinhampton", "Stonehouse",
     "Lechlade"},
    {"Cinderford", "Lydney", "Coleford", "Newent", "Mitcheldean", "Drybrook", "Bream",
     "Berry Hill"},
    {"Cheltenham", "Charlton Kings", "Leckhampton", "Prestbury", "Bishop's Cleeve", "Tewkesbury",
     "Churchdown", "Up Hatherley"},
    {"Gloucester", "Quedgeley", "Brockworth", "Dursley", "Wotton-under-Edge", "Berkeley", "Cam",
     "Hucclecote"},
}};

constexpr std::array<std::string_view, 16> kSaints = {
    "St Lawrence", "St Mary's",    "St John's",    "St Matthew's",  "St David's",  "St Catharine's",
    "St Peter's",  "St James'",    "Holy Trinity", "Christ Church", "St Andrew's", "St Mark's",
    "All Saints'", "St Michael's", "St Nicholas'", "St Barnabas'"};

constexpr std::array<std::string_view, 8> kPrimaryKinds = {
    "Primary School", "Primary School",  "Community Primary School",  "Infant School",
    "Junior School",  "Primary Academy", "Infant and Nursery School", "Primary School"};
constexpr std::array<std::string_view, 4> kChurchPrimaryKinds = {
    "Primary School", "Infant School", "Junior School", "Primary Academy"};
constexpr std::array<std::string_view, 3> kChurch = {"Church of England", "CofE", "C of E"};
constexpr std::array<std::string_view, 6> kSecondaryKinds = {
    "School", "Academy", "High School", "Grammar School", "Community School", "School"};
constexpr std::array<std::string_view, 5> kSpecialKinds = {"School", "Special School", "Academy",
                                                           "Centre", "House School"};

constexpr std::array<std::string_view, 10> kTrue = {"yes",  "Yes",  "YES",  "y", "Y",
                                                    "true", "True", "TRUE", "1", "yes"};
constexpr std::array<std::string_view, 10> kFalse = {"no",    "No",    "NO",    "n", "N",
                                                     "false", "False", "FALSE", "0", "no"};

constexpr std::string_view kHeader =
    "urn,name,phase,member,group,ofsted_overall,results_fell,exclusions_high,leadership_change,"
    "last_review\n";

// ---------------------------------------------------------------------------------------------
// Output

enum class Phase { primary, secondary, special };

constexpr std::string_view phase_name(Phase p) {
  switch (p) {
    case Phase::primary:
      return "primary";
    case Phase::secondary:
      return "secondary";
    case Phase::special:
      return "special";
  }
  return "primary";
}

class Row {
 public:
  Row(Buffer& out, Rng& rng) : out_(out), rng_(rng) {}

  void sep() { out_.push_back(','); }

  void boolean(bool v) { put(out_, v ? rng_.pick(kTrue) : rng_.pick(kFalse)); }

  // An optional flag whose absence means "no": a "no" is often left blank, now and then
  // written as the suppression code `NA`.
  void flag(bool v) {
    if (!v) {
      const int r = rng_.range(0, 999);
      if (r < 450) return;
      if (r < 470) return put(out_, "NA");
    }
    boolean(v);
  }

  void date(long day) { put_date(out_, rng_, day, 600, 800); }

  void enumeration(std::string_view v) { put_enumeration(out_, rng_, v); }

 private:
  Buffer& out_;
  Rng& rng_;
};

void school_name(std::string& name, Rng& rng, Phase phase, std::string_view place) {
  // Every word is drawn into a local, in a fixed order, before formatting: the evaluation order
  // of function arguments is unspecified and would make the output compiler-dependent.
  name.clear();
  const int r = rng.range(0, 999);
  const std::string_view saint = rng.pick(kSaints);
  const std::string_view church = rng.pick(kChurch);
  auto out = std::back_inserter(name);
  switch (phase) {
    case Phase::primary: {
      const std::string_view kind = rng.pick(kPrimaryKinds);
      const std::string_view church_kind = rng.pick(kChurchPrimaryKinds);
      if (r < 70) {  // "St Lawrence Church of England Primary School, Lechlade"
        fmt::format_to(out, "{} {} Primary School, {}", saint, church, place);
      } else if (r < 100) {  // "Painswick, St Peter's CofE Primary School"
        fmt::format_to(out, "{}, {} {} Primary School", place, saint, church);
      } else if (r < 330) {
        fmt::format_to(out, "{} {} {}", place, church, church_kind);
      } else if (r < 360) {
        fmt::format_to(out, "{} Catholic Primary School", saint);
      } else if (r < 363) {  // a quote in the name
        fmt::format_to(out, "{} \"The Acorns\" {}", place, kind);
      } else {
        fmt::format_to(out, "{} {}", place, kind);
      }
      break;
    }
    case Phase::secondary: {
      const std::string_view kind = rng.pick(kSecondaryKinds);
      if (r < 60) {
        fmt::format_to(out, "{} Catholic College", saint);
      } else if (r < 110) {
        fmt::format_to(out, "{}, {} {} Academy", place, saint, church);
      } else {
        fmt::format_to(out, "{} {}", place, kind);
      }
      break;
    }
    case Phase::special:
      fmt::format_to(out, "{} {}", place, rng.pick(kSpecialKinds));
      break;
  }
}

// Names already given, so that a county-sized file has no two schools of the same name (a
// lookup only, never iterated, so the output does not depend on the hash function).
class NameRegister {
 public:
  explicit NameRegister(bool enabled) : enabled_(enabled) {}
  bool taken(const std::string& name) const { return enabled_ && names_.contains(name); }
  void add(const std::string& name) {
    if (enabled_) names_.insert(name);
  }

 private:
  bool enabled_;
  std::unordered_set<std::string> names_;
};

void generate_row(Buffer& out, Rng& rng, std::string& name, NameRegister& names, int urn,
                  long as_of) {
  Row row(out, rng);

  // Phase: the county's mix (about 240 primary, 40 secondary and 10 special schools).
  const int pr = rng.range(0, 999);
  const Phase phase = pr < 820 ? Phase::primary : pr < 960 ? Phase::secondary : Phase::special;

  // Group and the place the school is named after. A special school reviews within a primary
  // partnership (three in four) or a secondary cluster.
  std::string_view group;
  std::string_view place;
  if (phase == Phase::secondary || (phase == Phase::special && rng.chance(250))) {
    const std::size_t c = static_cast<std::size_t>(rng.below(kClusters));
    group = kClusterNames[c];
    place = rng.pick(kClusterTowns[c]);
  } else {
    const std::size_t a = static_cast<std::size_t>(rng.below(kAreas));
    group = kPartnerships[a];
    place = rng.pick(kAreaPlaces[a]);
  }

  // Up to eight tries for a name not used yet; a very large file must repeat some.
  school_name(name, rng, phase, place);
  for (int attempt = 1; attempt < 8 && names.taken(name); ++attempt)
    school_name(name, rng, phase, place);
  names.add(name);

  const bool member = rng.chance(900);

  // Ofsted overall: 3% not yet inspected; of the others ~18% 1, 66% 2, 12% 3, 4% 4.
  const int orr = rng.range(0, 999);
  const int overall = orr < 30 ? 0 : orr < 205 ? 1 : orr < 845 ? 2 : orr < 961 ? 3 : 4;

  // The concern flags are commoner in weaker schools.
  const bool weak = overall >= 3;
  const bool results_fell = rng.chance(weak ? 400 : 160);
  const bool exclusions_high = rng.chance(weak ? 300 : 110);
  const bool leadership_change = rng.chance(weak ? 300 : 110);

  // --- write the row ---
  fmt::format_to(std::back_inserter(out), "{},", urn);
  put_text(out, name);
  row.sep();
  row.enumeration(phase_name(phase));
  row.sep();
  row.boolean(member);
  row.sep();
  put_text(out, group);
  row.sep();
  if (overall > 0) fmt::format_to(std::back_inserter(out), "{}", overall);
  row.sep();
  row.flag(results_fell);
  row.sep();
  row.flag(exclusions_high);
  row.sep();
  row.flag(leadership_change);
  row.sep();

  // last_review: most members were reviewed within the year, some up to 18 months ago, a few
  // never; non-members have often never taken part.
  if (!rng.chance(member ? 60 : 450)) {
    const long ago = rng.chance(780) ? rng.range(1, 365) : rng.range(366, 548);
    row.date(as_of - ago);
  }
  out.push_back('\n');
}

bool parse_date(std::string_view s, long& day) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  std::uint64_t y = 0, m = 0, d = 0;
  if (!parse_u64(s.substr(0, 4), y) || !parse_u64(s.substr(5, 2), m) ||
      !parse_u64(s.substr(8, 2), d))
    return false;
  if (!valid_date(static_cast<int>(y), static_cast<int>(m), static_cast<int>(d))) return false;
  day = days_from_civil(static_cast<int>(y), static_cast<int>(m), static_cast<int>(d));
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t count = 0, seed = 1;
  long as_of = days_from_civil(2018, 11, 23);
  CLI::App app{
      "Writes N synthetic school records in the Gloucestershire Schools Partnership input format "
      "(specs/gloucestershire.md) as CSV to standard output.",
      "generate_gloucestershire"};
  add_count_and_seed(app, count, seed);
  app.add_option("--as-of",
                 "Last reviews fall in the 18 months before this date, YYYY-MM-DD (default "
                 "2018-11-23)")
      ->each([&](const std::string& text) {
        if (!parse_date(text, as_of)) throw CLI::ValidationError("expected a date like 2018-11-23");
      });
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;  // --help is 0; a usage error is 2, as for catengine
  }

  Rng rng(seed ^ 0x476C6F7563657374ULL);  // "Gloucest"

  // Unique URNs: an affine permutation of 0..899999 (step coprime to 900000).
  constexpr std::uint64_t kSpan = 900000;
  std::uint64_t step = 1 + rng.below(kSpan - 1);
  while (gcd(step, kSpan) != 1) ++step;
  const std::uint64_t offset = rng.below(kSpan);

  Buffer out;
  put(out, kHeader);
  std::string name;
  name.reserve(96);
  NameRegister names(count <= 20000);
  for (std::uint64_t i = 0; i < count; ++i) {
    const int urn = static_cast<int>(100000 + (offset + i * step) % kSpan);
    generate_row(out, rng, name, names, urn, as_of);
    if (out.size() >= (8u << 20)) {  // flush in large blocks
      if (std::fwrite(out.data(), 1, out.size(), stdout) != out.size()) return 1;
      out.clear();
    }
  }
  if (std::fwrite(out.data(), 1, out.size(), stdout) != out.size()) return 1;
  return std::fflush(stdout) == 0 ? 0 : 1;
}
