// Small SVG charts drawn by catengine for the profile sheets: a school's level term by term, and
// a measure's trend year by year. Each is accessible: a <title> and <desc> inside the SVG
// (role="img", aria-labelledby), and a text alternative (a table of the same figures) that the
// caller puts beside it. Coordinates are whole numbers, so the bytes are deterministic.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace catengine::engine {

struct LevelPoint {
  std::string term;                  // the x label: an as-of date, "2018-09-17"
  std::optional<std::size_t> level;  // index into the levels, best first; nullopt: not recorded
};

// `levels` best first (the scale's order); the best is drawn at the top. `id` makes the
// title's and description's ids unique on the page.
std::string svg_level_chart(const std::string& id, const std::string& title,
                            const std::string& description, const std::vector<std::string>& levels,
                            const std::vector<LevelPoint>& points);

struct TrendPoint {
  std::string label;            // "two years before", "this year"
  std::optional<double> value;  // nullopt: missing
  std::string text;             // the value as the data wrote it, for the label
};

// A line through the points that have values, each labelled with its text; the y range runs
// from the smallest to the largest value (with zero drawn when the values straddle it).
std::string svg_trend_chart(const std::string& id, const std::string& title,
                            const std::string& description, const std::vector<TrendPoint>& points);

}  // namespace catengine::engine
