// kaohe benchmarks (Google Benchmark). bench/run.sh builds and runs them and prints the table
// that README.md's "Speed" section holds.
//
// Every benchmark works on the same generated population (bench/generator.hpp, seed 2022,
// KAOHE_BENCH_RECORDS records, 10,000 by default), held in memory before timing starts:
//
//   compile                      compiling rulesets/seed/seed.kh
//   eval/hand                    the hand-written scorer (bench/hand_scorer.hpp) on the generator's structs
//   eval/interpreter             the interpreter (eval::evaluate) on validated records, reusing its outcome
//   eval/interpreter+json        the same, and writing each result's JSON (explanation lines included)
//   stage/read                   the engine's JSON reader alone (text → RawRecord)
//   stage/read+validate          ... and validation (→ Record)
//   stage/read+validate+eval     ... and evaluation: everything the batch does but write the result
//   parse/simdjson               simdjson On-Demand parsing every line, visiting every field and value
//   parse/simdjson_many          the same through iterate_many (one stream, no per-line calls)
//   e2e/threads:N                evaluate_batch on the JSON Lines text, results written (and discarded)
//   workbook/template            the seed ruleset's entry workbook written (libxlsxwriter, via a temporary file)
//   workbook/import              tests/sheets/seed/calc_filled.xlsx (10 people, filled in by LibreOffice Calc) read into records
//
// The eval/ benchmarks use the population's first KAOHE_BENCH_EVAL_RECORDS records (1,000 by
// default), which stay in the cache, as a record does when the batch evaluates it right after
// reading it: they compare computation, not how many bytes each side's record takes in memory.
// Items per second are records per second.
#include <benchmark/benchmark.h>
#include <simdjson.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <streambuf>
#include <string>
#include <vector>

#include "api/access.hpp"
#include "eval/evaluate.hpp"
#include "explain/explain.hpp"
#include "generator.hpp"
#include "hand_scorer.hpp"
#include "kaohe/batch.hpp"
#include "kaohe/kaohe.hpp"
#include "kaohe/workbook.hpp"
#include "record/record.hpp"

namespace kb = kaohe_bench;

namespace {

const std::string kSeedRuleset = std::string(KAOHE_SOURCE_DIR) + "/rulesets/seed/seed.kh";

std::size_t env_size(const char* name, std::size_t fallback) {
    if (const char* s = std::getenv(name)) return std::strtoull(s, nullptr, 10);
    return fallback;
}

struct Population {
    kaohe::Ruleset ruleset;
    std::vector<kb::Person> people;
    std::string jsonl;                      // one record per line, then SIMDJSON_PADDING spare bytes
    std::vector<std::string_view> lines;    // into jsonl
    std::vector<kb::Person> eval_people;         // the first records, for the eval/ benchmarks
    std::vector<kaohe::record::Record> records;  // the same, validated, for the interpreter

    static Population& get() {
        static Population p = make();
        return p;
    }

private:
    static Population make() {
        kaohe::CompileResult c = kaohe::Ruleset::compile_file(kSeedRuleset);
        if (!c.ruleset) {
            std::fputs(kaohe::render(c.diagnostics).c_str(), stderr);
            std::exit(1);
        }
        Population p{*std::move(c.ruleset), {}, {}, {}, {}, {}};
        kb::Generator gen(2022);
        const std::size_t n = env_size("KAOHE_BENCH_RECORDS", 10000);
        p.people.reserve(n);
        std::vector<std::size_t> starts;
        for (std::size_t i = 0; i < n; ++i) {
            p.people.push_back(gen.next());
            starts.push_back(p.jsonl.size());
            kb::append_json(p.jsonl, p.people.back());
            p.jsonl += '\n';
        }
        const std::size_t text_size = p.jsonl.size();
        p.jsonl.append(simdjson::SIMDJSON_PADDING, ' ');
        for (std::size_t i = 0; i < n; ++i) {
            const std::size_t end = (i + 1 < n ? starts[i + 1] : text_size) - 1;
            p.lines.emplace_back(p.jsonl.data() + starts[i], end - starts[i]);
        }
        kaohe::record::JsonReader reader;
        const kaohe::ir::Program& prog = kaohe::Access::program(p.ruleset);
        const std::size_t m = std::min(n, env_size("KAOHE_BENCH_EVAL_RECORDS", 1000));
        for (std::size_t i = 0; i < m; ++i) {
            p.eval_people.push_back(p.people[i]);
            p.records.push_back(kaohe::record::validate(prog, reader.read(p.lines[i]), nullptr));
        }
        return p;
    }
};

void set_counters(benchmark::State& state, std::size_t records, std::size_t bytes = 0) {
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * records));
    if (bytes) state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
}

