// kaohe as a PostgreSQL 15 extension (README "In SQL"). Built with sql/postgres/Makefile
// (PGXS) against a CMake build's static libraries; tests/sql/postgres_test.sh builds, installs
// and tests it.
//
// No C++ exception and no C++ object with a destructor is alive when PostgreSQL may longjmp:
// every C++ step runs in a noexcept helper that leaves only plain C data (palloc'd without
// ereport on failure); errors are raised with ereport after the helper has returned.
//
// Arguments are measured before they are read: a ruleset name over 4096 bytes, and a record or
// unit whose jsonb value is over kMaxRecordJsonb bytes, are refused by their stored size, before
// they are detoasted or turned into text (a jsonb value may be up to 1 GB).
extern "C" {
#include "postgres.h"

#include "access/detoast.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"
#include "utils/tuplestore.h"
}

#include <cstring>
#include <string>
#include <vector>

#include "kaohe_sql.hpp"

extern "C" {
PG_MODULE_MAGIC;
void _PG_init(void);
PG_FUNCTION_INFO_V1(kaohe_pg_score);
PG_FUNCTION_INFO_V1(kaohe_pg_total);
PG_FUNCTION_INFO_V1(kaohe_pg_lines);
PG_FUNCTION_INFO_V1(kaohe_pg_batch_step);
PG_FUNCTION_INFO_V1(kaohe_pg_batch_final);
}

