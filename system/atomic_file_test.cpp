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

#include "system/atomic_file.hpp"

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

// Inputs are untrusted: a device is never read (`--data /dev/zero` would fill memory), and a
// read stops at the size limit rather than growing without bound.
BOOST_AUTO_TEST_CASE(read_refuses_devices) {
  std::string error;
  BOOST_TEST(!read_file("/dev/zero", error));
  BOOST_TEST(error == "cannot read `/dev/zero`: it is a device, not a file");
  BOOST_TEST(!read_file("/dev/null", error, {.allow_pipes = false}));
  BOOST_TEST(error == "cannot read `/dev/null`: it is a device, not a regular file");
}

BOOST_AUTO_TEST_CASE(read_takes_pipes_only_where_allowed) {
  Scratch s;
  const fs::path fifo = s.dir / "fifo.csv";
  BOOST_REQUIRE_EQUAL(::mkfifo(fifo.c_str(), 0600), 0);
  std::string error;
  // Refused without opening it (which would wait for a writer).
  BOOST_TEST(!read_file(fifo, error, {.allow_pipes = false}));
  BOOST_TEST(error == "cannot read `" + fifo.string() + "`: it is a pipe, not a regular file");
  // An anonymous pipe, as `--data <(zcat ...)` gives, is read to its end.
  int fds[2];
  BOOST_REQUIRE_EQUAL(::pipe(fds), 0);
  BOOST_REQUIRE_EQUAL(::write(fds[1], "a,b\n1,2\n", 8), 8);
  ::close(fds[1]);
  auto text = read_file("/dev/fd/" + std::to_string(fds[0]), error);
  ::close(fds[0]);
  BOOST_REQUIRE_MESSAGE(text, error);
  BOOST_TEST(*text == "a,b\n1,2\n");
}

BOOST_AUTO_TEST_CASE(read_stops_at_the_size_limit) {
  Scratch s;
  std::string error;
  BOOST_REQUIRE(write_file_atomically(s.dir / "big.csv", std::string(5000, 'x'), error));
  BOOST_TEST(read_file(s.dir / "big.csv", error, {.max_bytes = 5000}).has_value());
  BOOST_TEST(!read_file(s.dir / "big.csv", error, {.max_bytes = 4999}));
  BOOST_TEST(error == "cannot read `" + (s.dir / "big.csv").string() +
                          "`: it is larger than the limit of 4999 bytes; set "
                          "CATENGINE_MAX_INPUT_BYTES to raise the limit");
  // A pipe has no size to look at first: reading stops once the limit is passed.
  int fds[2];
  BOOST_REQUIRE_EQUAL(::pipe(fds), 0);
  BOOST_REQUIRE_EQUAL(::write(fds[1], std::string(3000, 'y').data(), 3000), 3000);
  ::close(fds[1]);
  const std::string name = "/dev/fd/" + std::to_string(fds[0]);
  BOOST_TEST(!read_file(name, error, {.max_bytes = 2048}));
  ::close(fds[0]);
  BOOST_TEST(error == "cannot read `" + name +
                          "`: it is larger than the limit of 2048 bytes (2 KiB); set "
                          "CATENGINE_MAX_INPUT_BYTES to raise the limit");
}

BOOST_AUTO_TEST_CASE(the_size_limit_comes_from_the_environment) {
  Scratch s;
  std::string error;
  BOOST_REQUIRE(write_file_atomically(s.dir / "data.csv", std::string(100, 'x'), error));
  ::unsetenv("CATENGINE_MAX_INPUT_BYTES");
  BOOST_TEST(max_input_bytes(error).value_or(0) == std::uint64_t{2} << 30);
  ::setenv("CATENGINE_MAX_INPUT_BYTES", "99", 1);
  BOOST_TEST(!read_file(s.dir / "data.csv", error));
  BOOST_TEST(error.find("larger than the limit of 99 bytes") != std::string::npos);
  ::setenv("CATENGINE_MAX_INPUT_BYTES", "100", 1);
  BOOST_TEST(read_file(s.dir / "data.csv", error).has_value());
  ::setenv("CATENGINE_MAX_INPUT_BYTES", "2GiB", 1);
  BOOST_TEST(!read_file(s.dir / "data.csv", error));
  BOOST_TEST(error ==
             "CATENGINE_MAX_INPUT_BYTES is `2GiB`; expected a whole number of bytes above 0, such "
             "as 2147483648 (2 GiB, the default)");
  ::unsetenv("CATENGINE_MAX_INPUT_BYTES");
}