// ---- compile

void BM_Compile(benchmark::State& state) {
    for (auto _ : state) {
        kaohe::CompileResult c = kaohe::Ruleset::compile_file(kSeedRuleset);
        if (!c.ruleset) state.SkipWithError("the seed ruleset does not compile");
        benchmark::DoNotOptimize(c);
    }
}
BENCHMARK(BM_Compile)->Name("compile")->Unit(benchmark::kMillisecond);

// ---- workbooks

void BM_WorkbookTemplate(benchmark::State& state) {
    const kaohe::CompileResult c = kaohe::Ruleset::compile_file(kSeedRuleset);
    if (!c.ruleset) return state.SkipWithError("the seed ruleset does not compile");
    for (auto _ : state) benchmark::DoNotOptimize(kaohe::entry_workbook(*c.ruleset));
}
BENCHMARK(BM_WorkbookTemplate)->Name("workbook/template")->Unit(benchmark::kMillisecond);

void BM_WorkbookImport(benchmark::State& state) {
    const kaohe::CompileResult c = kaohe::Ruleset::compile_file(kSeedRuleset);
    if (!c.ruleset) return state.SkipWithError("the seed ruleset does not compile");
    std::ifstream in(std::string(KAOHE_SOURCE_DIR) + "/tests/sheets/seed/calc_filled.xlsx", std::ios::binary);
    const std::vector<kaohe::SheetFile> files{{"calc_filled.xlsx", std::string(std::istreambuf_iterator<char>(in), {})}};
    for (auto _ : state) {
        kaohe::Import out = kaohe::import_records(*c.ruleset, files);
        if (!out.ok()) state.SkipWithError("the workbook has problems");
        benchmark::DoNotOptimize(out);
    }
    set_counters(state, 10, files[0].bytes.size());
}
BENCHMARK(BM_WorkbookImport)->Name("workbook/import")->Unit(benchmark::kMillisecond);

// ---- evaluation only, records in memory

void BM_EvalHand(benchmark::State& state) {
    const Population& p = Population::get();
    kb::HandResult r;
    for (auto _ : state) {
        for (const kb::Person& person : p.eval_people) {
            kb::score(person, r);
            benchmark::DoNotOptimize(r);
        }
    }
    set_counters(state, p.eval_people.size());
}
BENCHMARK(BM_EvalHand)->Name("eval/hand")->Unit(benchmark::kMillisecond);

void BM_EvalInterpreter(benchmark::State& state) {
    const Population& p = Population::get();
    const kaohe::ir::Program& prog = kaohe::Access::program(p.ruleset);
    kaohe::eval::Outcome out;
    for (auto _ : state) {
        for (const kaohe::record::Record& r : p.records) {
            kaohe::eval::evaluate(prog, r, out);
            benchmark::DoNotOptimize(out);
        }
    }
    set_counters(state, p.records.size());
}
BENCHMARK(BM_EvalInterpreter)->Name("eval/interpreter")->Unit(benchmark::kMillisecond);

