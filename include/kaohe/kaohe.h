/* kaohe — the C interface: a stable ABI over the C++ engine (kaohe/kaohe.hpp).
 *
 *   char *diagnostics = NULL, *result = NULL;
 *   kaohe_ruleset *rules = kaohe_compile_file("share/kaohe/rulesets/seed/seed.kh", &diagnostics);
 *   if (!rules) { fprintf(stderr, "%s\n", diagnostics); kaohe_free(diagnostics); return 2; }
 *   kaohe_free(diagnostics);
 *   int status = kaohe_evaluate(rules, record, strlen(record), NULL, &result);
 *   puts(result);               (the result JSON, or the error result when status != KAOHE_OK)
 *   kaohe_free(result);
 *   kaohe_ruleset_free(rules);
 *
 * Plain C (C99 and later, or C++), no C++ types and no exceptions cross it. Link with -lkaohe
 * (pkg-config --cflags --libs kaohe, or CMake's kaohe::kaohe).
 *
 * STABILITY. Within one major version (and, while the major version is 0, within one minor
 * version: 0.1.x) this header only grows: existing functions, their signatures, the status
 * codes and the layout of kaohe_batch_options stay as they are, and so does the JSON of results
 * and error results (docs/records.md: fields may be added, none removed or changed) and
 * of diagnostics. The shared library's soname carries the major and minor version
 * (libkaohe.so.0.1).
 *
 * OWNERSHIP. Every char * that a kaohe function hands out through an out-parameter is allocated
 * by kaohe, NUL-terminated UTF-8, owned by the caller, and must be released with kaohe_free
 * (never with free(): the library may use another allocator). A kaohe_ruleset is released with
 * kaohe_ruleset_free. const char * return values (kaohe_version, kaohe_status_string,
 * kaohe_ruleset_policy_name) are owned by the library: never free them. Input strings are only
 * read during the call; the library keeps no pointer to them.
 *
 * OUT-PARAMETERS. An out-parameter (char **) is always written before the function returns:
 * with a new string, or with NULL (out of memory only). Where the documentation says "may be
 * NULL", passing NULL skips that output.
 *
 * THREAD SAFETY. A kaohe_ruleset is immutable once compiled: every function that takes a
 * const kaohe_ruleset * may be called from any number of threads at once on one ruleset.
 * kaohe_ruleset_free must not run while another thread uses that ruleset. Every other function
 * is safe to call from any thread. There is no global error state (no errno, no "last error").
 *
 * STATUS CODES. Functions that score return one of enum kaohe_status; 0 is success.
 *
 * NUMBERS. Records are read exactly from their decimal text (93.7 is 937/10, never a binary
 * approximation), and results write every number exactly as a decimal, rounded as the ruleset
 * says only where a value has no finite decimal form. Read them as decimals, not as binary
 * floating point, if they must stay exact.
 */
#ifndef KAOHE_KAOHE_H
#define KAOHE_KAOHE_H

#include <stddef.h>

#define KAOHE_VERSION_MAJOR 0
#define KAOHE_VERSION_MINOR 1
#define KAOHE_VERSION_PATCH 0
#define KAOHE_VERSION_STRING "0.1.0"

#if defined(__GNUC__) || defined(__clang__)
#define KAOHE_API __attribute__((visibility("default")))
#else
#define KAOHE_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* A compiled ruleset: opaque; create with kaohe_compile_file or kaohe_compile_text. */
typedef struct kaohe_ruleset kaohe_ruleset;

/* What a scoring function returns. */
enum kaohe_status {
    KAOHE_OK = 0,             /* scored: the output is the result JSON */
    KAOHE_ERROR_RECORD = 1,   /* the record cannot be scored (bad JSON, unknown field, amount out of
                                 range, ...): the output is the error result
                                 {"id": "...", "error": {"code": "R006", "message": "...", "where": "events[3].amount"}}
                                 (id is null when the record's id could not be read; code is
                                 the stable error code, R… for records, A… for this interface);
                                 in a batch: at least one record failed, each has its error result */
    KAOHE_ERROR_UNIT = 2,     /* the unit record cannot be read: the output is an error result whose
                                 id is null and whose where starts with "unit" ("unit.events[0].type") */
    KAOHE_ERROR_ARGUMENT = 3, /* a required argument is NULL (or otherwise unusable): the output is an
                                 error result (id null, code "A001") whose where names the argument ("record_json") */
    KAOHE_ERROR_MEMORY = 4,   /* out of memory: the output is NULL */
    KAOHE_ERROR_INTERNAL = 5, /* a bug in kaohe: the output is an error result (code "A003") saying what happened */
    KAOHE_ERROR_STOPPED = 6   /* a batch callback returned non-zero: the batch stopped there */
};

