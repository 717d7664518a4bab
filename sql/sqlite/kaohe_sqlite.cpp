// kaohe as an SQLite loadable extension (README "In SQL").
//
//   .load build/sql/sqlite/kaohe            -- or SELECT load_extension('.../kaohe');
//   SELECT kaohe_score('rulesets/seed/seed.kh', record [, unit]);  -- result JSON, or error result JSON
//   SELECT kaohe_total('rulesets/seed/seed.kh', record [, unit]);  -- exact decimal TEXT; SQL error for a bad record
//   SELECT * FROM kaohe_lines('rulesets/seed/seed.kh', record);    -- path, event, date, points, rule, note
//   SELECT kaohe_score_batch('examples/quota/quota.kh', record [, unit]) FROM people;
//       -- aggregate: a JSON array of the rows' results in the order the rows came, scored together
//       -- (a grade's quota applied to each unit's people); at most 64 MiB of record text in all
//
// NULL: a NULL ruleset path or record gives NULL (kaohe_lines: no rows); a NULL unit means none.
// A ruleset that cannot be read or has errors raises an SQL error with the rendered diagnostics.
// Compiled rulesets are cached per connection (bounded, keyed by the resolved file) and
// recompiled when the file's mtime or size changes (the top file only: touch it after editing an
// included file). Paths are as SQLite's process sees them (relative to its working directory); a
// path holding a NUL byte is an error. An argument's size is checked before its text is made
// (sqlite3_value_bytes gives a BLOB's or a zero-blob's size without expanding it): a ruleset path
// over 4096 bytes, a record or unit record over 1 MiB are refused by their size alone. The functions may only be called directly in SQL, never
// from a view, trigger, index or schema default (SQLITE_DIRECTONLY).
//
// No C++ exception crosses into SQLite: kaohe_sql::Cache is noexcept, and every callback here
// catches whatever else could throw.
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT1

#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "kaohe_sql.hpp"

namespace {

using CachePtr = std::shared_ptr<kaohe_sql::Cache>;

void result_failure(sqlite3_context* ctx, const kaohe_sql::Outcome& o, const char* fn) {
    if (o.status == kaohe_sql::Status::out_of_memory) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    std::string msg = std::string(fn) + ": " + o.text;
    sqlite3_result_error(ctx, msg.c_str(), static_cast<int>(msg.size()));
}

// sqlite3_value_bytes before sqlite3_value_text: the size of a TEXT or a BLOB (a zero-blob
// included) is known without making the text, which for zeroblob(1000000000) would cost 1 GB for
// the expanded BLOB and another for its TEXT copy.
std::size_t size_of(sqlite3_value* v) { return static_cast<std::size_t>(sqlite3_value_bytes(v)); }

// The text of a value whose size has been checked; false when SQLite is out of memory.
bool text_of(sqlite3_value* v, std::string_view& out) {
    const unsigned char* p = sqlite3_value_text(v);
    if (!p) return false;
    out = std::string_view(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_value_bytes(v)));
    return true;
}

// A ruleset path argument; an error message (and no text made) when it is over the limit.
bool path_of(sqlite3_value* v, std::string& path, std::string& error) {
    error = kaohe_sql::path_too_long(size_of(v));
    if (!error.empty()) return true;
    std::string_view t;
    if (!text_of(v, t)) return false;
    path.assign(t);
    return true;
}

// A record or unit argument; refused by its size when over the limit.
bool json_of(sqlite3_value* v, kaohe_sql::Json& out) {
    const std::size_t n = size_of(v);
    if (n > kaohe_sql::kMaxRecordArgBytes) {
        out.refused = kaohe_sql::record_too_large(n);
        return true;
    }
    return text_of(v, out.text);
}

template <bool Total>
void scalar(sqlite3_context* ctx, int argc, sqlite3_value** argv) noexcept {
    const char* fn = Total ? "kaohe_total" : "kaohe_score";
    try {
        if (sqlite3_value_type(argv[0]) == SQLITE_NULL || sqlite3_value_type(argv[1]) == SQLITE_NULL) {
            sqlite3_result_null(ctx);
            return;
        }
        auto* cache = static_cast<CachePtr*>(sqlite3_user_data(ctx));
        std::string path, path_error;
        kaohe_sql::Json record, unit;
        const bool has_unit = argc == 3 && sqlite3_value_type(argv[2]) != SQLITE_NULL;
        // Each argument's size before its text (path_of, json_of).
        if (!path_of(argv[0], path, path_error) || !json_of(argv[1], record) || (has_unit && !json_of(argv[2], unit))) {
            sqlite3_result_error_nomem(ctx);
            return;
        }
        if (!path_error.empty()) {
            result_failure(ctx, {kaohe_sql::Status::bad_ruleset, path_error}, fn);
            return;
        }
        kaohe_sql::Outcome o = Total ? (*cache)->total(path, record, has_unit ? &unit : nullptr)
                                     : (*cache)->score(path, record, has_unit ? &unit : nullptr);
        if (o.status != kaohe_sql::Status::ok) {
            result_failure(ctx, o, fn);
            return;
        }
        sqlite3_result_text(ctx, o.text.data(), static_cast<int>(o.text.size()), SQLITE_TRANSIENT);
    } catch (const std::bad_alloc&) {
        sqlite3_result_error_nomem(ctx);
    } catch (...) {
        sqlite3_result_error(ctx, "kaohe: internal error", -1);
    }
}

