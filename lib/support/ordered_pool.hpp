// The one thread pool: work cut into chunks, done on several threads, taken back in order.
//
//   run_ordered<Chunk>(threads, make_context, produce, process, consume);
//
//  - produce(Chunk&) -> bool fills a chunk with the next part of the input; false when there is
//    none left. One call at a time, in input order (it may read a stream).
//  - process(Chunk&, Context&) does a chunk's work, on any thread, several chunks at once. Each
//    thread has its own Context, made by make_context() on that thread (buffers to reuse).
//  - consume(Chunk&) -> bool takes each processed chunk in input order, one call at a time and
//    always on the calling thread; false stops the run quietly (an output that failed).
//
// Threads: `threads` threads work, the calling thread being one of them. 0 means one per core
// (std::thread::hardware_concurrency()); the count is then clamped to 1 .. kMaxPoolThreads. When
// the system refuses a thread, the threads already running do the work.
//
// Memory: at most 2 × threads chunks hold work at once: one being produced or processed per
// thread, and at most one per thread processed and waiting for its turn (a thread that gets that
// far ahead of the consumer waits). Chunks are reused: produce is given a consumed chunk back to
// refill, so it must replace what the chunk held.
//
// Errors: an exception from produce, process or consume stops the run: no chunk is started
// after it, each thread finishes the call it is in, and once every thread has stopped the first
// exception is rethrown on the calling thread.
#pragma once

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace kaohe {

inline constexpr unsigned kMaxPoolThreads = 1024;

// The threads a pool runs for a count asked for (the rule above).
inline unsigned pool_threads(unsigned asked) {
    const unsigned n = asked ? asked : std::thread::hardware_concurrency();
    return std::clamp(n, 1u, kMaxPoolThreads);
}

template <class Chunk, class MakeContext, class Produce, class Process, class Consume>
void run_ordered(unsigned threads, MakeContext make_context, Produce produce, Process process, Consume consume) {
    const unsigned n = pool_threads(threads);
    const std::uint64_t ahead = n;  // processed chunks that may wait for the consumer

    std::mutex in_mu;  // guards produce, next_seq and produced_all
    bool produced_all = false;  // produce returned false: it is never called again
    std::uint64_t next_seq = 0;

    std::mutex mu;  // guards everything below
    std::condition_variable cv;
    std::uint64_t turn = 0;  // the next chunk to consume
    bool ended = false;      // produce has said there is no more; `total` chunks were made
    std::uint64_t total = 0;
    std::vector<std::unique_ptr<Chunk>> ready(static_cast<std::size_t>(ahead));  // by seq % ahead
    std::vector<std::unique_ptr<Chunk>> spare;                                  // consumed, to refill
    bool stop = false;
    std::exception_ptr error;

    const auto fail = [&](std::exception_ptr e) {
        std::lock_guard lk(mu);
        if (!error) error = e;
        stop = true;
        cv.notify_all();
    };

    // Produces and processes the next chunk; null when the input has ended or the run stops.
    const auto next = [&](auto& ctx, std::uint64_t& seq) -> std::unique_ptr<Chunk> {
        std::unique_ptr<Chunk> c;
        {
            std::lock_guard lk(mu);
            if (stop || ended) return nullptr;
            if (!spare.empty()) {
                c = std::move(spare.back());
                spare.pop_back();
            }
        }
        if (!c) c = std::make_unique<Chunk>();
        {
            std::lock_guard lk(in_mu);
            // Another thread may have seen the end between this thread's check of `ended` and here.
            if (produced_all) return nullptr;
            bool got = false;
            try {
                got = produce(*c);
            } catch (...) {
                fail(std::current_exception());
                return nullptr;
            }
            if (!got) {
                produced_all = true;
                std::lock_guard lk2(mu);
                if (!ended) total = next_seq;
                ended = true;
                cv.notify_all();
                return nullptr;
            }
            seq = next_seq++;
        }
        try {
            process(*c, ctx);
        } catch (...) {
            fail(std::current_exception());
            return nullptr;
        }
        return c;
    };

    const auto helper = [&] {
        try {
            auto ctx = make_context();
            for (;;) {
                std::uint64_t seq = 0;
                std::unique_ptr<Chunk> c = next(ctx, seq);
                if (!c) return;
                std::unique_lock lk(mu);
                cv.wait(lk, [&] { return seq < turn + ahead || stop; });
                if (stop) return;
                ready[static_cast<std::size_t>(seq % ahead)] = std::move(c);
                cv.notify_all();
            }
        } catch (...) {
            fail(std::current_exception());
        }
    };

    std::vector<std::thread> helpers;
    helpers.reserve(n - 1);
    try {
        for (unsigned i = 1; i < n; ++i) helpers.emplace_back(helper);
    } catch (...) {
        // No more threads to be had: the ones running (and this one) do the work.
    }

    // The calling thread consumes every chunk in turn, and processes chunks of its own while the
    // one due is not ready (keeping at most one of them in hand).
    try {
        auto ctx = make_context();
        std::unique_ptr<Chunk> held;
        std::uint64_t held_seq = 0;
        std::unique_lock lk(mu);
        for (;;) {
            if (held && held_seq < turn + ahead) ready[static_cast<std::size_t>(held_seq % ahead)] = std::move(held);
            if (stop) break;
            if (std::unique_ptr<Chunk>& slot = ready[static_cast<std::size_t>(turn % ahead)]) {
                std::unique_ptr<Chunk> c = std::move(slot);
                lk.unlock();
                bool more = true;
                try {
                    more = consume(*c);
                } catch (...) {
                    lk.lock();
                    if (!error) error = std::current_exception();
                    stop = true;
                    break;
                }
                lk.lock();
                ++turn;
                spare.push_back(std::move(c));
                cv.notify_all();
                if (!more) stop = true;
                continue;
            }
            if (ended && turn == total) break;
            if (!held && !ended) {
                lk.unlock();
                held = next(ctx, held_seq);
                lk.lock();
                continue;
            }
            cv.wait(lk);
        }
        stop = true;
        cv.notify_all();
    } catch (...) {
        fail(std::current_exception());
    }
    for (auto& t : helpers) t.join();
    if (error) std::rethrow_exception(error);
}

}  // namespace kaohe
