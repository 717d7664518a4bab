/* The C ABI (kaohe/kaohe.h), from C: every error path, results equal to the CLI's, 10,000
 * records on 4 threads with one ruleset, and batch scoring. Run by capi_test.sh, which makes the
 * CLI's results first:
 *
 *   capi_test RULES BAD_RULES UNIT MANIFEST ALL_JSONL BATCH_EXPECTED
 *
 * MANIFEST: one line per case, "KIND<TAB>RECORD<TAB>EXPECTED": KIND is plain (the record alone),
 * unit (with UNIT) or bad (a record the CLI rejects); EXPECTED holds what `kaohe eval --format
 * json` printed. BATCH_EXPECTED: `kaohe eval --batch ALL_JSONL`'s output.
 *
 * Everything allocated is freed: the test runs leak-free under AddressSanitizer. */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kaohe/kaohe.h"

static int failures = 0, checks = 0;

#define CHECK(cond)                                                              \
    do {                                                                         \
        ++checks;                                                                \
        if (!(cond)) {                                                           \
            ++failures;                                                          \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                        \
    } while (0)

static int contains(const char *haystack, const char *needle) {
    return haystack != NULL && strstr(haystack, needle) != NULL;
}

static size_t count_of(const char *haystack, const char *needle) {
    size_t n = 0;
    const char *p = haystack;
    while (p && (p = strstr(p, needle)) != NULL) {
        ++n;
        p += strlen(needle);
    }
    return n;
}

/* The whole file, NUL-terminated; exits on failure. */
static char *read_file(const char *path, size_t *size) {
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;
    if (!f) {
        fprintf(stderr, "capi_test: cannot read %s\n", path);
        exit(2);
    }
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = (char *)malloc((size_t)n + 1);
    if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
        fprintf(stderr, "capi_test: cannot read %s\n", path);
        exit(2);
    }
    buf[n] = '\0';
    fclose(f);
    if (size) *size = (size_t)n;
    return buf;
}

static void chomp(char *s) {
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r')) s[--n] = '\0';
}

/* ---- The cases of the manifest */

enum kind { PLAIN, UNIT, BAD };

struct test_case {
    enum kind kind;
    char *record;
    size_t record_size;
    char *expected;
    char *name;
};

static struct test_case cases[64];
static size_t case_count = 0;
static char *unit_text = NULL;

static void read_manifest(const char *path) {
    char *text = read_file(path, NULL);
    char *line = strtok(text, "\n");
    while (line && case_count < sizeof cases / sizeof cases[0]) {
        char *kind = line, *record = strchr(kind, '\t'), *expected;
        struct test_case *c = &cases[case_count];
        if (!record || !(expected = strchr(record + 1, '\t'))) {
            fprintf(stderr, "capi_test: bad manifest line: %s\n", line);
            exit(2);
        }
        *record++ = '\0';
        *expected++ = '\0';
        c->kind = strcmp(kind, "unit") == 0 ? UNIT : strcmp(kind, "bad") == 0 ? BAD : PLAIN;
        c->record = read_file(record, &c->record_size);
        c->expected = read_file(expected, NULL);
        chomp(c->expected);
        c->name = (char *)malloc(strlen(record) + 8);
        sprintf(c->name, "%s%s", record, c->kind == UNIT ? " +unit" : "");
        ++case_count;
        line = strtok(NULL, "\n");
    }
    free(text);
}

static void free_cases(void) {
    size_t i;
    for (i = 0; i < case_count; ++i) {
        free(cases[i].record);
        free(cases[i].expected);
        free(cases[i].name);
    }
}

/* ---- Error paths */

static const char *kTinyRules =
    "policy \"t\" version \"1\" year 2022 round 2 half_up\n"
    "role clerk \"办事员\" { }\n"
    "event late \"迟到\"\n"
    "section s \"S\" 10 { clause c \"C\" 10 { deduct 1 each late } }\n";

