// Tests of engine/schedule: hand-worked repetition of cadences (weeks, months with month-end
// clamping, parameter dates), overdue handling, notice deadlines, ordering, and the structure of
// the iCalendar output (CRLF, folding at 75 octets, escaping, stable and unique UIDs, all-day
// DTEND). The .ics is also parsed by a real iCalendar library in tests/validate_ics.py.
#define BOOST_TEST_MODULE schedule
#include <boost/test/unit_test.hpp>

#include <memory>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "base/calendar.hpp"
#include "compile/compiled_policy.hpp"
#include "data/binder.hpp"
#include "report/schedule.hpp"
#include "tests/support/policy_fixture.hpp"

using namespace catengine;
using namespace catengine::engine;

namespace {

const char* const kPolicy = R"(policy "Schedule test"
use stdlib.calendar

enumeration Focus: "provision data", "predictions and census"

record School
  field urn: integer, key
  field name: text
  field concern: boolean
  field agenda: boolean
  field warned: boolean
  field last_visit: date?
  field last_review: date?

cadence visit "Adviser visit"
  every 6 weeks when concern
  every 52 weeks
  from last_visit
  if never, due on as_of
  lasting 1 day
  reviewers 1

cadence review "Peer review"
  every 6 months
  from last_review
  if never, due on as_of
  lasting 2 days when concern
  lasting half a day when agenda
  lasting 1.5 hours when warned
  reviewers 3

parameter clinic_focus: Focus by date
  2018-09-27: "provision data"
  2019-01-31: "predictions and census"

cadence clinic "Clinic"
  applies to agenda
  on dates of clinic_focus

notice warning "Warning, formal; notice"
  issued when warned
  addressed to "the chair\\governors"
  copy to "the head"
  respond within 15 working days

output
  column urn
  column next_visit = next_due of visit
)";

const char* const kHeader = "urn,name,concern,agenda,warned,last_visit,last_review\n";

Value date(int y, unsigned m, unsigned d) {
  return date_from_ymd(y, m, d);
}

struct Loaded {
  std::unique_ptr<CompiledPolicy> compiled;
  DataSet data;
};

Loaded load(const std::string& rows) {
  Loaded out;
  out.compiled = test::compile_or_fail("schedule_test.policy", kPolicy);
  out.data = test::bind_or_fail(*out.compiled, std::string(kHeader) + rows);
  return out;
}

Schedule run(Loaded& l, Value as_of, Value from, Value to) {
  Schedule s = compute_schedule(*l.compiled, l.data, {as_of, from, to});
  BOOST_TEST(s.faults.empty());
  return s;
}

// The dates of one event name, in order.
std::vector<std::string> dates_of(const Schedule& s, const std::string& event,
                                  std::size_t record = 0) {
  std::vector<std::string> out;
  for (const auto& e : s.events) {
    if (e.event == event && e.record == record) out.push_back(format_iso(e.date));
  }
  return out;
}

using Dates = std::vector<std::string>;

const ScheduleEvent& first_of(const Schedule& s, const std::string& event) {
  for (const auto& e : s.events) {
    if (e.event == event) return e;
  }
  BOOST_FAIL("no `" << event << "` event");
  return s.events.front();
}

// Physical lines of an iCalendar text, without their CRLF; fails on a bare CR or LF.
std::vector<std::string> physical_lines(const std::string& ics) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i < ics.size(); ++i) {
    if (ics[i] == '\r') {
      BOOST_REQUIRE_MESSAGE(i + 1 < ics.size() && ics[i + 1] == '\n', "bare CR at byte " << i);
      out.push_back(ics.substr(start, i - start));
      start = i + 2;
      ++i;
    } else if (ics[i] == '\n') {
      BOOST_FAIL("bare LF at byte " << i);
    }
  }
  BOOST_REQUIRE_MESSAGE(start == ics.size(), "the last line does not end with CRLF");
  return out;
}

