// Tests of papers/svg_chart: the charts are accessible (role, title, description), escape what
// they are given, place points where the scale says, break the line at a missing point, and
// give the same bytes every time.
#define BOOST_TEST_MODULE papers_svg_chart
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "papers/svg_chart.hpp"

using namespace catengine::engine;

namespace {

std::size_t count(const std::string& s, const std::string& what) {
  std::size_t n = 0;
  for (auto at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
  return n;
}

const std::vector<std::string> kLevels = {"1", "2", "3a", "3b", "4"};

}  // namespace

BOOST_AUTO_TEST_CASE(level_chart_is_accessible_and_escaped) {
  const std::string svg = svg_level_chart("lv", "Levels <term>", "From 2 to \"4\"", kLevels,
                                          {{"2018-01-10", 1}, {"2018-09-17", 4}});
  BOOST_TEST(svg.find("role=\"img\"") != std::string::npos);
  BOOST_TEST(svg.find("aria-labelledby=\"lv-title lv-desc\"") != std::string::npos);
  BOOST_TEST(svg.find("<title id=\"lv-title\">Levels &lt;term&gt;</title>") != std::string::npos);
  BOOST_TEST(svg.find("<desc id=\"lv-desc\">From 2 to &quot;4&quot;</desc>") != std::string::npos);
  BOOST_TEST(count(svg, "<circle") == 2);
  BOOST_TEST(count(svg, "<polyline") == 1);
  // The best level is drawn at the top (y 16), the worst 4 steps of 24 lower.
  BOOST_TEST(svg.find("cy=\"40\"") != std::string::npos);   // level "2"
  BOOST_TEST(svg.find("cy=\"112\"") != std::string::npos);  // level "4"
}

BOOST_AUTO_TEST_CASE(missing_points_break_the_line) {
  const std::string svg =
      svg_level_chart("lv", "t", "d", kLevels, {{"a", 0}, {"b", std::nullopt}, {"c", 2}, {"d", 3}});
  BOOST_TEST(count(svg, "<circle") == 3);
  BOOST_TEST(count(svg, "<polyline") == 1);  // a-b is broken; c-d is one line
}

BOOST_AUTO_TEST_CASE(trend_chart_labels_values_and_missing) {
  const std::string svg = svg_trend_chart("tr", "KS2", "d",
                                          {{"two years before", 49, "49"},
                                           {"year before", std::nullopt, ""},
                                           {"this year", 42, "42%"}});
  BOOST_TEST(svg.find(">49</text>") != std::string::npos);
  BOOST_TEST(svg.find(">42%</text>") != std::string::npos);
  BOOST_TEST(svg.find(">missing</text>") != std::string::npos);
  BOOST_TEST(count(svg, "<polyline") == 0);  // no two neighbouring points
}

BOOST_AUTO_TEST_CASE(trend_chart_draws_zero_when_values_straddle_it) {
  const std::string svg =
      svg_trend_chart("p8", "P8", "d", {{"a", -0.4, "-0.4"}, {"b", 0.3, "0.3"}});
  BOOST_TEST(svg.find("stroke-dasharray") != std::string::npos);
  BOOST_TEST(svg == svg_trend_chart("p8", "P8", "d", {{"a", -0.4, "-0.4"}, {"b", 0.3, "0.3"}}));
}
