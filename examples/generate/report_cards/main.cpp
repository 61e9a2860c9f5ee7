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
//
// This file reads the arguments, makes the schools in a fixed order, puts each file's rows in the
// file's order and writes the files. The rest of this folder: model.hpp (a school as written),
// local_authorities.hpp, vocabulary.hpp and design.hpp (the data the schools are drawn from),
// generator.hpp and generator_*.cpp (making schools), csv_output.* and cp1252.* (the files), and
// summary.* (--summary).

#include "csv_output.hpp"
#include "design.hpp"
#include "generator.hpp"
#include "local_authorities.hpp"
#include "model.hpp"
#include "summary.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

int main(int argc, char** argv) {
  using namespace report_cards;

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