// Content lines: folded lines joined again (RFC 5545 section 3.1).
std::vector<std::string> unfold(const std::string& ics) {
  std::vector<std::string> out;
  for (const auto& line : physical_lines(ics)) {
    if (!line.empty() && line[0] == ' ') {
      BOOST_REQUIRE(!out.empty());
      out.back() += line.substr(1);
    } else {
      out.push_back(line);
    }
  }
  return out;
}

bool valid_utf8(const std::string& s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t n = c < 0x80         ? 1
                          : (c >> 5) == 6  ? 2
                          : (c >> 4) == 14 ? 3
                          : (c >> 3) == 30 ? 4
                                           : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n;
  }
  return true;
}

// The value of property `name` in each VEVENT, in order.
std::vector<std::string> property(const std::vector<std::string>& lines, const std::string& name) {
  std::vector<std::string> out;
  for (const auto& l : lines) {
    if (l.rfind(name + ":", 0) == 0) out.push_back(l.substr(name.size() + 1));
  }
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(six_week_cadence_repeats_over_a_term) {
  // Last visit Monday 20 August 2018; a school causing concern is visited every 6 weeks:
  // 1 October, 12 November, 24 December, 4 February.
  auto l = load("100001,Alpha,yes,no,no,2018-08-20,2018-06-01\n");
  Schedule s = run(l, date(2018, 9, 3), date(2018, 9, 3), date(2018, 12, 31));
  BOOST_TEST(dates_of(s, "visit") == (Dates{"2018-10-01", "2018-11-12", "2018-12-24"}),
             boost::test_tools::per_element());
  // The range is inclusive at both ends.
  s = run(l, date(2018, 9, 3), date(2018, 10, 1), date(2018, 12, 24));
  BOOST_TEST(dates_of(s, "visit") == (Dates{"2018-10-01", "2018-11-12", "2018-12-24"}),
             boost::test_tools::per_element());
  s = run(l, date(2018, 9, 3), date(2018, 10, 2), date(2018, 12, 23));
  BOOST_TEST(dates_of(s, "visit") == (Dates{"2018-11-12"}), boost::test_tools::per_element());
  // Without concern: every 52 weeks, so nothing after 1 October 2018... but 19 August 2019.
  auto calm = load("100001,Alpha,no,no,no,2018-08-20,2018-06-01\n");
  s = run(calm, date(2018, 9, 3), date(2018, 9, 3), date(2019, 12, 31));
  BOOST_TEST(dates_of(s, "visit") == (Dates{"2019-08-19"}), boost::test_tools::per_element());
  const auto& e = first_of(s, "visit");
  BOOST_TEST(e.title == "Adviser visit");
  BOOST_TEST(e.lasting == "1 day");
  BOOST_TEST(e.reviewers == "1");
  BOOST_TEST(e.detail == "lasting 1 day; 1 reviewer");
  BOOST_TEST(!e.overdue);
}

// Durations (issue 16) print one way, and whole days set the calendar event's length.
BOOST_AUTO_TEST_CASE(durations_print_canonically_and_set_the_event_length) {
  const ScheduleRange range{date(2018, 9, 3), date(2018, 9, 3), date(2018, 12, 31)};
  auto check_review = [&](const char* row, const char* lasting, const char* dtend) {
    auto l = load(row);
    Schedule s = compute_schedule(*l.compiled, l.data, range);
    const auto& e = first_of(s, "review");
    BOOST_TEST(e.lasting == lasting);
    BOOST_TEST(e.detail == std::string("lasting ") + lasting + "; 3 reviewers");
    const std::string ics = write_schedule_ics(*l.compiled, l.data, s, range);
    // The review is listed on 2018-10-01 (six months after 1 April): it ends on DTEND.
    BOOST_TEST(ics.find("DTSTART;VALUE=DATE:20181001\r\nDTEND;VALUE=DATE:" + std::string(dtend)) !=
               std::string::npos);
  };
  check_review("100001,Alpha,yes,no,no,2018-08-20,2018-04-01\n", "2 days", "20181003");
  check_review("100001,Alpha,no,yes,no,2018-08-20,2018-04-01\n", "half a day", "20181002");
  check_review("100001,Alpha,no,no,yes,2018-08-20,2018-04-01\n", "1.5 hours", "20181002");
}

BOOST_AUTO_TEST_CASE(six_month_review_clamps_from_the_first_date_not_the_last) {
  // Never reviewed, as of 31 August 2018: due that day, then every 6 months counted from it.
  // Chaining clamped dates would give 28 February then 28 August; the spec keeps the 31st.
  auto l = load("100001,Alpha,no,no,no,,\n");
  Schedule s = run(l, date(2018, 8, 31), date(2018, 8, 31), date(2020, 12, 31));
  BOOST_TEST(dates_of(s, "review") ==
                 (Dates{"2018-08-31", "2019-02-28", "2019-08-31", "2020-02-29", "2020-08-31"}),
             boost::test_tools::per_element());
  BOOST_TEST(first_of(s, "review").detail == "3 reviewers");
}

BOOST_AUTO_TEST_CASE(clinic_dates_on_and_after_the_as_of_date) {
  auto l = load(
      "100001,Alpha,no,yes,no,2018-08-20,2018-06-01\n100002,Beta,no,no,no,2018-08-20,2018-06-01\n");
  // A clinic on the as-of date itself is listed, and is not overdue.
  Schedule s = run(l, date(2018, 9, 27), date(2018, 9, 1), date(2019, 12, 31));
  BOOST_TEST(dates_of(s, "clinic") == (Dates{"2018-09-27", "2019-01-31"}),
             boost::test_tools::per_element());
  BOOST_TEST(dates_of(s, "clinic", 1).empty());  // not on the agenda
  for (const auto& e : s.events) {
    if (e.event != "clinic") continue;
    BOOST_TEST(!e.overdue);
    BOOST_TEST(e.detail == (e.date == date(2018, 9, 27) ? "clinic_focus provision data"
                                                        : "clinic_focus predictions and census"));
  }
  // The day after: only the spring clinic; after the last date in the table: none.
  s = run(l, date(2018, 9, 28), date(2018, 9, 1), date(2019, 12, 31));
  BOOST_TEST(dates_of(s, "clinic") == (Dates{"2019-01-31"}), boost::test_tools::per_element());
  s = run(l, date(2019, 2, 1), date(2019, 2, 1), date(2019, 12, 31));
  BOOST_TEST(dates_of(s, "clinic").empty());
  // A range that ends before the spring clinic.
  s = run(l, date(2018, 9, 17), date(2018, 9, 17), date(2018, 12, 31));
  BOOST_TEST(dates_of(s, "clinic") == (Dates{"2018-09-27"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(overdue_is_listed_on_the_as_of_date_and_repeats_from_there) {
  // Last visit 1 January 2018: due 12 February 2018, overdue on 3 September 2018.
  auto l = load("100001,Alpha,yes,no,no,2018-01-01,2018-06-01\n");
  Schedule s = run(l, date(2018, 9, 3), date(2018, 1, 1), date(2018, 12, 31));
  BOOST_TEST(dates_of(s, "visit") == (Dates{"2018-09-03", "2018-10-15", "2018-11-26"}),
             boost::test_tools::per_element());
  const auto& first = s.events.front();
  BOOST_TEST(first.event == "visit");
  BOOST_TEST(first.overdue);
  BOOST_TEST(first.due == date(2018, 2, 12));
  BOOST_TEST(first.detail == "overdue, due 2018-02-12; lasting 1 day; 1 reviewer");
  BOOST_TEST(!s.events[1].overdue);
  // A range that starts after the as-of date does not show it.
  s = run(l, date(2018, 9, 3), date(2018, 9, 4), date(2018, 12, 31));
  BOOST_TEST(dates_of(s, "visit") == (Dates{"2018-10-15", "2018-11-26"}),
             boost::test_tools::per_element());
  // Not overdue on its due date.
  s = run(l, date(2018, 2, 12), date(2018, 2, 12), date(2018, 2, 12));
  BOOST_TEST(dates_of(s, "visit") == (Dates{"2018-02-12"}), boost::test_tools::per_element());
  BOOST_TEST(!s.events.front().overdue);
}

BOOST_AUTO_TEST_CASE(notice_deadline_with_addressee) {
  auto l = load(
      "100001,Alpha,no,no,yes,2018-08-20,2018-06-01\n100002,Beta,no,no,no,2018-08-20,2018-06-01\n");
  Schedule s = run(l, date(2018, 9, 17), date(2018, 9, 17), date(2018, 12, 31));
  // Monday 17 September + 15 working days (no bank holidays) = Monday 8 October.
  BOOST_TEST(dates_of(s, "warning") == (Dates{"2018-10-08"}), boost::test_tools::per_element());
  BOOST_TEST(dates_of(s, "warning", 1).empty());
  for (const auto& e : s.events) {
    if (e.event != "warning") continue;
    BOOST_TEST((e.kind == ScheduleEventKind::Notice));
    BOOST_TEST(e.title == "Warning, formal; notice");
    BOOST_TEST(e.addressed_to == "the chair\\governors");
    BOOST_TEST(e.copies == std::vector<std::string>{"the head"}, boost::test_tools::per_element());
    BOOST_TEST(e.detail ==
               "response due (15 working days); to the chair\\governors; copy to the head");
  }
  // Outside the range: not listed.
  s = run(l, date(2018, 9, 17), date(2018, 9, 17), date(2018, 10, 7));
  BOOST_TEST(dates_of(s, "warning").empty());
}

BOOST_AUTO_TEST_CASE(events_sorted_by_date_then_key_then_declaration) {
  // File order 300000, 100000, 200000; all never visited or reviewed, so everything is due on
  // the as-of date.
  auto l = load("300000,C,no,yes,yes,,\n100000,A,no,no,no,,\n200000,B,no,no,yes,,\n");
  Schedule s = run(l, date(2018, 9, 27), date(2018, 9, 27), date(2018, 9, 27));
  std::vector<std::string> got;
  for (const auto& e : s.events) got.push_back(std::to_string(e.record) + " " + e.event);
  BOOST_TEST(got == (std::vector<std::string>{"1 visit", "1 review", "2 visit", "2 review",
                                              "0 visit", "0 review", "0 clinic"}),
             boost::test_tools::per_element());
  // Over a longer range, dates come first, then the same key order.
  s = run(l, date(2018, 9, 27), date(2018, 9, 27), date(2018, 10, 31));
  for (std::size_t i = 1; i < s.events.size(); ++i) {
    BOOST_TEST(s.events[i - 1].date <= s.events[i].date);
  }
  BOOST_TEST(format_iso(s.events.back().date) == "2018-10-18");  // the two warnings' deadline
  BOOST_TEST(s.events.back().record == 0u);
  BOOST_TEST(s.events[s.events.size() - 2].record == 2u);
}

BOOST_AUTO_TEST_CASE(ics_escaping) {
  BOOST_TEST(ics_escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne");
  BOOST_TEST(ics_escape_text("one\r\ntwo\rthree") == "one\\ntwo\\nthree");
  BOOST_TEST(ics_escape_text("tab\there\x01") == "tab\there ");
  BOOST_TEST(ics_escape_text("Ysgol Gymraeg – ŵ") == "Ysgol Gymraeg – ŵ");
}

BOOST_AUTO_TEST_CASE(ics_folding_round_trips) {
  BOOST_TEST(ics_fold_line("SUMMARY:short") == "SUMMARY:short\r\n");
  const std::string exact(75, 'x');
  BOOST_TEST(ics_fold_line(exact) == exact + "\r\n");
  BOOST_TEST(ics_fold_line(exact + "y") == exact + "\r\n y\r\n");
  // 74 octets of ASCII then two-octet characters: the first cut falls inside one and moves back.
  std::string line = "DESCRIPTION:" + std::string(62, 'a');
  for (int i = 0; i < 100; ++i) line += "ŵ";
  for (int i = 0; i < 50; ++i) line += "€";  // three octets
  const std::string folded = ics_fold_line(line);
  const auto lines = physical_lines(folded);
  BOOST_TEST(lines.size() > 3u);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    BOOST_TEST(lines[i].size() <= 75u);
    BOOST_TEST(valid_utf8(i == 0 ? lines[i] : lines[i].substr(1)));
    if (i > 0) BOOST_TEST(lines[i][0] == ' ');
  }
  BOOST_TEST(lines[0].size() == 74u);  // 75 would split the first ŵ
  const auto unfolded = unfold(folded);
  BOOST_TEST(unfolded.size() == 1u);
  BOOST_TEST(unfolded[0] == line);
}

BOOST_AUTO_TEST_CASE(ics_structure) {
  const std::string long_name =
      "Ysgol Gynradd Gymraeg Llanfair, \"Dewi Sant\"; Church of England; Voluntary Aided – ŵŷ "
      "Primary";
  auto l =
      load("100001,\"" +
           std::string("Ysgol Gynradd Gymraeg Llanfair, \"\"Dewi Sant\"\"; Church of England; ") +
           "Voluntary Aided – ŵŷ Primary\",yes,yes,yes,2018-11-19,\n100002,Beta,no,no,no,,\n");
  BOOST_TEST(l.data.text.text(l.data.row(0)[1]) == long_name);
  const ScheduleRange range{date(2018, 9, 17), date(2018, 9, 17), date(2019, 12, 31)};
  Schedule s = compute_schedule(*l.compiled, l.data, range);
  const std::string ics = write_schedule_ics(*l.compiled, l.data, s, range);
  // Deterministic: a second run gives the same bytes, UIDs included.
  auto again =
      load("100001,\"" +
           std::string("Ysgol Gynradd Gymraeg Llanfair, \"\"Dewi Sant\"\"; Church of England; ") +
           "Voluntary Aided – ŵŷ Primary\",yes,yes,yes,2018-11-19,\n100002,Beta,no,no,no,,\n");
  Schedule s2 = compute_schedule(*again.compiled, again.data, range);
  BOOST_TEST(write_schedule_ics(*again.compiled, again.data, s2, range) == ics);

  const auto physical = physical_lines(ics);  // CRLF everywhere
  bool folded_any = false;
  for (const auto& line : physical) {
    BOOST_TEST(line.size() <= 75u, "line over 75 octets: " << line);
    folded_any = folded_any || (!line.empty() && line[0] == ' ');
  }
  BOOST_TEST(folded_any);
  const auto lines = unfold(ics);
  // Every content line is NAME[;PARAM=VALUE]*:VALUE (section 3.1), with valid UTF-8.
  const std::regex content(
      R"(^[A-Z][A-Z0-9-]*(;[A-Z0-9-]+=[^;:,"\x00-\x1f]*)*:[^\x00-\x08\x0a-\x1f\x7f]*$)");
  for (const auto& line : lines) {
    BOOST_TEST(std::regex_match(line, content), "not a content line: " << line);
    BOOST_TEST(valid_utf8(line));
  }
  BOOST_TEST(lines.front() == "BEGIN:VCALENDAR");
  BOOST_TEST(lines[1] == "VERSION:2.0");
  BOOST_TEST(lines[2] == "PRODID:-//catengine//schedule//EN");
  BOOST_TEST(lines[3] == "CALSCALE:GREGORIAN");
  BOOST_TEST(lines[4] == "METHOD:PUBLISH");
  BOOST_TEST(lines.back() == "END:VCALENDAR");

  const std::size_t n = s.events.size();
  // Record 1: visits 31 December 2018 then every 6 weeks to 2 December 2019 (9), reviews on
  // 17 September, 17 March, 17 September (3), clinics (2), the warning (1); record 2: visits on
  // 17 September 2018 and 16 September 2019 (2), reviews (3).
  BOOST_TEST(n == 20u);
  BOOST_TEST(property(lines, "BEGIN").size() == n + 1);
  BOOST_TEST(property(lines, "END").size() == n + 1);
  const auto uids = property(lines, "UID");
  BOOST_TEST(uids.size() == n);
  BOOST_TEST(std::set<std::string>(uids.begin(), uids.end()).size() == n);  // unique per event
  for (const auto& uid : uids)
    BOOST_TEST(std::regex_match(uid, std::regex("^[0-9a-f]{32}@catengine$")));
  for (const auto& stamp : property(lines, "DTSTAMP")) BOOST_TEST(stamp == "20180917T000000Z");
  const auto starts = property(lines, "DTSTART;VALUE=DATE");
  const auto ends = property(lines, "DTEND;VALUE=DATE");
  BOOST_TEST(starts.size() == n);
  BOOST_TEST(ends.size() == n);
  bool crossed_year = false;
  for (std::size_t i = 0; i < n; ++i) {
    BOOST_TEST(starts[i] == format_iso(s.events[i].date).erase(4, 1).erase(6, 1));
    // One day, or the whole days the event lasts (the concern school's reviews: 2).
    const Value next = add_days(s.events[i].date, s.events[i].lasting_days);
    BOOST_TEST(ends[i] == format_iso(next).erase(4, 1).erase(6, 1));
    crossed_year = crossed_year || starts[i] == "20181231";
  }
  BOOST_TEST(crossed_year);  // the 6-week visits reach 31 December: DTEND 20190101
  BOOST_TEST(std::count(ends.begin(), ends.end(), "20190101") == 1);

  // Escaping of `,`, `;`, `\` and line breaks in TEXT values.
  const auto summaries = property(lines, "SUMMARY");
  BOOST_TEST(std::count(summaries.begin(), summaries.end(),
                        "Warning\\, formal\\; notice: Ysgol Gynradd Gymraeg Llanfair\\, \"Dewi "
                        "Sant\"\\; Church of "
                        "England\\; Voluntary Aided – ŵŷ Primary") == 1);
  bool described = false;
  for (const auto& d : property(lines, "DESCRIPTION")) {
    if (d.find("the chair\\\\governors") != std::string::npos) {
      described = true;
      BOOST_TEST(d ==
                 "urn 100001 Ysgol Gynradd Gymraeg Llanfair\\, \"Dewi Sant\"\\; Church of "
                 "England\\; Voluntary "
                 "Aided – ŵŷ Primary\\nWarning\\, formal\\; notice\\nresponse due (15 working "
                 "days)\\; to the "
                 "chair\\\\governors\\; copy to the head\\nSchedule test");
    }
  }
  BOOST_TEST(described);

  // The UID depends only on policy, school, event and date: the same event in a wider range
  // keeps its UID.
  const ScheduleRange wider{range.as_of, date(2018, 1, 1), date(2020, 12, 31)};
  Schedule s3 = compute_schedule(*l.compiled, l.data, wider);
  const auto wider_uids =
      property(unfold(write_schedule_ics(*l.compiled, l.data, s3, wider)), "UID");
  for (const auto& uid : uids)
    BOOST_TEST(std::count(wider_uids.begin(), wider_uids.end(), uid) == 1);
}

BOOST_AUTO_TEST_CASE(csv_uses_the_key_field_name_and_guards_formulas) {
  auto l = load("100001,\"=HYPERLINK(\"\"x\"\")\",no,no,no,,\n");
  const ScheduleRange range{date(2018, 9, 17), date(2018, 9, 17), date(2018, 9, 17)};
  Schedule s = compute_schedule(*l.compiled, l.data, range);
  BOOST_TEST(write_schedule_csv(*l.compiled, l.data, s) ==
             "date,urn,name,event,title,detail,overdue\n"
             "2018-09-17,100001,\"'=HYPERLINK(\"\"x\"\")\",visit,Adviser visit,lasting 1 day; 1 "
             "reviewer,no\n"
             "2018-09-17,100001,\"'=HYPERLINK(\"\"x\"\")\",review,Peer review,3 reviewers,no\n");
}
