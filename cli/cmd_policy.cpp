// kaohe — changing a policy safely (include/kaohe/policy.hpp):
//
//   kaohe test PATH... [--coverage] [--min-coverage P] [--update] [--format text|json]
//   kaohe mutate RULES [TESTS...] [--threads N] [--min-score P] [--format text|json]
//   kaohe diff OLD NEW [--batch FILE|- [--unit UNIT | --as-year] [--threads N]] [--format text|json]
//
// cli/main.cpp calls add_policy_commands() once the `test` subcommand exists, and runs what it
// returns after parsing: it handles `test`, `mutate` and `diff`, and returns nullopt for everything
// else.
#include <CLI/CLI.hpp>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "kaohe/kaohe.hpp"
#include "kaohe/policy.hpp"
#include "kaohe/testing.hpp"
#include "common.hpp"
#include "output.hpp"

namespace {

namespace policy = kaohe::policy;
using kaohe::cli::expand_test_paths;

std::optional<kaohe::Number> percent(const std::string& text, const char* option) {
    auto n = kaohe::Number::from_decimal(text);
    if (!n || n->is_negative() || *n > kaohe::Number(100)) {
        std::cerr << "kaohe: " << option << " takes a percentage from 0 to 100, not " << text << "\n";
        return std::nullopt;
    }
    return n;
}

// ---- test --coverage / --update / --format

struct TestFlags {
    bool coverage = false, update = false;
    std::string format = "text", min_coverage;
    CLI::Option* format_opt = nullptr;
    CLI::Option* min_opt = nullptr;
};

// One report per file; a file that does not compile has its error (and ran no test).
std::vector<kaohe::TestReport> run_files(const std::vector<std::string>& files, policy::Coverage* coverage) {
    std::vector<kaohe::TestReport> out;
    for (const auto& f : files) {
        kaohe::CompileResult c = kaohe::Ruleset::compile_file(f);
        if (!c.ruleset) {
            out.push_back(kaohe::run_tests(f));
            continue;
        }
        const std::vector<kaohe::Ruleset::Version> versions = c.ruleset->versions();
        if (!versions.empty()) {
            // A scheme's versions: each version's tests, run against that version.
            for (const auto& v : versions) {
                const std::optional<kaohe::Ruleset> version = c.ruleset->for_year(v.year);
                kaohe::TestReport r = coverage ? coverage->run(*version) : kaohe::run_tests(*version);
                r.file = f + " version \"" + v.label + "\"";
                out.push_back(std::move(r));
            }
            if (!out.empty()) out[out.size() - versions.size()].diagnostics = std::move(c.diagnostics);
            continue;
        }
        kaohe::TestReport r = coverage ? coverage->run(*c.ruleset) : kaohe::run_tests(*c.ruleset);
        r.file = f;
        r.diagnostics = std::move(c.diagnostics);
        out.push_back(std::move(r));
    }
    return out;
}

// "scheme/versions.kh version \"2022\": 1 passed, 1 failed" for each version of a scheme run:
// a failure's place names the version's file, this says which versions ran how many tests.
std::string version_counts(const std::vector<kaohe::TestReport>& runs) {
    std::string out;
    for (const auto& r : runs)
        if (r.ok() && r.file.find(" version \"") != std::string::npos)
            out += kaohe::terminal_text(r.file) + ": " + std::to_string(r.passed()) + " passed, " + std::to_string(r.failed()) +
                   " failed" + (r.tests.empty() ? " (this version has no tests)" : "") + "\n";
    return out;
}

int cmd_test(const std::vector<std::string>& paths, const TestFlags& flags) {
    const bool json = flags.format == "json";
    std::optional<kaohe::Number> min;
    if (!flags.min_coverage.empty()) {
        min = percent(flags.min_coverage, "--min-coverage");
        if (!min) return 2;
    }
    const std::vector<std::string> files = expand_test_paths(paths, true);
    std::optional<policy::Coverage> coverage;
    if (flags.coverage) coverage.emplace();
    std::vector<kaohe::TestReport> runs = run_files(files, coverage ? &*coverage : nullptr);

    policy::UpdateReport updates;
    bool write_failed = false;
    if (flags.update) {
        updates = policy::apply_updates(runs);
        if (!json) std::cout << updates.text();
        std::set<std::string> unwritten;  // each file that could not be rewritten, said once
        for (const auto& u : updates.updates)
            if (u.write_failed && unwritten.insert(u.file).second) std::cerr << "kaohe: " << kaohe::terminal_text(u.why_not) << "\n";
        write_failed = !unwritten.empty();
        if (updates.applied()) {
            // Again, with the new expectations: what still fails is shown below.
            if (coverage) coverage.emplace();
            runs = run_files(files, coverage ? &*coverage : nullptr);
        }
    }

    int passed = 0, failed = 0;
    std::string failures_json;
    // The failures of every file in one list, so the per-file reports are shown item by item.
    for (const auto& r : runs) {
        if (!r.ok()) {
            std::cerr << kaohe::render(r.diagnostics);
            if (json) failures_json += (failures_json.empty() ? "" : ",") + r.json();
            else std::cout << r.text();
            ++failed;
            continue;
        }
        for (const auto& t : r.tests) {
            if (t.passed) {
                ++passed;
                continue;
            }
            ++failed;
            if (json) failures_json += (failures_json.empty() ? "" : ",") + t.json();
            else std::cout << t.text();
        }
    }
    bool coverage_ok = true;
    std::optional<policy::CoverageReport> report;
    if (coverage) {
        report = coverage->report();
        if (min) coverage_ok = report->meets(*min);
    }
    if (json) {
        std::string out = "{\"passed\":" + std::to_string(passed) + ",\"failed\":" + std::to_string(failed) +
                          ",\"failures\":[" + failures_json + "]";
        if (flags.update) {
            out += ",\"updates\":[";
            for (std::size_t i = 0; i < updates.updates.size(); ++i) out += (i ? "," : "") + updates.updates[i].json();
            out += "]";
        }
        if (report) out += ",\"coverage\":" + report->json();
        std::cout << out << "}\n";
    } else {
        std::cout << version_counts(runs) << passed << " passed, " << failed << " failed\n";
        if (report) {
            std::cout << report->text();
            if (!coverage_ok) std::cout << "coverage below " << flags.min_coverage << "%\n";
        }
    }
    if (write_failed) return kaohe::cli::kExitWriteFailed;
    if (passed == 0 && failed == 0) {
        // Asked to test, and nothing was tested: a run that checks nothing must not pass.
        std::cerr << "kaohe: no tests ran: the files given hold no `test` blocks (and a folder no *.test.kh files)\n";
        return 1;
    }
    return failed || !coverage_ok ? 1 : 0;
}

// ---- mutate

int cmd_mutate(const std::string& rules, const std::vector<std::string>& test_args, unsigned threads,
               const std::string& format, const std::string& min_score) {
    std::optional<kaohe::Number> min;
    if (!min_score.empty()) {
        min = percent(min_score, "--min-score");
        if (!min) return 2;
    }
    std::vector<std::string> tests;
    if (test_args.empty()) {
        // The tests next to the ruleset, and the ruleset's own.
        const std::filesystem::path dir = std::filesystem::path(rules).parent_path();
        tests = kaohe::find_test_files(dir.empty() ? "." : dir.string());
        kaohe::CompileResult c = kaohe::Ruleset::compile_file(rules);
        if (c.ruleset && !kaohe::run_tests(*c.ruleset).tests.empty()) tests.insert(tests.begin(), rules);
    } else {
        tests = expand_test_paths(test_args);
    }
    if (tests.empty()) {
        std::cerr << "kaohe: no tests to run against the mutants (give TESTS, or put *.test.kh next to " << rules << ")\n";
        return 2;
    }
    policy::MutationOptions options;
    options.threads = threads;
    const bool tty = isatty(STDERR_FILENO);
    if (tty) {
        options.progress = [](std::size_t done, std::size_t total) {
            if (done % 10 == 0 || done == total) std::cerr << "\rmutants: " << done << "/" << total << std::flush;
        };
    }
    policy::MutationReport r = policy::mutate(rules, tests, options);
    if (tty) std::cerr << "\r\033[K" << std::flush;
    if (!r.ok()) {
        std::cerr << kaohe::render(r.diagnostics);
        std::cerr << "kaohe: " << r.error << "\n";
        return 2;
    }
    if (format == "json") {
        // JSON Lines, so that a long run can be read as it is written: one object per mutant.
        for (const auto& m : r.results) std::cout << m.json() << "\n";
        for (const auto& e : r.equivalent) std::cout << e.json() << "\n";
        std::cout << "{\"summary\":{\"mutants\":" << r.results.size() << ",\"killed\":" << r.killed
                  << ",\"survived\":" << r.survived << "}}\n";
    } else {
        std::cout << r.text();
    }
    if (min && r.score() < *min) {
        std::cerr << "kaohe: mutation score below " << min_score << "%\n";
        return 1;
    }
    return 0;
}

// ---- diff

int cmd_diff(const std::string& old_rules, const std::string& new_rules, const std::string& batch,
             const std::string& unit, bool as_year, unsigned threads, const std::string& format) {
    const bool json = format == "json";
    if (batch.empty()) {
        policy::StructuralDiff d = policy::structural_diff(old_rules, new_rules);
        if (!d.ok()) {
            std::cerr << kaohe::render(d.diagnostics);
            return 2;
        }
        if (!json) {
            std::cout << d.text();
            return 0;
        }
        for (const auto& c : d.changes) std::cout << c.json() << "\n";
        std::cout << "{\"summary\":{\"changes\":" << d.changes.size() << "}}\n";
        return 0;
    }
    std::ifstream file;
    std::istream* in = &std::cin;
    if (batch != "-") {
        if (std::string why = kaohe::cli::open_batch_input(batch, file); !why.empty()) {
            std::cerr << "kaohe: " << why << "\n";
            return 2;
        }
        in = &file;
    }
    policy::BatchDiffOptions options;
    options.threads = threads;
    options.as_year = as_year;
    options.unit_path = unit;
    options.with_lines = !json;
    const policy::ImpactReport summary = policy::diff_batch(
        old_rules, new_rules, *in, options,
        [&](const policy::RecordDiff& d) {
            if (d.error) {
                std::cerr << "kaohe: line " << d.line << ": record " << (d.id.empty() ? "(no id)" : kaohe::terminal_text(d.id))
                          << ": " << kaohe::terminal_text(d.error_text) << "\n";
                return;
            }
            if (json && d.changed()) std::cout << d.json() << "\n";
        });
    if (!summary.ok()) {
        std::cerr << kaohe::render(summary.diagnostics);
        std::cerr << "kaohe: " << summary.error << "\n";
        return 2;
    }
    std::cout << (json ? summary.json() + "\n" : summary.text());
    std::cout.flush();
    if (summary.errors)
        std::cerr << "kaohe: " << summary.errors << " of " << summary.records
                  << (summary.records == 1 ? " record" : " records") << " could not be scored under both rulesets\n";
    return summary.errors ? 1 : 0;
}

}  // namespace