static void test_compile_errors(const char *bad_rules) {
    char *d = (char *)"not touched";
    kaohe_ruleset *r;

    r = kaohe_compile_file(NULL, &d);
    CHECK(r == NULL);
    CHECK(contains(d, "\"code\":\"A001\"") && contains(d, "path is NULL"));
    kaohe_free(d);
    CHECK(kaohe_compile_file(NULL, NULL) == NULL);

    r = kaohe_compile_file("/nonexistent/rules.kh", &d);
    CHECK(r == NULL);
    CHECK(contains(d, "\"code\":\"P003\"") && contains(d, "\"severity\":\"error\""));
    kaohe_free(d);

    /* Three errors, all reported, with their places. */
    r = kaohe_compile_file(bad_rules, &d);
    CHECK(r == NULL);
    CHECK(d != NULL && d[0] == '[');
    CHECK(count_of(d, "\"severity\":\"error\"") == 3);
    CHECK(contains(d, "{\"code\":\"C004\",\"severity\":\"error\",\"file\":\""));
    CHECK(contains(d, "check_three_errors.kh\",\"line\":6,\"column\":19,\"message\":\"unknown event `study_lat`"));
    kaohe_free(d);
    CHECK(kaohe_compile_file(bad_rules, NULL) == NULL);

    r = kaohe_compile_text(NULL, 0, "x.kh", &d);
    CHECK(r == NULL && contains(d, "\"code\":\"A001\""));
    kaohe_free(d);

    r = kaohe_compile_text("policy \"t\" version", KAOHE_NUL_TERMINATED, "broken.kh", &d);
    CHECK(r == NULL && contains(d, "\"code\":\"P") && contains(d, "\"file\":\"broken.kh\""));
    kaohe_free(d);

    /* Text over a rule file's limit (8 MiB) is refused before it is copied or parsed. */
    {
        const size_t n = ((size_t)8 << 20) + 1;
        char *big = (char *)malloc(n);
        memset(big, ' ', n);
        r = kaohe_compile_text(big, n, "big.kh", &d);
        CHECK(r == NULL && contains(d, "\"code\":\"P004\"") &&
              contains(d, "rule text big.kh is larger than 8 MiB (the limit), 8388609 bytes"));
        kaohe_free(d);
        r = kaohe_compile_text(big, n - 1, "big.kh", &d); /* at the limit: read (and empty of rules) */
        CHECK(r == NULL && !contains(d, "P004"));
        kaohe_free(d);
        free(big);
    }

    /* From text, with a length: only `length` bytes are read. */
    {
        size_t n = strlen(kTinyRules);
        char *padded = (char *)malloc(n + 16);
        char *result = NULL;
        memcpy(padded, kTinyRules, n);
        memcpy(padded + n, "garbage garbage", 16);
        r = kaohe_compile_text(padded, n, NULL, &d);
        free(padded);
        CHECK(r != NULL);
        CHECK(d != NULL && strcmp(d, "[]") == 0);
        kaohe_free(d);
        CHECK(strcmp(kaohe_ruleset_policy_name(r), "t") == 0);
        CHECK(kaohe_ruleset_year(r) == 2022);
        CHECK(kaohe_evaluate(r, "{\"id\":\"a\",\"role\":\"clerk\",\"year\":2022,\"events\":[{\"type\":\"late\",\"count\":3}]}",
                             KAOHE_NUL_TERMINATED, NULL, &result) == KAOHE_OK);
        CHECK(contains(result, "\"total\":7,") && contains(result, "\"rule\":\"<text>:4\""));
        kaohe_free(result);
        kaohe_ruleset_free(r);
    }
    kaohe_ruleset_free(NULL);
    kaohe_free(NULL);
    CHECK(strcmp(kaohe_ruleset_policy_name(NULL), "") == 0 && kaohe_ruleset_year(NULL) == 0);
}