void destroy_cache(void* p) noexcept { delete static_cast<CachePtr*>(p); }

// ---- kaohe_score_batch: an aggregate; the rows' records are held until the last (a quota ranks
// each unit's people), then scored together.
struct BatchState {
    std::string path, path_error, unit_text;
    bool has_unit = false, null_path = false;
    std::vector<std::string> records;  // copies: a value's text lives only during its step
    std::vector<std::string> refused;  // the R008 message of a record refused by its size, or ""
    std::size_t bytes = 0;
    std::string error;  // the first error; the rest of the rows are then skipped
};

BatchState** batch_state(sqlite3_context* ctx, bool make) {
    return static_cast<BatchState**>(sqlite3_aggregate_context(ctx, make ? sizeof(BatchState*) : 0));
}

void batch_step(sqlite3_context* ctx, int argc, sqlite3_value** argv) noexcept {
    try {
        BatchState** slot = batch_state(ctx, true);
        if (!slot) {
            sqlite3_result_error_nomem(ctx);
            return;
        }
        const bool first = !*slot;
        if (first) *slot = new BatchState{};
        BatchState& b = **slot;
        if (!b.error.empty() || b.null_path) return;
        if (sqlite3_value_type(argv[1]) == SQLITE_NULL) return;  // a NULL record is no one
        if (first) {
            if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
                b.null_path = true;
                return;
            }
            if (!path_of(argv[0], b.path, b.path_error)) throw std::bad_alloc();
            b.has_unit = argc == 3 && sqlite3_value_type(argv[2]) != SQLITE_NULL;
            if (b.has_unit) {
                kaohe_sql::Json unit;
                if (!json_of(argv[2], unit)) throw std::bad_alloc();
                if (!unit.refused.empty()) b.error = "unit record: " + unit.refused + " [R008]";
                else b.unit_text.assign(unit.text);
            }
        }
        if (!first && b.path_error.empty()) {  // one ruleset for the whole population
            std::string path, error;
            if (sqlite3_value_type(argv[0]) == SQLITE_NULL || !path_of(argv[0], path, error) || path != b.path) {
                b.error = "every row of one batch must name the same ruleset";
                return;
            }
        }
        kaohe_sql::Json record;
        if (!json_of(argv[1], record)) throw std::bad_alloc();
        b.refused.push_back(record.refused);
        b.records.emplace_back(record.text);
        b.bytes += record.text.size();
        if (b.bytes > kaohe_sql::kMaxBatchBytes) b.error = kaohe_sql::batch_too_large(b.records.size(), b.bytes);
    } catch (const std::bad_alloc&) {
        sqlite3_result_error_nomem(ctx);
    } catch (...) {
        sqlite3_result_error(ctx, "kaohe_score_batch: internal error", -1);
    }
}

void batch_final(sqlite3_context* ctx) noexcept {
    BatchState** slot = batch_state(ctx, false);
    BatchState* b = slot ? *slot : nullptr;
    try {
        if (!b || b->null_path) sqlite3_result_null(ctx);  // no rows, or a NULL ruleset path
        else if (!b->error.empty()) result_failure(ctx, {kaohe_sql::Status::bad_record, b->error}, "kaohe_score_batch");
        else if (!b->path_error.empty())
            result_failure(ctx, {kaohe_sql::Status::bad_ruleset, b->path_error}, "kaohe_score_batch");
        else {
            auto* cache = static_cast<CachePtr*>(sqlite3_user_data(ctx));
            std::vector<kaohe_sql::Json> records(b->records.size());
            for (std::size_t i = 0; i < records.size(); ++i) {
                records[i].text = b->records[i];
                records[i].refused = b->refused[i];
            }
            kaohe_sql::Json unit;
            unit.text = b->unit_text;
            const auto limit = static_cast<std::size_t>(sqlite3_limit(sqlite3_context_db_handle(ctx), SQLITE_LIMIT_LENGTH, -1));
            kaohe_sql::Outcome o = (*cache)->score_batch(b->path, records, b->has_unit ? &unit : nullptr, limit);
            if (o.status != kaohe_sql::Status::ok) result_failure(ctx, o, "kaohe_score_batch");
            else sqlite3_result_text(ctx, o.text.data(), static_cast<int>(o.text.size()), SQLITE_TRANSIENT);
        }
    } catch (const std::bad_alloc&) {
        sqlite3_result_error_nomem(ctx);
    } catch (...) {
        sqlite3_result_error(ctx, "kaohe_score_batch: internal error", -1);
    }
    delete b;
}

