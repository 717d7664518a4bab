// kaohe import RULES FILE... -o records.jsonl [--unit-output unit.json] [--skip-bad] [--year N]
//
// Reads a filled-in entry workbook (.xlsx) or its sheets as CSV files into records, one JSON line
// a person; every problem on standard error, one a line, as render() says it (sheet!cell, code,
// what to type instead). Exit 1 when there is any problem (with --skip-bad, the good people's
// records are still written; without it, the output files of an earlier import are removed), 2
// when a file cannot be read or the command is misused. --unit-output is always written: with no
// events when the workbook has none.
#include <CLI/CLI.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "kaohe/kaohe.hpp"
#include "kaohe/workbook.hpp"

namespace {

// A workbook is a zip of XML, a CSV sheet text: either way far below this.
constexpr std::size_t kMaxSheetFileBytes = 64u << 20;

// Writes `text` to `path` anew (a file beside it renamed over it); false, said on standard error, when it cannot.
bool write_file(const std::string& path, const std::string& text) {
    const std::string temporary = path + ".tmp";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out << text;
        out.flush();
        if (!out) {
            std::cerr << "kaohe: cannot write " << kaohe::terminal_text(path) << "\n";
            std::error_code ec;
            std::filesystem::remove(temporary, ec);
            return false;
        }
    }
    std::error_code ec;
    std::filesystem::rename(temporary, path, ec);
    if (ec) {
        std::cerr << "kaohe: cannot write " << kaohe::terminal_text(path) << ": " << ec.message() << "\n";
        std::filesystem::remove(temporary, ec);
        return false;
    }
    return true;
}

struct ImportArgs {
    std::string rules, output, unit_output;
    std::vector<std::string> files;
    bool skip_bad = false;
    int year = 0;
};

int cmd_import(const ImportArgs& a) {
    kaohe::CompileResult c = kaohe::Ruleset::compile_file(a.rules);
    for (const auto& d : c.diagnostics)
        if (d.severity == kaohe::Severity::error) std::cerr << kaohe::render(d);
    if (!c.ruleset) return 2;
    std::vector<kaohe::SheetFile> files;
    for (const auto& path : a.files) {
        kaohe::FileText f = kaohe::read_file(path, kMaxSheetFileBytes);
        if (f.status != kaohe::FileText::Status::ok) {
            std::cerr << "kaohe: cannot read " << kaohe::terminal_text(path) << ": " << f.reason << "\n";
            return 2;
        }
        files.push_back(kaohe::SheetFile{std::filesystem::path(path).filename().string(), std::move(f.text)});
    }
    kaohe::ImportOptions options;
    options.skip_bad = a.skip_bad;
    options.year = a.year;
    const kaohe::Import in = kaohe::import_records(*c.ruleset, files, options);
    for (const auto& p : in.problems) std::cerr << kaohe::terminal_text(kaohe::render(p)) << "\n";
    std::string lines;
    for (const auto& r : in.records) lines += r + "\n";
    if (in.ok() || a.skip_bad) {
        if (!write_file(a.output, lines)) return 3;
        // Always written, so that the next `eval --unit` never reads a unit record left from an earlier import.
        const std::string unit = in.unit.empty() ? "{\"year\":" + std::to_string(in.year) + ",\"events\":[]}" : in.unit;
        if (!a.unit_output.empty() && !write_file(a.unit_output, unit + "\n")) return 3;
    } else {
        // Nothing is written from a workbook with problems, and nothing left from an earlier import looks current.
        std::error_code ec;
        std::filesystem::remove(a.output, ec);
        if (!a.unit_output.empty()) std::filesystem::remove(a.unit_output, ec);
    }
    if (!in.ok())
        std::cerr << "kaohe: " << in.problems.size() << (in.problems.size() == 1 ? " problem" : " problems") << "; "
                  << in.records.size() << " of " << in.people << (in.people == 1 ? " person" : " people") << " written\n";
    return in.ok() ? 0 : 1;
}

}  // namespace

// Adds `import` to `app`; the returned function runs it when it was chosen (nullopt otherwise).
std::function<std::optional<int>()> add_import_command(CLI::App& app) {
    auto args = std::make_shared<ImportArgs>();
    auto* import = app.add_subcommand("import", "Read a filled-in entry workbook (.xlsx) or its sheets as CSV files into records");
    import->add_option("rules", args->rules, "The ruleset's root file")->required();
    import->add_option("files", args->files, "The workbook, or CSV files (UTF-8 or GB18030), one a sheet, named by the sheet")->required();
    import->add_option("-o,--output", args->output, "The records, as JSON Lines (one record a person)")->required();
    import->add_option("--unit-output", args->unit_output, "The unit record (单位事件), as JSON; written always, with no events when the workbook has none");
    import->add_flag("--skip-bad", args->skip_bad, "Write the records of the people without problems even when others have some (still exit 1)");
    import->add_option("--year", args->year, "The assessment year (for a scheme of versions: the version to read against)");
    return [import, args]() -> std::optional<int> {
        if (!*import) return std::nullopt;
        return cmd_import(*args);
    };
}