static void test_evaluate_errors(const kaohe_ruleset *rules) {
    char *result = (char *)"not touched";
    const char *good = cases[0].record;
    const char *bad_unit = "{\"unit\":\"u\",\"year\":2022,\"events\":[{\"type\":\"no_such_event\"}]}";

    CHECK(kaohe_evaluate(NULL, good, KAOHE_NUL_TERMINATED, NULL, &result) == KAOHE_ERROR_ARGUMENT);
    CHECK(contains(result, "\"where\":\"rules\""));
    kaohe_free(result);
    CHECK(kaohe_evaluate(rules, NULL, 0, NULL, &result) == KAOHE_ERROR_ARGUMENT);
    CHECK(contains(result, "{\"id\":null,\"error\":{\"code\":\"A001\",\"message\":\"kaohe_evaluate: record_json is NULL\""));
    CHECK(contains(result, "\"where\":\"record_json\"}}"));
    kaohe_free(result);
    CHECK(kaohe_evaluate(NULL, NULL, 0, NULL, NULL) == KAOHE_ERROR_ARGUMENT);

    /* result_json may be NULL: the status alone. */
    CHECK(kaohe_evaluate(rules, good, KAOHE_NUL_TERMINATED, NULL, NULL) == KAOHE_OK);

    CHECK(kaohe_evaluate(rules, "{", 1, NULL, &result) == KAOHE_ERROR_RECORD);
    CHECK(contains(result, "\"error\":{") && contains(result, "\"message\":\"not valid JSON"));
    kaohe_free(result);
    CHECK(kaohe_evaluate(rules, "", 0, NULL, &result) == KAOHE_ERROR_RECORD);
    kaohe_free(result);
    /* `length` bytes only: a record cut short is bad JSON. */
    CHECK(kaohe_evaluate(rules, good, 10, NULL, &result) == KAOHE_ERROR_RECORD);
    kaohe_free(result);

    CHECK(kaohe_evaluate(rules, good, KAOHE_NUL_TERMINATED, bad_unit, &result) == KAOHE_ERROR_UNIT);
    CHECK(contains(result, "{\"id\":null,\"error\":{") && contains(result, "\"where\":\"unit"));
    CHECK(contains(result, "no_such_event"));
    kaohe_free(result);
    CHECK(kaohe_evaluate(rules, good, KAOHE_NUL_TERMINATED, "not json", &result) == KAOHE_ERROR_UNIT);
    kaohe_free(result);

    CHECK(strcmp(kaohe_status_string(KAOHE_OK), "ok") == 0);
    CHECK(strcmp(kaohe_status_string(KAOHE_ERROR_RECORD), "record error") == 0);
    CHECK(strcmp(kaohe_status_string(KAOHE_ERROR_STOPPED), "stopped by the callback") == 0);
    CHECK(strcmp(kaohe_status_string(42), "unknown status") == 0);
    CHECK(strcmp(kaohe_version(), KAOHE_VERSION_STRING) == 0);
    CHECK(strcmp(kaohe_version(), "0.1.0") == 0);
}

/* ---- One card for everyone: a scheme without roles */

static void test_one_card(void) {
    static const char *rules_text =
        "policy \"t\" year 2022\n"
        "event late \"迟到\"\n"
        "section s \"S\" 10 { clause c \"C\" 10 { deduct 1 each late } }\n";
    char *diagnostics = NULL, *result = NULL;
    size_t records = 0, failed = 0;
    kaohe_ruleset *r = kaohe_compile_text(rules_text, KAOHE_NUL_TERMINATED, "one_card.kh", &diagnostics);
    CHECK(r != NULL);
    kaohe_free(diagnostics);
    if (!r) return;
    CHECK(kaohe_evaluate(r, "{\"id\":\"a\",\"year\":2022,\"events\":[{\"type\":\"late\",\"count\":2}]}",
                         KAOHE_NUL_TERMINATED, NULL, &result) == KAOHE_OK);
    CHECK(contains(result, "{\"id\":\"a\",\"role\":null,\"total\":8,\"scores\":{\"s\":8,\"s.c\":8}"));
    kaohe_free(result);
    CHECK(kaohe_evaluate(r, "{\"id\":\"b\",\"role\":\"clerk\",\"year\":2022}", KAOHE_NUL_TERMINATED, NULL,
                         &result) == KAOHE_ERROR_RECORD);
    CHECK(contains(result, "\"code\":\"R003\"") && contains(result, "the scheme declares no roles") &&
          contains(result, "\"where\":\"role\""));
    kaohe_free(result);
    CHECK(kaohe_evaluate_batch(r, "{\"id\":\"a\",\"year\":2022}\n{\"id\":\"b\",\"role\":\"x\",\"year\":2022}\n",
                               KAOHE_NUL_TERMINATED, NULL, &result, &records, &failed) == KAOHE_ERROR_RECORD);
    CHECK(records == 2 && failed == 1);
    CHECK(contains(result, "{\"id\":\"a\",\"role\":null,\"total\":10,") &&
          contains(result, "\"where\":\"line 2: role\""));
    kaohe_free(result);
    kaohe_ruleset_free(r);
}

