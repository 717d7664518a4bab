// kaohe — the command-line tool. A thin client of the public API (include/kaohe/).
//
//   kaohe check FILE...                                   check rule files; exit 1 on errors
//   kaohe eval RULES RECORD [--unit UNIT] [--format text|json]
//   kaohe eval RULES --batch FILE|- [--threads N] [--unit UNIT]   JSON Lines in, one result line each
//   kaohe eval RULES --batch FILE|- -o 考核结果.xlsx                the results as a workbook instead
//   kaohe template RULES -o 登记表.xlsx                     the entry workbook for the ruleset
//   kaohe verify RULES RECORD RESULT [--unit UNIT]        is a stored result what the rules give today
//   kaohe test, mutate, diff                              cli/cmd_policy.cpp
//   kaohe import RULES FILE... -o records.jsonl            cli/cmd_import.cpp
#include <CLI/CLI.hpp>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "kaohe/batch.hpp"
#include "kaohe/kaohe.hpp"
#include "kaohe/testing.hpp"
#include "kaohe/workbook.hpp"
#include "common.hpp"
#include "output.hpp"

// cli/cmd_policy.cpp: `test --coverage/--update/--format`, `mutate`, `diff`.
std::function<std::optional<int>()> add_policy_commands(CLI::App& app, CLI::App& test,
                                                        const std::vector<std::string>& test_paths);
// cli/cmd_import.cpp: `import`.
std::function<std::optional<int>()> add_import_command(CLI::App& app);

