// Batch scoring (include/kaohe/batch.hpp): the batch gives, for every line, exactly what scoring
// that line alone gives (Ruleset::evaluate(...).json()), in input order, whatever the thread
// count — including records that fail, records with warnings, blank lines and CRLF endings.
#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <vector>

#include "bench/generator.hpp"
#include "kaohe/batch.hpp"
#include "kaohe/kaohe.hpp"

namespace kb = kaohe_bench;

namespace {

const kaohe::Ruleset& seed() {
    static const kaohe::Ruleset rs = [] {
        kaohe::CompileResult c = kaohe::Ruleset::compile_file(std::string(KAOHE_SOURCE_DIR) + "/rulesets/seed/seed.kh");
        REQUIRE(c.ruleset);
        return *std::move(c.ruleset);
    }();
    return rs;
}

// A generated population with some lines spoiled in different ways; `records` gets the lines
// that hold a record (with their line numbers), blank ones left out.
std::string population(std::size_t n, std::vector<std::pair<std::size_t, std::string>>& records) {
    kb::Generator gen(99);
    std::string text;
    std::size_t line = 0;
    for (std::size_t i = 0; i < n; ++i) {
        kb::Person p = gen.next();
        if (i % 37 == 5 && !p.events.empty()) p.events[0].type = kb::traffic_penalty, p.events[0].amount_c = 300;  // warning (or fine for a driver)
        std::string json = kb::to_json(p);
        switch (i % 101) {
        case 7: json.resize(json.size() / 2); break;                                           // bad JSON
        case 19: json.replace(json.find("\"role\":\""), 8, "\"role\":\"x"); break;             // unknown role
        case 31: json.insert(json.size() - 1, ",\"extra\":1"); break;                          // unknown field
        case 43: json = "{\"id\":\"no-year\",\"role\":\"driver\"}"; break;                      // missing year
        case 59: text += "\n"; ++line; break;                                                  // a blank line before
        case 61: text += "  \t \n"; ++line; break;                                             // a line of spaces
        default: break;
        }
        ++line;
        records.emplace_back(line, json);
        text += json;
        text += i % 13 == 0 ? "\r\n" : "\n";
    }
    return text;
}

// What scoring one line alone gives, with the line number in an error's `where`.
std::string expected_line(const kaohe::Ruleset& rs, std::size_t line, const std::string& json) {
    const kaohe::Evaluation e = rs.evaluate(json);
    if (e.ok()) return e.json();
    kaohe::RecordError err = e.error();
    err.where = "line " + std::to_string(line) + (err.where.empty() ? "" : ": " + err.where);
    return kaohe::Evaluation(err).json();
}

}  // namespace

TEST_CASE("a batch gives every line's own result, in input order, with 1, 2 and 5 threads") {
    const kaohe::Ruleset& rs = seed();
    std::vector<std::pair<std::size_t, std::string>> records;
    const std::string text = population(3000, records);
    std::vector<std::string> expected;
    std::size_t failed = 0;
    for (const auto& [line, json] : records) {
        expected.push_back(expected_line(rs, line, json));
        failed += expected.back().find("\"error\":{") != std::string::npos;
    }
    CHECK(failed > 100);

    for (unsigned threads : {1u, 2u, 5u}) {
        CAPTURE(threads);
        std::istringstream in(text);
        std::ostringstream out;
        kaohe::BatchOptions options;
        options.threads = threads;
        std::size_t progress_calls = 0, last_records = 0;
        options.progress = [&](const kaohe::BatchProgress& p) {
            ++progress_calls;
            CHECK(p.records > last_records);
            last_records = p.records;
        };
        const kaohe::BatchStats stats = kaohe::evaluate_batch(rs, in, out, options);
        CHECK(stats.records == records.size());
        CHECK(stats.failed == failed);
        CHECK(stats.lines == records.back().first);
        CHECK(stats.bytes == text.size());
        CHECK_FALSE(stats.input_error);
        CHECK_FALSE(stats.output_error);
        CHECK(progress_calls >= records.size() / kaohe::kBatchChunkRecords);
        CHECK(last_records == records.size());

        std::istringstream lines(out.str());
        std::size_t i = 0, mismatches = 0;
        for (std::string l; std::getline(lines, l); ++i) {
            if (i < expected.size() && l != expected[i] && ++mismatches <= 3)
                FAIL_CHECK("line " << records[i].first << ":\n  batch:  " << l << "\n  alone:  " << expected[i]);
        }
        CHECK(i == expected.size());
        CHECK(mismatches == 0);
    }
}

