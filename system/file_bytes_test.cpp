// Tests of system/file_bytes and read_file_bytes: a data file mapped rather than copied reads the
// same bytes as read_file, a file written meanwhile is noticed, and a file shortened under the
// mapping ends the process with a message and status 2 rather than a crash.
#define BOOST_TEST_MODULE file_bytes
#include <boost/test/unit_test.hpp>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "system/atomic_file.hpp"
#include "system/file_bytes.hpp"

using namespace catengine;
namespace fs = std::filesystem;

namespace {

struct BytesScratch {
  fs::path dir;
  BytesScratch() {
    dir = fs::temp_directory_path() / ("catengine-bytes-" + std::to_string(::getpid()) + "-" +
                                       std::to_string(std::random_device{}()));
    fs::create_directories(dir);
  }
  ~BytesScratch() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  fs::path write(const std::string& name, const std::string& text) const {
    std::ofstream(dir / name, std::ios::binary) << text;
    return dir / name;
  }
};

std::string sample_rows(std::size_t size) {
  std::string text;
  for (std::size_t i = 0; text.size() < size; ++i) text += "row " + std::to_string(i) + ",a,b\n";
  text.resize(size);
  return text;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_regular_file_is_mapped_and_reads_as_read_file_does) {
  BytesScratch s;
  for (std::size_t size : {1u, 4095u, 4096u, 4097u, 1000000u}) {
    const fs::path path = s.write("data.csv", sample_rows(size));
    std::string error;
    auto bytes = read_file_bytes(path, error);
    BOOST_REQUIRE_MESSAGE(bytes, error);
    BOOST_TEST(bytes->mapped());
    BOOST_TEST(bytes->view() == *read_file(path, error));
    BOOST_TEST(bytes->unchanged(error));
    FileBytes moved = std::move(*bytes);  // the mapping moves with it
    BOOST_TEST(moved.view().size() == size);
    BOOST_TEST(!bytes->mapped());
  }
}

BOOST_AUTO_TEST_CASE(an_empty_file_and_text_in_memory_are_not_mapped) {
  BytesScratch s;
  std::string error;
  auto empty = read_file_bytes(s.write("empty.csv", ""), error);
  BOOST_REQUIRE(empty);
  BOOST_TEST(!empty->mapped());
  BOOST_TEST(empty->view().empty());
  const FileBytes held(std::string("a,b\n"));
  BOOST_TEST(held.view() == "a,b\n");
  BOOST_TEST(held.unchanged(error));
}

BOOST_AUTO_TEST_CASE(refusals_are_read_files_refusals) {
  BytesScratch s;
  std::string mapped_error, read_error;
  BOOST_TEST(!read_file_bytes(s.dir, mapped_error));
  BOOST_TEST(!read_file(s.dir, read_error));
  BOOST_TEST(mapped_error == read_error);
  const fs::path big = s.write("big.csv", sample_rows(100));
  BOOST_TEST(!read_file_bytes(big, mapped_error, {true, 99}));
  BOOST_TEST(!read_file(big, read_error, {true, 99}));
  BOOST_TEST(mapped_error == read_error);
  BOOST_TEST(mapped_error.find("larger than the limit") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_file_written_while_mapped_is_noticed) {
  BytesScratch s;
  const fs::path path = s.write("data.csv", sample_rows(10000));
  std::string error;
  auto bytes = read_file_bytes(path, error);
  BOOST_REQUIRE(bytes && bytes->mapped());
  // Renamed: the mapping still holds the same bytes.
  fs::rename(path, s.dir / "renamed.csv");
  BOOST_TEST(bytes->unchanged(error));
  std::ofstream(s.dir / "renamed.csv", std::ios::app) << "more,rows\n";
  BOOST_TEST(!bytes->unchanged(error));
  BOOST_TEST(error.find("was changed while catengine was reading it") != std::string::npos);
  BOOST_TEST(error.find("data.csv") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_file_shortened_under_the_mapping_is_an_error_not_a_crash) {
  BytesScratch s;
  const fs::path path = s.write("data.csv", sample_rows(1 << 20));
  int err_pipe[2];
  BOOST_REQUIRE(::pipe(err_pipe) == 0);
  const pid_t child = ::fork();
  BOOST_REQUIRE(child >= 0);
  if (child == 0) {
    ::dup2(err_pipe[1], 2);
    std::string error;
    auto bytes = read_file_bytes(path, error);
    if (!bytes || !bytes->mapped()) ::_exit(10);
    if (::truncate(path.c_str(), 0) != 0) ::_exit(11);
    // Past the new end of the file: the kernel raises SIGBUS.
    volatile char last = bytes->view()[bytes->view().size() - 1];
    (void)last;
    ::_exit(12);  // not reached
  }
  ::close(err_pipe[1]);
  std::string message;
  char buffer[512];
  for (ssize_t n; (n = ::read(err_pipe[0], buffer, sizeof buffer)) > 0;) message.append(buffer, n);
  ::close(err_pipe[0]);
  int status = 0;
  BOOST_REQUIRE(::waitpid(child, &status, 0) == child);
  BOOST_TEST(WIFEXITED(status));
  BOOST_TEST(WEXITSTATUS(status) == 2);
  BOOST_TEST(message == "error: `" + path.string() +
                            "` was made shorter while catengine was reading it; nothing was "
                            "written\n");
}
