// Long and deep inputs on a small stack. Every recursive walk (the parser's tree builder, the
// AST's destructors and copies, the checker, the evaluator, explanations, the test runner and
// coverage) is bounded by the parser's limits; this compiles and scores inputs just under and
// just over each limit on a thread with a 512 KiB stack (in a release build), as small as a host
// thread may give (a Python or database worker thread; musl's default is smaller still).
#include <doctest/doctest.h>

#include <pthread.h>

#include <functional>
#include <stdexcept>
#include <string>

#include "support.hpp"

#include "kaohe/kaohe.hpp"
#include "kaohe/policy.hpp"
#include "kaohe/testing.hpp"
#include "parse/parser.hpp"

namespace {

using kaohe::testing::kHeader;

// AddressSanitizer's frames are several times larger (the checker's, about 7 KiB a level): there
// the same walks get a proportionally larger stack, which still fails on any unbounded recursion.
#if defined(__SANITIZE_ADDRESS__)
constexpr std::size_t kSmallStack = 4096 * 1024;
#else
constexpr std::size_t kSmallStack = 512 * 1024;
#endif

// Runs f on a thread with a kSmallStack stack; rethrows what it threw.
void on_small_stack(const std::function<void()>& f) {
    struct Job {
        const std::function<void()>* f;
        std::exception_ptr error;
    } job{&f, nullptr};
    pthread_attr_t attr;
    REQUIRE(pthread_attr_init(&attr) == 0);
    REQUIRE(pthread_attr_setstacksize(&attr, kSmallStack) == 0);
    pthread_t thread;
    const int started = pthread_create(
        &thread, &attr,
        [](void* p) -> void* {
            auto* j = static_cast<Job*>(p);
            try {
                (*j->f)();
            } catch (...) {
                j->error = std::current_exception();
            }
            return nullptr;
        },
        &job);
    pthread_attr_destroy(&attr);
    REQUIRE(started == 0);
    pthread_join(thread, nullptr);
    if (job.error) std::rethrow_exception(job.error);
}

std::string repeat(const std::string& s, std::size_t n, const std::string& sep = "") {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) out += (i ? sep : "") + s;
    return out;
}

const std::string kRecord =
    R"({"id":"1","role":"clerk","groups":["leadership"],"year":2022,"measures":{"notes":10,"target":90},"events":[{"type":"late"}]})";

// A ruleset body whose one clause holds `rule`, with a test that scores it.
std::string card(const std::string& rule) {
    return "section s \"s\" 100 { clause c \"c\" 100 {\n  " + rule +
           "\n} }\ntest \"t\" { role clerk groups leadership measures { notes: 10, target: 90 } events { late } "
           "expect total = 100 }\n";
}

struct Outcome {
    bool compiled = false;
    std::string codes;  // the error codes, in order
    std::string messages;
};

// Compiles, and when that succeeds scores, explains and runs the tests (with coverage) — all on
// the small stack.
Outcome exercise(const std::string& body) {
    Outcome out;
    on_small_stack([&] {
        auto c = kaohe::Ruleset::compile_text(kHeader + body, "t.kh");
        for (const auto& d : c.diagnostics) {
            if (d.severity != kaohe::Severity::error) continue;
            out.codes += d.code + " ";
            out.messages += d.message + "\n";
        }
        if (!c.ruleset) return;
        out.compiled = true;
        kaohe::Evaluation e = c.ruleset->evaluate(kRecord);
        if (e.ok()) {
            (void)e.result().text();
            (void)e.result().json();
        }
        (void)e.json();
        kaohe::policy::Coverage cov;
        kaohe::TestOptions options;
        (void)cov.run(*c.ruleset, options);
        (void)cov.report();
    });
    return out;
}

const std::size_t kLimit = kaohe::parse::kMaxExprDepth;

}  // namespace