void BM_EvalInterpreterJson(benchmark::State& state) {
    const Population& p = Population::get();
    const kaohe::ir::Program& prog = kaohe::Access::program(p.ruleset);
    kaohe::eval::Outcome out;
    std::string json;
    for (auto _ : state) {
        for (const kaohe::record::Record& r : p.records) {
            kaohe::eval::evaluate(prog, r, out);
            json.clear();
            kaohe::explain::write_json(json, prog, r, out);
            benchmark::DoNotOptimize(json);
        }
    }
    set_counters(state, p.records.size());
}
BENCHMARK(BM_EvalInterpreterJson)->Name("eval/interpreter+json")->Unit(benchmark::kMillisecond);

// ---- the engine's reading stages

void BM_Read(benchmark::State& state) {
    const Population& p = Population::get();
    kaohe::record::JsonReader reader;
    for (auto _ : state) {
        for (std::string_view line : p.lines) benchmark::DoNotOptimize(&reader.read(line));
    }
    set_counters(state, p.lines.size(), p.jsonl.size() - simdjson::SIMDJSON_PADDING);
}
BENCHMARK(BM_Read)->Name("stage/read")->Unit(benchmark::kMillisecond);

void BM_ReadValidate(benchmark::State& state) {
    const Population& p = Population::get();
    const kaohe::ir::Program& prog = kaohe::Access::program(p.ruleset);
    kaohe::record::JsonReader reader;
    kaohe::record::Record rec;
    for (auto _ : state) {
        for (std::string_view line : p.lines) {
            kaohe::record::validate(prog, reader.read(line), nullptr, rec);
            benchmark::DoNotOptimize(rec);
        }
    }
    set_counters(state, p.lines.size(), p.jsonl.size() - simdjson::SIMDJSON_PADDING);
}
BENCHMARK(BM_ReadValidate)->Name("stage/read+validate")->Unit(benchmark::kMillisecond);

void BM_ReadValidateEval(benchmark::State& state) {
    const Population& p = Population::get();
    const kaohe::ir::Program& prog = kaohe::Access::program(p.ruleset);
    kaohe::record::JsonReader reader;
    kaohe::record::Record rec;
    kaohe::eval::Outcome out;
    for (auto _ : state) {
        for (std::string_view line : p.lines) {
            kaohe::record::validate(prog, reader.read(line), nullptr, rec);
            kaohe::eval::evaluate(prog, rec, out);
            benchmark::DoNotOptimize(out);
        }
    }
    set_counters(state, p.lines.size(), p.jsonl.size() - simdjson::SIMDJSON_PADDING);
}
BENCHMARK(BM_ReadValidateEval)->Name("stage/read+validate+eval")->Unit(benchmark::kMillisecond);

// ---- simdjson: only parsing, every field and value visited

namespace od = simdjson::ondemand;

std::uint64_t visit(od::value v);

std::uint64_t visit_object(od::object o) {
    std::uint64_t sum = 0;
    for (auto field : o) {
        std::string_view key;
        if (field.unescaped_key().get(key)) return 0;
        sum += key.size() + visit(field.value());
    }
    return sum;
}

std::uint64_t visit(od::value v) {
    od::json_type t;
    if (v.type().get(t)) return 0;
    switch (t) {
    case od::json_type::object: {
        od::object o;
        return v.get_object().get(o) ? 0 : visit_object(o);
    }
    case od::json_type::array: {
        std::uint64_t sum = 0;
        od::array a;
        if (v.get_array().get(a)) return 0;
        for (auto e : a) {
            od::value ev;
            if (e.get(ev)) return 0;
            sum += visit(ev);
        }
        return sum;
    }
    case od::json_type::string: {
        std::string_view s;
        return v.get_string().get(s) ? 0 : s.size();
    }
    case od::json_type::number: {
        simdjson::ondemand::number n;
        if (v.get_number().get(n)) return 0;
        return n.is_int64() ? static_cast<std::uint64_t>(n.get_int64()) : 1;
    }
    case od::json_type::boolean: {
        bool b = false;
        return v.get_bool().get(b) ? 0 : b;
    }
    case od::json_type::null: return v.is_null() ? 1 : 0;
    }
    return 0;
}

