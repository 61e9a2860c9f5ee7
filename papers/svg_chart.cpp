// The SVG charts of the profile sheets. Every piece of text is escaped; nothing is scripted.
#include "papers/svg_chart.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "papers/html.hpp"

namespace catengine::engine {

namespace {

constexpr int kWidth = 560;
constexpr int kLeft = 70, kRight = 60, kTop = 16, kBottom = 34;  // room for centred x labels

std::string open_svg(const std::string& id, const std::string& title,
                     const std::string& description, int height) {
  std::string out = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"{}\" height=\"{}\" "
      "viewBox=\"0 0 {} {}\" aria-labelledby=\"{}-title {}-desc\">\n<title id=\"{}-title\">",
      kWidth, height, kWidth, height, id, id, id);
  append_escaped(out, title);
  out += fmt::format("</title>\n<desc id=\"{}-desc\">", id);
  append_escaped(out, description);
  out += "</desc>\n";
  return out;
}

int x_of(std::size_t i, std::size_t n) {
  const int span = kWidth - kLeft - kRight;
  if (n <= 1) return kLeft + span / 2;
  return kLeft + static_cast<int>(i * static_cast<std::size_t>(span) / (n - 1));
}

void text_at(std::string& out, int x, int y, const char* anchor, const std::string& s,
             const char* extra = "") {
  out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"{}\" font-size=\"11\"{}>", x, y, anchor,
                     extra);
  append_escaped(out, s);
  out += "</text>\n";
}

// A polyline through consecutive present points; a missing point breaks the line.
void draw_line(std::string& out, const std::vector<std::optional<std::pair<int, int>>>& at) {
  std::string run;
  std::size_t count = 0;
  auto flush = [&] {
    if (count > 1)
      out += "<polyline fill=\"none\" stroke=\"#1f5f8b\" stroke-width=\"2\" points=\"" + run +
             "\"/>\n";
    run.clear();
    count = 0;
  };
  for (const auto& p : at) {
    if (!p) {
      flush();
      continue;
    }
    run += fmt::format("{}{},{}", count ? " " : "", p->first, p->second);
    ++count;
  }
  flush();
  for (const auto& p : at) {
    if (p)
      out += fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"4\" fill=\"#1f5f8b\"/>\n", p->first,
                         p->second);
  }
}

}  // namespace

std::string svg_level_chart(const std::string& id, const std::string& title,
                            const std::string& description, const std::vector<std::string>& levels,
                            const std::vector<LevelPoint>& points) {
  const int rows = static_cast<int>(std::max<std::size_t>(levels.size(), 1));
  const int step = 24;
  const int height = kTop + kBottom + step * (rows - 1) + 8;
  std::string out = open_svg(id, title, description, height);
  for (int k = 0; k < rows && static_cast<std::size_t>(k) < levels.size(); ++k) {
    const int y = kTop + k * step;
    out += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#d5d9e0\"/>\n",
                       kLeft, y, kWidth - kRight, y);
    text_at(out, kLeft - 8, y + 4, "end", levels[static_cast<std::size_t>(k)]);
  }
  std::vector<std::optional<std::pair<int, int>>> at;
  for (std::size_t i = 0; i < points.size(); ++i) {
    const int x = x_of(i, points.size());
    text_at(out, x, height - 10, "middle", points[i].term);
    if (points[i].level && *points[i].level < levels.size()) {
      at.emplace_back(std::pair{x, kTop + static_cast<int>(*points[i].level) * step});
    } else {
      at.emplace_back(std::nullopt);
    }
  }
  draw_line(out, at);
  out += "</svg>\n";
  return out;
}

std::string svg_trend_chart(const std::string& id, const std::string& title,
                            const std::string& description, const std::vector<TrendPoint>& points) {
  const int height = 180;
  std::string out = open_svg(id, title, description, height);
  double lo = 0, hi = 0;
  bool any = false;
  for (const auto& p : points) {
    if (!p.value) continue;
    lo = any ? std::min(lo, *p.value) : *p.value;
    hi = any ? std::max(hi, *p.value) : *p.value;
    any = true;
  }
  if (lo < 0 && hi < 0) hi = 0;
  if (lo > 0 && hi > 0 && lo < hi) {
    // Keep the axis honest without starting far from the figures: pad by a tenth of the range.
  }
  if (hi - lo < 1e-9) {
    lo -= 1;
    hi += 1;
  }
  const double pad = (hi - lo) / 10;
  lo -= pad;
  hi += pad;
  const int plot = height - kTop - kBottom;
  auto y_of = [&](double v) {
    return kTop + static_cast<int>(std::lround((hi - v) / (hi - lo) * plot));
  };
  out += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#888\"/>\n", kLeft,
                     kTop, kLeft, kTop + plot);
  if (lo < 0 && hi > 0) {
    const int y0 = y_of(0);
    out += fmt::format(
        "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#888\" stroke-dasharray=\"4 "
        "3\"/>\n",
        kLeft, y0, kWidth - kRight, y0);
    text_at(out, kLeft - 8, y0 + 4, "end", "0");
  }
  std::vector<std::optional<std::pair<int, int>>> at;
  for (std::size_t i = 0; i < points.size(); ++i) {
    const int x = x_of(i, points.size());
    text_at(out, x, height - 10, "middle", points[i].label);
    if (points[i].value) {
      const int y = y_of(*points[i].value);
      at.emplace_back(std::pair{x, y});
      text_at(out, x, y - 9, "middle", points[i].text, " font-weight=\"bold\"");
    } else {
      at.emplace_back(std::nullopt);
      text_at(out, x, kTop + plot / 2, "middle", "missing", " fill=\"#5b6475\"");
    }
  }
  draw_line(out, at);
  out += "</svg>\n";
  return out;
}

}  // namespace catengine::engine
