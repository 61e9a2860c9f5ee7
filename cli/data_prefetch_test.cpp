// Reading the data files ahead: which files are read, what a caller gets, and that nothing is
// read ahead on one thread or from a pipe (which could be read only once).
#define BOOST_TEST_MODULE data_prefetch
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include <sys/stat.h>
#include <unistd.h>

#include "cli/data_prefetch.hpp"
#include "system/sha256.hpp"

namespace fs = std::filesystem;
using namespace catengine;
using namespace catengine::engine;

namespace {

struct Folder {
  fs::path dir = fs::temp_directory_path() / ("prefetch-" + std::to_string(::getpid()));
  Folder() { fs::create_directories(dir); }
  ~Folder() { fs::remove_all(dir); }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(dir / name, std::ios::binary) << text;
    return (dir / name).string();
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(a_file_named_by_path_or_by_source_is_read_once) {
  Folder f;
  const std::string a = f.write("a.csv", "urn\n1\n");
  const std::string b = f.write("b.csv", "urn\n2\n");
  DataPrefetch prefetch({a, "ofsted=" + b}, 2);
  const auto got = prefetch.take(a);
  BOOST_REQUIRE(got);
  BOOST_TEST(got->bytes == "urn\n1\n");
  BOOST_TEST(got->sha256 == sha256_hex("urn\n1\n"));
  BOOST_TEST(prefetch.take(b).has_value());
  BOOST_TEST(!prefetch.take(a).has_value());  // moved out: a second reader reads the file again
  BOOST_TEST(!prefetch.take(f.dir / "c.csv").has_value());
}

BOOST_AUTO_TEST_CASE(nothing_is_read_ahead_on_one_thread) {
  Folder f;
  const std::string a = f.write("a.csv", "urn\n1\n");
  DataPrefetch prefetch({a}, 1);
  BOOST_TEST(!prefetch.take(a).has_value());
}

BOOST_AUTO_TEST_CASE(pipes_and_missing_files_are_left_to_the_usual_reading) {
  Folder f;
  const std::string fifo = (f.dir / "pipe").string();
  BOOST_REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  DataPrefetch prefetch({fifo, (f.dir / "missing.csv").string()}, 2);
  BOOST_TEST(!prefetch.take(fifo).has_value());  // and the reading did not wait for a writer
  BOOST_TEST(!prefetch.take((f.dir / "missing.csv").string()).has_value());
}

BOOST_AUTO_TEST_CASE(a_sheet_after_a_hash_is_not_part_of_the_path) {
  Folder f;
  const std::string book = f.write("book.xlsx", "not really a workbook");
  BOOST_TEST(data_path_and_sheet(book + "#Schools").first == book);
  BOOST_TEST(data_path_and_sheet(book + "#Schools").second == "Schools");
  // A file whose name has a `#` is that file.
  const std::string hashed = f.write("odd#name.csv", "urn\n");
  BOOST_TEST(data_path_and_sheet(hashed).first == hashed);
  BOOST_TEST(data_path_and_sheet(hashed).second.empty());
  DataPrefetch prefetch({book + "#Schools"}, 2);
  BOOST_TEST(prefetch.take(book).has_value());
}
