// Batch scoring: JSON Lines in, results out in input order (include/kaohe/batch.hpp).
//
// One reader, shared under a lock, cuts the input into chunks of whole lines and numbers them.
// Each worker takes the next chunk and scores it on its own (its own JSON reader, record and
// outcome, reused from record to record). Scored chunks are written in their order by whichever
// worker completes the next one due (see run()). So the output is in input order, workers share
// only the reading and the writing (both plain copies), and at most about two chunks per worker
// are held at a time, whatever the input's length.
//
// The stream form does not build the public Result: it reads, validates, evaluates and writes
// the result JSON straight into the chunk's output buffer, as Ruleset::evaluate + json() would.
#include "kaohe/batch.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstring>
#include <exception>
#include <istream>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "api/impl.hpp"
#include "eval/evaluate.hpp"
#include "explain/explain.hpp"
#include "record/record.hpp"

namespace kaohe {
namespace {

// One input line that holds a record: its text in Chunk::text, its line number, its full size
// (more than its text's size when the line was too long to keep).
struct LineRef {
    std::size_t offset = 0, size = 0;
    std::size_t line = 0;
    std::uint64_t full_size = 0;
};

struct Chunk {
    std::string text;
    std::vector<LineRef> lines;
    std::uint64_t bytes_end = 0;  // input bytes consumed up to the end of this chunk
    // Scored:
    std::string out;                              // stream form: the result lines
    std::vector<std::optional<Evaluation>> evals;  // callback form: one per line
    std::size_t failed = 0;

    std::string_view line_text(const LineRef& l) const { return {text.data() + l.offset, l.size}; }
};

bool blank(const char* p, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i)
        if (p[i] != ' ' && p[i] != '\t') return false;
    return true;
}

// Cuts the input into chunks of whole lines. Not thread-safe: used under the batch's input lock.
class LineReader {
public:
    explicit LineReader(std::istream& in) : in_(in), buf_(kBlock) {}

    // The next chunk of record lines; false when the input has no more.
    bool next(Chunk& c) {
        c.text.clear();
        c.lines.clear();
        while (c.lines.size() < kBatchChunkRecords && c.text.size() < kBatchChunkBytes) {
            const std::size_t start = c.text.size();
            std::uint64_t full = 0;
            bool any = false;
            for (;;) {
                if (pos_ == end_ && !refill()) break;
                any = true;
                const char* p = buf_.data() + pos_;
                const std::size_t avail = end_ - pos_;
                const char* nl = static_cast<const char*>(std::memchr(p, '\n', avail));
                const std::size_t take = nl ? static_cast<std::size_t>(nl - p) : avail;
                // Keep at most one byte past the record limit: enough to know the line is too long.
                const std::uint64_t room = full <= record::kMaxRecordBytes ? record::kMaxRecordBytes + 1 - full : 0;
                c.text.append(p, static_cast<std::size_t>(std::min<std::uint64_t>(take, room)));
                full += take;
                pos_ += take;
                bytes_ += take;
                if (nl) {
                    ++pos_;
                    ++bytes_;
                    break;
                }
            }
            if (!any) break;  // the input has ended
            ++line_;
            std::size_t size = c.text.size() - start;
            if (full > record::kMaxRecordBytes) {
                c.text.resize(start);  // not kept: its error names only its size
                c.lines.push_back({start, 0, line_, full});
                continue;
            }
            if (size > 0 && c.text.back() == '\r') {
                c.text.pop_back();
                --size;
                --full;
            }
            if (blank(c.text.data() + start, size)) {
                c.text.resize(start);
                continue;
            }
            c.lines.push_back({start, size, line_, full});
        }
        c.bytes_end = bytes_;
        return !c.lines.empty();
    }

    std::size_t lines() const { return line_; }
    std::uint64_t bytes() const { return bytes_; }
    bool error() const { return error_; }

private:
    static constexpr std::size_t kBlock = 64 * 1024;

    bool refill() {
        if (done_) return false;
        in_.read(buf_.data(), static_cast<std::streamsize>(buf_.size()));
        const auto n = static_cast<std::size_t>(in_.gcount());
        if (!in_) {
            done_ = true;
            error_ = in_.bad() || !in_.eof();
        }
        pos_ = 0;
        end_ = n;
        return n > 0;
    }