TEST_CASE("a chain of operators is bounded by the expression depth limit, named in its error") {
    struct Case {
        const char* what;
        std::string operand, op, prefix;
    };
    const Case cases[] = {
        {"+", "0", " + ", "deduct "},
        {"-", "0", " - ", "deduct "},
        {"*", "1", " * ", "deduct "},
        {"/", "1", " / ", "deduct "},
        {"and", "leadership", " and ", "deduct 1 when "},
        {"or", "leadership", " or ", "deduct 1 when "},
        {"+ in a filter", "0", " + ", "deduct 1 each late where 1 < "},
        {"+ in a multiplier", "0", " + ", "deduct 1 times 1/2 if 1 < "},
    };
    for (const auto& k : cases) {
        INFO("chain of ", k.what);
        // kLimit operands make a tree kLimit levels high: the most there may be.
        const Outcome under = exercise(card(k.prefix + repeat(k.operand, kLimit - 1, k.op)));
        CHECK_MESSAGE(under.compiled, under.messages);
        const Outcome at = exercise(card(k.prefix + "(" + repeat(k.operand, kLimit, k.op) + ")"));
        // In a larger expression (the filter's `1 < ...`) the chain itself may fill the limit.
        if (k.prefix.find('<') == std::string::npos) CHECK_MESSAGE(at.compiled, at.messages);
        for (std::size_t n : {kLimit + 1, std::size_t{20000}}) {
            const Outcome over = exercise(card(k.prefix + repeat(k.operand, n, k.op)));
            CHECK_FALSE(over.compiled);
            CHECK(over.codes == "P004 ");
            CHECK(over.messages.find("expression more than " + std::to_string(kLimit) + " levels deep (the limit") !=
                  std::string::npos);
        }
    }
}

TEST_CASE("nested constructs on a small stack: compiled and scored below the limits, refused above") {
    struct Case {
        const char* what;
        std::function<std::string(std::size_t)> rule;
    };
    const Case cases[] = {
        {"parentheses", [](std::size_t n) { return "deduct " + repeat("(", n) + "1" + repeat(")", n); }},
        {"negations", [](std::size_t n) { return "deduct 0 - " + repeat("- ", n - n % 2) + "1"; }},
        {"not", [](std::size_t n) { return "deduct 1 when " + repeat("not ", n - n % 2) + "leadership"; }},
        {"if", [](std::size_t n) { return "deduct " + repeat("if leadership then ", n) + "1" + repeat(" else 0", n); }},
        {"min", [](std::size_t n) { return "deduct " + repeat("min(", n) + "1" + repeat(", 2)", n); }},
        {"floor", [](std::size_t n) { return "deduct " + repeat("floor(", n) + "1" + repeat(")", n); }},
        {"count filters", [](std::size_t n) {
             return "deduct " + repeat("count(late where ", n) + "1 < 2" + repeat(") < 2", n - 1) + ")";
         }},
    };
    for (const auto& k : cases) {
        for (std::size_t n : {std::size_t{5}, std::size_t{50}, std::size_t{90}, std::size_t{300}, std::size_t{2000},
                              std::size_t{20000}}) {
            INFO(k.what, " nested ", n, " deep");
            const Outcome o = exercise(card(k.rule(n)));
            if (n <= 50) CHECK_MESSAGE(o.compiled, o.messages);  // far below every limit
            if (o.compiled) continue;
            // Refused by a limit that its message names: the grammar's nesting or the expression depth.
            const bool named = o.messages.find("(the parser's limit is") != std::string::npos ||
                               o.messages.find("levels deep (the limit") != std::string::npos;
            CHECK_MESSAGE(named, o.messages);
            if (n >= 2000) CHECK_FALSE(o.compiled);
        }
    }
}

TEST_CASE("a long argument list and many rules are flat: compiled and scored on a small stack") {
    const Outcome args = exercise(card("deduct min(" + repeat("1", 20000, ", ") + ")"));
    CHECK_MESSAGE(args.compiled, args.messages);
    const Outcome rules = exercise(card(repeat("deduct 0", 20000, "\n  ")));
    CHECK_MESSAGE(rules.compiled, rules.messages);
}

TEST_CASE("`times` suffixes are bounded: each nests the rule's points one level deeper") {
    const std::size_t limit = kaohe::parse::kMaxMultipliers;
    const Outcome under = exercise(card("deduct 1" + repeat(" times 1 if leadership", limit)));
    CHECK_MESSAGE(under.compiled, under.messages);
    const Outcome over = exercise(card("deduct 1" + repeat(" times 1 if leadership", 20000)));
    CHECK_FALSE(over.compiled);
    CHECK(over.codes == "P004 ");
    CHECK(over.messages.find("more than " + std::to_string(limit) + " `times` suffixes on one rule (the limit)") !=
          std::string::npos);
}

TEST_CASE("nested sections on a small stack: scored below the grammar's limit, refused above it") {
    for (std::size_t n : {std::size_t{10}, std::size_t{100}, std::size_t{140}, std::size_t{200}, std::size_t{20000}}) {
        INFO("sections nested ", n, " deep");
        std::string body = repeat("section s \"s\" 1 { ", n) + "clause c \"c\" 1 { deduct 1 each late }" + repeat(" }", n);
        const Outcome o = exercise(body + "\n");
        if (n <= 100) CHECK_MESSAGE(o.compiled, o.messages);
        if (n >= 200) {
            CHECK_FALSE(o.compiled);
            CHECK(o.messages.find("(the parser's limit is") != std::string::npos);
        }
    }
}
