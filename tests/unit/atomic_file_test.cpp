// Tests of engine/atomic_file: whole-file reads, and writes that replace a file completely or
// not at all, leaving no temporary files behind.
#define BOOST_TEST_MODULE atomic_file
#include <boost/test/unit_test.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "engine/atomic_file.hpp"

using namespace catengine;
namespace fs = std::filesystem;

namespace {

// A fresh empty folder per test, removed afterwards.
struct Scratch {
  fs::path dir;
  Scratch() {
    dir = fs::temp_directory_path() / ("catengine-atomic-" + std::to_string(::getpid()) + "-" +
                                       std::to_string(std::random_device{}()));
    fs::create_directories(dir);
  }
  ~Scratch() {
    std::error_code ec;
    fs::permissions(dir, fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(dir, ec);
  }
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& entry : fs::directory_iterator(dir)) {
      out.push_back(entry.path().filename().string());
    }
    std::sort(out.begin(), out.end());
    return out;
  }
};

std::string read(const fs::path& path) {
  std::string error;
  auto text = read_file(path, error);
  BOOST_REQUIRE_MESSAGE(text, error);
  return *text;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_CASE(writes_a_new_file) {
  Scratch s;
  std::string error;
  BOOST_TEST(write_file_atomically(s.dir / "out.csv", "urn,category\n1,2\n", error));
  BOOST_TEST(error == "");
  BOOST_TEST(read(s.dir / "out.csv") == "urn,category\n1,2\n");
  BOOST_TEST(s.names() == std::vector<std::string>{"out.csv"});  // no temporary file left
}

BOOST_AUTO_TEST_CASE(replaces_an_existing_file_byte_for_byte) {
  Scratch s;
  std::string error;
  BOOST_REQUIRE(write_file_atomically(s.dir / "out.csv", std::string(100'000, 'x'), error));
  const std::string binary("a\0b\r\n\xff", 6);
  BOOST_TEST(write_file_atomically(s.dir / "out.csv", binary, error));
  BOOST_TEST(read(s.dir / "out.csv") == binary);
  BOOST_TEST(write_file_atomically(s.dir / "out.csv", "", error));
  BOOST_TEST(read(s.dir / "out.csv") == "");
  BOOST_TEST(s.names() == std::vector<std::string>{"out.csv"});
}

BOOST_AUTO_TEST_CASE(keeps_the_replaced_files_permissions) {
  Scratch s;
  std::string error;
  BOOST_REQUIRE(write_file_atomically(s.dir / "out.csv", "old", error));
  fs::permissions(s.dir / "out.csv", fs::perms::owner_read | fs::perms::owner_write);
  BOOST_REQUIRE(write_file_atomically(s.dir / "out.csv", "new", error));
  BOOST_TEST((fs::status(s.dir / "out.csv").permissions() ==
              (fs::perms::owner_read | fs::perms::owner_write)));
}

BOOST_AUTO_TEST_CASE(fails_cleanly_into_a_missing_folder) {
  Scratch s;
  std::string error;
  const fs::path target = s.dir / "no-such-folder" / "out.csv";
  BOOST_TEST(!write_file_atomically(target, "data", error));
  BOOST_TEST(error == "cannot write `" + target.string() + "`: the folder `" +
                          (s.dir / "no-such-folder").string() + "` does not exist");
  BOOST_TEST(s.names().empty());
}

BOOST_AUTO_TEST_CASE(fails_cleanly_over_a_folder) {
  Scratch s;
  fs::create_directory(s.dir / "out.csv");
  std::string error;
  BOOST_TEST(!write_file_atomically(s.dir / "out.csv", "data", error));
  BOOST_TEST(contains(error, (s.dir / "out.csv").string()));
  BOOST_TEST(contains(error, "it is a folder, not a file"));
  BOOST_TEST(fs::is_directory(s.dir / "out.csv"));
  BOOST_TEST(s.names() == std::vector<std::string>{"out.csv"});  // temporary file removed
}

BOOST_AUTO_TEST_CASE(fails_cleanly_in_a_read_only_folder) {
  if (::geteuid() == 0) return;  // root ignores folder permissions
  Scratch s;
  std::string error;
  BOOST_REQUIRE(write_file_atomically(s.dir / "out.csv", "old", error));
  fs::permissions(s.dir, fs::perms::owner_read | fs::perms::owner_exec);
  BOOST_TEST(!write_file_atomically(s.dir / "out.csv", "new", error));
  BOOST_TEST(contains(error, "permission denied"));
  fs::permissions(s.dir, fs::perms::owner_all);
  BOOST_TEST(read(s.dir / "out.csv") == "old");
  BOOST_TEST(s.names() == std::vector<std::string>{"out.csv"});
}

BOOST_AUTO_TEST_CASE(read_reports_missing_files_and_folders) {
  Scratch s;
  std::string error;
  BOOST_TEST(!read_file(s.dir / "absent.csv", error));
  BOOST_TEST(error == "cannot read `" + (s.dir / "absent.csv").string() + "`: no such file");
  BOOST_TEST(!read_file(s.dir, error));
  BOOST_TEST(error == "cannot read `" + s.dir.string() + "`: it is a folder, not a file");
}

BOOST_AUTO_TEST_CASE(read_reports_permission_denied) {
  if (::geteuid() == 0) return;  // root can read anything
  Scratch s;
  std::string error;
  BOOST_REQUIRE(write_file_atomically(s.dir / "secret.csv", "x", error));
  fs::permissions(s.dir / "secret.csv", fs::perms::none);
  BOOST_TEST(!read_file(s.dir / "secret.csv", error));
  BOOST_TEST(error == "cannot read `" + (s.dir / "secret.csv").string() + "`: permission denied");
}

BOOST_AUTO_TEST_CASE(read_an_empty_file) {
  Scratch s;
  std::string error;
  BOOST_REQUIRE(write_file_atomically(s.dir / "empty", "", error));
  auto text = read_file(s.dir / "empty", error);
  BOOST_REQUIRE(text);
  BOOST_TEST(text->empty());
}
