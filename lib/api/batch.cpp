// Batch scoring: JSON Lines in, results out in input order (include/kaohe/batch.hpp), and the
// scoring of many records held in memory.
//
// The input is cut into chunks of whole lines (support/lines.hpp) and scored on the ordered pool
// (support/ordered_pool.hpp): each thread scores a chunk on its own (its own JSON reader, record
// and outcome, reused from record to record), and the calling thread writes the scored chunks in
// input order. So the output is in input order, threads share only the reading and the writing,
// and at most about two chunks per thread are held at a time, whatever the input's length.
//
// The stream form does not build the public Result: it scores each record through the one
// per-record pipeline (api/score.hpp) and writes the result JSON straight into the chunk's output
// buffer, as Ruleset::evaluate + json() would.
#include "kaohe/batch.hpp"

#include <algorithm>
#include <istream>
#include <optional>
#include <ostream>
#include <string>
#include <unordered_map>
#include <vector>

#include "api/access.hpp"
#include "api/population.hpp"
#include "api/quota.hpp"
#include "api/receipt.hpp"
#include "api/score.hpp"
#include "explain/explain.hpp"
#include "record/record.hpp"
#include "support/lines.hpp"
#include "support/ordered_pool.hpp"

namespace kaohe {
namespace {

struct Chunk {
    LineChunk in;
    // Scored:
    std::string out;                               // stream form: the result lines
    std::vector<std::optional<Evaluation>> evals;  // callback form: one per line
    std::vector<api::Standing> standings;          // first pass under a quota: one per line
    std::vector<std::string> units;                // and the units' names
    std::size_t failed = 0;
};

std::string at_line(std::size_t line, const std::string& where) {
    std::string s = "line " + std::to_string(line);
    if (!where.empty()) s += ": " + where;
    return s;
}

RecordError too_large(const RecordLine& l, std::string where) {
    return RecordError{"", too_large_message(l), std::move(where), diag::name(diag::Code::R008)};
}

// A thread's scoring state for the stream form, reused from record to record.
class JsonScorer {
public:
    JsonScorer(const ir::Program& p, const std::string& fingerprint, const Unit* unit)
        : p_(p), fingerprint_(fingerprint), unit_(unit ? &Access::unit(*unit) : nullptr) {}

    // Appends the record's result line (with its newline) to `out`; false when it failed. `place`:
    // the record's standing under the quotas, applied before the result is written.
    bool score(std::string_view text, const RecordLine& l, std::string& out, const api::Standing* place = nullptr) {
        const std::size_t mark = out.size();
        std::optional<RecordError> e;
        if (l.too_large()) e = too_large(l, "");
        else e = api::score_json(p_, reader_, text, unit_, record_, outcome_,
                                 [&](const record::RawRecord& raw) {
                                     if (place) api::take_place(p_, *place, outcome_);
                                     const std::string record_hash = api::record_hash(raw);
                                     const explain::Receipt receipt{fingerprint_, record_hash};
                                     explain::write_json(out, p_, record_, outcome_, &receipt);
                                 });
        if (e) {
            out.resize(mark);
            e->where = at_line(l.line, e->where);
            explain::write_error_json(out, *e);
        }
        out += '\n';
        return !e;
    }

private:
    const ir::Program& p_;
    const std::string& fingerprint_;
    const record::Unit* unit_;
    record::JsonReader reader_;
    record::Record record_;
    eval::Outcome outcome_;
};

// A thread's state for the first pass of a batch under a quota: a record's standing (unit, total,
// grade), no result written.
class StandingScorer {
public:
    StandingScorer(const ir::Program& p, const Unit* unit) : p_(p), unit_(unit ? &Access::unit(*unit) : nullptr) {}

