// generate_report_cards: deterministic synthetic inputs for the model report-card policy
// (specs/report-cards-2026.md) in the real national formats an LA analyst downloads:
//
//   gias.csv       GIAS edubasealldata extract: Windows-1252, CRLF, many extra columns
//   ofsted.csv     Ofsted management information: UTF-8 with BOM, CRLF, NULL in empty cells
//   ks2.csv        KS2 performance tables: RECTYPE 1 schools, 4 LA rows, 5 national row
//   la.csv         the LA's own records (urn,last_visit,governance_breakdown)
//   overrides.csv  adviser overrides (urn,level,reason,agreed_by,until)
//
//   generate_report_cards [--out DIR] [--schools N] [--seed S] [--national] [--summary]
//
// All randomness comes from synthetic::Rng and integer arithmetic, so the same arguments give
// the same bytes on every platform. The open schools of LA 874 are drawn from a list of designed
// cases (so that, as of 2026-01-05, every rule L1-L10, every warning-notice ground, trust letters,
// absences and live and expired overrides all occur) topped up with realistically random schools;
// every other school is random. --summary evaluates the policy on the generator's own model of
// what it wrote (not on the files, and not with catengine) and prints the counts as Markdown.

#include <fmt/format.h>

#include "synthetic.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace synthetic;

// ---------------------------------------------------------------------------------------------
// Fixed points of the design

constexpr int kLa = 874;              // Peterborough
constexpr int kResultsNational = 62;  // KS2 RWM national, 2025 (the results year for 2026-01-05)
long as_of() {
  return days_from_civil(2026, 1, 5);
}
long card_start() {
  return days_from_civil(2025, 11, 10);
}

// ---------------------------------------------------------------------------------------------
// Local authorities: real codes and names (the commas in three names are real and get quoted).

enum Region : std::uint8_t {
  kLondon,
  kSouthEast,
  kSouthWest,
  kEast,
  kEastMidlands,
  kWestMidlands,
  kNorthWest,
  kNorthEast,
  kWales
};
constexpr std::array<std::string_view, 9> kRegionNames = {"London",
                                                          "South East",
                                                          "South West",
                                                          "East of England",
                                                          "East Midlands",
                                                          "West Midlands",
                                                          "North West",
                                                          "North East, Yorkshire and the Humber",
                                                          ""};

struct LaInfo {
  int code;
  std::string_view name;
  std::string_view postcode;
  Region region;
};