/* Pass as a length to say "the text is NUL-terminated; measure it". */
#define KAOHE_NUL_TERMINATED ((size_t)-1)

/* The library's version, "0.1.0" (may differ from KAOHE_VERSION_STRING, the header's, when the
 * program runs with another build of the shared library). Static: never free it. */
KAOHE_API const char *kaohe_version(void);

/* A short English name for a status code ("ok", "record error", ...); static, never NULL. */
KAOHE_API const char *kaohe_status_string(int status);

/* Releases a string that kaohe handed out. NULL is allowed and does nothing. */
KAOHE_API void kaohe_free(char *text);

/* ---- Compiling ------------------------------------------------------------------------------
 *
 * Diagnostics: when diagnostics_json is not NULL, *diagnostics_json receives a JSON array of
 * every diagnostic, warnings included (also when the ruleset compiles), in the order kaohe check
 * reports them:
 *   [{"code": "C004", "severity": "error", "file": "rules.kh", "line": 6, "column": 19,
 *     "message": "unknown event `study_lat` (did you mean `study_late`?)"}, ...]
 * severity is "error" or "warning"; line and column are 1-based (column counts characters), 0
 * when a diagnostic has no place. Codes are stable: P… parse (P003: a file cannot be read),
 * C… check, W… warning, and A… for this interface (A001: an argument is NULL, A002: out of
 * memory, A003: an internal error). On out of memory *diagnostics_json may be NULL. */

/* Compiles the ruleset whose root file is `path` (includes are read relative to each file), or a
 * scheme's versions: a folder holding `versions.kh`, or that manifest (each record is then scored
 * by the version for its `year`, and its result names it: "version"). Returns NULL when there is
 * any error; the diagnostics say which. */
KAOHE_API kaohe_ruleset *kaohe_compile_file(const char *path, char **diagnostics_json);

/* Compiles a ruleset from source text: `length` bytes (or KAOHE_NUL_TERMINATED). `name` (may be
 * NULL: "<text>") is the file name that diagnostics and explanation lines show; includes are
 * read relative to the current directory. Text over 8 MiB (a rule file's limit) is refused, P004,
 * before it is copied. Returns NULL when there is any error. */
KAOHE_API kaohe_ruleset *kaohe_compile_text(const char *text, size_t length, const char *name,
                                            char **diagnostics_json);

/* Releases a ruleset. NULL is allowed and does nothing. */
KAOHE_API void kaohe_ruleset_free(kaohe_ruleset *rules);

/* The policy's name and year, as the ruleset declares them. The name is owned by the ruleset and
 * valid until kaohe_ruleset_free. NULL rules: "" and 0. */
KAOHE_API const char *kaohe_ruleset_policy_name(const kaohe_ruleset *rules);
KAOHE_API int kaohe_ruleset_year(const kaohe_ruleset *rules);

/* ---- Scoring one record ---------------------------------------------------------------------
 *
 * Scores one person's record (JSON, `length` bytes or KAOHE_NUL_TERMINATED) against `rules`,
 * with the unit record `unit_json` (NUL-terminated JSON; NULL for none). *result_json (result_json
 * may be NULL to get only the status) receives:
 *   KAOHE_OK            the result of docs/records.md, on one line:
 *                       {"id":"2022-001","role":"chair","total":94.5,"scores":{...},"lines":[...]}
 *                       ("role":null when the scheme declares no roles: one card for everyone,
 *                       and a record that names a role is then a record error, R003)
 *   KAOHE_ERROR_RECORD  the error result {"id":"...","error":{"code":"...","message":"...","where":"..."}},
 *                       the same message and field as `kaohe eval` reports
 *   KAOHE_ERROR_UNIT, KAOHE_ERROR_ARGUMENT, KAOHE_ERROR_INTERNAL: an error result too
 *   KAOHE_ERROR_MEMORY  NULL
 * Safe to call from many threads at once on one ruleset. */