/* ---- Results equal to the CLI's */

static int evaluate_case(const kaohe_ruleset *rules, const struct test_case *c, int report) {
    char *result = NULL;
    int status = kaohe_evaluate(rules, c->record, c->record_size, c->kind == UNIT ? unit_text : NULL, &result);
    int ok = result != NULL && strcmp(result, c->expected) == 0 &&
             status == (c->kind == BAD ? KAOHE_ERROR_RECORD : KAOHE_OK);
    if (!ok && report)
        fprintf(stderr, "%s: status %d\n  C ABI: %s\n  CLI:   %s\n", c->name, status, result ? result : "(null)",
                c->expected);
    kaohe_free(result);
    return ok;
}

static void test_equal_to_cli(const kaohe_ruleset *rules) {
    size_t i, plain = 0, unit = 0, bad = 0;
    for (i = 0; i < case_count; ++i) {
        CHECK(evaluate_case(rules, &cases[i], 1));
        plain += cases[i].kind == PLAIN;
        unit += cases[i].kind == UNIT;
        bad += cases[i].kind == BAD;
    }
    CHECK(plain >= 10 && unit >= 1 && bad >= 1);
}

/* ---- 10,000 records on 4 threads, one ruleset */

enum { kThreads = 4, kRecords = 10000 };

struct worker {
    const kaohe_ruleset *rules;
    int index;
    int wrong;
    int scored;
};

static void *work(void *arg) {
    struct worker *w = (struct worker *)arg;
    int i;
    for (i = w->index; i < kRecords; i += kThreads) {
        const struct test_case *c = &cases[(size_t)i % case_count];
        if (!evaluate_case(w->rules, c, w->wrong < 3)) ++w->wrong;
        ++w->scored;
    }
    return NULL;
}

static void test_threads(const kaohe_ruleset *rules) {
    pthread_t threads[kThreads];
    struct worker workers[kThreads];
    int t, scored = 0, wrong = 0;
    for (t = 0; t < kThreads; ++t) {
        workers[t].rules = rules;
        workers[t].index = t;
        workers[t].wrong = workers[t].scored = 0;
        CHECK(pthread_create(&threads[t], NULL, work, &workers[t]) == 0);
    }
    for (t = 0; t < kThreads; ++t) {
        pthread_join(threads[t], NULL);
        scored += workers[t].scored;
        wrong += workers[t].wrong;
    }
    CHECK(scored == kRecords);
    CHECK(wrong == 0);
    printf("capi_test: %d records on %d threads, %d different from the CLI\n", scored, kThreads, wrong);
}

/* ---- Batches */

static char *repeat(const char *text, size_t times) {
    size_t n = strlen(text), i;
    char *out = (char *)malloc(n * times + 1);
    for (i = 0; i < times; ++i) memcpy(out + i * n, text, n);
    out[n * times] = '\0';
    return out;
}

struct collected {
    size_t calls, last_line, stop_after, failed;
    int status0;
    char *first_error;
    int in_order;
};

static int collect(void *context, size_t line, int status, const char *result_json, size_t length) {
    struct collected *c = (struct collected *)context;
    if (line != 0 && line <= c->last_line) c->in_order = 0;
    c->last_line = line;
    ++c->calls;
    if (line == 0) c->status0 = status;
    if (status != KAOHE_OK) {
        ++c->failed;
        if (!c->first_error) {
            c->first_error = (char *)malloc(length + 1);
            memcpy(c->first_error, result_json, length + 1);
        }
    }
    return c->stop_after != 0 && c->calls >= c->stop_after;
}

