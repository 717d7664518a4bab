// kaohe batch scoring — JSON Lines in, one result per record out, in input order.
//
//   auto compiled = kaohe::Ruleset::compile_file("rulesets/seed/seed.kh");
//   std::ifstream in("people.jsonl");
//   kaohe::BatchStats s = kaohe::evaluate_batch(*compiled.ruleset, in, std::cout);
//   return s.failed == 0 ? 0 : 1;
//
// Input: one person record per line (docs/records.md, "Batch input"). Lines that are empty or
// hold only spaces and tabs are not records: they are skipped, give no output, and still count
// in the line numbers. A line may end in "\r\n". A line longer than the record limit (1 MiB) is a
// failed record; it is skipped without being held in memory.
//
// Output, with the stream form: one line per record, in input order — the result JSON of
// docs/records.md, or for a record that cannot be scored the error result
//   {"id": "...", "error": {"code": "R006", "message": "...", "where": "line 12: events[3].amount"}}
// whose `where` starts with the record's line number. A bad record never stops the batch.
//
// Speed and memory: records are read in chunks, scored by `threads` threads at once (the calling
// thread among them), and written in order by the calling thread as each chunk's turn comes. At most about two chunks per thread are held
// at a time (a chunk is at most kBatchChunkRecords records or kBatchChunkBytes of input, plus one
// record), so memory depends on the thread count and not on the input's length. Except with a
// quota: in a ruleset where a grade has one (`"优秀" >= 90 quota 15% round down ties all_in`),
// every form waits for the input's end, applies the quota to each unit's people, and only then
// hands the results on, in input order; progress is then reported as records are scored
// (docs/records.md, "Quotas"). The stream form holds each record's text and a few dozen bytes of
// standing (unit, total, grade) and scores the records twice, the second time to write them; the
// callback form and evaluate_many hold each record's result (and the callback form its text).
//
// Every function here may be called from any number of threads at once, with one Ruleset.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <span>
#include <string_view>

#include "kaohe/kaohe.hpp"

namespace kaohe {

inline constexpr std::size_t kBatchChunkRecords = 256;
inline constexpr std::size_t kBatchChunkBytes = 256 * 1024;

// Where a batch stands; given to BatchOptions::progress after each chunk is written.
struct BatchProgress {
    std::size_t records = 0;     // records scored (or failed) and written so far
    std::size_t failed = 0;      // of those, records that could not be scored
    std::uint64_t bytes = 0;     // input bytes consumed so far (with the written records)
};

struct BatchOptions {
    unsigned threads = 0;        // threads that score; 0: one per core (hardware_concurrency); at most 1024
    const Unit* unit = nullptr;  // a unit record that applies to every person, or none
    // Called after each chunk of results is written, in order, on the calling thread. Keep it
    // quick: the other threads wait for it.
    std::function<void(const BatchProgress&)> progress;
};

struct BatchStats {
    std::size_t records = 0;     // records (lines that are not blank) scored or failed, and written
    std::size_t failed = 0;      // records that could not be scored
    std::size_t lines = 0;       // lines read, blank ones included
    std::uint64_t bytes = 0;     // input bytes read
    bool input_error = false;    // reading stopped on a stream error, not at the end of the input
    bool output_error = false;   // the output stream failed; the batch stopped there
};

// Scores the JSON Lines of `in` and writes one result line per record to `out`, in input order.
// Returns when the input ends (or `out` fails). Exceptions thrown by the streams or by
// `progress` are passed on to the caller once every thread has stopped.
BatchStats evaluate_batch(const Ruleset& ruleset, std::istream& in, std::ostream& out, const BatchOptions& options = {});

// One record of a batch, as given to a callback.
struct BatchItem {
    std::size_t line = 0;          // the record's line number in the input, from 1
    std::string_view text;         // the record's JSON text (valid during the call only)
    const Evaluation& evaluation;  // its result, or its error (whose `where` names the field only)
};

// The same, with a callback for each record instead of an output stream: `on_record` is called
// once per record, in input order, on the calling thread. An exception that it throws stops the
// batch and is passed on to the caller once every thread has stopped.
BatchStats evaluate_batch(const Ruleset& ruleset, std::istream& in,
                          const std::function<void(const BatchItem&)>& on_record, const BatchOptions& options = {});

// Scores records held in memory: records[i] is one record's JSON text, as for
// Ruleset::evaluate (the views must stay valid during the call). `on_result(i, evaluation)` is
// called once per record, in order of i, on the calling thread; the evaluation is valid during
// the call only. Threads, unit and progress as for evaluate_batch (progress's `bytes`: the
// records' text so far); no more threads start than there are chunks of records. Besides the
// records, the evaluations of at most about two chunks per thread are held at a time. An
// exception from `on_result` or `progress` stops the scoring and is passed on to the caller once
// every thread has stopped. Returns records and failed; `lines` is the number of records and
// `bytes` their total size.
BatchStats evaluate_many(const Ruleset& ruleset, std::span<const std::string_view> records,
                         const std::function<void(std::size_t index, const Evaluation& evaluation)>& on_result,
                         const BatchOptions& options = {});

}  // namespace kaohe