void BM_Simdjson(benchmark::State& state) {
    const Population& p = Population::get();
    od::parser parser;
    const char* base = p.jsonl.data();
    const std::size_t capacity = p.jsonl.size();
    std::uint64_t failures = 0;
    for (auto _ : state) {
        std::uint64_t sum = 0;
        for (std::string_view line : p.lines) {
            // The line in place: the text after it (and the final padding) serves as padding.
            const auto offset = static_cast<std::size_t>(line.data() - base);
            od::document doc;
            if (parser.iterate(simdjson::padded_string_view(line.data(), line.size(), capacity - offset)).get(doc)) {
                ++failures;
                continue;
            }
            od::object o;
            if (doc.get_object().get(o)) {
                ++failures;
                continue;
            }
            sum += visit_object(o);
        }
        benchmark::DoNotOptimize(sum);
    }
    if (failures) state.SkipWithError("simdjson failed on a record");
    set_counters(state, p.lines.size(), p.jsonl.size() - simdjson::SIMDJSON_PADDING);
}
BENCHMARK(BM_Simdjson)->Name("parse/simdjson")->Unit(benchmark::kMillisecond);

void BM_SimdjsonMany(benchmark::State& state) {
    const Population& p = Population::get();
    od::parser parser;
    const std::size_t text = p.jsonl.size() - simdjson::SIMDJSON_PADDING;
    std::uint64_t failures = 0;
    for (auto _ : state) {
        std::uint64_t sum = 0;
        od::document_stream stream;
        if (parser.iterate_many(p.jsonl.data(), text, od::DEFAULT_BATCH_SIZE).get(stream)) {
            ++failures;
            break;
        }
        for (auto doc : stream) {
            od::object o;
            if (doc.get_object().get(o)) {
                ++failures;
                continue;
            }
            sum += visit_object(o);
        }
        benchmark::DoNotOptimize(sum);
    }
    if (failures) state.SkipWithError("simdjson failed on a record");
    set_counters(state, p.lines.size(), text);
}
// iterate_many finds the records' structure on a second thread (Debian builds simdjson with
// SIMDJSON_THREADS_ENABLED), so it is timed by the clock, and is not the single-thread baseline.
BENCHMARK(BM_SimdjsonMany)->Name("parse/simdjson_many")->UseRealTime()->Unit(benchmark::kMillisecond);

// ---- end to end: JSON Lines text in memory → result lines, written and discarded

// Reads a string in place.
class MemoryBuf : public std::streambuf {
public:
    MemoryBuf(const char* data, std::size_t size) {
        char* p = const_cast<char*>(data);
        setg(p, p, p + size);
    }
};

// Counts what is written, keeps none of it.
class NullBuf : public std::streambuf {
public:
    std::uint64_t bytes = 0;

protected:
    std::streamsize xsputn(const char*, std::streamsize n) override {
        bytes += static_cast<std::uint64_t>(n);
        return n;
    }
    int_type overflow(int_type c) override {
        ++bytes;
        return traits_type::not_eof(c);
    }
};

void BM_EndToEnd(benchmark::State& state) {
    const Population& p = Population::get();
    const std::size_t text = p.jsonl.size() - simdjson::SIMDJSON_PADDING;
    kaohe::BatchOptions options;
    options.threads = static_cast<unsigned>(state.range(0));
    NullBuf sink;
    for (auto _ : state) {
        MemoryBuf source(p.jsonl.data(), text);
        std::istream in(&source);
        std::ostream out(&sink);
        const kaohe::BatchStats s = kaohe::evaluate_batch(p.ruleset, in, out, options);
        if (s.failed || s.records != p.lines.size()) state.SkipWithError("records failed");
    }
    set_counters(state, p.lines.size(), text);
    state.counters["out_bytes_per_record"] =
        static_cast<double>(sink.bytes) / static_cast<double>(state.iterations() * p.lines.size());
}
BENCHMARK(BM_EndToEnd)->Name("e2e/threads")->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);