static void test_batch(const kaohe_ruleset *rules, const char *all_jsonl_path, const char *expected_path) {
    size_t per = 0, records = 99, failed = 99;
    char *all = read_file(all_jsonl_path, NULL);
    char *expected = read_file(expected_path, NULL);
    const char *p;
    char *in, *want, *got = NULL;
    kaohe_batch_options options = KAOHE_BATCH_OPTIONS_INIT;
    int status;

    for (p = all; *p; ++p) per += *p == '\n';
    CHECK(per == 10);
    in = repeat(all, kRecords / per);
    want = repeat(expected, kRecords / per);

    options.threads = 4;
    status = kaohe_evaluate_batch(rules, in, KAOHE_NUL_TERMINATED, &options, &got, &records, &failed);
    CHECK(status == KAOHE_OK);
    CHECK(records == kRecords && failed == 0);
    CHECK(got != NULL && strcmp(got, want) == 0);
    printf("capi_test: batch of %zu records on 4 threads %s the CLI's\n", records,
           got && strcmp(got, want) == 0 ? "equal to" : "DIFFERENT FROM");
    kaohe_free(got);

    /* threads 0 is one per core and 1 to 1024 are taken, as in the CLI and Python; more than 1024
     * is refused with the argument error, naming the range, in both batch functions. */
    {
        const unsigned counts[] = {0u, 1u, 1024u};
        const unsigned refused[] = {1025u, 5000u, 4294967295u};
        size_t i;
        for (i = 0; i < sizeof counts / sizeof counts[0]; ++i) {
            options.threads = counts[i];
            got = NULL;
            status = kaohe_evaluate_batch(rules, all, KAOHE_NUL_TERMINATED, &options, &got, &records, &failed);
            CHECK(status == KAOHE_OK && records == per && failed == 0);
            CHECK(got != NULL && strcmp(got, expected) == 0);
            kaohe_free(got);
        }
        for (i = 0; i < sizeof refused / sizeof refused[0]; ++i) {
            struct collected c;
            char shown[32];
            sprintf(shown, "not %u", refused[i]);
            options.threads = refused[i];
            got = NULL;
            status = kaohe_evaluate_batch(rules, all, KAOHE_NUL_TERMINATED, &options, &got, &records, &failed);
            CHECK(status == KAOHE_ERROR_ARGUMENT && records == 0 && failed == 0);
            CHECK(contains(got, "\"where\":\"threads\"") && contains(got, "\"code\":\"A001\"") &&
                  contains(got, "from 1 to 1024") && contains(got, shown));
            kaohe_free(got);
            memset(&c, 0, sizeof c);
            status = kaohe_evaluate_batch_each(rules, all, KAOHE_NUL_TERMINATED, &options, collect, &c, &records, &failed);
            CHECK(status == KAOHE_ERROR_ARGUMENT && c.calls == 1 && c.last_line == 0 &&
                  c.status0 == KAOHE_ERROR_ARGUMENT && records == 0);
            CHECK(contains(c.first_error, "kaohe_evaluate_batch_each: threads takes 0") && contains(c.first_error, shown));
            free(c.first_error);
        }
        options.threads = 4;
    }

    /* Default options (NULL), a bad line in the middle, a blank line, CRLF. */
    {
        const char *first_line_end = strchr(all, '\n');
        size_t n = (size_t)(first_line_end - all);
        char *mixed = (char *)malloc(2 * n + 64);
        sprintf(mixed, "%.*s\r\n{\"id\":\"b\",\"role\":\"chair\",\"year\":2022,\"evnts\":[]}\n  \n%.*s", (int)n, all,
                (int)n, all);
        status = kaohe_evaluate_batch(rules, mixed, strlen(mixed), NULL, &got, &records, &failed);
        CHECK(status == KAOHE_ERROR_RECORD);
        CHECK(records == 3 && failed == 1);
        CHECK(count_of(got, "\n") == 3);
        CHECK(contains(got, "{\"id\":\"b\",\"error\":{") && contains(got, "\"message\":\"unknown field `evnts`"));
        CHECK(contains(got, "\"where\":\"line 2: evnts\"}}\n"));
        kaohe_free(got);

        /* The callback form: in order, where without the line number, stopping early. */
        {
            struct collected c;
            memset(&c, 0, sizeof c);
            c.in_order = 1;
            status = kaohe_evaluate_batch_each(rules, mixed, strlen(mixed), NULL, collect, &c, &records, &failed);
            CHECK(status == KAOHE_ERROR_RECORD);
            CHECK(c.calls == 3 && c.failed == 1 && c.in_order && c.last_line == 4);
            CHECK(records == 3 && failed == 1);
            CHECK(contains(c.first_error, "\"where\":\"evnts\"}}"));
            free(c.first_error);
        }
        free(mixed);
    }
    {
        struct collected c;
        memset(&c, 0, sizeof c);
        c.in_order = 1;
        c.stop_after = 25;
        options.threads = 4;
        status = kaohe_evaluate_batch_each(rules, in, strlen(in), &options, collect, &c, &records, &failed);
        CHECK(status == KAOHE_ERROR_STOPPED);
        CHECK(c.calls == 25 && records == 25 && failed == 0 && c.in_order);
    }
    /* Options from an older, smaller struct: only its fields are read. */
    {
        kaohe_batch_options old = KAOHE_BATCH_OPTIONS_INIT;
        old.size = sizeof(size_t) + sizeof(unsigned);
        old.threads = 2;
        old.unit_json = "this would be a bad unit record";
        CHECK(kaohe_evaluate_batch(rules, all, KAOHE_NUL_TERMINATED, &old, NULL, &records, &failed) == KAOHE_OK);
        CHECK(records == 10 && failed == 0);
    }

    /* Error paths. */
    status = kaohe_evaluate_batch(NULL, in, KAOHE_NUL_TERMINATED, NULL, &got, &records, &failed);
    CHECK(status == KAOHE_ERROR_ARGUMENT && contains(got, "\"where\":\"rules\"") && records == 0);
    kaohe_free(got);
    status = kaohe_evaluate_batch(rules, NULL, 0, NULL, &got, NULL, NULL);
    CHECK(status == KAOHE_ERROR_ARGUMENT && contains(got, "\"where\":\"jsonl\""));
    kaohe_free(got);
    options.unit_json = "{\"unit\":\"u\",\"year\":2022,\"bogus\":1}";
    status = kaohe_evaluate_batch(rules, in, KAOHE_NUL_TERMINATED, &options, &got, &records, &failed);
    CHECK(status == KAOHE_ERROR_UNIT && contains(got, "\"where\":\"unit") && records == 0);
    CHECK(count_of(got, "\n") == 1);
    kaohe_free(got);
    CHECK(kaohe_evaluate_batch_each(rules, in, KAOHE_NUL_TERMINATED, NULL, NULL, NULL, &records, &failed) ==
          KAOHE_ERROR_ARGUMENT);
    {
        struct collected c;
        memset(&c, 0, sizeof c);
        status = kaohe_evaluate_batch_each(rules, in, KAOHE_NUL_TERMINATED, &options, collect, &c, NULL, NULL);
        CHECK(status == KAOHE_ERROR_UNIT && c.calls == 1 && c.last_line == 0 && c.status0 == KAOHE_ERROR_UNIT);
        CHECK(contains(c.first_error, "\"where\":\"unit"));
        free(c.first_error);
        memset(&c, 0, sizeof c);
        status = kaohe_evaluate_batch_each(NULL, in, KAOHE_NUL_TERMINATED, NULL, collect, &c, NULL, NULL);
        CHECK(status == KAOHE_ERROR_ARGUMENT && c.calls == 1 && c.status0 == KAOHE_ERROR_ARGUMENT);
        free(c.first_error);
    }
    /* With a good unit record, every person gets it. */
    options.unit_json = unit_text;
    status = kaohe_evaluate_batch(rules, all, KAOHE_NUL_TERMINATED, &options, &got, &records, &failed);
    CHECK(status == KAOHE_OK && records == 10);
    {
        size_t i;
        for (i = 0; i < case_count; ++i)
            if (cases[i].kind == UNIT) CHECK(contains(got, cases[i].expected));
    }
    kaohe_free(got);
    /* An empty batch. */
    status = kaohe_evaluate_batch(rules, "", 0, NULL, &got, &records, &failed);
    CHECK(status == KAOHE_OK && got != NULL && got[0] == '\0' && records == 0);
    kaohe_free(got);

    free(in);
    free(want);
    free(all);
    free(expected);
}

