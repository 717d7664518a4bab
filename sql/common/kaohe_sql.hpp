// The part of kaohe's SQL functions that does not depend on the database: a bounded cache of
// compiled rulesets keyed by the resolved file and recompiled when the file's mtime or size
// changes, and the three operations — the result JSON, the total as exact decimal text, the
// explanation lines.
//
// Every function here is noexcept: a C++ exception never leaves this file, so neither SQLite nor
// PostgreSQL ever sees one. Failures come back as a status and a message in words.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace kaohe_sql {

enum class Status {
    ok,            // scored
    bad_record,    // the record cannot be scored: message names its id, the field and the reason
    bad_ruleset,   // the ruleset could not be read or has errors: message holds the diagnostics
    bad_unit,      // the unit record cannot be read
    out_of_memory,
    internal,      // anything else (a bug): message says what
};

struct Outcome {
    Status status = Status::internal;
    std::string text;     // for ok: the result; otherwise the message
};

// One explanation line as the SQL functions show it. Empty strings stand for SQL NULL in event,
// date, note; points is exact decimal text.
struct LineRow {
    std::string path, event, date, points, rule, note;
};

// A record or unit record argument: its JSON text, or, when the database has said by its size
// alone that it cannot be one, the R008 message for it (and no text: a gigabyte argument is
// refused without being copied or converted).
struct Json {
    std::string_view text;
    std::string refused;  // not empty: the argument is too large, for this reason
};

// Limits applied to an argument before its text is made. A record's JSON is at most 1 MiB
// (kaohe::kMaxRecordBytes), plus a byte-order mark that the reader skips; a ruleset path at most
// PATH_MAX bytes.
inline constexpr std::size_t kMaxRecordBytes = 1u << 20;
inline constexpr std::size_t kMaxRecordArgBytes = kMaxRecordBytes + 3;
inline constexpr std::size_t kMaxPathBytes = 4096;
// The most record text one kaohe_score_batch call holds, all its rows together: the population is
// held until its last row (a quota ranks each unit's people), and its results are one value.
inline constexpr std::size_t kMaxBatchBytes = 64u << 20;
// The message for a batch past kMaxBatchBytes (at `rows` rows, `bytes` bytes of record text).
std::string batch_too_large(std::size_t rows, std::size_t bytes);
// The R008 message for a record or unit argument of `bytes` bytes (`as`: what they measure, e.g.
// "bytes" or "bytes as jsonb").
std::string record_too_large(std::size_t bytes, const std::string& as = "bytes");
// The message for a ruleset path of `bytes` bytes, or "" when it is within kMaxPathBytes.
std::string path_too_long(std::size_t bytes);

// How many compiled rulesets a cache keeps, least recently used out. A compiled ruleset's size
// is estimated from its rule files' text (kBytesPerTextByte bytes each: the seed ruleset, 26.7 KB
// of text, takes 320 KB compiled). The ruleset in use is always kept, whatever its size.
struct CacheLimits {
    std::size_t max_entries = 32;
    std::size_t max_bytes = 128u << 20;
};
inline constexpr std::size_t kBytesPerTextByte = 16;

class Cache {
public:
    // `confine_to`: when not empty, every file of every ruleset must resolve inside this directory
    // (kaohe::CompileOptions::confine_to).
    explicit Cache(std::string confine_to = {}, CacheLimits limits = {});
    ~Cache();
    Cache(const Cache&) = delete;
    Cache& operator=(const Cache&) = delete;

    // The result JSON of docs/records.md, or the error result JSON for a bad record (status ok in both
    // cases; bad_ruleset / bad_unit otherwise).
    Outcome score(const std::string& ruleset_path, const Json& record, const Json* unit) noexcept;
    // The total as exact decimal text ("94.5"), rounded as the policy says only when it has no
    // finite decimal form; bad_record with "record ID: WHERE: MESSAGE [CODE]" otherwise.
    Outcome total(const std::string& ruleset_path, const Json& record, const Json* unit) noexcept;
    // The results of a population scored together, as a batch scores it (a grade's quota applied
    // to each unit's people): a JSON array holding, for records[i] in order, its result JSON or
    // error result JSON. bad_record when the records' text is over kMaxBatchBytes in all, or the
    // array would be over `max_result_bytes` (the database's limit for one value).
    Outcome score_batch(const std::string& ruleset_path, const std::vector<Json>& records, const Json* unit,
                        std::size_t max_result_bytes) noexcept;
    // The explanation lines into `rows`.
    Outcome lines(const std::string& ruleset_path, const Json& record, const Json* unit,
                  std::vector<LineRow>& rows) noexcept;

    const std::string& confine_to() const { return confine_to_; }
    // What the cache holds now: compiled rulesets, and their estimated bytes.
    std::size_t entries() noexcept;
    std::size_t bytes() noexcept;

    struct Entry;

private:
    std::string confine_to_;
    CacheLimits limits_;
    std::mutex mutex_;
    // Most recently used first; the map points into the list.
    std::list<std::shared_ptr<Entry>> lru_;
    std::unordered_map<std::string, std::list<std::shared_ptr<Entry>>::iterator> entries_;
    std::size_t bytes_ = 0;
    // The last path as given and the entry it led to: the same spelling again costs one stat().
    std::string last_path_;
    std::shared_ptr<Entry> last_entry_;
    void touch(std::list<std::shared_ptr<Entry>>::iterator it);
    // Compiled ruleset (and the unit read against it) for a call; nullptr with `out` set on failure.
    std::shared_ptr<Entry> get(const std::string& path, Outcome& out);
    struct Prepared;
    bool prepare(const std::string& path, const Json* unit, Prepared& p, Outcome& out);
};

}  // namespace kaohe_sql