TEST_CASE("the callback form gives each record with its line number, in order") {
    const kaohe::Ruleset& rs = seed();
    std::vector<std::pair<std::size_t, std::string>> records;
    const std::string text = population(1200, records);
    std::istringstream in(text);
    std::size_t i = 0, mismatches = 0;
    kaohe::BatchOptions options;
    options.threads = 3;
    const kaohe::BatchStats stats = kaohe::evaluate_batch(
        rs, in,
        [&](const kaohe::BatchItem& item) {
            REQUIRE(i < records.size());
            CHECK(item.line == records[i].first);
            std::string text_line = records[i].second;
            if (item.text != text_line) ++mismatches;
            if (item.evaluation.json() != rs.evaluate(text_line).json()) ++mismatches;
            ++i;
        },
        options);
    CHECK(i == records.size());
    CHECK(stats.records == records.size());
    CHECK(mismatches == 0);
}

TEST_CASE("a batch: empty input, blank lines only, no final newline, a line past the record limit") {
    const kaohe::Ruleset& rs = seed();
    const auto run = [&](const std::string& text, kaohe::BatchStats& stats) {
        std::istringstream in(text);
        std::ostringstream out;
        stats = kaohe::evaluate_batch(rs, in, out);
        return out.str();
    };
    kaohe::BatchStats s;
    CHECK(run("", s).empty());
    CHECK(s.records == 0);
    CHECK(s.lines == 0);
    CHECK(run("\n \n\t\r\n", s).empty());
    CHECK(s.records == 0);
    CHECK(s.lines == 3);

    const std::string record = kb::to_json(kb::Generator(5).next());
    CHECK(run(record, s) == rs.evaluate(record).json() + "\n");
    CHECK(s.records == 1);
    CHECK(s.failed == 0);

    // 1 MiB of note in one line: too large, reported by its size, and the next line still scored.
    std::string huge = "{\"id\":\"big\",\"note\":\"" + std::string(1100000, 'x') + "\"}";
    const std::string out = run(huge + "\n" + record + "\n", s);
    CHECK(s.records == 2);
    CHECK(s.failed == 1);
    const std::string first = out.substr(0, out.find('\n'));
    CHECK(first.find("record is larger than 1048576 bytes") != std::string::npos);
    CHECK(first.find("\"where\":\"line 1\"") != std::string::npos);
    CHECK(out.substr(out.find('\n') + 1) == rs.evaluate(record).json() + "\n");
}

TEST_CASE("a batch passes on an exception from its callback, after every thread has stopped") {
    const kaohe::Ruleset& rs = seed();
    std::vector<std::pair<std::size_t, std::string>> records;
    std::istringstream in(population(2000, records));
    kaohe::BatchOptions options;
    options.threads = 4;
    std::size_t calls = 0;
    CHECK_THROWS_WITH(kaohe::evaluate_batch(
                          rs, in,
                          [&](const kaohe::BatchItem&) {
                              if (++calls == 700) throw std::runtime_error("stop here");
                          },
                          options),
                      "stop here");
    CHECK(calls == 700);
}

TEST_CASE("evaluate_many gives each record's own evaluation, in order, and passes on an exception") {
    const kaohe::Ruleset& rs = seed();
    std::vector<std::pair<std::size_t, std::string>> records;
    population(1500, records);
    std::vector<std::string_view> texts;
    for (const auto& r : records) texts.push_back(r.second);

    for (unsigned threads : {1u, 3u}) {
        CAPTURE(threads);
        kaohe::BatchOptions options;
        options.threads = threads;
        std::size_t next = 0, mismatches = 0, failed = 0;
        const kaohe::BatchStats stats = kaohe::evaluate_many(
            rs, texts,
            [&](std::size_t i, const kaohe::Evaluation& e) {
                REQUIRE(i == next++);
                failed += !e.ok();
                if (e.json() != rs.evaluate(texts[i]).json()) ++mismatches;
            },
            options);
        CHECK(next == texts.size());
        CHECK(mismatches == 0);
        CHECK(stats.records == texts.size());
        CHECK(stats.failed == failed);
        CHECK(failed > 0);
    }

    std::size_t calls = 0;
    kaohe::BatchOptions options;
    options.threads = 4;
    CHECK_THROWS_WITH(kaohe::evaluate_many(
                          rs, texts,
                          [&](std::size_t, const kaohe::Evaluation&) {
                              if (++calls == 500) throw std::runtime_error("stop here");
                          },
                          options),
                      "stop here");
    CHECK(calls == 500);
    CHECK(kaohe::evaluate_many(rs, {}, [](std::size_t, const kaohe::Evaluation&) {}).records == 0);
}