namespace {

char* rulesets_dir = nullptr;
kaohe_sql::Cache* cache = nullptr;  // one per backend (and per parallel worker)

enum class Op { score, total, lines };

// A jsonb value takes at most kJsonbPerTextByte bytes for each byte of its text form (measured by
// tests/sql/postgres_test.sh: at worst about 4, for an array of one-digit numbers, each number a
// 4-byte entry and an 8-byte aligned numeric against 3 characters of text), so one over this
// size has a text form over the record limit and is refused unread.
constexpr std::size_t kJsonbPerTextByte = 8;
constexpr std::size_t kMaxRecordJsonb = kJsonbPerTextByte * kaohe_sql::kMaxRecordArgBytes;

// A JSON argument: its text, or (text NULL) the jsonb size for which it is refused.
struct JsonArg {
    char* text = nullptr;
    std::size_t refused = 0;
};

struct Answer {  // plain C data only
    int status = 0;      // 0 ok, 1 bad record, 2 bad ruleset, 3 bad unit, 4 out of memory, 5 internal, 6 bad path
    char* text = nullptr;
    int nlines = 0;
    char** cells = nullptr;  // nlines * 6
};

char* pdup(const std::string& s) noexcept {
    char* p = static_cast<char*>(MemoryContextAllocExtended(CurrentMemoryContext, s.size() + 1, MCXT_ALLOC_NO_OOM));
    if (p) {
        std::memcpy(p, s.data(), s.size());
        p[s.size()] = '\0';
    }
    return p;
}

// The ruleset's path inside kaohe.rulesets_dir, with the backend's cache made for that directory;
// false with `a` set when the name may not be used.
bool ruleset_path(const char* name, std::string& path, Answer& a) {
    std::string n(name);
    std::string dir = rulesets_dir ? rulesets_dir : "";
    if (dir.empty()) {
        a.status = 6;
        a.text = pdup("kaohe.rulesets_dir is not set");
        return false;
    }
    bool escapes = n.empty() || n[0] == '/';
    for (std::size_t at = 0; !escapes && at <= n.size();) {
        std::size_t slash = n.find('/', at);
        if (slash == std::string::npos) slash = n.size();
        if (n.compare(at, slash - at, "..") == 0 && slash - at == 2) escapes = true;
        at = slash + 1;
    }
    if (escapes) {
        a.status = 6;
        a.text = pdup("ruleset \"" + n + "\" must be a relative path inside kaohe.rulesets_dir");
        return false;
    }
    // Every file a ruleset reads must resolve inside the directory (symbolic links and
    // includes too); a change of the setting starts a new cache.
    if (cache && cache->confine_to() != dir) {
        delete cache;
        cache = nullptr;
    }
    if (!cache) cache = new kaohe_sql::Cache(dir);
    path = dir + "/" + n;
    return true;
}

kaohe_sql::Json json_of(const JsonArg& arg) {
    kaohe_sql::Json j;
    if (arg.text) j.text = arg.text;
    else j.refused = kaohe_sql::record_too_large(arg.refused, "bytes as jsonb");
    return j;
}

void run(Op op, const char* name, const JsonArg& record, const JsonArg* unit, Answer& a) noexcept {
    try {
        std::string path;
        if (!ruleset_path(name, path, a)) return;
        const kaohe_sql::Json record_json = json_of(record);
        const kaohe_sql::Json unit_json = unit ? json_of(*unit) : kaohe_sql::Json{};
        kaohe_sql::Outcome o;
        std::vector<kaohe_sql::LineRow> rows;
        if (op == Op::score) o = cache->score(path, record_json, unit ? &unit_json : nullptr);
        else if (op == Op::total) o = cache->total(path, record_json, unit ? &unit_json : nullptr);
        else o = cache->lines(path, record_json, nullptr, rows);
        a.status = static_cast<int>(o.status);
        a.text = pdup(o.text);
        if (!a.text) a.status = 4;
        if (a.status == 0 && op == Op::lines) {
            a.cells = static_cast<char**>(MemoryContextAllocExtended(
                CurrentMemoryContext, sizeof(char*) * 6 * (rows.size() + 1), MCXT_ALLOC_NO_OOM));
            if (!a.cells) { a.status = 4; return; }
            for (const auto& r : rows) {
                const std::string* cols[6] = {&r.path, &r.event, &r.date, &r.points, &r.rule, &r.note};
                for (int c = 0; c < 6; ++c) {
                    char* p = pdup(*cols[c]);
                    if (!p) { a.status = 4; return; }
                    a.cells[a.nlines * 6 + c] = p;
                }
                ++a.nlines;
            }
        }
    } catch (...) {
        a.status = 4;
    }
}

void raise(const char* fn, const Answer& a) {
    if (a.status == 4) ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("%s: out of memory", fn)));
    int code = a.status == 1 || a.status == 3 ? ERRCODE_DATA_EXCEPTION
               : a.status == 6                ? ERRCODE_INSUFFICIENT_PRIVILEGE
               : a.status == 2                ? ERRCODE_CONFIG_FILE_ERROR
                                              : ERRCODE_INTERNAL_ERROR;
    ereport(ERROR, (errcode(code), errmsg("%s: %s", fn, a.text ? a.text : "error")));
}

char* jsonb_text(Jsonb* j) { return JsonbToCString(nullptr, &j->root, VARSIZE(j)); }

// Argument n as JSON text, or refused by its stored size (before it is detoasted).
JsonArg json_arg(FunctionCallInfo fcinfo, int n) {
    JsonArg arg;
    const Size raw = toast_raw_datum_size(PG_GETARG_DATUM(n));
    if (raw > kMaxRecordJsonb) arg.refused = raw;
    else arg.text = jsonb_text(PG_GETARG_JSONB_P(n));
    return arg;
}

// The ruleset name (argument 0), refused by its stored size before it is read or used.
char* name_arg(FunctionCallInfo fcinfo, const char* fn) {
    const Size raw = toast_raw_datum_size(PG_GETARG_DATUM(0));
    if (raw - VARHDRSZ > kaohe_sql::kMaxPathBytes)
        ereport(ERROR, (errcode(ERRCODE_NAME_TOO_LONG),
                        errmsg("%s: ruleset name is %zu bytes long; a name holds at most %zu (PATH_MAX)", fn,
                               static_cast<std::size_t>(raw - VARHDRSZ), kaohe_sql::kMaxPathBytes)));
    return text_to_cstring(PG_GETARG_TEXT_PP(0));
}

}  // namespace

