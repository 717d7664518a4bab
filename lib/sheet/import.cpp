// Records from a workbook or CSV files (kaohe/workbook.hpp): each file into tables, each table to
// the sheet of the layout it stands for, each header to its column, each row's cells into a
// person's record (sheet/cells.hpp reads one cell), then each record through the library's own
// record reader, its errors put back at the cells they came from.
#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "kaohe/workbook.hpp"
#include "api/access.hpp"
#include "api/receipt.hpp"
#include "sheet/importer.hpp"
#include "sheet/layout.hpp"
#include "sheet/read.hpp"
#include "support/suggest.hpp"
#include "support/text.hpp"

namespace kaohe {
namespace sheet {
namespace {

std::string lower_ascii(std::string s) {
    for (char& c : s) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    return s;
}

const char* const kSheetNames[] = {kPeopleSheet, kEventsSheet, kUnitEventsSheet, kRatingsSheet, kPeriodsSheet};

// What a record error (docs/records.md) means, in the clerk's words, before the record reader's
// own message, which names the field and the rule exactly.
const char* record_gist(const std::string& code) {
    using diag::Code;
    const auto is = [&](Code c) { return code == diag::name(c); };
    if (is(Code::R002) || is(Code::R003)) return "数据的写法不对";
    if (is(Code::R004)) return "缺少评分所需的数据";
    if (is(Code::R005)) return "有未知的名称";
    if (is(Code::R006)) return "超出允许的范围";
    if (is(Code::R007)) return "日期或年份不对";
    if (is(Code::R008)) return "超出上限";
    if (is(Code::R009)) return "规则无法对这条记录评分";
    return "记录不能评分";
}

// `message` with each rule file's path (as the ruleset was compiled: absolute, or from wherever
// the command ran) written relative to the main rule file's folder, as the workbooks write them.
std::string rules_relative(const Sources& sources, std::string message) {
    const std::vector<std::string> names = api::relative_names(sources);
    std::vector<std::uint32_t> order(sources.size());
    for (std::uint32_t f = 0; f < order.size(); ++f) order[f] = f;
    std::sort(order.begin(), order.end(), [&](auto a, auto b) { return sources.name(a).size() > sources.name(b).size(); });
    for (std::uint32_t f : order) {
        const std::string from = sources.name(f) + ":", to = names[f] + ":";
        if (from == to) continue;
        for (std::size_t at = 0; (at = message.find(from, at)) != std::string::npos; at += to.size()) message.replace(at, from.size(), to);
    }
    return message;
}
// The entry workbook's hidden sheet of drop-down lists.
constexpr const char* kListsSheet = "选项";

// After this many problems with the same sheet, column, code and message, one line says how many
// more rows have it; and no import says more than kMaxProblems problems: a value filled down a
// hundred thousand rows is one mistake, and a clerk reads the first lines only.
constexpr std::size_t kSameProblemShown = 20;
constexpr std::size_t kMaxProblems = 1000;
// Row ranges are listed when they fit in this many; else only the count is given.
constexpr std::size_t kMaxRangesListed = 10;

// "第5、7-12行": the rows, ascending, as ranges.
std::string row_ranges(const std::vector<std::size_t>& rows) {
    std::string out;
    for (std::size_t i = 0; i < rows.size();) {
        std::size_t j = i;
        while (j + 1 < rows.size() && rows[j + 1] == rows[j] + 1) ++j;
        out += (out.empty() ? "" : "、") + std::to_string(rows[i]) + (j > i ? "-" + std::to_string(rows[j]) : "");
        i = j + 1;
    }
    return "第" + out + "行";
}

// `problems`, in reading order, with repeats grouped and the whole capped (see kSameProblemShown).
std::vector<SheetProblem> grouped(std::vector<SheetProblem> problems) {
    using Key = std::tuple<std::string, std::string, std::size_t, std::string, std::string>;
    std::map<Key, std::vector<std::size_t>> more;  // the rows past the first kSameProblemShown
    std::map<Key, std::size_t> seen;
    std::vector<std::pair<SheetProblem, Key>> kept;
    for (SheetProblem& p : problems) {
        Key key{p.file, p.sheet, p.column, p.code, p.message};
        if (p.row > 1 && ++seen[key] > kSameProblemShown) {
            more[key].push_back(p.row);
            continue;
        }
        kept.emplace_back(std::move(p), std::move(key));
    }
    const std::size_t all = problems.size();
    std::vector<SheetProblem> out;
    std::map<Key, std::size_t> said;
    for (auto& [p, key] : kept) {
        const SheetProblem first = p;
        out.push_back(std::move(p));
        const auto it = more.find(key);
        if (it == more.end() || ++said[key] != kSameProblemShown) continue;
        const std::vector<std::size_t>& rows = it->second;
        std::string message = "同样的问题还有 " + std::to_string(rows.size()) + " 行";
        std::size_t ranges = 1;
        for (std::size_t i = 1; i < rows.size(); ++i) ranges += rows[i] != rows[i - 1] + 1;
        if (ranges <= kMaxRangesListed) message += "：" + row_ranges(rows);
        out.push_back(SheetProblem{first.file, first.sheet, 0, first.column, first.code, message + "（" + first.message + "）", ""});
    }
    if (out.size() > kMaxProblems) {
        out.resize(kMaxProblems);
        out.push_back(SheetProblem{"", "", 0, 0, diag::name(diag::Code::S007),
                                   "问题太多，只列出前 " + std::to_string(kMaxProblems) + " 条（共 " + std::to_string(all) +
                                       " 个问题）：请先改正以上问题，再导入",
                                   ""});
    }
    return out;
}

}  // namespace

Importer::Importer(const Ruleset& ruleset, const ImportOptions& options)
    : ruleset_(ruleset), program_(Access::program(ruleset)), layout_(layout_of(program_)), options_(options) {
    year_ = program_.policy.year;
}

std::string quoted(std::string_view s) { return "`" + printable(s) + "`"; }

void Importer::add_sheet(const std::string& file, Table table, Workbook* workbook) {
    const std::string sheet = trimmed(table.name);
    if (sheet == kAboutSheet) {
        for (const Row& row : table.rows) {
            if (row.cells.size() != 2 || row.cells[0].column != 1) continue;
            if (row.cells[0].text == "year") {
                if (const auto y = Number::from_decimal(row.cells[1].text); y && y->is_integer() && *y >= Number(1) && *y <= Number(9999))
                    workbook_year_ = static_cast<int>(*y->to_int64());
            } else if (row.cells[0].text == "policy") {
                workbook_policy_ = trimmed(row.cells[1].text);
            }
        }
        return;
    }
    // A hidden sheet the layout knows is read as any other: a clerk hides one to tidy, not to delete.
    for (const auto& s : layout_.sheets)
        if (s.name == sheet) {
            table.name = sheet;
            given_.push_back(Given{file, std::move(table), &s});
            return;
        }
    // The template's own other sheets are not records; any other sheet is named when a sheet the
    // layout needs is missing, since it is most likely that sheet renamed.
    if (sheet == kInstructionsSheet || sheet == kListsSheet || !workbook) return;
    if (table.rows.size() > 1) table.rows.resize(1);
    table.name = sheet;
    workbook->unknown.push_back(std::move(table));
}

// Every sheet of the layout is in the entry workbook: one missing was renamed or deleted, and its
// rows would be lost without a word. Checked once, when a workbook is among the files. The unknown sheet whose header row matches it best, else
// whose name is nearest, is named as the one it probably is.
void Importer::check_workbook_sheets() {
    std::vector<const Table*> unknown;
    for (const Workbook& w : workbooks_)
        for (const Table& t : w.unknown) unknown.push_back(&t);
    for (const auto& s : layout_.sheets) {
        // Given by a workbook, or by a CSV file beside it.
        if (std::any_of(given_.begin(), given_.end(), [&](const Given& g) { return g.layout == &s; })) continue;
        const Table* best = nullptr;
        std::size_t best_count = 0;
        for (const Table* t : unknown) {
            std::size_t count = 0;
            if (!t->rows.empty() && t->rows[0].number == 1)
                for (const Cell& c : t->rows[0].cells)
                    for (const Column& col : s.columns) count += trimmed(c.text) == col.header;
            if (count > best_count) best = t, best_count = count;
        }
        if (!best) {
            std::vector<std::string_view> names;
            for (const Table* t : unknown) names.push_back(t->name);
            const std::string_view near = nearest(s.name, names);
            for (const Table* t : unknown)
                if (!near.empty() && t->name == near) best = t;
        }
        std::string message = "缺少「" + s.name + "」表";
        if (best) message += "：「" + printable(best->name) + "」是否就是它？请把表名改回「" + s.name + "」";
        else message += "：请用本方案的登记表模板（kaohe template）填写";
        problem(Place{workbooks_[0].file, s.name, 0, 0}, diag::Code::S002, message);
    }
}

void Importer::read_file(const SheetFile& file) {
    const Place whole{file.name, "", 0, 0};
    // The name as a clerk means it (an upload's trailing space); a zip whose name has no
    // extension at all (an upload stored as `blob`) is read as the workbook it most likely is.
    const std::string name = lower_ascii(trimmed(file.name));
    const bool zip = file.bytes.starts_with(std::string_view("PK\x03\x04", 4));
    const bool no_extension = name.find('.') == std::string::npos;
    try {
        if (name.ends_with(".xlsx") || (zip && no_extension)) {
            Workbook w{file.name, {}};
            for (Table& t : read_xlsx(file.bytes)) add_sheet(file.name, std::move(t), &w);
            workbooks_.push_back(std::move(w));
        } else if (name.ends_with(".csv")) {
            Table t = read_csv(file.bytes, "");
            const SheetLayout* layout = sheet_for_csv(file, t);
            if (!layout) return;
            t.name = layout->name;
            given_.push_back(Given{file.name, std::move(t), layout});
        } else {
            unreadable_ = true;
            problem(whole, diag::Code::S001, "不认识的文件类型：请给出 .xlsx 工作簿，或每张表一个 .csv 文件");
        }
    } catch (const ReadFailure& failure) {
        unreadable_ = true;
        problem(whole, failure.code, failure.message);
    }
}

// The sheet a CSV file stands for: the one its name holds (LibreOffice exports each sheet as
// NAME-SHEET.csv), else the one its header row matches best.
const SheetLayout* Importer::sheet_for_csv(const SheetFile& file, const Table& table) {
    const Place whole{file.name, "", 0, 0};
    std::string named;
    int found = 0;
    for (const char* s : kSheetNames)
        if (file.name.find(s) != std::string::npos) named = s, ++found;
    if (found == 1) {
        for (const auto& s : layout_.sheets)
            if (s.name == named) return &s;
        unreadable_ = true;
        problem(whole, diag::Code::S002, "本方案没有「" + named + "」表：请删去此文件");
        return nullptr;
    }
    const SheetLayout* best = nullptr;
    std::size_t best_count = 0;
    bool tie = false;
    if (!table.rows.empty() && table.rows[0].number == 1) {
        for (const auto& s : layout_.sheets) {
            std::size_t count = 0;
            for (const Cell& c : table.rows[0].cells)
                for (const Column& col : s.columns) count += trimmed(c.text) == col.header || (!col.id.empty() && trimmed(c.text) == col.id);
            if (count > best_count) best = &s, best_count = count, tie = false;
            else if (count == best_count && count > 0) tie = true;
        }
    }
    if (best && !tie) return best;
    std::string names;
    for (const auto& s : layout_.sheets) names += (names.empty() ? "" : "、") + s.name;
    unreadable_ = true;
    problem(whole, diag::Code::S002, "无法从文件名或表头判断这是哪张表：请在文件名中写明表名（" + names + "）");
    return nullptr;
}

// The column of each spreadsheet column (by its number; null: none), from row 1's headers.
std::vector<const Column*> Importer::headers(const Given& g) {
    std::vector<const Column*> by_column;
    std::vector<std::size_t> seen_at(g.layout->columns.size(), 0);
    const Row* header = !g.table.rows.empty() && g.table.rows[0].number == 1 ? &g.table.rows[0] : nullptr;
    std::vector<std::string_view> known;
    for (const Column& c : g.layout->columns) known.push_back(c.header);
    if (header) {
        for (const Cell& cell : header->cells) {
            const std::string text = trimmed(cell.text);
            if (text.empty()) continue;
            const Place at{g.file, g.table.name, 1, cell.column};
            std::size_t i = 0;
            while (i < g.layout->columns.size() && g.layout->columns[i].header != text &&
                   (g.layout->columns[i].id.empty() || g.layout->columns[i].id != text))
                ++i;
            if (i == g.layout->columns.size()) {
                const std::string_view near = nearest(text, known);
                std::string message = "未知的列 " + quoted(text);
                if (!near.empty()) {
                    message += "，是否为 `" + std::string(near) + "`？";
                } else {
                    message += "：本表的列为 ";
                    for (std::size_t k = 0; k < known.size(); ++k) message += (k ? "、" : "") + std::string(known[k]);
                }
                problem(at, diag::Code::S002, message);
                continue;
            }
            if (seen_at[i]) {
                problem(at, diag::Code::S002, "列 `" + g.layout->columns[i].header + "` 重复（已在 " + cell_name(0, seen_at[i]) + " 列）");
                continue;
            }
            seen_at[i] = cell.column;
            if (by_column.size() <= cell.column) by_column.resize(cell.column + 1, nullptr);
            by_column[cell.column] = &g.layout->columns[i];
        }
    }
    for (std::size_t i = 0; i < g.layout->columns.size(); ++i) {
        const Column& c = g.layout->columns[i];
        // Every column of the entry workbook: one deleted (日期, a measure) would drop its values
        // without a word.
        if (!seen_at[i]) problem(Place{g.file, g.table.name, 0, 0}, diag::Code::S002, "缺少列 `" + c.header + "`（第1行是表头）");
    }
    return by_column;
}

void Importer::read_sheet(const Given& g, const std::vector<const Column*>& by_column) {
    current_columns_ = by_column;
    current_table_ = &g.table;
    const std::vector<const Column*>& columns = current_columns_;
    for (const Row& row : g.table.rows) {
        if (row.number <= 1) continue;
        std::vector<std::pair<const Column*, Cell>> cells;
        for (const Cell& c : row.cells) {
            if (c.column >= columns.size() || !columns[c.column]) continue;
            Cell clean = c;
            clean.text = trimmed(c.text);
            if (!clean.text.empty()) cells.emplace_back(columns[c.column], std::move(clean));
        }
        if (cells.empty()) continue;  // an empty row, or one of spaces
        if (g.layout->kind == SheetKind::people) {
            read_person(g, row, cells);
        } else if (g.layout->kind == SheetKind::unit_events) {
            read_event(g, row, cells, nullptr);
        } else if (Person* person = person_of(g, row, cells)) {
            if (g.layout->kind == SheetKind::events) read_event(g, row, cells, person);
            else if (g.layout->kind == SheetKind::ratings) read_rating(g, row, cells, *person);
            else read_period(g, row, cells, *person);
        }
    }
}
// A record error's field path → the cell it came from: the field itself, else the nearest field
// that holds it (`events[3]` for `events[3].issuer` when the row left it empty), else the row.
Place place_of(const std::map<std::string, Place>& where, std::string path, const Place& fallback) {
    while (!path.empty()) {
        if (auto it = where.find(path); it != where.end()) return it->second;
        const std::size_t cut = path.find_last_of(".[");
        if (cut == std::string::npos) break;
        path.resize(cut);
    }
    return fallback;
}

void Importer::validate() {
    std::optional<Unit> unit;
    if (!unit_events_.empty()) {
        Members u;
        u.emplace_back("year", std::to_string(year_));
        u.emplace_back("events", json_array(unit_events_));
        out_.unit = json_object(u);
        RecordError error;
        unit = ruleset_.read_unit(out_.unit, &error);
        if (!unit) {
            const SheetLayout* s = layout_.find(SheetKind::unit_events);
            const Place at = place_of(unit_where_, error.where, Place{"", s ? s->name : "", 0, 0});
            out_.problems.push_back(SheetProblem{at.file, at.sheet, at.row, at.column, error.code,
                                                 "单位事件不能读取，" + std::string(record_gist(error.code)) + "（" + error.where +
                                                     "）：" + rules_relative(program_.sources, error.message),
                                                 ""});
            structure_bad_ = true;  // the unit's events count for everyone: nobody is scored without them
        }
    }
    for (Person& p : people_) {
        if (p.bad) continue;
        const std::string json = record_json(p, year_, program_.one_card);
        const Evaluation e = ruleset_.evaluate(json, unit ? &*unit : nullptr);
        if (e.ok()) continue;
        p.bad = true;
        const Place at = place_of(p.where, e.error().where, p.row);
        out_.problems.push_back(SheetProblem{at.file, at.sheet, at.row, at.column, e.error().code,
                                             std::string(record_gist(e.error().code)) + "（记录的 " + e.error().where +
                                                 "）：" + rules_relative(program_.sources, e.error().message),
                                             p.id});
    }
}

Import Importer::run(const std::vector<SheetFile>& files) {
    for (const SheetFile& f : files) read_file(f);
    return finish();
}

Import Importer::run(const std::vector<NamedTable>& tables) {
    for (const NamedTable& t : tables) add_sheet(t.file, t.table);
    return finish();
}

Import Importer::finish() {
    // Each sheet once: a second table for it (two CSV files, or a workbook and a CSV) is refused.
    std::vector<Given> sheets;
    for (Given& g : given_) {
        bool twice = false;
        for (const Given& s : sheets) twice = twice || s.layout == g.layout;
        if (twice) problem(Place{g.file, g.table.name, 0, 0}, diag::Code::S002, "「" + g.table.name + "」表给了两次：只留一份");
        else sheets.push_back(std::move(g));
    }
    // A workbook made for another scheme: one problem, not every header it does not share.
    if (!workbook_policy_.empty() && !program_.policy.name.empty() && workbook_policy_ != program_.policy.name) {
        problem(Place{workbooks_.empty() ? "" : workbooks_[0].file, "", 0, 0}, diag::Code::S002,
                "这份登记表是为《" + printable(workbook_policy_) + "》生成的，不是《" + program_.policy.name +
                    "》的：请用本方案的规则导入，或用 kaohe template 生成本方案的登记表");
        out_.unit.clear();
        return std::move(out_);
    }
    if (!workbooks_.empty()) check_workbook_sheets();
    // People first: the other sheets join them by 编号.
    std::stable_sort(sheets.begin(), sheets.end(), [](const Given& a, const Given& b) {
        return (a.layout->kind == SheetKind::people) > (b.layout->kind == SheetKind::people);
    });
    if (sheets.empty() || sheets[0].layout->kind != SheetKind::people) {
        if (!unreadable_ && workbooks_.empty())
            problem(Place{"", kPeopleSheet, 0, 0}, diag::Code::S002, "缺少「人员名单」表");
    } else {
        // Every sheet's headers first: when any is wrong, no row is judged, since a row read
        // against the wrong columns would be blamed for what is only the header's fault.
        std::vector<std::vector<const Column*>> columns;
        for (const Given& g : sheets) columns.push_back(headers(g));
        if (!structure_bad_) {
            for (std::size_t i = 0; i < sheets.size(); ++i) read_sheet(sheets[i], columns[i]);
            current_table_ = nullptr;
            if (people_.empty())
                problem(Place{sheets[0].file, kPeopleSheet, 0, 0}, diag::Code::S002, "「人员名单」没有填写任何人员：请每人一行填写");
        }
    }
    out_.people = people_.size();
    // Rows not judged: the people listed are still told, as the rows that hold something.
    if (structure_bad_ && people_.empty() && !sheets.empty() && sheets[0].layout->kind == SheetKind::people)
        for (const Row& row : sheets[0].table.rows)
            out_.people += row.number > 1 && std::any_of(row.cells.begin(), row.cells.end(), [](const Cell& c) { return !trimmed(c.text).empty(); });
    out_.year = year_;
    if (!structure_bad_) validate();

    // Every problem in the order a clerk reads the workbook: sheet by sheet, row by row.
    auto rank = [&](const SheetProblem& p) {
        if (p.sheet.empty()) return std::size_t{0};
        for (std::size_t i = 0; i < layout_.sheets.size(); ++i)
            if (layout_.sheets[i].name == p.sheet) return i + 1;
        return layout_.sheets.size() + 1;
    };
    std::stable_sort(out_.problems.begin(), out_.problems.end(), [&](const SheetProblem& a, const SheetProblem& b) {
        return std::tuple(rank(a), a.row, a.column) < std::tuple(rank(b), b.row, b.column);
    });
    out_.problems = grouped(std::move(out_.problems));
    if (structure_bad_ || (!out_.problems.empty() && !options_.skip_bad)) {
        out_.unit.clear();
        return std::move(out_);
    }
    for (const Person& p : people_)
        if (!p.bad) out_.records.push_back(record_json(p, year_, program_.one_card));
    return std::move(out_);
}

}  // namespace sheet

namespace {

using namespace sheet;

// Runs `importer` on `input` against the version of the ruleset for options.year; when that is
// 0, for the year the workbook says it was made for (its `_kaohe` sheet), else the ruleset's.
template <class Input>
Import import_with(const Ruleset& ruleset, const Input& input, const ImportOptions& options) {
    const auto no_version = [](int year, const std::string& why) {
        Import out;
        out.problems.push_back(SheetProblem{"", "", 0, 0, diag::name(diag::Code::S005), "规则没有 " + std::to_string(year) + " 年的版本" + why, ""});
        return out;
    };
    if (options.year) {
        std::optional<Ruleset> version = ruleset.for_year(options.year);
        if (!version) return no_version(options.year, "");
        return Importer(*version, options).run(input);
    }
    Importer first(ruleset, options);
    Import out = first.run(input);
    const int year = first.workbook_year();
    if (!year || year == ruleset.year()) return out;
    // A workbook made for another year: read again with that year's version, or refuse it
    // rather than read its dates against the wrong year.
    std::optional<Ruleset> version = ruleset.for_year(year);
    if (!version)
        return no_version(year, "：这份登记表是按 " + std::to_string(year) + " 年的规则生成的（见隐藏的 _kaohe 表），而规则是 " +
                                    std::to_string(ruleset.year()) + " 年的；请用本年的规则重新生成登记表，或指定年份（--year）");
    ImportOptions again = options;
    again.year = year;
    return Importer(*version, again).run(input);
}

}  // namespace

Import import_records(const Ruleset& ruleset, const std::vector<SheetFile>& files, const ImportOptions& options) {
    return import_with(ruleset, files, options);
}

namespace sheet {
Import import_tables(const Ruleset& ruleset, const std::vector<NamedTable>& tables, const ImportOptions& options) {
    return import_with(ruleset, tables, options);
}
}  // namespace sheet

}  // namespace kaohe