    std::istream& in_;
    std::vector<char> buf_;
    std::size_t pos_ = 0, end_ = 0;
    bool done_ = false, error_ = false;
    std::size_t line_ = 0;
    std::uint64_t bytes_ = 0;
};

std::string at_line(std::size_t line, const std::string& where) {
    std::string s = "line " + std::to_string(line);
    if (!where.empty()) s += ": " + where;
    return s;
}

RecordError too_large(const LineRef& l, std::string where) {
    return RecordError{"",
                       "record is larger than " + std::to_string(record::kMaxRecordBytes) +
                           " bytes (the limit for a record), " + std::to_string(l.full_size) + " bytes",
                       std::move(where), "R008"};
}

// A worker's scoring state for the stream form, reused from record to record.
class JsonScorer {
public:
    JsonScorer(const ir::Program& p, const Unit* unit) : p_(p), unit_(unit ? &unit->impl().unit : nullptr) {}

    // Appends the record's result line (with its newline) to `out`; false when it failed.
    bool score(std::string_view text, const LineRef& l, std::string& out) {
        const std::size_t mark = out.size();
        if (l.full_size > record::kMaxRecordBytes) {
            explain::write_error_json(out, too_large(l, at_line(l.line, "")));
            out += '\n';
            return false;
        }
        try {
            const record::RawRecord& raw = reader_.read(text);
            record::validate(p_, raw, unit_, record_);
            eval::evaluate(p_, record_, outcome_);
            explain::write_json(out, p_, record_, outcome_);
            out += '\n';
            return true;
        } catch (const record::RecordFailure& f) {
            fail(out, mark, l, f.what(), f.where, f.code);
        } catch (const ArithmeticError& e) {
            fail(out, mark, l, e.what(), "total", "R009");
        }
        return false;
    }

private:
    void fail(std::string& out, std::size_t mark, const LineRef& l, const char* message, const std::string& where,
              const char* code) {
        out.resize(mark);
        explain::write_error_json(out, RecordError{std::string(reader_.last_id()), message, at_line(l.line, where), code});
        out += '\n';
    }