extern "C" void _PG_init(void) {
    DefineCustomStringVariable("kaohe.rulesets_dir", "Directory that kaohe ruleset names are relative to.", nullptr,
                               &rulesets_dir, "", PGC_SUSET, 0, nullptr, nullptr, nullptr);
    MarkGUCPrefixReserved("kaohe");
}

static Datum scalar(FunctionCallInfo fcinfo, Op op, const char* fn) {
    CHECK_FOR_INTERRUPTS();
    if (PG_ARGISNULL(0) || PG_ARGISNULL(1)) PG_RETURN_NULL();
    char* name = name_arg(fcinfo, fn);
    const JsonArg record = json_arg(fcinfo, 1);
    const bool has_unit = PG_NARGS() > 2 && !PG_ARGISNULL(2);
    const JsonArg unit = has_unit ? json_arg(fcinfo, 2) : JsonArg{};
    Answer a;
    run(op, name, record, has_unit ? &unit : nullptr, a);
    if (a.status != 0) raise(fn, a);
    if (op == Op::score) return DirectFunctionCall1(jsonb_in, CStringGetDatum(a.text));
    return DirectFunctionCall3(numeric_in, CStringGetDatum(a.text), ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
}

extern "C" Datum kaohe_pg_score(PG_FUNCTION_ARGS) { return scalar(fcinfo, Op::score, "kaohe_score"); }
extern "C" Datum kaohe_pg_total(PG_FUNCTION_ARGS) { return scalar(fcinfo, Op::total, "kaohe_total"); }

extern "C" Datum kaohe_pg_lines(PG_FUNCTION_ARGS) {
    CHECK_FOR_INTERRUPTS();
    InitMaterializedSRF(fcinfo, 0);
    if (PG_ARGISNULL(0) || PG_ARGISNULL(1)) return (Datum)0;
    ReturnSetInfo* rsinfo = (ReturnSetInfo*)fcinfo->resultinfo;
    char* name = name_arg(fcinfo, "kaohe_lines");
    const JsonArg record = json_arg(fcinfo, 1);
    Answer a;
    run(Op::lines, name, record, nullptr, a);
    if (a.status != 0) raise("kaohe_lines", a);
    for (int i = 0; i < a.nlines; ++i) {
        Datum values[6];
        bool nulls[6];
        for (int c = 0; c < 6; ++c) {
            const char* s = a.cells[i * 6 + c];
            nulls[c] = s[0] == '\0' && c != 0 && c != 3;
            if (nulls[c]) values[c] = (Datum)0;
            else if (c == 3)
                values[c] = DirectFunctionCall3(numeric_in, CStringGetDatum(s), ObjectIdGetDatum(InvalidOid),
                                                Int32GetDatum(-1));
            else values[c] = PointerGetDatum(cstring_to_text(s));
        }
        tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
    }
    return (Datum)0;
}

// ---- kaohe_score_batch: an aggregate. Its state is plain C data in the aggregate's memory
// context (so nothing leaks when a query fails between rows): the ruleset name, the unit, and
// each row's record text (or the jsonb size it was refused for), held until the last row, since a
// grade's quota ranks each unit's people; the final function scores them together.

namespace {

struct BatchState {
    char* name;
    JsonArg unit;
    bool has_unit;
    int count, capacity;
    JsonArg* records;
    std::size_t bytes;
};

// jsonb holds one value of at most 256 MB (JENTRY_OFFLENMASK); the results' text is held to it.
constexpr std::size_t kMaxResultBytes = (1u << 28) - 1;

void run_batch(const BatchState& b, Answer& a) noexcept {
    try {
        std::string path;
        if (!ruleset_path(b.name, path, a)) return;
        std::vector<kaohe_sql::Json> records;
        records.reserve(static_cast<std::size_t>(b.count));
        for (int i = 0; i < b.count; ++i) records.push_back(json_of(b.records[i]));
        const kaohe_sql::Json unit = b.has_unit ? json_of(b.unit) : kaohe_sql::Json{};
        const kaohe_sql::Outcome o = cache->score_batch(path, records, b.has_unit ? &unit : nullptr, kMaxResultBytes);
        a.status = static_cast<int>(o.status);
        a.text = pdup(o.text);
        if (!a.text) a.status = 4;
    } catch (...) {
        a.status = 4;
    }
}

// The message for a batch past the limit, in PostgreSQL's memory (no C++ object outlives this call).
char* batch_too_large_text(std::size_t rows, std::size_t bytes) noexcept {
    try {
        return pdup(kaohe_sql::batch_too_large(rows, bytes));
    } catch (...) {
        return nullptr;
    }
}

}  // namespace

extern "C" Datum kaohe_pg_batch_step(PG_FUNCTION_ARGS) {
    const char* fn = "kaohe_score_batch";
    CHECK_FOR_INTERRUPTS();
    MemoryContext aggregate;
    if (!AggCheckCallContext(fcinfo, &aggregate))
        ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED), errmsg("%s: called outside an aggregate", fn)));
    BatchState* b = PG_ARGISNULL(0) ? nullptr : reinterpret_cast<BatchState*>(PG_GETARG_POINTER(0));
    if (PG_ARGISNULL(2)) {  // a NULL record is no one
        if (!b) PG_RETURN_NULL();
        PG_RETURN_POINTER(b);
    }
    if (PG_ARGISNULL(1)) ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("%s: the ruleset name is NULL", fn)));
    const Size name_bytes = toast_raw_datum_size(PG_GETARG_DATUM(1)) - VARHDRSZ;
    if (name_bytes > kaohe_sql::kMaxPathBytes)
        ereport(ERROR, (errcode(ERRCODE_NAME_TOO_LONG),
                        errmsg("%s: ruleset name is %zu bytes long; a name holds at most %zu (PATH_MAX)", fn,
                               static_cast<std::size_t>(name_bytes), kaohe_sql::kMaxPathBytes)));
    MemoryContext old = MemoryContextSwitchTo(aggregate);
    char* name = text_to_cstring(PG_GETARG_TEXT_PP(1));
    if (!b) {
        b = static_cast<BatchState*>(palloc0(sizeof(BatchState)));
        b->name = name;
        b->has_unit = PG_NARGS() > 3 && !PG_ARGISNULL(3);
        if (b->has_unit) b->unit = json_arg(fcinfo, 3);
        b->capacity = 64;
        b->records = static_cast<JsonArg*>(palloc(sizeof(JsonArg) * b->capacity));
    } else if (std::strcmp(name, b->name) != 0) {
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("%s: every row of one batch must name the same ruleset", fn)));
    }
    if (b->count == b->capacity) {
        if (b->capacity > 0x3fffffff / 2)
            ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED), errmsg("%s: too many rows", fn)));
        b->capacity *= 2;
        b->records = static_cast<JsonArg*>(repalloc(b->records, sizeof(JsonArg) * b->capacity));
    }
    const JsonArg record = json_arg(fcinfo, 2);
    b->records[b->count++] = record;
    if (record.text) b->bytes += std::strlen(record.text);
    MemoryContextSwitchTo(old);
    if (b->bytes > kaohe_sql::kMaxBatchBytes) {
        const char* why = batch_too_large_text(static_cast<std::size_t>(b->count), b->bytes);
        ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED), errmsg("%s: %s", fn, why ? why : "too many records")));
    }
    PG_RETURN_POINTER(b);
}

extern "C" Datum kaohe_pg_batch_final(PG_FUNCTION_ARGS) {
    CHECK_FOR_INTERRUPTS();
    if (PG_ARGISNULL(0)) PG_RETURN_NULL();  // no rows
    const BatchState* b = reinterpret_cast<const BatchState*>(PG_GETARG_POINTER(0));
    Answer a;
    run_batch(*b, a);
    if (a.status != 0) raise("kaohe_score_batch", a);
    return DirectFunctionCall1(jsonb_in, CStringGetDatum(a.text));
}
