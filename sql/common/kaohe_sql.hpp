// The part of kaohe's SQL functions that does not depend on the database (issue 8): a cache of
// compiled rulesets keyed by path and recompiled when the file's mtime or size changes, and the
// three operations — the result JSON, the total as exact decimal text, the explanation lines.
//
// Every function here is noexcept: a C++ exception never leaves this file, so neither SQLite nor
// PostgreSQL ever sees one. Failures come back as a status and a message in words.
#pragma once

#include <cstdint>
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

class Cache {
public:
    Cache();
    ~Cache();
    Cache(const Cache&) = delete;
    Cache& operator=(const Cache&) = delete;

    // The result JSON of docs/records.md, or the error result JSON for a bad record (status ok in both
    // cases; bad_ruleset / bad_unit otherwise).
    Outcome score(const std::string& ruleset_path, std::string_view record, const std::string* unit) noexcept;
    // The total as exact decimal text ("94.5"), rounded as the policy says only when it has no
    // finite decimal form; bad_record with "record ID: WHERE: MESSAGE [CODE]" otherwise.
    Outcome total(const std::string& ruleset_path, std::string_view record, const std::string* unit) noexcept;
    // The explanation lines into `rows`.
    Outcome lines(const std::string& ruleset_path, std::string_view record, const std::string* unit,
                  std::vector<LineRow>& rows) noexcept;

    struct Entry;

private:
    std::mutex mutex_;
    std::unordered_map<std::string, std::shared_ptr<Entry>> entries_;
    // Compiled ruleset (and the unit read against it) for a call; nullptr with `out` set on failure.
    std::shared_ptr<Entry> get(const std::string& path, Outcome& out);
    struct Prepared;
    bool prepare(const std::string& path, const std::string* unit, Prepared& p, Outcome& out);
};

}  // namespace kaohe_sql