constexpr LaInfo kLas[] = {
    {201, "City of London", "EC", kLondon},
    {202, "Camden", "NW", kLondon},
    {203, "Greenwich", "SE", kLondon},
    {204, "Hackney", "E", kLondon},
    {205, "Hammersmith and Fulham", "W", kLondon},
    {206, "Islington", "N", kLondon},
    {207, "Kensington and Chelsea", "SW", kLondon},
    {208, "Lambeth", "SE", kLondon},
    {209, "Lewisham", "SE", kLondon},
    {210, "Southwark", "SE", kLondon},
    {211, "Tower Hamlets", "E", kLondon},
    {212, "Wandsworth", "SW", kLondon},
    {213, "Westminster", "W", kLondon},
    {301, "Barking and Dagenham", "RM", kLondon},
    {302, "Barnet", "EN", kLondon},
    {303, "Bexley", "DA", kLondon},
    {304, "Brent", "NW", kLondon},
    {305, "Bromley", "BR", kLondon},
    {306, "Croydon", "CR", kLondon},
    {307, "Ealing", "W", kLondon},
    {308, "Enfield", "EN", kLondon},
    {309, "Haringey", "N", kLondon},
    {310, "Harrow", "HA", kLondon},
    {311, "Havering", "RM", kLondon},
    {312, "Hillingdon", "UB", kLondon},
    {313, "Hounslow", "TW", kLondon},
    {314, "Kingston upon Thames", "KT", kLondon},
    {315, "Merton", "SW", kLondon},
    {316, "Newham", "E", kLondon},
    {317, "Redbridge", "IG", kLondon},
    {318, "Richmond upon Thames", "TW", kLondon},
    {319, "Sutton", "SM", kLondon},
    {320, "Waltham Forest", "E", kLondon},
    {330, "Birmingham", "B", kWestMidlands},
    {331, "Coventry", "CV", kWestMidlands},
    {332, "Dudley", "DY", kWestMidlands},
    {333, "Sandwell", "B", kWestMidlands},
    {334, "Solihull", "B", kWestMidlands},
    {335, "Walsall", "WS", kWestMidlands},
    {336, "Wolverhampton", "WV", kWestMidlands},
    {340, "Knowsley", "L", kNorthWest},
    {341, "Liverpool", "L", kNorthWest},
    {342, "St. Helens", "WA", kNorthWest},
    {343, "Sefton", "L", kNorthWest},
    {344, "Wirral", "CH", kNorthWest},
    {350, "Bolton", "BL", kNorthWest},
    {351, "Bury", "BL", kNorthWest},
    {352, "Manchester", "M", kNorthWest},
    {353, "Oldham", "OL", kNorthWest},
    {354, "Rochdale", "OL", kNorthWest},
    {355, "Salford", "M", kNorthWest},
    {356, "Stockport", "SK", kNorthWest},
    {357, "Tameside", "SK", kNorthWest},
    {358, "Trafford", "M", kNorthWest},
    {359, "Wigan", "WN", kNorthWest},
    {370, "Barnsley", "S", kNorthEast},
    {371, "Doncaster", "DN", kNorthEast},
    {372, "Rotherham", "S", kNorthEast},
    {373, "Sheffield", "S", kNorthEast},
    {380, "Bradford", "BD", kNorthEast},
    {381, "Calderdale", "HX", kNorthEast},
    {382, "Kirklees", "HD", kNorthEast},
    {383, "Leeds", "LS", kNorthEast},
    {384, "Wakefield", "WF", kNorthEast},
    {390, "Gateshead", "NE", kNorthEast},
    {391, "Newcastle upon Tyne", "NE", kNorthEast},
    {392, "North Tyneside", "NE", kNorthEast},
    {393, "South Tyneside", "NE", kNorthEast},
    {394, "Sunderland", "SR", kNorthEast},
    {420, "Isles of Scilly", "TR", kSouthWest},
    {800, "Bath and North East Somerset", "BA", kSouthWest},
    {801, "Bristol, City of", "BS", kSouthWest},
    {802, "North Somerset", "BS", kSouthWest},
    {803, "South Gloucestershire", "BS", kSouthWest},
    {805, "Hartlepool", "TS", kNorthEast},
    {806, "Middlesbrough", "TS", kNorthEast},
    {807, "Redcar and Cleveland", "TS", kNorthEast},
    {808, "Stockton-on-Tees", "TS", kNorthEast},
    {810, "Kingston upon Hull, City of", "HU", kNorthEast},
    {811, "East Riding of Yorkshire", "YO", kNorthEast},
    {812, "North East Lincolnshire", "DN", kNorthEast},
    {813, "North Lincolnshire", "DN", kNorthEast},
    {815, "North Yorkshire", "YO", kNorthEast},
    {816, "York", "YO", kNorthEast},
    {821, "Luton", "LU", kEast},
    {822, "Bedford", "MK", kEast},
    {823, "Central Bedfordshire", "SG", kEast},
    {825, "Buckinghamshire", "HP", kSouthEast},
    {826, "Milton Keynes", "MK", kSouthEast},
    {830, "Derbyshire", "DE", kEastMidlands},
    {831, "Derby", "DE", kEastMidlands},
    {835, "Dorset", "DT", kSouthWest},
    {837, "Bournemouth, Christchurch and Poole", "BH", kSouthWest},
    {840, "County Durham", "DH", kNorthEast},
    {841, "Darlington", "DL", kNorthEast},
    {845, "East Sussex", "TN", kSouthEast},
    {846, "Brighton and Hove", "BN", kSouthEast},
    {850, "Hampshire", "SO", kSouthEast},
    {851, "Portsmouth", "PO", kSouthEast},
    {852, "Southampton", "SO", kSouthEast},
    {855, "Leicestershire", "LE", kEastMidlands},
    {856, "Leicester", "LE", kEastMidlands},
    {857, "Rutland", "LE", kEastMidlands},
    {860, "Staffordshire", "ST", kWestMidlands},
    {861, "Stoke-on-Trent", "ST", kWestMidlands},
    {865, "Wiltshire", "SN", kSouthWest},
    {866, "Swindon", "SN", kSouthWest},
    {867, "Bracknell Forest", "RG", kSouthEast},
    {868, "Windsor and Maidenhead", "SL", kSouthEast},
    {869, "West Berkshire", "RG", kSouthEast},
    {870, "Reading", "RG", kSouthEast},
    {871, "Slough", "SL", kSouthEast},
    {872, "Wokingham", "RG", kSouthEast},
    {873, "Cambridgeshire", "CB", kEast},
    {874, "Peterborough", "PE", kEast},
    {876, "Halton", "WA", kNorthWest},
    {877, "Warrington", "WA", kNorthWest},
    {878, "Devon", "EX", kSouthWest},
    {879, "Plymouth", "PL", kSouthWest},
    {880, "Torbay", "TQ", kSouthWest},
    {881, "Essex", "CM", kEast},
    {882, "Southend-on-Sea", "SS", kEast},
    {883, "Thurrock", "RM", kEast},
    {884, "Herefordshire, County of", "HR", kWestMidlands},
    {885, "Worcestershire", "WR", kWestMidlands},
    {886, "Kent", "ME", kSouthEast},
    {887, "Medway", "ME", kSouthEast},
    {888, "Lancashire", "PR", kNorthWest},
    {889, "Blackburn with Darwen", "BB", kNorthWest},
    {890, "Blackpool", "FY", kNorthWest},
    {891, "Nottinghamshire", "NG", kEastMidlands},
    {892, "Nottingham", "NG", kEastMidlands},
    {893, "Shropshire", "SY", kWestMidlands},
    {894, "Telford and Wrekin", "TF", kWestMidlands},
    {895, "Cheshire East", "CW", kNorthWest},
    {896, "Cheshire West and Chester", "CH", kNorthWest},
    {908, "Cornwall", "TR", kSouthWest},
    {916, "Gloucestershire", "GL", kSouthWest},
    {919, "Hertfordshire", "AL", kEast},
    {921, "Isle of Wight", "PO", kSouthEast},
    {925, "Lincolnshire", "LN", kEastMidlands},
    {926, "Norfolk", "NR", kEast},
    {929, "Northumberland", "NE", kNorthEast},
    {931, "Oxfordshire", "OX", kSouthEast},
    {933, "Somerset", "TA", kSouthWest},
    {935, "Suffolk", "IP", kEast},
    {936, "Surrey", "GU", kSouthEast},
    {937, "Warwickshire", "CV", kWestMidlands},
    {938, "West Sussex", "RH", kSouthEast},
    {940, "North Northamptonshire", "NN", kEastMidlands},
    {941, "West Northamptonshire", "NN", kEastMidlands},
    {942, "Cumberland", "CA", kNorthWest},
    {943, "Westmorland and Furness", "LA", kNorthWest},
    {660, "Isle of Anglesey", "LL", kWales},
    {661, "Gwynedd", "LL", kWales},
    {662, "Conwy", "LL", kWales},
    {663, "Denbighshire", "LL", kWales},
    {664, "Flintshire", "CH", kWales},
    {665, "Wrexham", "LL", kWales},
    {666, "Powys", "LD", kWales},
    {667, "Ceredigion", "SA", kWales},
    {668, "Pembrokeshire", "SA", kWales},
    {669, "Carmarthenshire", "SA", kWales},
    {670, "Swansea", "SA", kWales},
    {671, "Neath Port Talbot", "SA", kWales},
    {672, "Bridgend", "CF", kWales},
    {673, "Vale of Glamorgan", "CF", kWales},
    {674, "Rhondda Cynon Taf", "CF", kWales},
    {675, "Merthyr Tydfil", "CF", kWales},
    {676, "Caerphilly", "CF", kWales},
    {677, "Blaenau Gwent", "NP", kWales},
    {678, "Torfaen", "NP", kWales},
    {679, "Monmouthshire", "NP", kWales},
    {680, "Newport", "NP", kWales},
    {681, "Cardiff", "CF", kWales},
};
constexpr std::size_t kLaCount = std::size(kLas);

std::size_t la_index(int code) {
  for (std::size_t i = 0; i < kLaCount; ++i)
    if (kLas[i].code == code) return i;
  return 0;
}