/* `capi_test --agree RULES MANIFEST`: every case of the manifest scored through the C ABI equals
   the CLI's output, byte for byte (a shipped ruleset other than the seed, and its records). */
static int agree(const char *rules_path, const char *manifest) {
    char *diagnostics = NULL;
    kaohe_ruleset *rules;
    size_t i;
    read_manifest(manifest);
    CHECK(case_count > 0);
    rules = kaohe_compile_file(rules_path, &diagnostics);
    CHECK(rules != NULL);
    if (!rules) {
        fprintf(stderr, "%s\n", diagnostics ? diagnostics : "(no diagnostics)");
        return 1;
    }
    kaohe_free(diagnostics);
    for (i = 0; i < case_count; ++i) CHECK(evaluate_case(rules, &cases[i], 1));
    kaohe_ruleset_free(rules);
    free_cases();
    printf("capi_test: %s: %d checks, %d failed\n", rules_path, checks, failures);
    return failures == 0 ? 0 : 1;
}

/* A quota's ties ranked by a measure (tests/language/quota_ties.test.kh): of two tied at 95, the
 * one with more days keeps 优秀. */
static void test_quota_ties_by_measure(void) {
    char *diagnostics = NULL, *got = NULL;
    const char *people =
        "{\"id\":\"a\",\"year\":2022,\"measures\":{\"attendance\":249},\"events\":[{\"type\":\"mistake\",\"amount\":5}]}\n"
        "{\"id\":\"b\",\"year\":2022,\"measures\":{\"attendance\":250},\"events\":[{\"type\":\"mistake\",\"amount\":5}]}\n"
        "{\"id\":\"c\",\"year\":2022,\"measures\":{\"attendance\":0},\"events\":[{\"type\":\"mistake\",\"amount\":40}]}\n"
        "{\"id\":\"d\",\"year\":2022,\"measures\":{\"attendance\":0},\"events\":[{\"type\":\"mistake\",\"amount\":40}]}\n"
        "{\"id\":\"e\",\"year\":2022,\"measures\":{\"attendance\":0},\"events\":[{\"type\":\"mistake\",\"amount\":40}]}\n";
    kaohe_ruleset *rules = kaohe_compile_file("tests/language/quota_ties.test.kh", &diagnostics);
    size_t records = 0, failed = 0;
    CHECK(rules != NULL);
    kaohe_free(diagnostics);
    if (!rules) return;
    CHECK(kaohe_evaluate_batch(rules, people, KAOHE_NUL_TERMINATED, NULL, &got, &records, &failed) == KAOHE_OK);
    CHECK(records == 5 && failed == 0);
    CHECK(count_of(got, "\"grade\":\"优秀\",\"outcome\"") == 1);
    {
        const char *b = strstr(got, "{\"id\":\"b\",");
        const char *end = b ? strchr(b, '\n') : NULL;
        const char *grade = b ? strstr(b, "\"grade\":\"优秀\"") : NULL;
        CHECK(b != NULL && end != NULL && grade != NULL && grade < end);  /* b, with more days */
    }
    CHECK(contains(got, "ties by highest attendance then all_in\",\"rank\":2}"));
    kaohe_free(got);
    kaohe_ruleset_free(rules);
}