namespace {

using kaohe::cli::read_record_file;

// Compiles a ruleset, printing its diagnostics; nullopt when it has errors.
std::optional<kaohe::Ruleset> compile(const std::string& path, bool show_warnings) {
    kaohe::CompileResult c = kaohe::Ruleset::compile_file(path);
    for (const auto& d : c.diagnostics)
        if (show_warnings || d.severity == kaohe::Severity::error) std::cerr << kaohe::render(d);
    return std::move(c.ruleset);
}

// Reads the unit record at `path` (none when it is empty); 0, or the exit code on failure.
int load_unit(const kaohe::Ruleset& rules, const std::string& path, std::optional<kaohe::Unit>& unit) {
    if (path.empty()) return 0;
    kaohe::FileText f = read_record_file(path);
    kaohe::RecordError e;
    if (f.status == kaohe::FileText::Status::too_large) {
        e = kaohe::cli::record_too_large(f);
        e.where = "unit";
    } else if (f.status != kaohe::FileText::Status::ok) {
        std::cerr << "kaohe: cannot read unit record " << kaohe::terminal_text(path) << ": " << f.reason << "\n";
        return 2;
    } else {
        unit = rules.read_unit(f.text, &e);
    }
    if (!unit) {
        std::cerr << kaohe::terminal_text(path) << ": " << kaohe::terminal_text(e.where) << ": [" << e.code << "] "
                  << kaohe::terminal_text(e.message) << "\n";
        return 1;
    }
    return 0;
}

int cmd_check(const std::vector<std::string>& files) {
    int errors = 0, warnings = 0;
    for (const auto& f : files) {
        kaohe::CompileResult c = kaohe::Ruleset::compile_file(f);
        std::cerr << kaohe::render(c.diagnostics);
        for (const auto& d : c.diagnostics) (d.severity == kaohe::Severity::error ? errors : warnings)++;
    }
    std::cerr << files.size() << (files.size() == 1 ? " file" : " files") << " checked: " << errors
              << (errors == 1 ? " error, " : " errors, ") << warnings << (warnings == 1 ? " warning" : " warnings")
              << "\n";
    return errors ? 1 : 0;
}

int cmd_eval(const std::string& rules, const std::string& record_path, const std::string& unit_path,
             const std::string& format) {
    auto ruleset = compile(rules, false);
    if (!ruleset) return 2;
    std::optional<kaohe::Unit> unit;
    if (int status = load_unit(*ruleset, unit_path, unit)) return status;
    kaohe::FileText f = read_record_file(record_path);
    if (f.status != kaohe::FileText::Status::ok && f.status != kaohe::FileText::Status::too_large) {
        std::cerr << "kaohe: cannot read record " << kaohe::terminal_text(record_path) << ": " << f.reason << "\n";
        return 2;
    }
    kaohe::Evaluation e = f.status == kaohe::FileText::Status::too_large
                              ? kaohe::Evaluation(kaohe::cli::record_too_large(f))
                              : ruleset->evaluate(f.text, unit ? &*unit : nullptr);
    if (!e.ok()) {
        if (format == "json") std::cout << e.json() << "\n";
        std::cerr << kaohe::terminal_text(record_path) << ": " << kaohe::cli::record_error_text(e.error()) << "\n";
        return 1;
    }
    if (format == "json") std::cout << e.result().json() << "\n";
    else std::cout << e.result().text();
    return 0;
}

// ---- verify: a stored result (with its receipt) against what the rules give for the record today

int cmd_verify(const std::string& rules, const std::string& record_path, const std::string& result_path,
               const std::string& unit_path) {
    auto ruleset = compile(rules, false);
    if (!ruleset) return 2;
    std::optional<kaohe::Unit> unit;
    if (int status = load_unit(*ruleset, unit_path, unit)) return status;
    kaohe::FileText record = read_record_file(record_path);
    if (record.status != kaohe::FileText::Status::ok && record.status != kaohe::FileText::Status::too_large) {
        std::cerr << "kaohe: cannot read record " << kaohe::terminal_text(record_path) << ": " << record.reason << "\n";
        return 2;
    }
    // A result is larger than its record (a line per point moved): up to 64 times the record limit.
    kaohe::FileText result = kaohe::read_file(result_path, 64 * kaohe::kMaxRecordBytes);
    if (result.status != kaohe::FileText::Status::ok) {
        std::cerr << "kaohe: cannot read result " << kaohe::terminal_text(result_path) << ": " << result.reason << "\n";
        return 2;
    }
    if (record.status == kaohe::FileText::Status::too_large) {
        std::cerr << kaohe::terminal_text(record_path) << ": "
                  << kaohe::cli::record_error_text(kaohe::cli::record_too_large(record)) << "\n";
        return 1;
    }
    const kaohe::Verification v = ruleset->verify(record.text, result.text, unit ? &*unit : nullptr);
    if (v.error) {
        if (v.error->code.empty())
            std::cerr << kaohe::terminal_text(result_path) << ": " << kaohe::terminal_text(v.error->message) << "\n";
        else std::cerr << kaohe::terminal_text(record_path) << ": " << kaohe::cli::record_error_text(*v.error) << "\n";
        return 1;
    }
    if (v.same) {
        std::cout << "the result is what these rules give for this record\n";
        if (!v.not_checked.empty()) std::cout << "not checked: " << kaohe::terminal_text(v.not_checked) << "\n";
        return 0;
    }
    std::cout << "the result is not what these rules give for this record:\n";
    for (const std::string& d : v.differences) std::cout << "  " << kaohe::terminal_text(d) << "\n";
    if (!v.not_checked.empty()) std::cout << "not checked: " << kaohe::terminal_text(v.not_checked) << "\n";
    return 1;
}

// ---- eval --batch: JSON Lines in, one result line per record out (include/kaohe/batch.hpp)

// A progress line on stderr for long runs on a terminal: records done, records/s, time left
// (when the input's size is known). Shown after the first second, redrawn at most 5 times a second.
class ProgressBar {
public:
    explicit ProgressBar(std::uint64_t total_bytes) : total_(total_bytes), start_(Clock::now()), last_(start_) {}

