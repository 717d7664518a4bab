// The ordered thread pool (lib/support/ordered_pool.hpp): chunks come back in input order however
// uneven the work, an exception from any part stops the run and reaches the caller, and the
// chunks alive at once stay within two per thread.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

#include "support/ordered_pool.hpp"

namespace {

struct None {};

// Work that takes longer for some items than others, in no order.
void uneven_work(int i) { std::this_thread::sleep_for(std::chrono::microseconds((i * 7919) % 13 * 40)); }

// An object that counts how many of its kind are alive, and the most that were at once.
struct Tracked {
    static inline std::atomic<int> alive{0}, peak{0};
    Tracked() {
        const int now = ++alive;
        int seen = peak.load();
        while (now > seen && !peak.compare_exchange_weak(seen, now)) {
        }
    }
    Tracked(const Tracked&) = delete;
    ~Tracked() { --alive; }
};

}  // namespace

TEST_CASE("the pool's thread count: 0 is one per core, then 1 to 1024") {
    CHECK(kaohe::pool_threads(0) == std::clamp(std::thread::hardware_concurrency(), 1u, 1024u));
    CHECK(kaohe::pool_threads(1) == 1);
    CHECK(kaohe::pool_threads(7) == 7);
    CHECK(kaohe::pool_threads(1024) == 1024);
    CHECK(kaohe::pool_threads(5000) == 1024);
}

TEST_CASE("the pool gives the chunks back in input order, on the calling thread, however uneven the work") {
    struct Chunk {
        int first = 0;
        std::vector<long> values;
    };
    for (unsigned threads : {1u, 2u, 3u, 8u}) {
        CAPTURE(threads);
        int next = 0;
        std::vector<long> got;
        bool on_caller = true;
        const auto caller = std::this_thread::get_id();
        kaohe::run_ordered<Chunk>(
            threads, [] { return None{}; },
            [&](Chunk& c) {
                if (next >= 600) return false;
                c.first = next;
                c.values.clear();
                for (int i = 0; i < 1 + next % 5 && next < 600; ++i) c.values.push_back(next++);
                return true;
            },
            [](Chunk& c, None&) {
                uneven_work(c.first);
                for (long& v : c.values) v = v * v;
            },
            [&](Chunk& c) {
                on_caller = on_caller && std::this_thread::get_id() == caller;
                got.insert(got.end(), c.values.begin(), c.values.end());
                return true;
            });
        std::vector<long> expected;
        for (long i = 0; i < 600; ++i) expected.push_back(i * i);
        CHECK(got == expected);
        CHECK(on_caller);
    }
}

TEST_CASE("the pool stops on an exception from processing, producing or consuming, and passes it on") {
    struct Chunk {
        int n = 0;
    };
    for (unsigned threads : {1u, 4u}) {
        for (const char* where : {"process", "produce", "consume"}) {
            const std::string w = where;
            CAPTURE(threads);
            CAPTURE(w);
            std::atomic<int> produced{0};
            int next = 0;
            std::vector<int> consumed;
            CHECK_THROWS_WITH(kaohe::run_ordered<Chunk>(
                                  threads, [] { return None{}; },
                                  [&](Chunk& c) {
                                      if (w == "produce" && next == 300) throw std::runtime_error("from produce");
                                      ++produced;
                                      c.n = next++;
                                      return true;  // endless: only the exception ends the run
                                  },
                                  [&](Chunk& c, None&) {
                                      uneven_work(c.n);
                                      if (w == "process" && c.n == 300) throw std::runtime_error("from process");
                                  },
                                  [&](Chunk& c) {
                                      if (w == "consume" && c.n == 300) throw std::runtime_error("from consume");
                                      consumed.push_back(c.n);
                                      return true;
                                  }),
                              ("from " + w).c_str());
            // In order up to the failure, nothing after it (every chunk before it when the consumer
            // failed; chunks in flight are dropped otherwise), and the run stopped soon after it.
            REQUIRE(consumed.size() <= 300);
            for (std::size_t i = 0; i < consumed.size(); ++i) CHECK(consumed[i] == static_cast<int>(i));
            if (w == "consume") CHECK(consumed.size() == 300);
            CHECK(produced.load() <= 301 + 2 * static_cast<int>(threads));
        }
    }
}

TEST_CASE("the pool stops quietly when the consumer says so") {
    struct Chunk {
        int n = 0;
    };
    int next = 0, last = -1;
    kaohe::run_ordered<Chunk>(
        3, [] { return None{}; }, [&](Chunk& c) { return c.n = next++, true; }, [](Chunk&, None&) {},
        [&](Chunk& c) {
            last = c.n;
            return c.n < 50;
        });
    CHECK(last == 50);
}

TEST_CASE("the pool holds at most two chunks per thread at once, with a slow consumer or slow work") {
    constexpr int kPerChunk = 10;
    struct Chunk {
        int n = 0;
        std::vector<std::unique_ptr<Tracked>> items;
    };
    for (unsigned threads : {1u, 2u, 4u, 6u}) {
        for (bool slow_consumer : {true, false}) {
            CAPTURE(threads);
            CAPTURE(slow_consumer);
            Tracked::peak = 0;
            int next = 0, consumed = 0;
            kaohe::run_ordered<Chunk>(
                threads, [] { return None{}; },
                [&](Chunk& c) {
                    if (next == 200) return false;
                    c.n = next++;
                    c.items.clear();
                    for (int i = 0; i < kPerChunk; ++i) c.items.push_back(std::make_unique<Tracked>());
                    return true;
                },
                [&](Chunk& c, None&) {
                    if (!slow_consumer) uneven_work(c.n);
                },
                [&](Chunk& c) {
                    if (slow_consumer) std::this_thread::sleep_for(std::chrono::microseconds(200));
                    c.items.clear();  // the consumer takes the items: a chunk holds none once consumed
                    ++consumed;
                    return true;
                });
            CHECK(consumed == 200);
            CHECK(Tracked::alive.load() == 0);
            CHECK(Tracked::peak.load() >= kPerChunk);
            CHECK(Tracked::peak.load() <= 2 * static_cast<int>(threads) * kPerChunk);
        }
    }
}
