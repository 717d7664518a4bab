/* Scoring a record from C, with kaohe's C ABI (kaohe/kaohe.h) only.
 *
 *   cc -std=c99 c_example.c $(pkg-config --cflags --libs kaohe) -o c_example
 *   ./c_example share/kaohe/rulesets/seed/seed.kh share/kaohe/examples/records/chair.json
 *
 * Prints the result JSON (docs/records.md); exit 0 scored, 1 the record was rejected (its
 * error result is printed), 2 the ruleset has errors or a file cannot be read. */
#include <stdio.h>
#include <stdlib.h>

#include <kaohe/kaohe.h>

static char *read_file(const char *path, size_t *size) {
    FILE *f = fopen(path, "rb");
    char *text = NULL;
    size_t n = 0, got;
    char buf[4096];
    if (!f) return NULL;
    while ((got = fread(buf, 1, sizeof buf, f)) > 0) {
        char *more = (char *)realloc(text, n + got);
        if (!more) break;
        text = more;
        for (size_t i = 0; i < got; ++i) text[n + i] = buf[i];
        n += got;
    }
    fclose(f);
    *size = n;
    return text ? text : (char *)calloc(1, 1);
}

int main(int argc, char **argv) {
    char *diagnostics = NULL, *result = NULL, *record;
    size_t size = 0;
    kaohe_ruleset *rules;
    int status;

    if (argc != 3) {
        fprintf(stderr, "usage: %s RULES RECORD\n", argv[0]);
        return 2;
    }
    rules = kaohe_compile_file(argv[1], &diagnostics);  /* every diagnostic, as a JSON array */
    if (!rules) {
        fprintf(stderr, "%s: ruleset has errors: %s\n", argv[1], diagnostics ? diagnostics : "");
        kaohe_free(diagnostics);
        return 2;
    }
    kaohe_free(diagnostics);

    record = read_file(argv[2], &size);
    if (!record) {
        fprintf(stderr, "cannot read %s\n", argv[2]);
        kaohe_ruleset_free(rules);
        return 2;
    }
    status = kaohe_evaluate(rules, record, size, NULL, &result);  /* NULL: no unit record */
    if (result) puts(result);  /* the result, or the error result {"id", "error": {"message", "where"}} */
    if (status != KAOHE_OK) fprintf(stderr, "%s: %s\n", argv[2], kaohe_status_string(status));

    kaohe_free(result);
    free(record);
    kaohe_ruleset_free(rules);
    return status == KAOHE_OK ? 0 : status == KAOHE_ERROR_RECORD ? 1 : 2;
}