    void update(const kaohe::BatchProgress& p) {
        const auto now = Clock::now();
        if (now - start_ < std::chrono::seconds(1) || now - last_ < std::chrono::milliseconds(200)) return;
        last_ = now;
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now - start_).count();
        const std::uint64_t rate = ms > 0 ? p.records * 1000 / static_cast<std::uint64_t>(ms) : 0;
        std::string line = "\r";
        if (total_ > 0) {
            constexpr std::uint64_t kWidth = 30;
            const std::uint64_t done = std::min<std::uint64_t>(p.bytes, total_);
            const std::uint64_t fill = done * kWidth / total_;
            line += "[" + std::string(fill, '#') + std::string(kWidth - fill, '.') + "] ";
            line += std::to_string(done * 100 / total_) + "% ";
        }
        line += std::to_string(p.records) + " records";
        if (p.failed) line += " (" + std::to_string(p.failed) + " failed)";
        line += ", " + std::to_string(rate) + " records/s";
        if (total_ > 0 && p.bytes > 0 && p.bytes < total_) {
            const auto left_s = static_cast<std::uint64_t>(ms) * (total_ - p.bytes) / p.bytes / 1000;
            line += ", " + std::to_string(left_s / 60) + ":" + (left_s % 60 < 10 ? "0" : "") +
                    std::to_string(left_s % 60) + " left";
        }
        line += "\033[K";
        std::cerr << line << std::flush;
        shown_ = true;
    }

    ~ProgressBar() {
        if (shown_) std::cerr << "\r\033[K" << std::flush;
    }

private:
    using Clock = std::chrono::steady_clock;
    std::uint64_t total_;
    Clock::time_point start_, last_;
    bool shown_ = false;
};

int cmd_eval_batch(const std::string& rules, const std::string& input, const std::string& unit_path, unsigned threads) {
    auto ruleset = compile(rules, false);
    if (!ruleset) return 2;
    std::optional<kaohe::Unit> unit;
    if (int status = load_unit(*ruleset, unit_path, unit)) return status;
    std::ifstream file;
    std::istream* in = &std::cin;
    std::uint64_t total = 0;  // the input's size, when it is a regular file
    std::error_code ec;
    if (input != "-") {
        if (std::string why = kaohe::cli::open_batch_input(input, file); !why.empty()) {
            std::cerr << "kaohe: " << why << "\n";
            return 2;
        }
        in = &file;
        if (std::filesystem::is_regular_file(input, ec)) total = std::filesystem::file_size(input, ec);
    } else if (std::filesystem::is_regular_file("/dev/stdin", ec)) {
        total = std::filesystem::file_size("/dev/stdin", ec);
    }
    if (ec) total = 0;

    std::optional<ProgressBar> bar;
    kaohe::BatchOptions options;
    options.threads = threads;
    options.unit = unit ? &*unit : nullptr;
    if (isatty(STDERR_FILENO) && !isatty(STDOUT_FILENO)) {  // results on the terminal too: no bar
        bar.emplace(total);
        options.progress = [&](const kaohe::BatchProgress& p) { bar->update(p); };
    }
    const kaohe::BatchStats stats = kaohe::evaluate_batch(*ruleset, *in, std::cout, options);
    std::cout.flush();
    bar.reset();
    if (stats.input_error) std::cerr << "kaohe: error reading " << (input == "-" ? "standard input" : kaohe::terminal_text(input)) << "\n";
    if (stats.output_error || !std::cout) {
        // Said here, with the count of what was read; finish() adds nothing more.
        kaohe::cli::stdout_failure_said() = true;
        std::cerr << "kaohe: cannot write the results to standard output: " << kaohe::cli::stdout_error()
                  << "; stopped after reading " << stats.records << (stats.records == 1 ? " record\n" : " records\n");
        return kaohe::cli::kExitWriteFailed;
    }
    if (stats.failed)
        std::cerr << "kaohe: " << stats.failed << " of " << stats.records
                  << (stats.records == 1 ? " record" : " records") << " could not be scored (see their error lines)\n";
    return stats.failed || stats.input_error ? 1 : 0;
}

// ---- workbooks: template, and eval --batch -o FILE.xlsx

bool ends_with_xlsx(const std::string& path) {
    return path.size() >= 5 && path.compare(path.size() - 5, 5, ".xlsx") == 0;
}

