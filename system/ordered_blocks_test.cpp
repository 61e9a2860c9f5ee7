// make_blocks_in_order: every block is used once, in order, on the calling thread, whatever
// the number of helpers; a use that says stop stops it; a failure while making a block reaches
// the caller after the helpers have stopped.
#define BOOST_TEST_MODULE ordered_blocks
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "system/ordered_blocks.hpp"

BOOST_AUTO_TEST_CASE(blocks_are_used_in_order_on_the_calling_thread) {
  for (unsigned threads : {1u, 2u, 3u, 8u}) {
    for (std::size_t count : {std::size_t{0}, std::size_t{1}, std::size_t{2}, std::size_t{57}}) {
      std::vector<std::size_t> order;
      bool on_caller = true;
      const auto caller = std::this_thread::get_id();
      const bool complete = catengine::make_blocks_in_order<std::string>(
          count, threads,
          [](std::size_t b, std::string& text) {
            // Later blocks quicker than earlier ones, so they are ready out of order.
            std::this_thread::sleep_for(std::chrono::microseconds(b % 3 == 0 ? 200 : 0));
            text = "block " + std::to_string(b);
          },
          [&](std::size_t b, const std::string& text) {
            on_caller = on_caller && std::this_thread::get_id() == caller;
            BOOST_TEST(text == "block " + std::to_string(b));
            order.push_back(b);
            return true;
          });
      BOOST_TEST(complete);
      BOOST_TEST(on_caller);
      BOOST_REQUIRE(order.size() == count);
      for (std::size_t b = 0; b < count; ++b) BOOST_TEST(order[b] == b);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_use_that_fails_stops_the_blocks) {
  for (unsigned threads : {1u, 2u, 4u}) {
    std::atomic<std::size_t> made = 0;
    std::vector<std::size_t> used;
    const bool complete = catengine::make_blocks_in_order<std::string>(
        1000, threads, [&](std::size_t, std::string&) { ++made; },
        [&](std::size_t b, const std::string&) {
          used.push_back(b);
          return b < 4;
        });
    BOOST_TEST(!complete);
    BOOST_TEST(used.size() == 5u);
    // No more than the ring of buffers is made ahead of the block that failed.
    BOOST_TEST(made.load() <= 5u + 2 * threads);
  }
}

BOOST_AUTO_TEST_CASE(a_block_that_cannot_be_made_reaches_the_caller) {
  for (unsigned threads : {1u, 2u, 3u}) {
    std::size_t used = 0;
    BOOST_CHECK_THROW(catengine::make_blocks_in_order<std::string>(
                          100, threads,
                          [](std::size_t b, std::string&) {
                            if (b == 7) throw std::runtime_error("no memory for block 7");
                          },
                          [&](std::size_t, const std::string&) {
                            ++used;
                            return true;
                          }),
                      std::runtime_error);
    BOOST_TEST(used <= 7u);
  }
}
