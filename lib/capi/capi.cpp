// The C interface (include/kaohe/kaohe.h) over the C++ API (kaohe/kaohe.hpp, kaohe/batch.hpp).
//
// Every entry point catches everything: no exception crosses into C. Strings handed out are
// malloc'ed copies, released by kaohe_free.
#include "kaohe/kaohe.h"

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <istream>
#include <new>
#include <optional>
#include <streambuf>
#include <string>
#include <string_view>

#include "diag/codes.hpp"
#include "kaohe/batch.hpp"
#include "kaohe/kaohe.hpp"

struct kaohe_ruleset {
    kaohe::Ruleset rules;
};

namespace {

// Out of memory while making a string to hand out.
struct NoMemory {};

// A malloc'ed, NUL-terminated copy.
char* copy_out(std::string_view s) {
    char* p = static_cast<char*>(std::malloc(s.size() + 1));
    if (!p) throw NoMemory{};
    if (!s.empty()) std::memcpy(p, s.data(), s.size());
    p[s.size()] = '\0';
    return p;
}

// Writes `s` to an optional out-parameter (NULL on out of memory).
void put(char** out, std::string_view s) {
    if (!out) return;
    try {
        *out = copy_out(s);
    } catch (const NoMemory&) {
        *out = nullptr;
    }
}

// An error result of the C interface itself: code A001 (an argument) or A003 (internal).
std::string error_json(const char* code, std::string message, std::string where) {
    kaohe::RecordError e;
    e.code = code;
    e.message = std::move(message);
    e.where = std::move(where);
    return kaohe::Evaluation(std::move(e)).json();
}

// Writes an error result and returns `status` (KAOHE_ERROR_MEMORY if even that fails).
int fail(char** out, int status, std::string message, std::string where) {
    if (!out) return status;
    try {
        *out = copy_out(error_json(status == KAOHE_ERROR_ARGUMENT ? "A001" : "A003", std::move(message), std::move(where)));
    } catch (...) {
        *out = nullptr;
        return KAOHE_ERROR_MEMORY;
    }
    return status;
}

std::string_view text_of(const char* p, std::size_t length) {
    return length == KAOHE_NUL_TERMINATED ? std::string_view(p) : std::string_view(p, length);
}

// Diagnostics of the C interface itself (A…), in the JSON of kaohe::to_json.
std::string api_diagnostic(const char* code, std::string message) {
    kaohe::Diagnostic d;
    d.code = code;
    d.severity = kaohe::Severity::error;
    d.message = std::move(message);
    return kaohe::to_json({d});
}

kaohe_ruleset* compiled(kaohe::CompileResult&& c, char** diagnostics_json) {
    kaohe_ruleset* out = nullptr;
    if (c.ruleset) out = new kaohe_ruleset{std::move(*c.ruleset)};
    if (diagnostics_json) {
        try {
            *diagnostics_json = copy_out(kaohe::to_json(c.diagnostics));
        } catch (...) {
            *diagnostics_json = nullptr;
        }
    }
    return out;
}

template <class Compile>
kaohe_ruleset* guarded_compile(char** diagnostics_json, Compile compile) {
    if (diagnostics_json) *diagnostics_json = nullptr;
    try {
        return compiled(compile(), diagnostics_json);
    } catch (const std::bad_alloc&) {
        put(diagnostics_json, api_diagnostic("A002", "out of memory"));
    } catch (const NoMemory&) {
        put(diagnostics_json, api_diagnostic("A002", "out of memory"));
    } catch (const std::exception& e) {
        put(diagnostics_json, api_diagnostic("A003", std::string("internal error: ") + e.what()));
    } catch (...) {
        put(diagnostics_json, api_diagnostic("A003", "internal error"));
    }
    return nullptr;
}

// Runs an entry point's body: what escapes it becomes a status (an internal error's message
// written to `out`), so that no exception crosses into C.
template <class Body>
int guarded(char** out, Body body) {
    try {
        return body();
    } catch (const std::bad_alloc&) {
        return KAOHE_ERROR_MEMORY;
    } catch (const NoMemory&) {
        return KAOHE_ERROR_MEMORY;
    } catch (const std::exception& e) {
        return fail(out, KAOHE_ERROR_INTERNAL, std::string("internal error: ") + e.what(), "");
    } catch (...) {
        return fail(out, KAOHE_ERROR_INTERNAL, "internal error", "");
    }
}

// Reads the optional unit record; on failure writes its error result to `out` and returns the
// status to give back (KAOHE_OK when there is no error).
int read_unit(const kaohe::Ruleset& rules, const char* unit_json, std::optional<kaohe::Unit>& unit, std::string& error) {
    if (!unit_json) return KAOHE_OK;
    kaohe::RecordError e;
    unit = rules.read_unit(unit_json, &e);
    if (unit) return KAOHE_OK;
    error = kaohe::Evaluation(std::move(e)).json();
    return KAOHE_ERROR_UNIT;
}

// An istream over a caller's buffer, without copying it.
class MemoryBuf : public std::streambuf {
public:
    MemoryBuf(const char* p, std::size_t n) {
        char* b = const_cast<char*>(p);  // read only: the get area is never written
        setg(b, b, b + n);
    }
};

// A streambuf that appends to a std::string.
class StringSink : public std::streambuf {
public:
    explicit StringSink(std::string& s) : s_(s) {}

protected:
    int_type overflow(int_type ch) override {
        if (!traits_type::eq_int_type(ch, traits_type::eof())) s_.push_back(traits_type::to_char_type(ch));
        return traits_type::not_eof(ch);
    }
    std::streamsize xsputn(const char* p, std::streamsize n) override {
        s_.append(p, static_cast<std::size_t>(n));
        return n;
    }

private:
    std::string& s_;
};

// Fields are read only when the caller's struct is large enough to hold them.
unsigned batch_threads(const kaohe_batch_options* o) {
    if (o && o->size >= offsetof(kaohe_batch_options, threads) + sizeof(o->threads)) return o->threads;
    return 0;
}

// 0 is one thread per core; more than this is refused, as by the CLI and Python: a count that
// large is a mistake in the caller, not a wish to be guessed at.
constexpr unsigned kMaxThreads = 1024;

// The message for a thread count out of range, or "" when it is in range.
std::string threads_error(const char* fn, const kaohe_batch_options* o) {
    const unsigned n = batch_threads(o);
    if (n <= kMaxThreads) return {};
    return std::string(fn) + ": threads takes 0 (one per core) or a number of threads from 1 to " +
           std::to_string(kMaxThreads) + ", not " + std::to_string(n);
}

kaohe::BatchOptions batch_options(const kaohe_batch_options* o, const kaohe::Unit* unit) {
    kaohe::BatchOptions out;
    out.unit = unit;
    out.threads = batch_threads(o);
    return out;
}

const char* batch_unit(const kaohe_batch_options* o) {
    if (o && o->size >= offsetof(kaohe_batch_options, unit_json) + sizeof(o->unit_json)) return o->unit_json;
    return nullptr;
}

void set(std::size_t* p, std::size_t v) {
    if (p) *p = v;
}

struct Stopped {};

}  // namespace