// Registers the flags of `test` and the subcommands `mutate` and `diff` on `app`; the function it
// returns runs the chosen command after parsing, or returns nullopt when it is none of these.
std::function<std::optional<int>()> add_policy_commands(CLI::App& app, CLI::App& test,
                                                        const std::vector<std::string>& test_paths) {
    auto flags = std::make_shared<TestFlags>();
    auto* coverage = test.add_flag("--coverage", flags->coverage,
                                   "Report which rules and boundaries the tests cover; list what they do not");
    flags->min_opt = test.add_option("--min-coverage", flags->min_coverage,
                                     "With --coverage: fail unless rules and boundaries are each covered at least P%")
                         ->needs(coverage);
    test.add_flag("--update", flags->update,
                  "Rewrite each failing `expect` to the actual value, in place (for an accepted change)");
    flags->format_opt = test.add_option("--format", flags->format, "text or json")->check(CLI::IsMember({"text", "json"}));

    struct MutateArgs {
        std::string rules, format = "text", min_score;
        std::vector<std::string> tests;
        unsigned threads = 0;
    };
    auto margs = std::make_shared<MutateArgs>();
    auto* mutate = app.add_subcommand(
        "mutate", "Mutation testing: change each number, rounding, comparison, cap, floor and multiplier of the "
                  "ruleset one at a time, and check that the tests notice");
    mutate->add_option("rules", margs->rules, "The ruleset's root file")->required();
    mutate->add_option("tests", margs->tests,
                       "Test files or folders (default: the *.test.kh under the ruleset's folder, and its own tests)");
    mutate->add_option("--threads", margs->threads, "Threads (default and 0: one per core)")
        ->check(kaohe::cli::thread_count());
    mutate->add_option("--format", margs->format, "text (survivors and a summary) or json (one line per mutant)")
        ->check(CLI::IsMember({"text", "json"}));
    mutate->add_option("--min-score", margs->min_score, "Exit 1 when the mutation score is below P%");

    struct DiffArgs {
        std::string old_rules, new_rules, batch, unit, format = "text";
        unsigned threads = 0;
        bool as_year = false;
    };
    auto dargs = std::make_shared<DiffArgs>();
    auto* diff = app.add_subcommand(
        "diff", "Compare two rulesets: what changed, or with --batch, how every record's score changes");
    diff->add_option("old", dargs->old_rules, "The old ruleset's root file")->required();
    diff->add_option("new", dargs->new_rules, "The new ruleset's root file")->required();
    auto* batch = diff->add_option("--batch", dargs->batch,
                                   "Score the JSON Lines records of FILE (or - for standard input) under both");
    auto* unit_option = diff->add_option("--unit", dargs->unit, "With --batch: a unit record for every person")->needs(batch);
    diff->add_flag("--as-year", dargs->as_year,
                   "With --batch: score each record under NEW as if for NEW's year (its year, dates and periods moved)")
        ->needs(batch)
        ->excludes(unit_option);
    diff->add_option("--threads", dargs->threads, "With --batch: threads (default and 0: one per core)")
        ->check(kaohe::cli::thread_count())
        ->needs(batch);
    diff->add_option("--format", dargs->format, "text or json (with --batch: one line per changed record)")
        ->check(CLI::IsMember({"text", "json"}));

    return [&app, &test, &test_paths, flags, mutate, diff, margs, dargs]() -> std::optional<int> {
        (void)app;
        if (*mutate) return cmd_mutate(margs->rules, margs->tests, margs->threads, margs->format, margs->min_score);
        if (*diff)
            return cmd_diff(dargs->old_rules, dargs->new_rules, dargs->batch, dargs->unit, dargs->as_year, dargs->threads, dargs->format);
        if (test) return cmd_test(test_paths, *flags);
        return std::nullopt;
    };
}