// Writes `bytes` to `path`, replacing a file there: written beside it, flushed, then renamed over
// it, so that a failure leaves any old file as it was. Exit 3 (said on standard error) when it
// cannot be written.
int write_output(const std::string& path, const std::string& bytes) {
    const std::string temp = path + ".kaohe-tmp";
    {
        std::ofstream out(temp, std::ios::binary | std::ios::trunc);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        out.flush();
        if (!out) {
            const int err = errno;
            out.close();
            std::remove(temp.c_str());
            std::cerr << "kaohe: cannot write " << kaohe::terminal_text(path) << ": " << std::strerror(err ? err : EIO) << "\n";
            return kaohe::cli::kExitWriteFailed;
        }
    }
    if (std::rename(temp.c_str(), path.c_str()) != 0) {
        const int err = errno;
        std::remove(temp.c_str());
        std::cerr << "kaohe: cannot write " << kaohe::terminal_text(path) << ": " << std::strerror(err) << "\n";
        return kaohe::cli::kExitWriteFailed;
    }
    return 0;
}

int cmd_template(const std::string& rules, const std::string& output) {
    auto ruleset = compile(rules, false);
    if (!ruleset) return 2;
    std::string bytes;
    try {
        bytes = kaohe::entry_workbook(*ruleset);
    } catch (const std::exception& e) {
        std::cerr << "kaohe: cannot write " << kaohe::terminal_text(output) << ": " << e.what() << "\n";
        return kaohe::cli::kExitWriteFailed;
    }
    return write_output(output, bytes);
}

