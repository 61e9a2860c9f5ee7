// What every verb shares about the console: writing to it (and remembering when a write fails,
// so main can report a full disk or a closed pipe instead of exiting 0), colour, and reading the
// options several verbs take (dates), so every verb accepts the same spellings in the same words.
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstdlib>

#include <fmt/format.h>

#include "base/date.hpp"
#include "cli/commands.hpp"

namespace catengine::engine {

namespace {

// The errno of the first failed write to standard output and to standard error (0: none yet).
// Written from whichever thread streams the output; read once, by main, at the end.
std::array<std::atomic<int>, 2> first_failure{};

std::atomic<int>* failure_slot(std::FILE* f) {
  if (f == stdout) return &first_failure[0];
  if (f == stderr) return &first_failure[1];
  return nullptr;
}

}  // namespace

bool print(std::FILE* f, std::string_view s) {
  if (s.empty()) return true;
  errno = 0;
  if (std::fwrite(s.data(), 1, s.size(), f) == s.size()) return true;
  if (auto* slot = failure_slot(f)) {
    int expected = 0;
    slot->compare_exchange_strong(expected, errno != 0 ? errno : EIO);
  }
  return false;
}

int finish_output(std::FILE* f) {
  errno = 0;
  const bool flushed = std::fflush(f) == 0;
  const int flush_errno = errno;
  auto* slot = failure_slot(f);
  const int earlier = slot != nullptr ? slot->load() : 0;
  if (earlier != 0) return earlier;
  if (!flushed || std::ferror(f)) return flush_errno != 0 ? flush_errno : EIO;
  return 0;
}

bool wants_colour(std::FILE* stream) {
  const char* no_colour = std::getenv("NO_COLOR");
  if (no_colour != nullptr && *no_colour != '\0') return false;
  return isatty(fileno(stream)) != 0;
}

std::optional<Value> date_option(std::string_view option, const std::optional<std::string>& text,
                                 const Console& console) {
  if (!text) return today();
  Value date = kMissing;
  switch (parse_iso_date(*text, date)) {
    case DateProblem::None:
      return date;
    case DateProblem::OutOfRange:
      print(console.err,
            fmt::format("error: `{} {}` is outside the years 0001 to 9999\n", option, *text));
      break;
    case DateProblem::NotIso:
    case DateProblem::NoSuchDate:
      print(console.err,
            fmt::format("error: `{} {}` is not a date; expected YYYY-MM-DD, e.g. 2018-09-17\n",
                        option, *text));
      break;
  }
  return std::nullopt;
}

}  // namespace catengine::engine