// ---------------------------------------------------------------------------------------------
// Vocabulary (UTF-8 here; gias.csv is transcoded to Windows-1252 on output).

constexpr std::array<std::string_view, 48> kEnglishPlaces = {
    "Ashby",      "Brampton",  "Chesterton", "Denton",      "Elmswell",   "Fairfield",
    "Greenhill",  "Hartley",   "Ickleton",   "Kingsbury",   "Langley",    "Milford",
    "Norton",     "Oakwood",   "Preston",    "Queensbury",  "Redhill",    "Southfield",
    "Thornton",   "Upton",     "Westbury",   "Whitley",     "Ashfield",   "Bramley",
    "Cranbrook",  "Darley",    "Eastbrook",  "Fernhill",    "Grange",     "Highfield",
    "Kingsmead",  "Lakeside",  "Meadowside", "Northgate",   "Oldfield",   "Parkside",
    "Riverside",  "Sandhurst", "Stoneleigh", "Summerfield", "Thorpe",     "Underwood",
    "Valley End", "Woodlands", "Brookfield", "Castle Hill", "Church End", "Heathfield"};

// Curly and straight apostrophes both occur in GIAS names; the curly one is byte 0x92 there.
constexpr std::array<std::string_view, 14> kSaints = {
    "St Mary’s",      "St John's",     "St Botolph’s", "St Michael's", "St Augustine’s",
    "St Thomas More", "St Peter’s",    "St Andrew's",  "All Saints’",  "St Kyneburgha’s",
    "Holy Trinity",   "St Margaret’s", "St Oswald's",  "Christ Church"};

constexpr std::array<std::string_view, 20> kWelshPlaces = {
    "Bro Dinefwr",  "Bro Tâf",     "Lôn Las",        "Pen-y-Bryn",   "Maes y Gwendraeth",
    "Dyffryn Aman", "Llandeilo",   "Cwm Gwendraeth", "Gwenllian",    "Rhydaman",
    "Caerfyrddin",  "Llanelli",    "Penygroes",      "Pontyberem",   "Mynydd-y-Garreg",
    "Glan-y-Môr",   "Bro Myrddin", "Brynsierfel",    "Llanymddyfri", "Teilo Sant"};

constexpr std::array<std::string_view, 8> kPeterboroughTrusts = {
    "Nene Valley Learning Trust",
    "The Fens, Nene and Welland Academy Trust",  // a comma: quoted in every file
    "St Kyneburgha’s Catholic Multi Academy Trust",
    "Medeshamstede Learning Partnership",
    "Castor Gate Education Trust",
    "Soke Federation of Schools Trust",
    "Eye and Thorney Schools Trust",
    "Cathedral Close Church of England Academy Trust"};

constexpr std::array<std::string_view, 6> kTrustSuffixes = {
    "Learning Trust",      "Academy Trust",       "Education Trust",
    "Multi Academy Trust", "Schools Partnership", "Catholic Academy Trust"};

constexpr std::array<std::string_view, 12> kStreets = {
    "School Road", "Church Lane", "High Street",   "Park Avenue", "Mill Lane", "Station Road",
    "London Road", "Green Lane",  "Chapel Street", "Manor Way",   "The Green", "Broadway"};

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
constexpr std::array<std::string_view, 7> kGradeWords = {"NULL",
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
constexpr std::array<std::string_view, 4> kLevelNames = {"universal", "targeted", "intensive",
                                                         "intervention"};

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

// ---------------------------------------------------------------------------------------------
// Writing helpers

void fmt_date(Buffer& out, long day) {
  const Date d = civil_from_days(day);
  fmt::format_to(std::back_inserter(out), "{:02}/{:02}/{}", d.d, d.m, d.y);
}
void iso_date(Buffer& out, long day) {
  const Date d = civil_from_days(day);
  fmt::format_to(std::back_inserter(out), "{:04}-{:02}-{:02}", d.y, d.m, d.d);
}

// Monday = 1 ... Sunday = 7 (1970-01-01 was a Thursday).
int weekday(long day) {
  return static_cast<int>(((day % 7) + 7 + 3) % 7) + 1;
}
// Inspections start Monday to Wednesday: move back to the nearest such day.
long inspection_day(long day) {
  while (weekday(day) > 3) --day;
  return day;
}

// UTF-8 to Windows-1252 for the characters this generator uses (and the rest of Latin-1).
void put_cp1252(Buffer& out, std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    unsigned cp = 0;
    std::size_t n = 0;
    if ((c & 0xE0) == 0xC0) {
      cp = c & 0x1Fu;
      n = 2;
    } else if ((c & 0xF0) == 0xE0) {
      cp = c & 0x0Fu;
      n = 3;
    } else {
      cp = c & 0x07u;
      n = 4;
    }
    for (std::size_t k = 1; k < n && i + k < s.size(); ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3Fu);
    i += n;
    char b = '?';
    if (cp >= 0xA0 && cp <= 0xFF) {
      b = static_cast<char>(cp);
    } else {
      switch (cp) {
        case 0x2018:
          b = '\x91';
          break;
        case 0x2019:
          b = '\x92';
          break;
        case 0x201C:
          b = '\x93';
          break;
        case 0x201D:
          b = '\x94';
          break;
        case 0x2013:
          b = '\x96';
          break;
        case 0x2014:
          b = '\x97';
          break;
        case 0x0152:
          b = '\x8C';
          break;
        case 0x0153:
          b = '\x9C';
          break;
        case 0x20AC:
          b = '\x80';
          break;
        default:
          break;
      }
    }
    out.push_back(b);
  }
}

// A CSV text field in Windows-1252, quoted when needed.
void put_text_cp1252(Buffer& out, std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return put_cp1252(out, s);
  out.push_back('"');
  std::string doubled;
  for (char c : s) {
    if (c == '"') doubled.push_back('"');
    doubled.push_back(c);
  }
  put_cp1252(out, doubled);
  out.push_back('"');
}

// Ofsted writes NULL in every empty cell.
void put_or_null(Buffer& out, std::string_view s) {
  put_text(out, s.empty() ? std::string_view("NULL") : s);
}

// ---------------------------------------------------------------------------------------------
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

// ---------------------------------------------------------------------------------------------
// Designed cases for the open schools of LA 874

enum class Gov : std::uint8_t { any, maintained, academy, free_school, special };

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

struct Case {
  V v;
  Gov gov;
  O o = O::none;
};

