// run_in_parallel: every task runs once, and a thread the system will not start is an exception
// the caller can report (the threads already started are joined), never std::terminate.
#define BOOST_TEST_MODULE parallel
#include <boost/test/unit_test.hpp>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "system/parallel.hpp"

using namespace catengine;

BOOST_AUTO_TEST_CASE(runs_every_task_once_the_first_on_the_caller) {
  std::vector<std::atomic<int>> runs(16);
  std::thread::id first;
  run_in_parallel(runs.size(), [&](std::size_t k) {
    if (k == 0) first = std::this_thread::get_id();
    runs[k].fetch_add(1);
  });
  for (const auto& r : runs) BOOST_TEST(r.load() == 1);
  BOOST_TEST((first == std::this_thread::get_id()));
  int calls = 0;
  run_in_parallel(0, [&](std::size_t) { ++calls; });
  BOOST_TEST(calls == 0);
}

BOOST_AUTO_TEST_CASE(thread_count_is_capped) {
  BOOST_TEST(thread_count(40000) == kMaxThreads);
  BOOST_TEST(thread_count(3) == 3u);
  BOOST_TEST(thread_count(0) >= 1u);
}

#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
// In a child process whose address space is too small for a thousand thread stacks, starting
// them fails part way: the child must see ThreadStartFailure after every started thread has
// finished, and exit normally (a std::terminate would end it with SIGABRT).
BOOST_AUTO_TEST_CASE(a_thread_that_cannot_start_is_reported) {
  const pid_t child = ::fork();
  BOOST_TEST_REQUIRE(child >= 0);
  if (child == 0) {
    const rlimit limit{256u << 20, 256u << 20};
    ::setrlimit(RLIMIT_AS, &limit);
    std::atomic<int> finished{0};
    std::atomic<int> started{0};
    int code = 3;
    try {
      run_in_parallel(1000, [&](std::size_t) {
        started.fetch_add(1);
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        finished.fetch_add(1);
      });
      code = 1;  // every thread started: the limit did not bite
    } catch (const ThreadStartFailure&) {
      code = finished.load() == started.load() ? 0 : 2;
    }
    ::_exit(code);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  BOOST_TEST_REQUIRE(WIFEXITED(status));
  BOOST_TEST(WEXITSTATUS(status) == 0);
}
#endif