    // The record's standing, `unit` its unit's name (valid until the next call); scored false
    // when it failed.
    api::Standing score(std::string_view text, const RecordLine& l, std::string& unit) {
        api::Standing s;
        if (l.too_large()) return s;
        const std::optional<RecordError> e =
            api::score_json(p_, reader_, text, unit_, record_, outcome_, [&](const record::RawRecord&) {
                s.total = outcome_.total;
                s.grade = outcome_.grade;
                for (std::size_t b = 0; b < p_.grades.size(); ++b)  // the quotas' tie measures (api/quota.hpp)
                    if (p_.grades[b].quota && p_.grades[b].quota->tie_measure != ir::none) {
                        s.ties.resize(p_.grades.size());
                        s.ties[b] = record_.measures[p_.grades[b].quota->tie_measure];
                    }
                unit.assign(record_.unit);
            });
        s.scored = !e;
        return s;
    }

private:
    const ir::Program& p_;
    const record::Unit* unit_;
    record::JsonReader reader_;
    record::Record record_;
    eval::Outcome outcome_;
};

// Runs a batch over `in` on the ordered pool: `score(Chunk&, Context&)` on the threads,
// `emit(Chunk&)` (false: the output failed) and options.progress on the calling thread, chunk
// after chunk in input order.
template <class MakeContext, class Score, class Emit>
BatchStats run(std::istream& in, const BatchOptions& options, MakeContext make_context, Score score, Emit emit) {
    LineReader reader(in);
    BatchStats stats;
    run_ordered<Chunk>(
        options.threads, make_context, [&](Chunk& c) { return reader.next(c.in); }, score,
        [&](Chunk& c) {
            const bool ok = emit(c);
            stats.records += c.in.lines.size();
            stats.failed += c.failed;
            if (!ok) {
                stats.output_error = true;
                return false;
            }
            if (options.progress) options.progress(BatchProgress{stats.records, stats.failed, c.in.bytes_end});
            return true;
        });
    stats.lines = reader.lines();
    stats.bytes = reader.bytes();
    stats.input_error = reader.error();
    return stats;
}

}  // namespace

namespace {

// The streaming forms, as they run for a ruleset without quotas.
BatchStats stream_batch(const Ruleset& ruleset, std::istream& in, std::ostream& out, const BatchOptions& options) {
    const ir::Program& p = Access::program(ruleset);
    return run(
        in, options, [&] { return JsonScorer(p, Access::fingerprint(ruleset), options.unit); },
        [](Chunk& c, JsonScorer& scorer) {
            c.out.clear();
            c.failed = 0;
            for (const RecordLine& l : c.in.lines)
                if (!scorer.score(c.in.text_of(l), l, c.out)) ++c.failed;
        },
        [&](Chunk& c) {
            out.write(c.out.data(), static_cast<std::streamsize>(c.out.size()));
            return static_cast<bool>(out);
        });
}

BatchStats each_batch(const Ruleset& ruleset, std::istream& in, const std::function<void(const BatchItem&)>& on_record,
                      const BatchOptions& options) {
    struct None {};
    return run(
        in, options, [] { return None{}; },
        [&](Chunk& c, None&) {
            c.evals.clear();
            c.failed = 0;
            for (const RecordLine& l : c.in.lines) {
                if (l.too_large()) c.evals.emplace_back(Evaluation(too_large(l, "")));
                else c.evals.emplace_back(ruleset.evaluate(c.in.text_of(l), options.unit));
                if (!c.evals.back()->ok()) ++c.failed;
            }
        },
        [&](Chunk& c) {
            for (std::size_t i = 0; i < c.in.lines.size(); ++i)
                on_record(BatchItem{c.in.lines[i].line, c.in.text_of(c.in.lines[i]), *c.evals[i]});
            return true;
        });
}

BatchStats many_batch(const Ruleset& ruleset, std::span<const std::string_view> records,
                      const std::function<void(std::size_t, const Evaluation&)>& on_result, const BatchOptions& options) {
    // Chunks small enough that every thread gets several (uneven records even out), and no more
    // threads than chunks.
    const std::size_t n = records.size();
    const std::size_t threads = pool_threads(options.threads);
    const std::size_t per_chunk = std::clamp<std::size_t>((n + 4 * threads - 1) / (4 * threads), 1, kBatchChunkRecords);
    const auto used = static_cast<unsigned>(std::min<std::size_t>(threads, std::max<std::size_t>(1, (n + per_chunk - 1) / per_chunk)));

    struct Slice {
        std::size_t begin = 0, end = 0;
        std::uint64_t bytes_end = 0;
        std::vector<std::optional<Evaluation>> evals;
        std::size_t failed = 0;
    };
    struct None {};
    std::size_t next = 0;
    std::uint64_t bytes = 0;
    BatchStats stats;
    run_ordered<Slice>(
        used, [] { return None{}; },
        [&](Slice& c) {
            if (next >= n) return false;
            c.begin = next;
            std::uint64_t size = 0;
            while (next < n && next - c.begin < per_chunk && size < kBatchChunkBytes) size += records[next++].size();
            c.end = next;
            bytes += size;
            c.bytes_end = bytes;
            return true;
        },
        [&](Slice& c, None&) {
            c.evals.clear();
            c.failed = 0;
            for (std::size_t i = c.begin; i < c.end; ++i) {
                c.evals.emplace_back(ruleset.evaluate(records[i], options.unit));
                if (!c.evals.back()->ok()) ++c.failed;
            }
        },
        [&](Slice& c) {
            for (std::size_t i = c.begin; i < c.end; ++i) on_result(i, *c.evals[i - c.begin]);
            stats.records += c.end - c.begin;
            stats.failed += c.failed;
            if (options.progress) options.progress(BatchProgress{stats.records, stats.failed, c.bytes_end});
            return true;
        });
    stats.lines = stats.records;
    stats.bytes = bytes;
    return stats;
}

// A ruleset with a quota: the results are held until the input ends (a quota ranks each unit's
// people, the last record may belong to any unit), the quotas applied to them, and then they are
// handed on in input order. Memory grows with the batch: each record's result is held, and, for
// the callback form, its text.
struct Held {
    std::vector<std::optional<Evaluation>> results;
    std::vector<std::size_t> lines;
    std::vector<std::string> texts;
};

Held hold(const Ruleset& ruleset, std::istream& in, const BatchOptions& options, bool texts, BatchStats& stats) {
    Held h;
    stats = each_batch(
        ruleset, in,
        [&](const BatchItem& item) {
            h.results.emplace_back(item.evaluation);
            h.lines.push_back(item.line);
            if (texts) h.texts.emplace_back(item.text);
        },
        options);
    api::apply_units(Access::program(ruleset), h.results);
    api::apply_quotas(Access::program(ruleset), h.results);
    return h;
}

// A ruleset whose grade rules or flags read the person's unit: the results are held (as under a
// quota, in the callback form), each unit's stats computed and what reads them decided again,
// the quotas applied, and the results written in input order as evaluate + json() would.
BatchStats unit_stream_batch(const Ruleset& ruleset, std::istream& in, std::ostream& out, const BatchOptions& options) {
    BatchStats stats;
    Held h = hold(ruleset, in, options, false, stats);
    std::string text;
    for (std::size_t i = 0; i < h.results.size(); ++i) {
        text.clear();
        const Evaluation& e = *h.results[i];
        if (e.ok()) {
            text = e.result().json();
        } else {
            RecordError err = e.error();
            err.where = at_line(h.lines[i], err.where);
            explain::write_error_json(text, err);
        }
        text += '\n';
        if (!out.write(text.data(), static_cast<std::streamsize>(text.size()))) {
            stats.output_error = true;
            break;
        }
    }
    return stats;
}

// The stream form under a quota, in two passes. The first scores every record for its standing
// (unit, total, grade) and keeps it with the record's text; the quotas are applied to the
// standings; the second scores the records again, from the kept text, each given its place
// before its result is written. So what is held is the input and a few dozen bytes a record, not
// the results (README "Quotas" gives the figures).
BatchStats quota_stream_batch(const Ruleset& ruleset, std::istream& in, std::ostream& out, const BatchOptions& options) {
    const ir::Program& p = Access::program(ruleset);
    std::string texts;                 // every record's text, one after another
    std::vector<RecordLine> lines;     // each record's line, its offset into `texts`
    std::vector<api::Standing> people;
    std::unordered_map<std::string, std::uint32_t> unit_numbers;
    struct Context {
        StandingScorer scorer;
        std::string unit;
    };
    BatchStats stats;
    {
        LineReader reader(in);
        run_ordered<Chunk>(
            options.threads, [&] { return Context{StandingScorer(p, options.unit), {}}; },
            [&](Chunk& c) { return reader.next(c.in); },
            [&](Chunk& c, Context& ctx) {
                c.units.clear();
                c.failed = 0;
                c.standings.clear();
                for (const RecordLine& l : c.in.lines) {
                    c.standings.push_back(ctx.scorer.score(c.in.text_of(l), l, ctx.unit));
                    if (!c.standings.back().scored) ++c.failed;
                    c.units.push_back(ctx.unit);
                    ctx.unit.clear();
                }
            },
            [&](Chunk& c) {
                for (std::size_t i = 0; i < c.in.lines.size(); ++i) {
                    RecordLine l = c.in.lines[i];
                    api::Standing s = c.standings[i];
                    if (s.scored)
                        s.unit = unit_numbers.try_emplace(c.units[i], static_cast<std::uint32_t>(unit_numbers.size())).first->second;
                    const std::string_view text = l.too_large() ? std::string_view() : c.in.text_of(l);
                    l.offset = texts.size();
                    l.size = text.size();
                    texts.append(text);
                    lines.push_back(l);
                    people.push_back(std::move(s));
                }
                stats.records += c.in.lines.size();
                stats.failed += c.failed;
                if (options.progress) options.progress(BatchProgress{stats.records, stats.failed, c.in.bytes_end});
                return true;
            });
        stats.lines = reader.lines();
        stats.bytes = reader.bytes();
        stats.input_error = reader.error();
    }
    api::apply_quotas(p, people);

    // The second pass: slices of the kept records, written in order.
    struct Slice {
        std::size_t begin = 0, end = 0;
        std::string out;
    };
    const std::size_t n = lines.size();
    std::size_t next = 0;
    bool ok = true;
    run_ordered<Slice>(
        options.threads, [&] { return JsonScorer(p, Access::fingerprint(ruleset), options.unit); },
        [&](Slice& c) {
            if (next >= n) return false;
            c.begin = next;
            std::size_t size = 0;
            while (next < n && next - c.begin < kBatchChunkRecords && size < kBatchChunkBytes) size += lines[next++].size;
            c.end = next;
            return true;
        },
        [&](Slice& c, JsonScorer& scorer) {
            c.out.clear();
            for (std::size_t i = c.begin; i < c.end; ++i) {
                const RecordLine& l = lines[i];
                scorer.score(std::string_view(texts).substr(l.offset, l.size), l, c.out, &people[i]);
            }
        },
        [&](Slice& c) {
            out.write(c.out.data(), static_cast<std::streamsize>(c.out.size()));
            ok = static_cast<bool>(out);
            return ok;
        });
    if (!ok) stats.output_error = true;
    return stats;
}

}  // namespace

// A scheme's versions: each record's version is chosen by Ruleset::evaluate, so the stream form
// writes what the callback form gives, as evaluate + json() would.
static BatchStats evaluate_versions_batch(const Ruleset& ruleset, std::istream& in, std::ostream& out, const BatchOptions& options) {
    std::string text;
    bool failed = false;
    BatchStats stats = evaluate_batch(
        ruleset, in,
        [&](const BatchItem& item) {
            text.clear();
            if (item.evaluation.ok()) {
                text = item.evaluation.result().json();
            } else {
                RecordError e = item.evaluation.error();
                e.where = at_line(item.line, e.where);
                explain::write_error_json(text, e);
            }
            text += '\n';
            if (!failed && !out.write(text.data(), static_cast<std::streamsize>(text.size()))) failed = true;
        },
        options);
    stats.output_error = failed;
    return stats;
}

BatchStats evaluate_batch(const Ruleset& ruleset, std::istream& in, std::ostream& out, const BatchOptions& options) {
    if (!Access::versions(ruleset).empty()) return evaluate_versions_batch(ruleset, in, out, options);
    const ir::Program& p = Access::program(ruleset);
    if (eval::reads_unit(p)) return unit_stream_batch(ruleset, in, out, options);
    if (!api::has_quota(p)) return stream_batch(ruleset, in, out, options);
    return quota_stream_batch(ruleset, in, out, options);
}

BatchStats evaluate_batch(const Ruleset& ruleset, std::istream& in,
                          const std::function<void(const BatchItem&)>& on_record, const BatchOptions& options) {
    if (!api::needs_population(ruleset)) return each_batch(ruleset, in, on_record, options);
    BatchStats stats;
    Held h = hold(ruleset, in, options, true, stats);
    for (std::size_t i = 0; i < h.results.size(); ++i) on_record(BatchItem{h.lines[i], h.texts[i], *h.results[i]});
    return stats;
}

BatchStats evaluate_many(const Ruleset& ruleset, std::span<const std::string_view> records,
                         const std::function<void(std::size_t, const Evaluation&)>& on_result,
                         const BatchOptions& options) {
    if (!api::needs_population(ruleset)) return many_batch(ruleset, records, on_result, options);
    std::vector<std::optional<Evaluation>> results(records.size());
    const BatchStats stats = many_batch(
        ruleset, records, [&](std::size_t i, const Evaluation& e) { results[i].emplace(e); }, options);
    api::apply_units(Access::program(ruleset), results);
    api::apply_quotas(Access::program(ruleset), results);
    for (std::size_t i = 0; i < results.size(); ++i) on_result(i, *results[i]);
    return stats;
}

}  // namespace kaohe