KAOHE_API int kaohe_evaluate(const kaohe_ruleset *rules, const char *record_json, size_t length,
                             const char *unit_json, char **result_json);

/* ---- Scoring many records (JSON Lines) ------------------------------------------------------
 *
 * Input: JSON Lines, one person record per line ("Batch input" of docs/records.md); lines that are
 * empty or hold only spaces and tabs are skipped; a line may end in "\r\n". Records are scored on
 * several threads and the results come out in input order. A record that fails does not stop
 * the batch. */

/* Options for a batch. Start from KAOHE_BATCH_OPTIONS_INIT, then set the fields you need: `size`
 * lets later versions add fields at the end without breaking programs built against this one.
 * A NULL options pointer means the defaults. */
typedef struct kaohe_batch_options {
    size_t size;           /* sizeof(kaohe_batch_options), set by KAOHE_BATCH_OPTIONS_INIT */
    unsigned threads;      /* threads that score: 0 (one per core) or 1 to 1024; more than 1024 is
                              refused (KAOHE_ERROR_ARGUMENT, as by the CLI and Python) */
    const char *unit_json; /* a unit record (NUL-terminated JSON) for every person; NULL: none */
} kaohe_batch_options;

#define KAOHE_BATCH_OPTIONS_INIT { sizeof(kaohe_batch_options), 0u, NULL }

/* Scores the JSON Lines `jsonl` (`length` bytes or KAOHE_NUL_TERMINATED). *results_jsonl (may be
 * NULL) receives one line per record, each ending in "\n", in input order: its result JSON, or
 * its error result, whose where starts with the record's line number ("line 12: events[3].amount").
 * *records and *failed (each may be NULL) receive how many records were read and how many
 * failed. Returns KAOHE_OK when every record was scored, KAOHE_ERROR_RECORD when any failed
 * (the results are still complete), or, with no record scored, KAOHE_ERROR_UNIT (a bad unit
 * record: *results_jsonl is its error result, one line), KAOHE_ERROR_ARGUMENT (a NULL argument, or
 * more than 1024 threads: an error result whose where is "threads"),
 * KAOHE_ERROR_MEMORY or KAOHE_ERROR_INTERNAL. */
KAOHE_API int kaohe_evaluate_batch(const kaohe_ruleset *rules, const char *jsonl, size_t length,
                                   const kaohe_batch_options *options, char **results_jsonl,
                                   size_t *records, size_t *failed);

/* Called once per record of kaohe_evaluate_batch_each, in input order, on the calling thread
 * (the other threads score meanwhile). `line` is the record's line number, from 1; `status` is KAOHE_OK or
 * KAOHE_ERROR_RECORD; `result_json` (`length` bytes, NUL-terminated, valid during the call only)
 * is the result JSON or the error result, whose where names the field only. Return 0 to go on,
 * anything else to stop the batch. */
typedef int (*kaohe_batch_callback)(void *context, size_t line, int status, const char *result_json,
                                    size_t length);

/* The same as kaohe_evaluate_batch, with a callback for each result instead of one output text:
 * for large batches. Returns as kaohe_evaluate_batch does, or KAOHE_ERROR_STOPPED when the
 * callback stopped the batch (*records and *failed then count the records handed to it).
 * An error that belongs to no record (KAOHE_ERROR_UNIT, KAOHE_ERROR_ARGUMENT other than a NULL
 * callback, KAOHE_ERROR_INTERNAL) is handed to the callback once, with line 0, that status and
 * its error result; with KAOHE_ERROR_MEMORY the callback may have missed records. */
KAOHE_API int kaohe_evaluate_batch_each(const kaohe_ruleset *rules, const char *jsonl, size_t length,
                                        const kaohe_batch_options *options, kaohe_batch_callback callback,
                                        void *context, size_t *records, size_t *failed);

#ifdef __cplusplus
}
#endif

#endif /* KAOHE_KAOHE_H */
