// kaohe as a PostgreSQL 15 extension (issue 8; README "In SQL"). Built with sql/postgres/Makefile
// (PGXS) against a CMake build's static libraries; tests/sql/postgres_test.sh builds, installs
// and tests it.
//
// No C++ exception and no C++ object with a destructor is alive when PostgreSQL may longjmp:
// every C++ step runs in a noexcept helper that leaves only plain C data (palloc'd without
// ereport on failure); errors are raised with ereport after the helper has returned.
extern "C" {
#include "postgres.h"

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
}

namespace {

char* rulesets_dir = nullptr;
kaohe_sql::Cache* cache = nullptr;  // one per backend (and per parallel worker)

enum class Op { score, total, lines };

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

void run(Op op, const char* name, const char* record, const char* unit, Answer& a) noexcept {
    try {
        std::string n(name);
        std::string dir = rulesets_dir ? rulesets_dir : "";
        if (dir.empty()) {
            a.status = 6;
            a.text = pdup("kaohe.rulesets_dir is not set");
            return;
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
            return;
        }
        // Every file a ruleset reads must resolve inside the directory (symbolic links and
        // includes too); a change of the setting starts a new cache.
        if (cache && cache->confine_to() != dir) {
            delete cache;
            cache = nullptr;
        }
        if (!cache) cache = new kaohe_sql::Cache(dir);
        const std::string path = dir + "/" + n;
        std::string unit_text = unit ? unit : "";
        kaohe_sql::Outcome o;
        std::vector<kaohe_sql::LineRow> rows;
        if (op == Op::score) o = cache->score(path, record, unit ? &unit_text : nullptr);
        else if (op == Op::total) o = cache->total(path, record, unit ? &unit_text : nullptr);
        else o = cache->lines(path, record, nullptr, rows);
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

}  // namespace

extern "C" void _PG_init(void) {
    DefineCustomStringVariable("kaohe.rulesets_dir", "Directory that kaohe ruleset names are relative to.", nullptr,
                               &rulesets_dir, "", PGC_SUSET, 0, nullptr, nullptr, nullptr);
    MarkGUCPrefixReserved("kaohe");
}

static Datum scalar(FunctionCallInfo fcinfo, Op op, const char* fn) {
    CHECK_FOR_INTERRUPTS();
    if (PG_ARGISNULL(0) || PG_ARGISNULL(1)) PG_RETURN_NULL();
    char* name = text_to_cstring(PG_GETARG_TEXT_PP(0));
    char* record = jsonb_text(PG_GETARG_JSONB_P(1));
    char* unit = PG_NARGS() > 2 && !PG_ARGISNULL(2) ? jsonb_text(PG_GETARG_JSONB_P(2)) : nullptr;
    Answer a;
    run(op, name, record, unit, a);
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
    char* name = text_to_cstring(PG_GETARG_TEXT_PP(0));
    char* record = jsonb_text(PG_GETARG_JSONB_P(1));
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