extern "C" {

const char* kaohe_version(void) { return kaohe::version(); }

const char* kaohe_status_string(int status) {
    switch (status) {
        case KAOHE_OK: return "ok";
        case KAOHE_ERROR_RECORD: return "record error";
        case KAOHE_ERROR_UNIT: return "unit record error";
        case KAOHE_ERROR_ARGUMENT: return "invalid argument";
        case KAOHE_ERROR_MEMORY: return "out of memory";
        case KAOHE_ERROR_INTERNAL: return "internal error";
        case KAOHE_ERROR_STOPPED: return "stopped by the callback";
        default: return "unknown status";
    }
}

void kaohe_free(char* text) { std::free(text); }

kaohe_ruleset* kaohe_compile_file(const char* path, char** diagnostics_json) {
    if (!path) {
        if (diagnostics_json) *diagnostics_json = nullptr;
        put(diagnostics_json, api_diagnostic("A001", "kaohe_compile_file: path is NULL"));
        return nullptr;
    }
    return guarded_compile(diagnostics_json, [&] { return kaohe::Ruleset::compile_file(path); });
}

kaohe_ruleset* kaohe_compile_text(const char* text, std::size_t length, const char* name, char** diagnostics_json) {
    if (!text) {
        if (diagnostics_json) *diagnostics_json = nullptr;
        put(diagnostics_json, api_diagnostic("A001", "kaohe_compile_text: text is NULL"));
        return nullptr;
    }
    const std::string_view source = text_of(text, length);
    // Measured before it is copied: text given directly has a rule file's limit.
    if (source.size() > kaohe::kMaxRuleFileBytes) {
        if (diagnostics_json) *diagnostics_json = nullptr;
        put(diagnostics_json,
            api_diagnostic(kaohe::diag::name(kaohe::diag::Code::P004),
                           "rule text " + std::string(name ? name : "<text>") + " is larger than " +
                               std::to_string(kaohe::kMaxRuleFileBytes >> 20) + " MiB (the limit), " +
                               std::to_string(source.size()) + " bytes"));
        return nullptr;
    }
    return guarded_compile(diagnostics_json, [&] {
        return kaohe::Ruleset::compile_text(std::string(source), name ? name : "<text>");
    });
}

void kaohe_ruleset_free(kaohe_ruleset* rules) { delete rules; }

const char* kaohe_ruleset_policy_name(const kaohe_ruleset* rules) {
    return rules ? rules->rules.policy_name().c_str() : "";
}

int kaohe_ruleset_year(const kaohe_ruleset* rules) { return rules ? rules->rules.year() : 0; }

int kaohe_evaluate(const kaohe_ruleset* rules, const char* record_json, std::size_t length, const char* unit_json,
                   char** result_json) {
    if (result_json) *result_json = nullptr;
    if (!rules) return fail(result_json, KAOHE_ERROR_ARGUMENT, "kaohe_evaluate: rules is NULL", "rules");
    if (!record_json) return fail(result_json, KAOHE_ERROR_ARGUMENT, "kaohe_evaluate: record_json is NULL", "record_json");
    return guarded(result_json, [&]() -> int {
        std::optional<kaohe::Unit> unit;
        std::string error;
        if (int status = read_unit(rules->rules, unit_json, unit, error); status != KAOHE_OK) {
            if (result_json) *result_json = copy_out(error);
            return status;
        }
        const kaohe::Evaluation e = rules->rules.evaluate(text_of(record_json, length), unit ? &*unit : nullptr);
        if (result_json) *result_json = copy_out(e.json());
        return e.ok() ? KAOHE_OK : KAOHE_ERROR_RECORD;
    });
}

int kaohe_evaluate_batch(const kaohe_ruleset* rules, const char* jsonl, std::size_t length,
                         const kaohe_batch_options* options, char** results_jsonl, std::size_t* records,
                         std::size_t* failed) {
    if (results_jsonl) *results_jsonl = nullptr;
    set(records, 0);
    set(failed, 0);
    if (!rules) return fail(results_jsonl, KAOHE_ERROR_ARGUMENT, "kaohe_evaluate_batch: rules is NULL", "rules");
    if (!jsonl) return fail(results_jsonl, KAOHE_ERROR_ARGUMENT, "kaohe_evaluate_batch: jsonl is NULL", "jsonl");
    return guarded(results_jsonl, [&]() -> int {
        if (std::string e = threads_error("kaohe_evaluate_batch", options); !e.empty())
            return fail(results_jsonl, KAOHE_ERROR_ARGUMENT, std::move(e), "threads");
        std::optional<kaohe::Unit> unit;
        std::string out;
        if (int status = read_unit(rules->rules, batch_unit(options), unit, out); status != KAOHE_OK) {
            if (results_jsonl) *results_jsonl = copy_out(out + "\n");
            return status;
        }
        const std::string_view in_text = text_of(jsonl, length);
        MemoryBuf in_buf(in_text.data(), in_text.size());
        std::istream in(&in_buf);
        StringSink sink(out);
        std::ostream os(&sink);
        const kaohe::BatchStats s =
            kaohe::evaluate_batch(rules->rules, in, os, batch_options(options, unit ? &*unit : nullptr));
        set(records, s.records);
        set(failed, s.failed);
        if (results_jsonl) *results_jsonl = copy_out(out);
        return s.failed ? KAOHE_ERROR_RECORD : KAOHE_OK;
    });
}

int kaohe_evaluate_batch_each(const kaohe_ruleset* rules, const char* jsonl, std::size_t length,
                              const kaohe_batch_options* options, kaohe_batch_callback callback, void* context,
                              std::size_t* records, std::size_t* failed) {
    set(records, 0);
    set(failed, 0);
    if (!callback) return KAOHE_ERROR_ARGUMENT;
    // An error of the whole batch goes to the callback once, as line 0.
    const auto report = [&](int status, std::string message, std::string where) -> int {
        try {
            const std::string e =
                error_json(status == KAOHE_ERROR_ARGUMENT ? "A001" : "A003", std::move(message), std::move(where));
            callback(context, 0, status, e.c_str(), e.size());
        } catch (...) {
            return KAOHE_ERROR_MEMORY;
        }
        return status;
    };
    if (!rules) return report(KAOHE_ERROR_ARGUMENT, "kaohe_evaluate_batch_each: rules is NULL", "rules");
    if (!jsonl) return report(KAOHE_ERROR_ARGUMENT, "kaohe_evaluate_batch_each: jsonl is NULL", "jsonl");
    std::size_t handed = 0, handed_failed = 0;
    try {
        if (std::string e = threads_error("kaohe_evaluate_batch_each", options); !e.empty())
            return report(KAOHE_ERROR_ARGUMENT, std::move(e), "threads");
        std::optional<kaohe::Unit> unit;
        std::string error;
        if (int status = read_unit(rules->rules, batch_unit(options), unit, error); status != KAOHE_OK) {
            callback(context, 0, status, error.c_str(), error.size());
            return status;
        }
        const std::string_view in_text = text_of(jsonl, length);
        MemoryBuf in_buf(in_text.data(), in_text.size());
        std::istream in(&in_buf);
        std::string json;
        const auto on_record = [&](const kaohe::BatchItem& item) {
            json = item.evaluation.json();
            const int status = item.evaluation.ok() ? KAOHE_OK : KAOHE_ERROR_RECORD;
            ++handed;
            if (status != KAOHE_OK) ++handed_failed;
            if (callback(context, item.line, status, json.c_str(), json.size()) != 0) throw Stopped{};
        };
        const kaohe::BatchStats s =
            kaohe::evaluate_batch(rules->rules, in, on_record, batch_options(options, unit ? &*unit : nullptr));
        set(records, s.records);
        set(failed, s.failed);
        return s.failed ? KAOHE_ERROR_RECORD : KAOHE_OK;
    } catch (const Stopped&) {
        set(records, handed);
        set(failed, handed_failed);
        return KAOHE_ERROR_STOPPED;
    } catch (const std::bad_alloc&) {
        set(records, handed);
        set(failed, handed_failed);
        return KAOHE_ERROR_MEMORY;
    } catch (const std::exception& e) {
        set(records, handed);
        set(failed, handed_failed);
        return report(KAOHE_ERROR_INTERNAL, std::string("internal error: ") + e.what(), "");
    } catch (...) {
        set(records, handed);
        set(failed, handed_failed);
        return report(KAOHE_ERROR_INTERNAL, "internal error", "");
    }
}

}  // extern "C"
