// kaohe — the command-line tool. A thin client of the public API (include/kaohe/).
//
//   kaohe check FILE...                                   check rule files; exit 1 on errors
//   kaohe eval RULES RECORD [--unit UNIT] [--format text|json]
//   kaohe test PATH...                                    run the tests written in the language
#include <CLI/CLI.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "kaohe/kaohe.hpp"
#include "kaohe/testing.hpp"

namespace {

bool read_file(const std::string& path, std::string& out) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    std::ostringstream s;
    s << in.rdbuf();
    out = s.str();
    return true;
}

// Compiles a ruleset, printing its diagnostics; nullopt when it has errors.
std::optional<kaohe::Ruleset> compile(const std::string& path, bool show_warnings) {
    kaohe::CompileResult c = kaohe::Ruleset::compile_file(path);
    for (const auto& d : c.diagnostics)
        if (show_warnings || d.severity == kaohe::Severity::error) std::cerr << kaohe::render(d);
    return std::move(c.ruleset);
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
    if (!unit_path.empty()) {
        std::string text;
        if (!read_file(unit_path, text)) {
            std::cerr << "kaohe: cannot read unit record " << unit_path << "\n";
            return 2;
        }
        kaohe::RecordError e;
        unit = ruleset->read_unit(text, &e);
        if (!unit) {
            std::cerr << unit_path << ": " << e.where << ": " << e.message << "\n";
            return 1;
        }
    }
    std::string text;
    if (!read_file(record_path, text)) {
        std::cerr << "kaohe: cannot read record " << record_path << "\n";
        return 2;
    }
    kaohe::Evaluation e = ruleset->evaluate(text, unit ? &*unit : nullptr);
    if (!e.ok()) {
        if (format == "json") std::cout << e.json() << "\n";
        std::cerr << record_path << ": record " << (e.error().id.empty() ? "(no id)" : e.error().id) << ": "
                  << e.error().where << ": " << e.error().message << "\n";
        return 1;
    }
    if (format == "json") std::cout << e.result().json() << "\n";
    else std::cout << e.result().text();
    return 0;
}

std::string indent(const std::string& text, const std::string& by) {
    std::string out;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        out += by + text.substr(start, end - start) + "\n";
        start = end + 1;
    }
    return out;
}

int cmd_test(const std::vector<std::string>& paths) {
    std::vector<std::string> files;
    for (const auto& p : paths) {
        if (std::filesystem::is_directory(p)) {
            auto found = kaohe::find_test_files(p);
            if (found.empty()) std::cerr << "kaohe: no *.test.kh files under " << p << "\n";
            files.insert(files.end(), found.begin(), found.end());
        } else {
            files.push_back(p);
        }
    }
    int passed = 0, failed = 0;
    for (const auto& f : files) {
        kaohe::TestReport r = kaohe::run_tests(f);
        if (kaohe::has_errors(r.diagnostics)) {
            std::cerr << kaohe::render(r.diagnostics);
            std::cout << f << ": FAIL: the file does not compile, so none of its tests ran\n";
            ++failed;
            continue;
        }
        for (const auto& t : r.tests) {
            if (t.passed) {
                ++passed;
                continue;
            }
            ++failed;
            std::cout << t.where.file << ":" << t.where.line << ":" << t.where.column << ": FAIL: test \"" << t.name
                      << "\"\n";
            for (const auto& why : t.failures) std::cout << "    " << why << "\n";
            std::cout << "  actual result:\n" << indent(t.explanation, "    ");
        }
    }
    std::cout << passed << " passed, " << failed << " failed\n";
    return failed ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"kaohe: performance-assessment scorecards as code"};
    app.set_version_flag("--version", std::string(kaohe::version()));
    app.require_subcommand(1);

    std::vector<std::string> check_files;
    auto* check = app.add_subcommand("check", "Check rule files: all errors and warnings at once");
    check->add_option("files", check_files, "Rule files")->required();

    std::string rules, record, unit, format = "text";
    auto* eval = app.add_subcommand("eval", "Score a record against a ruleset, explained");
    eval->add_option("rules", rules, "The ruleset's root file")->required();
    eval->add_option("record", record, "A person's record (JSON)")->required();
    eval->add_option("--unit", unit, "A unit record (JSON) that applies to the person");
    eval->add_option("--format", format, "text (a scorecard) or json (records.md)")
        ->check(CLI::IsMember({"text", "json"}));

    std::vector<std::string> test_paths;
    auto* test = app.add_subcommand("test", "Run the tests written in the language (files, or folders of *.test.kh)");
    test->add_option("paths", test_paths, "Test files or folders")->required();

    CLI11_PARSE(app, argc, argv);
    if (*test) return cmd_test(test_paths);
    if (*check) return cmd_check(check_files);
    if (*eval) return cmd_eval(rules, record, unit, format);
    return 2;
}
