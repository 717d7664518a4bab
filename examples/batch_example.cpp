// Scoring with the library: compile once, then evaluate one record, a batch with a callback, a
// batch into an output stream, and records from several threads at once.
//
//   batch_example RULES RECORD        e.g. rulesets/seed/seed.kh examples/records/chair.json
//
// Exits 0 when every way of scoring gives the same result for the record, and the bad line of
// the batch is reported with its line number.
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "kaohe/batch.hpp"
#include "kaohe/kaohe.hpp"

namespace {

std::string read_file(const char* path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// The record on one line, as JSON Lines wants it (the JSON may span lines; strings may not).
std::string one_line(std::string json) {
    for (char& c : json)
        if (c == '\n' || c == '\r') c = ' ';
    return json;
}

int failures = 0;

void expect(bool ok, const std::string& what) {
    std::cout << (ok ? "ok    " : "FAIL  ") << what << "\n";
    if (!ok) ++failures;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: batch_example RULES RECORD\n";
        return 2;
    }

    // 1. Compile once. A Ruleset is immutable: share it freely between threads.
    kaohe::CompileResult compiled = kaohe::Ruleset::compile_file(argv[1]);
    if (!compiled.ruleset) {
        std::cerr << kaohe::render(compiled.diagnostics);
        return 2;
    }
    const kaohe::Ruleset& ruleset = *compiled.ruleset;
    const std::string record = read_file(argv[2]);

    // 2. One record.
    const kaohe::Evaluation one = ruleset.evaluate(record);
    if (!one.ok()) {
        std::cerr << argv[2] << ": " << one.error().where << ": " << one.error().message << "\n";
        return 1;
    }
    const kaohe::Result& result = one.result();
    std::cout << result.id() << " (" << result.role() << "): total " << result.total().to_string() << "\n";
    for (const kaohe::Score& s : result.scores())
        if (s.depth == 0) std::cout << "  " << s.path << " " << s.score.to_string() << "\n";

    // 3. A batch with a callback: JSON Lines in (here from memory; any std::istream will do).
    //    Line 2 is blank (skipped), line 3 is a bad record: it fails alone, the batch goes on.
    const std::string line = one_line(record);
    std::istringstream jsonl(line + "\n\n" + R"({"id":"bad-1","role":"chair","year":2022,)"
                             R"("measures":{"county_target_score":95,"reading_notes_chars":5000,"reflection_essays":3},)"
                             R"("events":[{"type":"study_lte"}]})" +
                             "\n" + line + "\n");
    std::vector<std::size_t> lines;
    kaohe::BatchOptions options;
    options.threads = 2;
    const kaohe::BatchStats stats = kaohe::evaluate_batch(
        ruleset, jsonl,
        [&](const kaohe::BatchItem& item) {  // called in input order, one call at a time
            lines.push_back(item.line);
            if (item.evaluation.ok())
                expect(item.evaluation.result().total() == result.total(),
                       "line " + std::to_string(item.line) + ": total " + item.evaluation.result().total().to_string());
            else
                std::cout << "      line " << item.line << ": " << item.evaluation.error().where << ": "
                          << item.evaluation.error().message << "\n";
        },
        options);
    expect(stats.records == 3 && stats.failed == 1 && stats.lines == 4, "callback batch: 3 records, 1 failed, 4 lines");
    expect(lines == std::vector<std::size_t>{1, 3, 4}, "callback batch: records given in input order");

    // 4. A batch into an output stream: one result line per record, errors with their line number.
    jsonl.clear();
    jsonl.seekg(0);
    std::ostringstream out;
    const kaohe::BatchStats streamed = kaohe::evaluate_batch(ruleset, jsonl, out, options);
    std::istringstream results(out.str());
    std::vector<std::string> result_lines;
    for (std::string l; std::getline(results, l);) result_lines.push_back(l);
    expect(streamed.records == 3 && streamed.failed == 1 && result_lines.size() == 3, "stream batch: 3 result lines");
    expect(result_lines.size() == 3 && result_lines[0] == one.json() && result_lines[2] == one.json(),
           "stream batch: each good line's result is the single record's result");
    expect(result_lines.size() == 3 && result_lines[1].find("\"where\":\"line 3: events[0].type\"") != std::string::npos,
           "stream batch: the bad record is reported with its line number");

    // 5. Any number of threads may evaluate with one Ruleset at once.
    std::vector<std::thread> threads;
    std::vector<int> agree(4, 0);
    for (std::size_t t = 0; t < agree.size(); ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 100; ++i) agree[t] += ruleset.evaluate(record).json() == one.json();
        });
    for (auto& t : threads) t.join();
    bool all = true;
    for (int a : agree) all = all && a == 100;
    expect(all, "4 threads × 100 evaluations: every result the same");

    return failures == 0 ? 0 : 1;
}