// ---- kaohe_lines: an eponymous table-valued function.
enum Column { c_path, c_event, c_date, c_points, c_rule, c_note, c_ruleset, c_record };

struct LinesTable {
    sqlite3_vtab base;  // first: SQLite casts
    CachePtr cache;
};

struct LinesCursor {
    sqlite3_vtab_cursor base;  // first
    std::vector<kaohe_sql::LineRow> rows;
    std::size_t at = 0;
};

void set_vtab_error(sqlite3_vtab* vt, const std::string& msg) {
    sqlite3_free(vt->zErrMsg);
    vt->zErrMsg = sqlite3_mprintf("%s", msg.c_str());
}

int lines_connect(sqlite3* db, void* aux, int, const char* const*, sqlite3_vtab** out, char**) noexcept {
    try {
        int rc = sqlite3_vtab_config(db, SQLITE_VTAB_DIRECTONLY);  // as the scalar functions
        if (rc != SQLITE_OK) return rc;
        rc = sqlite3_declare_vtab(db,
                                      "CREATE TABLE x(path TEXT, event TEXT, date TEXT, points TEXT, rule TEXT, "
                                      "note TEXT, ruleset_path HIDDEN, record_json HIDDEN)");
        if (rc != SQLITE_OK) return rc;
        auto* t = new LinesTable{};
        t->cache = *static_cast<CachePtr*>(aux);
        *out = &t->base;
        return SQLITE_OK;
    } catch (...) {
        return SQLITE_NOMEM;
    }
}

int lines_disconnect(sqlite3_vtab* vt) noexcept {
    delete reinterpret_cast<LinesTable*>(vt);
    return SQLITE_OK;
}

int lines_best_index(sqlite3_vtab*, sqlite3_index_info* info) noexcept {
    int ruleset = -1, record = -1;
    for (int i = 0; i < info->nConstraint; ++i) {
        const auto& c = info->aConstraint[i];
        if (c.op != SQLITE_INDEX_CONSTRAINT_EQ) continue;
        if (c.iColumn == c_ruleset) {
            if (!c.usable) return SQLITE_CONSTRAINT;
            ruleset = i;
        } else if (c.iColumn == c_record) {
            if (!c.usable) return SQLITE_CONSTRAINT;
            record = i;
        }
    }
    if (ruleset < 0 || record < 0) return SQLITE_CONSTRAINT;  // both arguments are required
    info->aConstraintUsage[ruleset].argvIndex = 1;
    info->aConstraintUsage[ruleset].omit = 1;
    info->aConstraintUsage[record].argvIndex = 2;
    info->aConstraintUsage[record].omit = 1;
    info->estimatedCost = 100;
    info->estimatedRows = 20;
    return SQLITE_OK;
}

int lines_open(sqlite3_vtab*, sqlite3_vtab_cursor** out) noexcept {
    try {
        auto* c = new LinesCursor{};
        *out = &c->base;
        return SQLITE_OK;
    } catch (...) {
        return SQLITE_NOMEM;
    }
}

int lines_close(sqlite3_vtab_cursor* cur) noexcept {
    delete reinterpret_cast<LinesCursor*>(cur);
    return SQLITE_OK;
}

int lines_filter(sqlite3_vtab_cursor* cur, int, const char*, int argc, sqlite3_value** argv) noexcept {
    auto* c = reinterpret_cast<LinesCursor*>(cur);
    auto* t = reinterpret_cast<LinesTable*>(cur->pVtab);
    try {
        c->rows.clear();
        c->at = 0;
        if (argc < 2 || sqlite3_value_type(argv[0]) == SQLITE_NULL || sqlite3_value_type(argv[1]) == SQLITE_NULL)
            return SQLITE_OK;  // NULL in: no rows
        std::string path, path_error;
        kaohe_sql::Json record;
        if (!path_of(argv[0], path, path_error) || !json_of(argv[1], record)) return SQLITE_NOMEM;
        if (!path_error.empty()) {
            set_vtab_error(cur->pVtab, "kaohe_lines: " + path_error);
            return SQLITE_ERROR;
        }
        kaohe_sql::Outcome o = t->cache->lines(path, record, nullptr, c->rows);
        if (o.status == kaohe_sql::Status::out_of_memory) return SQLITE_NOMEM;
        if (o.status != kaohe_sql::Status::ok) {
            set_vtab_error(cur->pVtab, "kaohe_lines: " + o.text);
            return SQLITE_ERROR;
        }
        return SQLITE_OK;
    } catch (...) {
        return SQLITE_NOMEM;
    }
}