// eval --batch with -o FILE.xlsx: every record scored and held (a workbook is written whole), the
// failed ones said on standard error as the batch says them and listed in the 未能评分 sheet.
int cmd_eval_batch_workbook(const std::string& rules, const std::string& input, const std::string& unit_path,
                            unsigned threads, const std::string& output) {
    auto ruleset = compile(rules, false);
    if (!ruleset) return 2;
    std::optional<kaohe::Unit> unit;
    if (int status = load_unit(*ruleset, unit_path, unit)) return status;
    std::ifstream file;
    std::istream* in = &std::cin;
    if (input != "-") {
        if (std::string why = kaohe::cli::open_batch_input(input, file); !why.empty()) {
            std::cerr << "kaohe: " << why << "\n";
            return 2;
        }
        in = &file;
    }
    kaohe::BatchOptions options;
    options.threads = threads;
    options.unit = unit ? &*unit : nullptr;
    std::vector<kaohe::Result> results;
    std::vector<kaohe::RecordError> failed;
    const kaohe::BatchStats stats = kaohe::evaluate_batch(
        *ruleset, *in,
        [&](const kaohe::BatchItem& item) {
            if (item.evaluation.ok()) {
                results.push_back(item.evaluation.result());
                return;
            }
            kaohe::RecordError e = item.evaluation.error();
            std::cerr << "line " << item.line << ": " << kaohe::cli::record_error_text(e) << "\n";
            failed.push_back(std::move(e));
        },
        options);
    if (stats.input_error) std::cerr << "kaohe: error reading " << (input == "-" ? "standard input" : kaohe::terminal_text(input)) << "\n";
    std::string bytes;
    try {
        bytes = kaohe::results_workbook(*ruleset, results, failed);
    } catch (const std::exception& e) {
        std::cerr << "kaohe: cannot write " << kaohe::terminal_text(output) << ": " << e.what() << "\n";
        return kaohe::cli::kExitWriteFailed;
    }
    if (int status = write_output(output, bytes)) return status;
    if (stats.failed)
        std::cerr << "kaohe: " << stats.failed << " of " << stats.records
                  << (stats.records == 1 ? " record" : " records") << " could not be scored (see 未能评分)\n";
    return stats.failed || stats.input_error ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
    const kaohe::cli::Output output;
    CLI::App app{"kaohe: performance-assessment scorecards as code"};
    app.set_version_flag("--version", std::string(kaohe::version()));
    app.require_subcommand(1);

    std::vector<std::string> check_files;
    auto* check = app.add_subcommand("check", "Check rule files: all errors and warnings at once");
    check->add_option("files", check_files, "Rule files")->required();

    std::string rules, record, unit, format = "text", batch;
    unsigned threads = 0;
    auto* eval = app.add_subcommand("eval", "Score a record against a ruleset, explained");
    eval->add_option("rules", rules, "The ruleset's root file")->required();
    auto* record_opt = eval->add_option("record", record, "A person's record (JSON)");
    auto* batch_opt = eval->add_option("--batch", batch,
                                       "Score JSON Lines (a file, or - for standard input): one result line per "
                                       "record, in input order; exit 1 when any record fails")
                          ->excludes(record_opt);
    eval->add_option("--threads", threads, "With --batch: threads that score (default and 0: one per core)")
        ->check(kaohe::cli::thread_count())
        ->needs(batch_opt);
    eval->add_option("--unit", unit, "A unit record (JSON) that applies to the person (with --batch: to every person)");
    std::string results_output;
    auto* output_opt = eval->add_option("-o,--output", results_output, "With --batch: write the results as a workbook (FILE.xlsx) instead of JSON Lines")
                           ->needs(batch_opt);
    auto* format_opt = eval->add_option("--format", format, "text (a scorecard) or json (docs/records.md)")
                           ->check(CLI::IsMember({"text", "json"}));
    eval->callback([&] {
        if (batch_opt->count() == 0 && record_opt->count() == 0)
            throw CLI::RequiredError("a record to score, or --batch FILE");
        if (batch_opt->count() && format_opt->count() && format != "json")
            throw CLI::ValidationError("--format", "--batch writes JSON Lines: --format text does not apply");
        if (output_opt->count() && !ends_with_xlsx(results_output))
            throw CLI::ValidationError("-o", "writes a workbook: give a file name ending in .xlsx, not `" + results_output + "`");
    });

    std::string template_output;
    auto* tmpl = app.add_subcommand("template", "Write the entry workbook (.xlsx) for a ruleset: the sheets a clerk fills in");
    tmpl->add_option("rules", rules, "The ruleset's root file")->required();
    tmpl->add_option("-o,--output", template_output, "The workbook to write (FILE.xlsx); an existing file is replaced")->required();
    tmpl->callback([&] {
        if (!ends_with_xlsx(template_output))
            throw CLI::ValidationError("-o", "writes a workbook: give a file name ending in .xlsx, not `" + template_output + "`");
    });

    std::string verify_result;
    auto* verify = app.add_subcommand("verify", "Say whether a stored result is what the rules give for its record today");
    verify->add_option("rules", rules, "The ruleset's root file")->required();
    verify->add_option("record", record, "The person's record (JSON)")->required();
    verify->add_option("result", verify_result, "The stored result (JSON, as eval --format json wrote it)")->required();
    verify->add_option("--unit", unit, "The unit record the result was scored with");

    std::vector<std::string> test_paths;
    auto* test = app.add_subcommand("test", "Run the tests written in the language (files, or folders of *.test.kh)");
    test->add_option("paths", test_paths, "Test files or folders")->required();
    auto run_policy_command = add_policy_commands(app, *test, test_paths);
    auto run_import_command = add_import_command(app);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        // --help and --version print and exit 0; a usage error says why and exits 2.
        return kaohe::cli::Output::finish(app.exit(e) == 0 ? 0 : 2);
    }
    int code = 2;
    if (auto policy = run_policy_command()) code = *policy;  // mutate, diff, and test
    else if (auto imported = run_import_command()) code = *imported;
    else if (*check) code = cmd_check(check_files);
    else if (*tmpl) code = cmd_template(rules, template_output);
    else if (*eval && batch_opt->count() && output_opt->count()) code = cmd_eval_batch_workbook(rules, batch, unit, threads, results_output);
    else if (*eval && batch_opt->count()) code = cmd_eval_batch(rules, batch, unit, threads);
    else if (*eval) code = cmd_eval(rules, record, unit, format);
    else if (*verify) code = cmd_verify(rules, record, verify_result, unit);
    return kaohe::cli::Output::finish(code);
}