    const ir::Program& p_;
    const record::Unit* unit_;
    record::JsonReader reader_;
    record::Record record_;
    eval::Outcome outcome_;
};

unsigned thread_count(unsigned asked) {
    unsigned n = asked ? asked : std::thread::hardware_concurrency();
    return std::clamp(n, 1u, 1024u);
}

// The batch's shared state and worker loop. `Score(Chunk&, Context&)` scores a chunk on a
// worker; `Emit(Chunk&)` gives it out (false: the output failed). Emit and options.progress
// run on one thread at a time, chunk after chunk in input order.
//
// A worker never waits for its chunk's turn to be written: it leaves the scored chunk with the
// others that are ready, and whichever worker completes the chunk that is next in order writes
// every ready chunk that follows it. Only a worker that has got `ahead` chunks in front of the
// writer waits, which bounds the chunks held at once to about two per thread.
template <class Context, class MakeContext, class Score, class Emit>
BatchStats run(std::istream& in, const BatchOptions& options, MakeContext make_context, Score score, Emit emit) {
    const unsigned n = thread_count(options.threads);
    const std::uint64_t ahead = n;  // scored chunks that may wait for the writer

    LineReader reader(in);
    std::mutex in_mu;  // guards reader, in_done, next_seq
    bool in_done = false;
    std::uint64_t next_seq = 0;

    std::mutex out_mu;  // guards everything below
    std::condition_variable out_cv;
    std::uint64_t turn = 0;  // the next chunk to write
    bool writing = false;    // a worker is writing (outside the lock)
    std::vector<std::unique_ptr<Chunk>> ready;  // scored chunks, by seq % ready.size()
    std::vector<std::unique_ptr<Chunk>> spare;  // written chunks, to be used again
    ready.resize(static_cast<std::size_t>(ahead));
    std::atomic<bool> stop{false};
    std::exception_ptr error;
    BatchStats stats;

    const auto halt = [&](std::exception_ptr e) {
        std::lock_guard lk(out_mu);
        if (e && !error) error = e;
        stop = true;
        out_cv.notify_all();
    };

    // Writes the ready chunks from `turn` on, in order; called with `lk` held and `writing` set.
    const auto write_ready = [&](std::unique_lock<std::mutex>& lk) {
        for (;;) {
            std::unique_ptr<Chunk>& slot = ready[static_cast<std::size_t>(turn % ahead)];
            if (!slot || stop) break;
            std::unique_ptr<Chunk> c = std::move(slot);
            lk.unlock();
            bool ok = false;
            std::exception_ptr e;
            try {
                ok = emit(*c);
                if (ok && options.progress) {
                    const std::size_t records = stats.records + c->lines.size();  // stats: only the writer changes them
                    options.progress(BatchProgress{records, stats.failed + c->failed, c->bytes_end});
                }
            } catch (...) {
                e = std::current_exception();
            }
            lk.lock();
            stats.records += c->lines.size();
            stats.failed += c->failed;
            if (e && !error) error = e;
            if (!ok && !e) stats.output_error = true;
            if (!ok || e) stop = true;
            spare.push_back(std::move(c));
            ++turn;
            out_cv.notify_all();
        }
    };

    const auto work = [&] {
        Context ctx = make_context();
        std::unique_ptr<Chunk> c;
        for (;;) {
            if (!c) {
                std::lock_guard lk(out_mu);
                if (!spare.empty()) {
                    c = std::move(spare.back());
                    spare.pop_back();
                }
            }
            if (!c) c = std::make_unique<Chunk>();
            std::uint64_t seq = 0;
            {
                std::lock_guard lk(in_mu);
                if (in_done || stop) return;
                bool got = false;
                try {
                    got = reader.next(*c);
                } catch (...) {
                    in_done = true;
                    halt(std::current_exception());
                    return;
                }
                if (!got) {
                    in_done = true;
                    return;
                }
                seq = next_seq++;
            }
            try {
                score(*c, ctx);
            } catch (...) {
                halt(std::current_exception());
                return;
            }
            std::unique_lock lk(out_mu);
            out_cv.wait(lk, [&] { return seq < turn + ahead || stop; });
            if (stop) return;
            ready[static_cast<std::size_t>(seq % ahead)] = std::move(c);
            if (!writing && seq == turn) {
                writing = true;
                write_ready(lk);
                writing = false;
            }
            if (stop) return;
        }
    };

    std::vector<std::thread> helpers;
    helpers.reserve(n - 1);
    try {
        for (unsigned i = 1; i < n; ++i) helpers.emplace_back(work);
    } catch (...) {
        // No more threads to be had: the ones running (and this one) do the work.
    }
    try {
        work();
    } catch (...) {
        halt(std::current_exception());
    }
    for (auto& t : helpers) t.join();
    if (error) std::rethrow_exception(error);
    stats.lines = reader.lines();
    stats.bytes = reader.bytes();
    stats.input_error = reader.error();
    return stats;
}

}  // namespace

BatchStats evaluate_batch(const Ruleset& ruleset, std::istream& in, std::ostream& out, const BatchOptions& options) {
    const ir::Program& p = ruleset.program();
    return run<JsonScorer>(
        in, options, [&] { return JsonScorer(p, options.unit); },
        [](Chunk& c, JsonScorer& scorer) {
            c.out.clear();
            c.failed = 0;
            for (const LineRef& l : c.lines)
                if (!scorer.score(c.line_text(l), l, c.out)) ++c.failed;
        },
        [&](Chunk& c) {
            out.write(c.out.data(), static_cast<std::streamsize>(c.out.size()));
            return static_cast<bool>(out);
        });
}

BatchStats evaluate_batch(const Ruleset& ruleset, std::istream& in,
                          const std::function<void(const BatchItem&)>& on_record, const BatchOptions& options) {
    struct None {};
    return run<None>(
        in, options, [] { return None{}; },
        [&](Chunk& c, None&) {
            c.evals.clear();
            c.failed = 0;
            for (const LineRef& l : c.lines) {
                if (l.full_size > record::kMaxRecordBytes) c.evals.emplace_back(Evaluation(too_large(l, "")));
                else c.evals.emplace_back(ruleset.evaluate(c.line_text(l), options.unit));
                if (!c.evals.back()->ok()) ++c.failed;
            }
        },
        [&](Chunk& c) {
            for (std::size_t i = 0; i < c.lines.size(); ++i)
                on_record(BatchItem{c.lines[i].line, c.line_text(c.lines[i]), *c.evals[i]});
            return true;
        });
}

}  // namespace kaohe