int lines_next(sqlite3_vtab_cursor* cur) noexcept {
    ++reinterpret_cast<LinesCursor*>(cur)->at;
    return SQLITE_OK;
}

int lines_eof(sqlite3_vtab_cursor* cur) noexcept {
    auto* c = reinterpret_cast<LinesCursor*>(cur);
    return c->at >= c->rows.size();
}

int lines_column(sqlite3_vtab_cursor* cur, sqlite3_context* ctx, int col) noexcept {
    auto* c = reinterpret_cast<LinesCursor*>(cur);
    const kaohe_sql::LineRow& r = c->rows[c->at];
    const std::string* s = nullptr;
    switch (col) {
        case c_path: s = &r.path; break;
        case c_event: s = &r.event; break;
        case c_date: s = &r.date; break;
        case c_points: s = &r.points; break;
        case c_rule: s = &r.rule; break;
        case c_note: s = &r.note; break;
        default: sqlite3_result_null(ctx); return SQLITE_OK;  // hidden argument columns
    }
    if (s->empty() && col != c_path && col != c_points)
        sqlite3_result_null(ctx);
    else
        sqlite3_result_text(ctx, s->data(), static_cast<int>(s->size()), SQLITE_TRANSIENT);
    return SQLITE_OK;
}

int lines_rowid(sqlite3_vtab_cursor* cur, sqlite3_int64* rowid) noexcept {
    *rowid = static_cast<sqlite3_int64>(reinterpret_cast<LinesCursor*>(cur)->at) + 1;
    return SQLITE_OK;
}

sqlite3_module lines_module() {
    sqlite3_module m;
    std::memset(&m, 0, sizeof m);
    m.iVersion = 0;
    m.xCreate = nullptr;  // eponymous only
    m.xConnect = lines_connect;
    m.xBestIndex = lines_best_index;
    m.xDisconnect = lines_disconnect;
    m.xDestroy = lines_disconnect;
    m.xOpen = lines_open;
    m.xClose = lines_close;
    m.xFilter = lines_filter;
    m.xNext = lines_next;
    m.xEof = lines_eof;
    m.xColumn = lines_column;
    m.xRowid = lines_rowid;
    return m;
}

const sqlite3_module kLinesModule = lines_module();

int init(sqlite3* db, char** err, const sqlite3_api_routines* api) noexcept {
    SQLITE_EXTENSION_INIT2(api);
    try {
        auto cache = std::make_shared<kaohe_sql::Cache>();
        // Direct calls only, as SQLite registers its own readfile(): a view, trigger, index, CHECK
        // or DEFAULT in an untrusted database file cannot make a reader read a file. And not
        // deterministic: the result depends on a file, which may change under an index.
        const int flags = SQLITE_UTF8 | SQLITE_DIRECTONLY;
        struct Fn { const char* name; int argc; void (*f)(sqlite3_context*, int, sqlite3_value**); };
        const Fn fns[] = {{"kaohe_score", 2, scalar<false>}, {"kaohe_score", 3, scalar<false>},
                          {"kaohe_total", 2, scalar<true>},  {"kaohe_total", 3, scalar<true>}};
        for (const Fn& f : fns) {
            int rc = sqlite3_create_function_v2(db, f.name, f.argc, flags, new CachePtr(cache), f.f, nullptr,
                                                nullptr, destroy_cache);
            if (rc != SQLITE_OK) {
                *err = sqlite3_mprintf("kaohe: cannot register %s", f.name);
                return rc;
            }
        }
        for (int argc : {2, 3}) {
            int rc = sqlite3_create_function_v2(db, "kaohe_score_batch", argc, flags, new CachePtr(cache), nullptr,
                                                batch_step, batch_final, destroy_cache);
            if (rc != SQLITE_OK) {
                *err = sqlite3_mprintf("kaohe: cannot register kaohe_score_batch");
                return rc;
            }
        }
        int rc = sqlite3_create_module_v2(db, "kaohe_lines", &kLinesModule, new CachePtr(cache), destroy_cache);
        if (rc != SQLITE_OK) {
            *err = sqlite3_mprintf("kaohe: cannot register kaohe_lines");
            return rc;
        }
        return SQLITE_OK;
    } catch (...) {
        *err = sqlite3_mprintf("kaohe: out of memory");
        return SQLITE_NOMEM;
    }
}

}  // namespace

extern "C" {
__attribute__((visibility("default"))) int sqlite3_kaohe_init(sqlite3* db, char** err,
                                                              const sqlite3_api_routines* api) {
    return init(db, err, api);
}
}