// One copy of the design; --schools N uses about N/120 copies (at least one), truncated if N is
// smaller than one copy, and tops up with random schools.
constexpr Case kDesign[] = {
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

// ---------------------------------------------------------------------------------------------
// Building schools

struct Generator {
  Rng rng;
  Urns urns;
  std::vector<School> schools;
  std::vector<Override> overrides;
  std::vector<int> estab_next = std::vector<int>(kLaCount * 8, 0);
  std::vector<std::string> trusts;  // national trust names, by code - 1000

  std::size_t lowered_ = 0;  // overrides to universal so far

  explicit Generator(std::uint64_t seed) : rng(seed ^ 0x5265706F72744361ULL) {}  // "ReportCa"

  int next_estab(std::size_t la, int kind_base, int slot) {
    int& n = estab_next[la * 8 + static_cast<std::size_t>(slot)];
    return kind_base + n++;
  }

  void postcode(School& s) {
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

  std::string_view place(const School& s) {
    return kLas[s.la].code == kLa ? rng.pick(synthetic::kPeterboroughPlaces)
                                  : rng.pick(kEnglishPlaces);
  }

  // The school's name, from its phase and kind; draws happen in a fixed order (the order in
  // which function arguments are evaluated is unspecified).
  void name(School& s) {
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
          fmt::format_to(out, "{} Catholic Primary {}, {}", saint, academy ? "Academy" : "School",
                         p);
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
  void kind(School& s, Gov gov, bool primary_only) {
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

  void ages(School& s) {
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

  void trust(School& s) {
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

  void identity(School& s) {
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

  std::size_t add(School s) {
    schools.push_back(std::move(s));
    return schools.size() - 1;
  }

  // A converter academy often has its maintained predecessor in GIAS, closed the day before.
  void predecessor(const School& a) {
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

  // --- Ofsted -----------------------------------------------------------------------------

  // Which of the early-years and post-16 areas apply to this school.
  std::pair<bool, bool> applicable(const School& s) {
    const bool ey = (s.phase == Phase::primary && !s.junior) || s.phase == Phase::nursery ||
                    s.phase == Phase::all_through || (s.phase == Phase::none && s.low_age < 5);
    const bool p16 = s.high_age > 16;
    return {ey, p16};
  }

  Grade good_grade(int strength) {
    const int r = rng.range(0, 999) + strength * 120;
    return r > 930 ? kExceptional : r > 620 ? kStrong : kExpected;
  }

  // A report card with every area at least expected standard.
  void card(School& s, int strength) {
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

  void legacy_grade(School& s, int grade) {
    s.oeif = grade;
    const int back = grade == 1 ? rng.range(400, 3600) : rng.range(60, 1500);
    s.oeif_date = inspection_day(days_from_civil(2025, 11, 7) - back);
  }

  // No report card: the last OEIF grade, and an inspection start date before 10 November 2025
  // (an ungraded visit since) or NULL.
  void legacy(School& s, int grade) {
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
  void stale(School& s, Grade worst, int safeguarding) {
    for (std::size_t a = 0; a < 6; ++a) s.areas[a] = good_grade(0);
    s.areas[kAchievement] = worst;
    s.areas[kLeadership] = worst;
    s.areas[kEarlyYears] = kNotApplicable;
    s.areas[kPost16] = kNotApplicable;
    s.safeguarding = safeguarding;
  }

  // A core area other than leadership (and other than `except`).
  std::size_t other_area(std::size_t except = 99) {
    for (;;) {
      const auto a = static_cast<std::size_t>(rng.below(5));
      if (a != except) return a;
    }
  }

  void random_ofsted(School& s, int strength) {
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

  // --- KS2 --------------------------------------------------------------------------------

  bool has_ks2(const School& s) const { return s.phase == Phase::primary && !s.infant; }

  void ks2(School& s, int telig, int ptrwm) {
    s.in_ks2 = true;
    s.telig = telig;
    s.ptrwm = ptrwm;
    s.telig_code = s.ptrwm_code = {};
  }

  void random_ks2(School& s, int strength) {
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

  // --- LA records ---------------------------------------------------------------------------

  void la_record(School& s, int breakdown) {
    s.in_la = true;
    s.breakdown = breakdown;
    if (!rng.chance(60)) s.last_visit = as_of() - rng.range(3, 400);
  }

  void random_la(School& s) {
    if (!rng.chance(960)) return;
    const int r = rng.range(0, 999);
    la_record(s, r < 8 ? 2 : r < 750 ? 1 : 0);
  }

  // --- One designed or random open school of LA 874 ----------------------------------------

  void designed(School& s, const Case& c) {
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

  void designed_override(const School& s, O o) {
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

  void open_school_874(const Case& c) {
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

  // A random school of any LA (a state-funded one unless group says otherwise).
  void random_school(std::size_t la, Status status) {
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

  void independent(std::size_t la, std::string_view fixed_name = {}) {
    School s;
    s.la = la;
    s.group = Group::independent;
    s.phase = Phase::none;
    s.type_code = rng.chance(850) ? 11 : 10;
    s.type_name =
        s.type_code == 11 ? "Other independent school" : "Other independent special school";
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

  void college(std::size_t la) {
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

  void welsh(std::size_t la) {
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
};

// ---------------------------------------------------------------------------------------------
// The policy evaluated on the model (first run, no history store), for --summary only.

struct Outcome {
  int rule = 10;  // 1..10
  Level computed = Level::universal;
  Level level = Level::universal;
  bool overridden = false;
  bool maintained = false;
  std::array<bool, 3> grounds{};
  bool notice = false, letter = false, rise = false, overdue = false;
  bool low = false;
  bool expired_override = false;
};

bool is_maintained(const School& s) {
  return s.group == Group::maintained;  // spec 1.1: the type group, not the type
}

Outcome evaluate(const School& s, const std::vector<Override>& overrides) {
  Outcome o;
  const bool card = s.in_ofsted && s.inspection != 0 && s.inspection >= card_start();
  const auto area = [&](Area a) { return card ? s.areas[a] : kNull; };
  const bool not_met = card && s.safeguarding == 2;
  int attention = 0, urgent = 0;
  for (std::size_t a = 0; a < 8; ++a) {
    attention += area(static_cast<Area>(a)) == kAttention;
    urgent += area(static_cast<Area>(a)) == kUrgent;
  }
  const int oeif = s.in_ofsted ? s.oeif : 0;
  const bool telig_ok = s.in_ks2 && s.telig_code.empty() && s.telig >= 11;
  o.low = s.phase == Phase::primary && telig_ok && s.ptrwm_code.empty() &&
          s.ptrwm - kResultsNational < -10;
  const bool category = s.in_ofsted && !s.category.empty();

  struct R {
    bool when;
    Level level;
  };
  const std::array<R, 10> rules = {{{category, Level::intervention},
                                    {card && not_met, Level::intervention},
                                    {card && urgent >= 1, Level::intervention},
                                    {card && area(kLeadership) == kAttention, Level::intensive},
                                    {card && attention >= 2, Level::intensive},
                                    {card && attention == 1, Level::targeted},
                                    {!card && oeif == 4, Level::intensive},
                                    {!card && oeif == 3, Level::targeted},
                                    {o.low, Level::targeted},
                                    {true, Level::universal}}};
  for (std::size_t i = 0; i < rules.size(); ++i) {
    if (rules[i].when) {
      o.rule = static_cast<int>(i) + 1;
      o.computed = o.level = rules[i].level;
      break;
    }
  }
  for (const Override& v : overrides) {
    if (v.urn != s.urn) continue;
    if (v.until >= as_of()) {
      o.level = v.level;
      o.overridden = true;
    } else {
      o.expired_override = true;
    }
  }
  const bool concern = o.level == Level::intensive || o.level == Level::intervention;
  const int terms = concern ? 1 : 0;  // first term: no history store
  o.maintained = is_maintained(s);
  o.grounds[0] = area(kAchievement) == kUrgent || (o.low && terms >= 2);
  o.grounds[1] = (s.in_la && s.breakdown == 2) || area(kLeadership) == kUrgent;
  o.grounds[2] = not_met;
  const bool any_ground = o.grounds[0] || o.grounds[1] || o.grounds[2];
  o.notice = o.maintained && any_ground && concern;
  o.letter = !o.maintained && concern;
  o.rise = o.rule == 1 && (s.category == "RSI" || s.category == "SWK");
  constexpr std::array<int, 4> weeks = {52, 12, 6, 4};
  const long next = s.in_la && s.last_visit != 0
                        ? s.last_visit + 7L * weeks[static_cast<std::size_t>(o.level)]
                        : as_of();
  o.overdue = next < as_of();
  return o;
}

// ---------------------------------------------------------------------------------------------
// Files

constexpr std::string_view kGiasHeader =
    "URN,LA (code),LA (name),EstablishmentNumber,EstablishmentName,TypeOfEstablishment (code),"
    "TypeOfEstablishment (name),EstablishmentTypeGroup (code),EstablishmentTypeGroup (name),"
    "EstablishmentStatus (code),EstablishmentStatus (name),ReasonEstablishmentClosed (name),"
    "OpenDate,CloseDate,PhaseOfEducation (code),PhaseOfEducation (name),StatutoryLowAge,"
    "StatutoryHighAge,Gender (name),ReligiousCharacter (name),NumberOfPupils,Trusts (code),"
    "Trusts (name),Street,Town,Postcode,UKPRN";

std::pair<int, std::string_view> group_name(Group g) {
  switch (g) {
    case Group::maintained:
      return {4, "Local authority maintained schools"};
    case Group::academy:
      return {10, "Academies"};
    case Group::free_school:
      return {11, "Free Schools"};
    case Group::special:
      return {5, "Special schools"};
    case Group::independent:
      return {3, "Independent schools"};
    case Group::welsh:
      return {6, "Welsh schools"};
    case Group::college:
      return {1, "Colleges"};
    case Group::other:
      return {9, "Other types"};
  }
  return {9, "Other types"};
}

std::pair<int, std::string_view> phase_name(Phase p) {
  switch (p) {
    case Phase::nursery:
      return {1, "Nursery"};
    case Phase::primary:
      return {2, "Primary"};
    case Phase::secondary:
      return {4, "Secondary"};
    case Phase::all_through:
      return {7, "All-through"};
    case Phase::sixteen_plus:
      return {6, "16 plus"};
    case Phase::none:
      return {0, "Not applicable"};
  }
  return {0, "Not applicable"};
}

std::pair<int, std::string_view> status_name(Status s) {
  switch (s) {
    case Status::open:
      return {1, "Open"};
    case Status::closed:
      return {2, "Closed"};
    case Status::proposed_to_close:
      return {3, "Open, but proposed to close"};
    case Status::proposed_to_open:
      return {4, "Proposed to open"};
  }
  return {1, "Open"};
}

std::string_view town(const School& s) {
  const std::string_view n = kLas[s.la].name;
  const auto comma = n.find(',');
  return comma == std::string_view::npos ? n : n.substr(0, comma);
}

void write_gias(Buffer& out, const std::vector<const School*>& rows) {
  put(out, kGiasHeader);
  put(out, "\r\n");
  auto it = std::back_inserter(out);
  for (const School* p : rows) {
    const School& s = *p;
    const auto [gcode, gname] = group_name(s.group);
    const auto [pcode, pname] = phase_name(s.phase);
    const auto [scode, sname] = status_name(s.status);
    fmt::format_to(it, "{},{},", s.urn, kLas[s.la].code);
    put_text_cp1252(out, kLas[s.la].name);
    fmt::format_to(it, ",{},", s.estab);
    put_text_cp1252(out, s.name);
    fmt::format_to(it, ",{},{},{},{},{},", s.type_code, s.type_name, gcode, gname, scode);
    put_text_cp1252(out, sname);
    fmt::format_to(it, ",{},", s.close_reason);
    if (s.open_date != 0) fmt_date(out, s.open_date);
    out.push_back(',');
    if (s.close_date != 0) fmt_date(out, s.close_date);
    fmt::format_to(it, ",{},{},{},{},{},{},", pcode, pname, s.low_age, s.high_age, s.gender,
                   s.religion);
    if (s.pupils != 0) fmt::format_to(it, "{}", s.pupils);
    out.push_back(',');
    if (s.trust_code != 0) fmt::format_to(it, "{}", s.trust_code);
    out.push_back(',');
    put_text_cp1252(out, s.trust);
    out.push_back(',');
    put_text_cp1252(out, s.street);
    out.push_back(',');
    put_text_cp1252(out, town(s));
    fmt::format_to(it, ",{},{}\r\n", s.postcode, 10000000 + (s.urn * 37) % 9000000);
  }
}

constexpr std::string_view kOfstedHeader =
    "Web link (opens in new window),URN,LAESTAB,School name,Ofsted phase,Type of education,"
    "Local authority,Ofsted region,Postcode,Total number of pupils,Inspection number,"
    "Inspection type,Inspection start date,Inspection end date,Publication date,"
    "Category of concern,Safeguarding standards,Inclusion,Curriculum and teaching,Achievement,"
    "Attendance and behaviour,Personal development and wellbeing,Leadership and governance,"
    "Early years (where applicable),Post-16 provision (where applicable),"
    "Latest OEIF overall effectiveness,Latest OEIF inspection date";

std::string_view ofsted_phase(const School& s) {
  switch (s.phase) {
    case Phase::nursery:
      return "Nursery";
    case Phase::primary:
      return "Primary";
    case Phase::secondary:
      return "Secondary";
    case Phase::all_through:
      return "All-through";
    case Phase::sixteen_plus:
      return "16-19";
    case Phase::none:
      return s.type_code == 14 || s.type_code == 38 ? "PRU" : "Special";
  }
  return "Primary";
}

void write_ofsted(Buffer& out, const std::vector<const School*>& rows) {
  put(out, "\xEF\xBB\xBF");  // the BOM Excel writes for "CSV UTF-8"
  put(out, kOfstedHeader);
  put(out, "\r\n");
  auto it = std::back_inserter(out);
  for (const School* p : rows) {
    const School& s = *p;
    fmt::format_to(it, "https://reports.ofsted.gov.uk/provider/21/{},{},{},", s.urn, s.urn,
                   kLas[s.la].code * 10000 + s.estab);
    put_text(out, s.name);
    fmt::format_to(it, ",{},{},", ofsted_phase(s), s.type_name);
    put_text(out, kLas[s.la].name);
    out.push_back(',');
    put_text(out, kRegionNames[kLas[s.la].region]);
    fmt::format_to(it, ",{},", s.postcode);
    if (s.pupils != 0)
      fmt::format_to(it, "{}", s.pupils);
    else
      put(out, "NULL");
    const bool card = s.inspection >= card_start();
    if (s.inspection != 0) {
      fmt::format_to(it, ",{},{},", 10300000 + (s.urn * 13) % 700000,
                     card                          ? "Full inspection"
                     : s.inspection == s.oeif_date ? "Graded inspection"
                                                   : "Ungraded inspection");
      fmt_date(out, s.inspection);
      out.push_back(',');
      fmt_date(out, s.inspection + (card ? 2 : 1));
      out.push_back(',');
      fmt_date(out, s.inspection + 22 + s.urn % 12);
    } else {
      put(out, ",NULL,NULL,NULL,NULL,NULL");
    }
    out.push_back(',');
    put_or_null(out, s.category);
    out.push_back(',');
    put(out, s.safeguarding == 0 ? "NULL" : s.safeguarding == 1 ? "Met" : "Not met");
    for (Grade g : s.areas) {
      out.push_back(',');
      put(out, kGradeWords[g]);
    }
    out.push_back(',');
    if (s.oeif != 0) {
      fmt::format_to(it, "{},", s.oeif);
      fmt_date(out, s.oeif_date);
    } else {
      put(out, "NULL,NULL");
    }
    put(out, "\r\n");
  }
}

constexpr std::string_view kKs2Header =
    "RECTYPE,LEA,ESTAB,URN,SCHNAME,TOWN,PCODE,NFTYPE,RELDENOM,AGERANGE,TOTPUPS,TELIG,PTRWM_EXP,"
    "PTRWM_HIGH,PTREAD_EXP,PTGPS_EXP,PTMAT_EXP,READ_AVERAGE,MAT_AVERAGE";

std::string_view nftype(const School& s) {
  switch (s.type_code) {
    case 1:
      return "CY";
    case 2:
      return "VA";
    case 3:
      return "VC";
    case 5:
      return "FD";
    case 28:
      return "AS";
    case 35:
      return "F";
    default:
      return "AC";
  }
}

void write_ks2(Buffer& out, Rng& rng, const std::vector<const School*>& rows) {
  put(out, kKs2Header);
  out.push_back('\n');
  auto it = std::back_inserter(out);
  // The LA row after each LA's schools, the national row last, as in the DfE file.
  long la_pupils = 0, la_expected = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const School& s = *rows[i];
    fmt::format_to(it, "1,{},{},{},", kLas[s.la].code, s.estab, s.urn);
    put_text(out, s.name);
    out.push_back(',');
    put_text(out, town(s));
    fmt::format_to(it, ",{},{},{},{}-{},", s.postcode, nftype(s), s.religion, s.low_age,
                   s.high_age);
    if (s.pupils != 0) fmt::format_to(it, "{}", s.pupils);
    out.push_back(',');
    if (s.telig_code.empty())
      fmt::format_to(it, "{}", s.telig);
    else
      put(out, s.telig_code);
    out.push_back(',');
    const bool shown = s.ptrwm_code.empty();
    if (shown)
      fmt::format_to(it, "{}%", s.ptrwm);
    else
      put(out, s.ptrwm_code);
    // Companion measures near the headline one, suppressed alike.
    const int high = std::max(0, s.ptrwm / 8 + rng.noise(3));
    const int read = std::min(100, s.ptrwm + 12 + rng.noise(5));
    const int gps = std::min(100, s.ptrwm + 10 + rng.noise(5));
    const int mat = std::min(100, s.ptrwm + 11 + rng.noise(5));
    const int read_avg = 100 + s.ptrwm / 10 + rng.noise(1);
    const int mat_avg = 99 + s.ptrwm / 10 + rng.noise(1);
    if (shown)
      fmt::format_to(it, ",{}%,{}%,{}%,{}%,{},{}\n", high, read, gps, mat, read_avg, mat_avg);
    else
      fmt::format_to(it, ",{0},{0},{0},{0},{0},{0}\n", s.ptrwm_code);
    if (s.telig_code.empty() && shown) {
      la_pupils += s.telig;
      la_expected += static_cast<long>(s.telig) * s.ptrwm;
    }
    if (i + 1 == rows.size() || rows[i + 1]->la != s.la) {
      const long pct = la_pupils == 0 ? 0 : (la_expected + la_pupils / 2) / la_pupils;
      fmt::format_to(it, "4,{},,,,,,,,,,{},{}%,,,,,,\n", kLas[s.la].code, la_pupils, pct);
      la_pupils = la_expected = 0;
    }
  }
  fmt::format_to(it, "5,,,,,,,,,,,{},{}%,8%,75%,72%,74%,105,104\n", 653000 + rng.range(0, 9999),
                 kResultsNational);
}

void write_la(Buffer& out, const std::vector<const School*>& rows) {
  put(out, "urn,last_visit,governance_breakdown\n");
  auto it = std::back_inserter(out);
  for (const School* p : rows) {
    fmt::format_to(it, "{},", p->urn);
    if (p->last_visit != 0) iso_date(out, p->last_visit);
    put(out, p->breakdown == 2 ? ",yes\n" : p->breakdown == 1 ? ",no\n" : ",\n");
  }
}

void write_overrides(Buffer& out, const std::vector<Override>& overrides) {
  put(out, "urn,level,reason,agreed_by,until\n");
  auto it = std::back_inserter(out);
  for (const Override& v : overrides) {
    fmt::format_to(it, "{},{},", v.urn, kLevelNames[static_cast<std::size_t>(v.level)]);
    put_text(out, v.reason);
    out.push_back(',');
    put_text(out, v.agreed_by);
    out.push_back(',');
    iso_date(out, v.until);
    out.push_back('\n');
  }
}

bool write_file(const std::filesystem::path& path, const Buffer& b) {
  std::FILE* f = std::fopen(path.string().c_str(), "wb");
  if (f == nullptr) return false;
  const bool ok = std::fwrite(b.data(), 1, b.size(), f) == b.size();
  return std::fclose(f) == 0 && ok;
}

// ---------------------------------------------------------------------------------------------
// Summary

void print_summary(const Generator& g, std::size_t open_874) {
  std::array<int, 11> by_rule{}, maintained{}, final_rule{};
  std::array<int, 3> cited{}, held_no_notice{}, held_academy{};
  int overridden = 0, expired = 0, notices = 0, letters = 0, rise = 0, overdue = 0;
  int no_ofsted = 0, no_ks2 = 0, primaries = 0, no_la = 0, second_run_a = 0, cards = 0;
  for (const School& s : g.schools) {
    if (kLas[s.la].code != kLa || s.status != Status::open) continue;
    const Outcome o = evaluate(s, g.overrides);
    ++by_rule[static_cast<std::size_t>(o.rule)];
    if (o.maintained) ++maintained[static_cast<std::size_t>(o.rule)];
    if (!o.overridden) ++final_rule[static_cast<std::size_t>(o.rule)];
    overridden += o.overridden;
    expired += o.expired_override;
    notices += o.notice;
    letters += o.letter;
    rise += o.rise;
    overdue += o.overdue;
    no_ofsted += !s.in_ofsted;
    cards += s.in_ofsted && s.inspection >= card_start();
    primaries += s.phase == Phase::primary;
    no_ks2 += s.phase == Phase::primary && !s.in_ks2;
    no_la += !s.in_la;
    const bool concern = o.level == Level::intensive || o.level == Level::intervention;
    for (std::size_t k = 0; k < 3; ++k) {
      if (!o.grounds[k]) continue;
      if (o.notice)
        ++cited[k];
      else if (o.maintained)
        ++held_no_notice[k];
      else
        ++held_academy[k];
    }
    if (o.maintained && concern && o.low && !o.grounds[0]) ++second_run_a;
  }
  int overrides_outside = 0;
  for (const Override& v : g.overrides) {
    bool found = false;
    for (const School& s : g.schools)
      found = found || (s.urn == v.urn && kLas[s.la].code == kLa && s.status == Status::open);
    overrides_outside += !found;
  }
  constexpr std::array<std::string_view, 11> when = {
      "",
      "category of concern SM, SWK or RSI",
      "report card, safeguarding not met",
      "report card, an area urgent improvement",
      "report card, leadership and governance needs attention",
      "report card, two or more areas need attention",
      "report card, one area needs attention",
      "no report card, legacy OEIF 4",
      "no report card, legacy OEIF 3",
      "low KS2 attainment (gap below -10)",
      "otherwise"};
  std::printf("Open schools of LA 874 evaluated: %zu (report cards: %d)\n\n", open_874, cards);
  std::printf("| rule | when | schools | of which maintained | final rule (not overridden) |\n");
  std::printf("|---|---|---:|---:|---:|\n");
  for (std::size_t r = 1; r <= 10; ++r)
    std::printf("| L%zu | %s | %d | %d | %d |\n", r, std::string(when[r]).c_str(), by_rule[r],
                maintained[r], final_rule[r]);
  std::printf("| override | an override on or after the as-of date | | | %d |\n\n", overridden);
  std::printf(
      "| ground | in issued warning notices | holds for a maintained school below "
      "intensive (no notice) | holds for an academy or other (trust letter instead) |\n");
  std::printf("|---|---:|---:|---:|\n");
  constexpr std::array<std::string_view, 3> ground = {"(a) standards", "(b) governance",
                                                      "(c) safety"};
  for (std::size_t k = 0; k < 3; ++k)
    std::printf("| %s | %d | %d | %d |\n", std::string(ground[k]).c_str(), cited[k],
                held_no_notice[k], held_academy[k]);
  std::printf(
      "\nWarning notices: %d. Trust letters: %d. RISE referrals: %d. Visits overdue: %d.\n"
      "Absent: from ofsted %d, from ks2 %d of %d primary, from la %d.\n"
      "Overrides: %zu rows; applied %d, expired %d, for a URN outside the list %d.\n"
      "Second run on the same files with this run saved: ground (a) through low attainment for "
      "%d more maintained schools.\n",
      notices, letters, rise, overdue, no_ofsted, no_ks2, primaries, no_la, g.overrides.size(),
      overridden, expired, overrides_outside, second_run_a);
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t seed = 1;
  int schools = 120;
  bool national = false, summary = false;
  std::string out_dir = ".";
  CLI::App app{
      "Writes gias.csv, ofsted.csv, ks2.csv, la.csv and overrides.csv for the model report-card "
      "policy (specs/report-cards-2026.md), as of 2026-01-05, in the real national formats.",
      "generate_report_cards"};
  app.add_option("--out", out_dir, "Output directory (created if missing; default .)");
  auto* schools_opt = app.add_option("--schools", schools,
                                     "Open schools of LA 874 (default 120, or 200 with --national)")
                          ->check(CLI::Range(1, 5000));
  app.add_option("--seed", seed,
                 "Random seed (default 1); the output is byte-identical on every platform for "
                 "the same arguments");
  app.add_flag("--national", national,
               "All of England (about 50,000 GIAS rows, 22,000 Ofsted, 17,000 KS2) for "
               "benchmarks");
  app.add_flag("--summary", summary,
               "Print, as Markdown, how many schools of LA 874 meet each rule and ground by "
               "design");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (national && schools_opt->count() == 0) schools = 200;

  Generator g(seed);
  const std::size_t peterborough = la_index(kLa);

  // LA 874: the designed cases, then random schools up to N.
  const std::size_t n = static_cast<std::size_t>(schools);
  const std::size_t copies = std::max<std::size_t>(1, (n + 60) / 120);
  std::size_t made = 0;
  for (std::size_t c = 0; c < copies; ++c)
    for (const Case& k : kDesign)
      if (made < n) {
        g.open_school_874(k);
        ++made;
      }
  for (; made < n; ++made) g.open_school_874({V::random, Gov::any});
  // Not evaluated: closed, proposed to close or open; and the LA's own stale records of them.
  for (std::size_t i = 0; i < std::max<std::size_t>(2, n / 10); ++i)
    g.random_school(peterborough, Status::closed);
  g.random_school(peterborough, Status::proposed_to_close);
  g.random_school(peterborough, Status::proposed_to_close);
  {
    School s;
    s.la = peterborough;
    s.status = Status::proposed_to_open;
    g.kind(s, Gov::free_school, true);
    s.urn = g.urns.draw(g.rng, 155000, 155999);
    g.identity(s);
    s.open_date = days_from_civil(2026, 9, 1);
    g.add(std::move(s));
  }
  // Open, in LA 874, but not state-funded: evaluated under the spec's filter as written.
  g.independent(peterborough);
  g.college(peterborough);

  if (national) {
    for (std::size_t la = 0; la < kLaCount; ++la) {
      if (la == peterborough) continue;
      if (kLas[la].region == kWales) {
        for (int i = 0; i < 65; ++i) g.welsh(la);
        continue;
      }
      const int code = kLas[la].code;
      const int open = code == 420 ? 5 : code == 201 ? 2 : g.rng.range(55, 255);
      for (int i = 0; i < open; ++i) g.random_school(la, Status::open);
      for (int i = 0; i < open * 6 / 10; ++i) g.random_school(la, Status::closed);
      if (g.rng.chance(500)) g.random_school(la, Status::proposed_to_close);
      for (int i = 0; i < 16; ++i) g.independent(la);
      for (int i = 0; i < 8; ++i) g.college(la);
    }
  } else {
    constexpr std::array<int, 4> neighbours = {873, 925, 940, 857};
    for (int code : neighbours) {
      const std::size_t la = la_index(code);
      for (std::size_t i = 0; i < std::max<std::size_t>(3, n / 12); ++i)
        g.random_school(la, Status::open);
      for (int i = 0; i < 2; ++i) g.random_school(la, Status::closed);
    }
    const std::size_t camden = la_index(202);
    g.independent(camden, "Lycée Français Sainte-Geneviève de Londres");
    g.independent(camden);
    g.random_school(camden, Status::open);
    for (int i = 0; i < 4; ++i) g.welsh(la_index(669));
  }

  // An override the LA forgot to remove, for a school that has since closed (ignored).
  for (const School& s : g.schools)
    if (kLas[s.la].code == kLa && s.status == Status::closed) {
      g.overrides.push_back({s.urn, Level::intensive, "Amalgamation in progress, keep under review",
                             "Director of Education", days_from_civil(2026, 3, 31)});
      break;
    }

  // Files: GIAS and Ofsted by URN, KS2 by LA then name, the LA's file in its own order.
  std::vector<const School*> by_urn;
  by_urn.reserve(g.schools.size());
  for (const School& s : g.schools) by_urn.push_back(&s);
  std::sort(by_urn.begin(), by_urn.end(), [](auto a, auto b) { return a->urn < b->urn; });

  std::vector<const School*> ofsted, ks2, la;
  for (const School* s : by_urn) {
    if (s->status == Status::closed || s->status == Status::proposed_to_open) continue;
    if (s->in_ofsted) ofsted.push_back(s);
    if (s->in_ks2) ks2.push_back(s);
  }
  std::stable_sort(ks2.begin(), ks2.end(), [](auto a, auto b) {
    return kLas[a->la].code != kLas[b->la].code ? kLas[a->la].code < kLas[b->la].code
                                                : a->name < b->name;
  });
  for (const School& s : g.schools)
    if (s.in_la) la.push_back(&s);
  // The LA also still holds records of a few schools that have closed.
  std::size_t stale_records = 0;
  for (const School& s : g.schools)
    if (kLas[s.la].code == kLa && s.status == Status::closed && stale_records < 3) {
      la.push_back(&s);
      ++stale_records;
    }
  std::sort(la.begin(), la.end(), [](auto a, auto b) {
    return a->estab < b->estab || (a->estab == b->estab && a->urn < b->urn);
  });

  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  const std::filesystem::path dir(out_dir);
  Buffer b;
  bool ok = true;
  write_gias(b, by_urn);
  ok = ok && write_file(dir / "gias.csv", b);
  b.clear();
  write_ofsted(b, ofsted);
  ok = ok && write_file(dir / "ofsted.csv", b);
  b.clear();
  write_ks2(b, g.rng, ks2);
  ok = ok && write_file(dir / "ks2.csv", b);
  b.clear();
  write_la(b, la);
  ok = ok && write_file(dir / "la.csv", b);
  b.clear();
  write_overrides(b, g.overrides);
  ok = ok && write_file(dir / "overrides.csv", b);
  if (!ok) {
    std::fprintf(stderr, "generate_report_cards: cannot write to %s\n", out_dir.c_str());
    return 1;
  }
  if (summary) {
    std::size_t open_874 = 0;
    for (const School& s : g.schools)
      open_874 += kLas[s.la].code == kLa && s.status == Status::open;
    print_summary(g, open_874);
  }
  return 0;
}
