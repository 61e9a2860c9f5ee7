// The five files, in the national formats byte for byte: GIAS (Windows-1252, CRLF, many extra
// columns), Ofsted management information (UTF-8 with BOM, CRLF, NULL in empty cells), the KS2
// performance tables (school, LA and national rows), the LA's records and the overrides.

#include "csv_output.hpp"

#include "cp1252.hpp"
#include "local_authorities.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <iterator>
#include <string_view>
#include <utility>

namespace report_cards {

namespace {

// Dates as GIAS and Ofsted write them (DD/MM/YYYY), and as the LA's own files do (ISO).
void fmt_date(Buffer& out, long day) {
  const Date d = civil_from_days(day);
  fmt::format_to(std::back_inserter(out), "{:02}/{:02}/{}", d.d, d.m, d.y);
}
void iso_date(Buffer& out, long day) {
  const Date d = civil_from_days(day);
  fmt::format_to(std::back_inserter(out), "{:04}-{:02}-{:02}", d.y, d.m, d.d);
}

// Ofsted writes NULL in every empty cell.
void put_or_null(Buffer& out, std::string_view s) {
  put_text(out, s.empty() ? std::string_view("NULL") : s);
}

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

}  // namespace

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

namespace {

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

}  // namespace

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

namespace {

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

}  // namespace

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

}  // namespace report_cards