/* A grade's quota (examples/quota/quota.kh): the batch ranks the unit and moves those past 15% of
 * it to the next grade; one record's grade is before the quota. */
static void test_quota(void) {
    char *diagnostics = NULL, *got = NULL, *one = NULL;
    char *people = read_file("examples/quota/ties.jsonl", NULL);
    kaohe_ruleset *rules = kaohe_compile_file("examples/quota/quota.kh", &diagnostics);
    size_t records = 0, failed = 0;
    CHECK(rules != NULL && people != NULL);
    kaohe_free(diagnostics);
    if (!rules || !people) return;
    CHECK(kaohe_evaluate_batch(rules, people, KAOHE_NUL_TERMINATED, NULL, &got, &records, &failed) == KAOHE_OK);
    CHECK(records == 10 && failed == 0);
    CHECK(count_of(got, "\"grade\":\"优秀\",\"outcome\"") == 1);
    CHECK(count_of(got, "\"by\":\"quota\"") == 3);
    CHECK(contains(got, "\"quota\":\"优秀: 15% of 10 = 1.5, round down = 1, ties all_in\",\"rank\":2}"));
    *strchr(people, '\n') = '\0';
    CHECK(kaohe_evaluate(rules, people, KAOHE_NUL_TERMINATED, NULL, &one) == KAOHE_OK);
    CHECK(one != NULL && contains(one, "\"quota\":\"before\""));
    kaohe_free(got);
    kaohe_free(one);
    kaohe_free(people);
    kaohe_ruleset_free(rules);
}