// ---- The summary: each target of the issue, from the runs above (medians when repeated)

class SummaryReporter : public benchmark::ConsoleReporter {
public:
    SummaryReporter() : ConsoleReporter(OO_Tabular) {}

    void ReportRuns(const std::vector<Run>& runs) override {
        ConsoleReporter::ReportRuns(runs);
        for (const Run& r : runs) {
            if (r.aggregate_name != "" && r.aggregate_name != "median") continue;
            const std::string name = r.run_name.str();
            auto it = r.counters.find("items_per_second");
            if (it != r.counters.end()) rate_[name] = it->second.value;
            ms_[name] = r.GetAdjustedCPUTime();
        }
    }

    void Summary() const {
        const auto rate = [&](const std::string& n) {
            auto it = rate_.find(n);
            return it == rate_.end() ? 0.0 : it->second;
        };
        const auto row = [](const char* what, double mine, double base, const char* base_name, double target) {
            const double ratio = base > 0 ? mine / base : 0;
            std::printf("| %-44s | %12.0f | %12.0f %-22s | %6.3f | %5.2f | %-4s |\n", what, mine, base, base_name, ratio,
                        target, ratio >= target ? "met" : "NOT");
        };
        std::printf("\nSummary (records/s; ratio = kaohe / baseline):\n\n");
        std::printf("| %-44s | %12s | %35s | %6s | %5s | %-4s |\n", "measure", "kaohe", "baseline", "ratio", "target", "");
        std::printf("|%s|%s|%s|%s|%s|%s|\n", std::string(46, '-').c_str(), std::string(14, '-').c_str(),
                    std::string(37, '-').c_str(), std::string(8, '-').c_str(), std::string(7, '-').c_str(),
                    std::string(6, '-').c_str());
        row("evaluation only: interpreter vs hand scorer", rate("eval/interpreter"), rate("eval/hand"), "(hand scorer)", 0.5);
        row("end to end, 1 thread: vs simdjson parse only", rate("e2e/threads/1/real_time"), rate("parse/simdjson"),
            "(simdjson per line)", 0.5);
        row("end to end: 2 threads vs 1", rate("e2e/threads/2/real_time"), rate("e2e/threads/1/real_time"),
            "(1 thread)", 1.8);
        auto c = ms_.find("compile");
        if (c != ms_.end()) std::printf("\ncompile rulesets/seed/seed.kh: %.2f ms\n", c->second);

        // Where a record's time goes, end to end on one thread (µs per record).
        const auto us = [&](const std::string& n) { return rate(n) > 0 ? 1e6 / rate(n) : 0.0; };
        const double read = us("stage/read"), validated = us("stage/read+validate");
        const double evaluated = us("stage/read+validate+eval"), e2e = us("e2e/threads/1/real_time");
        std::printf("\nPer record, end to end on one thread (us): read %.2f, validate %.2f, evaluate %.2f, "
                    "write the result and the rest %.2f; total %.2f (simdjson parse only: %.2f)\n",
                    read, validated - read, evaluated - validated, e2e - evaluated, e2e, us("parse/simdjson"));
        std::printf("Without writing results (stage/read+validate+eval) vs simdjson: %.3f; reading alone: %.3f\n",
                    rate("parse/simdjson") > 0 ? rate("stage/read+validate+eval") / rate("parse/simdjson") : 0.0,
                    rate("parse/simdjson") > 0 ? rate("stage/read") / rate("parse/simdjson") : 0.0);
    }

private:
    std::map<std::string, double> rate_, ms_;
};

}  // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    Population::get();  // generated and read before any timing
    SummaryReporter reporter;
    benchmark::RunSpecifiedBenchmarks(&reporter);
    reporter.Summary();
    benchmark::Shutdown();
    return 0;
}