/* A grade rule reading the person's unit (tests/language/unit_stats.test.kh): in a batch, 92 of
 * 100, 92, 91, 91 is below the unit's mean 93.5 and held to 称职; one record alone leaves it undecided. */
static void test_unit_stats(void) {
    const char *people =
        "{\"id\":\"a\",\"year\":2022,\"measures\":{\"attendance\":100},\"events\":[]}\n"
        "{\"id\":\"b\",\"year\":2022,\"measures\":{\"attendance\":90},\"events\":[{\"type\":\"mistake\",\"amount\":8}]}\n"
        "{\"id\":\"c\",\"year\":2022,\"measures\":{\"attendance\":95},\"events\":[{\"type\":\"mistake\",\"amount\":9}]}\n"
        "{\"id\":\"d\",\"year\":2022,\"measures\":{\"attendance\":85},\"events\":[{\"type\":\"mistake\",\"amount\":9}]}\n";
    const char *one = "{\"id\":\"b\",\"year\":2022,\"measures\":{\"attendance\":90},\"events\":[{\"type\":\"mistake\",\"amount\":8}]}";
    char *diagnostics = NULL, *got = NULL, *alone = NULL;
    kaohe_ruleset *rules = kaohe_compile_file("tests/language/unit_stats.test.kh", &diagnostics);
    size_t records = 0, failed = 0;
    CHECK(rules != NULL);
    kaohe_free(diagnostics);
    if (!rules) return;
    CHECK(kaohe_evaluate_batch(rules, people, KAOHE_NUL_TERMINATED, NULL, &got, &records, &failed) == KAOHE_OK);
    CHECK(records == 4 && failed == 0);
    CHECK(count_of(got, "\"grade\":\"称职\",\"outcome\"") == 3);
    CHECK(contains(got, "\"population\":{\"decided\":true,\"unit\":\"\",\"people\":4,\"rank\":2,\"mean_total\":93.5,"));
    CHECK(kaohe_evaluate(rules, one, KAOHE_NUL_TERMINATED, NULL, &alone) == KAOHE_OK);
    CHECK(alone != NULL && contains(alone, "\"population\":{\"decided\":false,\"unit\":\"\"}"));
    kaohe_free(got);
    kaohe_free(alone);
    kaohe_ruleset_free(rules);
}

int main(int argc, char **argv) {
    kaohe_ruleset *rules;
    char *diagnostics = NULL;
    if (argc == 4 && strcmp(argv[1], "--agree") == 0) return agree(argv[2], argv[3]);
    if (argc != 7) {
        fprintf(stderr, "usage: capi_test RULES BAD_RULES UNIT MANIFEST ALL_JSONL BATCH_EXPECTED\n");
        return 2;
    }
    unit_text = read_file(argv[3], NULL);
    read_manifest(argv[4]);
    if (case_count == 0) {
        fprintf(stderr, "capi_test: no cases in %s\n", argv[4]);
        return 2;
    }

    test_compile_errors(argv[2]);

    rules = kaohe_compile_file(argv[1], &diagnostics);
    CHECK(rules != NULL);
    CHECK(diagnostics != NULL && diagnostics[0] == '[');
    if (!rules) {
        fprintf(stderr, "%s\n", diagnostics ? diagnostics : "(no diagnostics)");
        return 1;
    }
    kaohe_free(diagnostics);

    test_evaluate_errors(rules);
    test_equal_to_cli(rules);
    test_threads(rules);
    test_batch(rules, argv[5], argv[6]);
    test_quota();
    test_unit_stats();
    test_quota_ties_by_measure();
    test_one_card();

    kaohe_ruleset_free(rules);
    free_cases();
    free(unit_text);
    printf("capi_test: %d checks, %d failed\n", checks, failures);
    return failures == 0 ? 0 : 1;
}
