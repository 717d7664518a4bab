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

#include "api/access.hpp"
#include "kaohe/workbook.hpp"
#include "sheet/cells.hpp"
#include "sheet/import.hpp"
#include "sheet/layout.hpp"
#include "sheet/read.hpp"
#include "support/suggest.hpp"
#include "support/text.hpp"

namespace kaohe {

namespace {

using namespace sheet;

struct Place {
    std::string file, sheet;
    std::size_t row = 0, column = 0;
};

// A table given for a sheet of the layout, and the file it came from.
struct Given {
    std::string file;
    Table table;
    const SheetLayout* layout = nullptr;
};

// A JSON object's members as written: key and value's JSON text, in the order given.
using Members = std::vector<std::pair<std::string, std::string>>;

std::string json_string(std::string_view s) {
    std::string out;
    append_json_string(out, s);
    return out;
}

std::string json_object(const Members& members) {
    std::string out = "{";
    for (const auto& [key, value] : members) {
        if (out.size() > 1) out += ',';
        append_json_string(out, key);
        out += ':' + value;
    }
    return out + "}";
}

std::string json_array(const std::vector<std::string>& values) {
    std::string out = "[";
    for (const auto& v : values) out += (out.size() > 1 ? "," : "") + v;
    return out + "]";
}

// The value of `key` in `members`, added empty when not there.
std::string& member(Members& members, const std::string& key) {
    for (auto& m : members)
        if (m.first == key) return m.second;
    return members.emplace_back(key, std::string()).second;
}

// A rating's inputs: marks (each a number's JSON) or votes by grade id.
struct RatingInputs {
    std::vector<std::pair<std::string, std::vector<std::string>>> marks;
    std::vector<std::pair<std::string, Members>> votes;
};

struct PeriodInputs {
    Members measures;
    RatingInputs ratings;
    std::size_t row = 0;  // the 分期数据 row that gave its measures
};

struct Person {
    std::string id, name, unit, role;
    std::vector<std::string> groups;
    Members measures, facts;
    RatingInputs ratings;
    std::vector<std::string> events;  // each event's JSON
    std::map<std::string, PeriodInputs> periods;
    Place row;                         // the 人员名单 row
    std::map<std::string, Place> where;  // a record field's path → the cell it came from
    bool bad = false;
};

std::string ratings_json(const RatingInputs& r) {
    Members out;
    for (const auto& [id, marks] : r.marks) out.emplace_back(id, json_array(marks));
    for (const auto& [id, votes] : r.votes) out.emplace_back(id, json_object(votes));
    return json_object(out);
}

std::string record_json(const Person& p, int year, bool one_card) {
    Members out;
    out.emplace_back("id", json_string(p.id));
    if (!p.name.empty()) out.emplace_back("name", json_string(p.name));
    if (!p.unit.empty()) out.emplace_back("unit", json_string(p.unit));
    if (!one_card) out.emplace_back("role", json_string(p.role));
    std::vector<std::string> groups;
    for (const auto& g : p.groups) groups.push_back(json_string(g));
    out.emplace_back("groups", json_array(groups));
    out.emplace_back("year", std::to_string(year));
    if (!p.measures.empty()) out.emplace_back("measures", json_object(p.measures));
    if (!p.facts.empty()) out.emplace_back("facts", json_object(p.facts));
    if (!p.ratings.marks.empty() || !p.ratings.votes.empty()) out.emplace_back("ratings", ratings_json(p.ratings));
    if (!p.events.empty()) out.emplace_back("events", json_array(p.events));
    if (!p.periods.empty()) {
        Members periods;
        for (const auto& [name, in] : p.periods) {
            Members fields;
            if (!in.measures.empty()) fields.emplace_back("measures", json_object(in.measures));
            if (!in.ratings.marks.empty() || !in.ratings.votes.empty()) fields.emplace_back("ratings", ratings_json(in.ratings));
            periods.emplace_back(name, json_object(fields));
        }
        out.emplace_back("periods", json_object(periods));
    }
    return json_object(out);
}

std::string quoted(std::string_view s) { return "`" + printable(s) + "`"; }

std::string lower_ascii(std::string s) {
    for (char& c : s) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    return s;
}

const char* const kSheetNames[] = {kPeopleSheet, kEventsSheet, kUnitEventsSheet, kRatingsSheet, kPeriodsSheet};

class Importer {
public:
    Importer(const Ruleset& ruleset, const ImportOptions& options)
        : ruleset_(ruleset), program_(Access::program(ruleset)), layout_(layout_of(program_)), options_(options) {
        year_ = program_.policy.year;
    }

    Import run(const std::vector<SheetFile>& files);
    Import run(const std::vector<NamedTable>& tables);
    // The year the workbook says it was made for (the entry workbook's `_kaohe` sheet), or 0.
    int workbook_year() const { return workbook_year_; }

private:
    const Ruleset& ruleset_;
    const ir::Program& program_;
    Layout layout_;
    ImportOptions options_;
    int year_ = 0;
    int workbook_year_ = 0;
    Import out_;
    std::vector<Given> given_;
    std::vector<Person> people_;
    std::map<std::string, std::size_t> person_index_;
    std::vector<std::string> unit_events_;
    std::map<std::string, Place> unit_where_;
    bool structure_bad_ = false;  // a file, sheet or column problem: nothing can be trusted whole
    bool unreadable_ = false;     // a file could not be read, or not told which sheet it is
    std::vector<const Column*> current_columns_;  // the sheet being read: its columns by number

    // Where a cell of `kind` left empty in `row` is: its column's cell, or the row when the sheet has no such column.
    Place empty_cell(const Given& g, const Row& row, ColumnKind kind) const {
        for (std::size_t c = 0; c < current_columns_.size(); ++c)
            if (current_columns_[c] && current_columns_[c]->kind == kind) return Place{g.file, g.table.name, row.number, c};
        return Place{g.file, g.table.name, row.number, 0};
    }

    void problem(const Place& at, diag::Code code, std::string message, const std::string& person = "") {
        out_.problems.push_back(SheetProblem{at.file, at.sheet, at.row, at.column, diag::name(code), std::move(message), person});
        if (at.row <= 1) structure_bad_ = true;
    }
    void cell_problem(const Place& at, const CellProblem& p, Person* person) {
        if (person) person->bad = true;
        problem(at, p.code, p.message, person ? person->id : "");
    }

    Import finish();
    void add_sheet(const std::string& file, Table table);
    void read_file(const SheetFile& file);
    const SheetLayout* sheet_for_csv(const SheetFile& file, const Table& table);
    std::vector<const Column*> headers(const Given& g);
    void read_sheet(const Given& g);
    void read_person(const Given& g, const Row& row, const std::vector<std::pair<const Column*, Cell>>& cells);
    Person* person_of(const Given& g, const Row& row, const std::vector<std::pair<const Column*, Cell>>& cells);
    void read_event(const Given& g, const Row& row, const std::vector<std::pair<const Column*, Cell>>& cells, Person* person);
    void read_rating(const Given& g, const Row& row, const std::vector<std::pair<const Column*, Cell>>& cells, Person& person);
    void read_period(const Given& g, const Row& row, const std::vector<std::pair<const Column*, Cell>>& cells, Person& person);
    std::optional<std::string> measure_value(const ir::Measure& m, const Cell& cell, const std::string& text, CellProblem& problem);
    std::optional<std::string> period_of(const std::string& text, const std::vector<std::string>& choices, CellProblem& problem);
    void validate();
};

void Importer::add_sheet(const std::string& file, Table table) {
    const std::string sheet = trimmed(table.name);
    if (sheet == kAboutSheet) {
        for (const Row& row : table.rows)
            if (row.cells.size() == 2 && row.cells[0].column == 1 && row.cells[0].text == "year")
                if (const auto y = Number::from_decimal(row.cells[1].text); y && y->is_integer() && *y >= Number(1) && *y <= Number(9999))
                    workbook_year_ = static_cast<int>(*y->to_int64());
        return;
    }
    // Sheets the layout does not know (the instructions, the template's lists) are not records;
    // a hidden sheet it knows is read as any other: a clerk hides one to tidy, not to delete.
    for (const auto& s : layout_.sheets)
        if (s.name == sheet) {
            table.name = sheet;
            given_.push_back(Given{file, std::move(table), &s});
            return;
        }
}

void Importer::read_file(const SheetFile& file) {
    const Place whole{file.name, "", 0, 0};
    const std::string name = lower_ascii(file.name);
    try {
        if (name.ends_with(".xlsx")) {
            for (Table& t : read_xlsx(file.bytes)) add_sheet(file.name, std::move(t));
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
        // The fixed columns a row cannot do without; a measure's column may be left out when its
        // default serves, and the record reader says when a rule needs it (R004, at the row).
        const bool needed = c.required && (c.kind == ColumnKind::id || c.kind == ColumnKind::role ||
                                           c.kind == ColumnKind::event_type || c.kind == ColumnKind::rating ||
                                           c.kind == ColumnKind::period);
        if (needed && !seen_at[i]) problem(Place{g.file, g.table.name, 0, 0}, diag::Code::S002, "缺少列 `" + c.header + "`（第1行是表头）");
    }
    return by_column;
}

void Importer::read_sheet(const Given& g) {
    current_columns_ = headers(g);
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

const Cell* cell_of(const std::vector<std::pair<const Column*, Cell>>& cells, ColumnKind kind) {
    for (const auto& [col, cell] : cells)
        if (col->kind == kind) return &cell;
    return nullptr;
}

void Importer::read_person(const Given& g, const Row& row, const std::vector<std::pair<const Column*, Cell>>& cells) {
    const Place row_at{g.file, g.table.name, row.number, 0};
    const Cell* id = cell_of(cells, ColumnKind::id);
    if (!id) {
        problem(empty_cell(g, row, ColumnKind::id), diag::Code::S004, "编号必须填写");
        return;
    }
    Person p;
    p.id = ascii_forms(id->text);
    p.row = row_at;
    if (auto dup = person_index_.find(p.id); dup != person_index_.end()) {
        people_[dup->second].bad = true;
        problem(Place{g.file, g.table.name, row.number, id->column}, diag::Code::S006,
                "编号 " + quoted(p.id) + " 重复（已在第" + std::to_string(people_[dup->second].row.row) + "行）", p.id);
        return;
    }
    p.where["id"] = Place{g.file, g.table.name, row.number, id->column};
    bool role_given = false;
    for (const auto& [col, cell] : cells) {
        const Place at{g.file, g.table.name, row.number, cell.column};
        CellProblem bad;
        switch (col->kind) {
        case ColumnKind::name: p.name = cell.text, p.where["name"] = at; break;
        case ColumnKind::unit: p.unit = cell.text, p.where["unit"] = at; break;
        case ColumnKind::role: {
            role_given = true;
            p.where["role"] = at;
            std::vector<std::string> labels, ids;
            for (const auto& r : program_.roles) labels.push_back(r.label.empty() ? r.id : r.label), ids.push_back(r.id);
            if (auto i = read_name(cell.text, labels, ids, "岗位", bad)) p.role = program_.roles[*i].id;
            else cell_problem(at, bad, &p);
            break;
        }
        case ColumnKind::group: {
            p.where["groups"] = at;
            if (auto yes = read_yes_no(cell.text, bad)) {
                if (*yes) p.groups.push_back(col->id);
            } else {
                cell_problem(at, bad, &p);
            }
            break;
        }
        case ColumnKind::measure:
        case ColumnKind::fact: {
            const ir::Measure& m = program_.measures[col->index];
            if (auto v = measure_value(m, cell, cell.text, bad)) member(m.fact() ? p.facts : p.measures, m.id) = *v;
            else cell_problem(at, bad, &p);
            break;
        }
        default: break;
        }
    }
    // Where the record reader's errors about a cell left empty belong (R004: a measure a rule needs).
    for (std::size_t c = 0; c < current_columns_.size(); ++c) {
        const Column* col = current_columns_[c];
        if (col && (col->kind == ColumnKind::measure || col->kind == ColumnKind::fact))
            p.where.emplace((col->kind == ColumnKind::fact ? "facts." : "measures.") + col->id, Place{g.file, g.table.name, row.number, c});
    }
    bool role_column = false;
    for (const Column* c : current_columns_) role_column = role_column || (c && c->kind == ColumnKind::role);
    if (!role_given && role_column) {
        p.bad = true;
        problem(empty_cell(g, row, ColumnKind::role), diag::Code::S004, "岗位必须填写", p.id);
    }
    person_index_[p.id] = people_.size();
    people_.push_back(std::move(p));
}

std::optional<std::string> Importer::measure_value(const ir::Measure& m, const Cell& cell, const std::string& text,
                                                   CellProblem& bad) {
    if (m.kind == ir::Measure::Kind::yes_no) {
        auto yes = read_yes_no(text, bad);
        if (!yes) return std::nullopt;
        return std::string(*yes ? "true" : "false");
    }
    if (m.kind == ir::Measure::Kind::standing) {
        auto i = read_name(text, m.value_labels, m.values, m.label.empty() ? m.id : m.label, bad);
        if (!i) return std::nullopt;
        return json_string(m.values[*i]);
    }
    for (std::size_t i = 0; i < m.scale_labels.size(); ++i)
        if (m.scale_labels[i] == text) return m.scale_values[i].to_string();
    auto n = read_number(cell, text, bad);
    if (!n) {
        if (!m.scale_labels.empty()) bad.message += "，也不是等次（" + m.scale_text() + "）";
        return std::nullopt;
    }
    if (m.whole && !n->is_integer()) {
        bad = {diag::Code::S004, quoted(text) + " 不是整数"};
        return std::nullopt;
    }
    if (!m.scale_values.empty() && !m.scale_label(*n)) {
        bad = {diag::Code::S005, quoted(text) + " 不在等次之中（" + m.scale_text() + "）"};
        return std::nullopt;
    }
    if ((m.min && *n < *m.min) || (m.max && *n > *m.max)) {
        std::string range = m.min && m.max ? m.min->to_string() + "至" + m.max->to_string()
                            : m.min        ? "不小于" + m.min->to_string()
                                           : "不大于" + m.max->to_string();
        bad = {diag::Code::S005, quoted(text) + " 超出范围（" + range + "）"};
        return std::nullopt;
    }
    return n->to_string();
}

Person* Importer::person_of(const Given& g, const Row& row, const std::vector<std::pair<const Column*, Cell>>& cells) {
    const Cell* id = cell_of(cells, ColumnKind::id);
    if (!id) {
        problem(empty_cell(g, row, ColumnKind::id), diag::Code::S004, "编号必须填写");
        return nullptr;
    }
    const Place at{g.file, g.table.name, row.number, id->column};
    const std::string key = ascii_forms(id->text);
    auto found = person_index_.find(key);
    if (found == person_index_.end()) {
        std::vector<std::string_view> ids;
        for (const auto& p : people_) ids.push_back(p.id);
        const std::string_view near = nearest(key, ids);
        problem(at, diag::Code::S006,
                "人员名单中没有编号 " + quoted(key) + (near.empty() ? std::string() : "，是否为 `" + std::string(near) + "`？"));
        return nullptr;
    }
    Person& p = people_[found->second];
    if (const Cell* name = cell_of(cells, ColumnKind::name); name && !p.name.empty() && name->text != p.name) {
        p.bad = true;
        problem(Place{g.file, g.table.name, row.number, name->column}, diag::Code::S006,
                "编号 " + quoted(p.id) + " 是 " + p.name + "，不是 " + quoted(name->text), p.id);
        return nullptr;
    }
    return &p;
}

void Importer::read_event(const Given& g, const Row& row, const std::vector<std::pair<const Column*, Cell>>& cells, Person* person) {
    const Place row_at{g.file, g.table.name, row.number, 0};
    std::map<std::string, Place>& where = person ? person->where : unit_where_;
    std::vector<std::string>& events = person ? person->events : unit_events_;
    const std::string path = std::string(person ? "" : "unit.") + "events[" + std::to_string(events.size()) + "]";
    const Cell* type = cell_of(cells, ColumnKind::event_type);
    if (!type) {
        if (person) person->bad = true;
        problem(empty_cell(g, row, ColumnKind::event_type), diag::Code::S004, "事件类型必须填写", person ? person->id : "");
        return;
    }
    std::vector<std::string> labels, ids;
    std::vector<const ir::Event*> events_here;
    for (const auto& e : program_.events) {
        if (!person && !e.unit_fact) continue;
        events_here.push_back(&e);
        labels.push_back(e.label.empty() ? e.id : e.label);
        ids.push_back(e.id);
    }
    CellProblem bad;
    const Place type_at{g.file, g.table.name, row.number, type->column};
    auto which = read_name(type->text, labels, ids, "事件类型", bad);
    if (!which) {
        cell_problem(type_at, bad, person);
        return;
    }
    const ir::Event& e = *events_here[*which];
    const std::string event_name = labels[*which];
    Members fields;
    fields.emplace_back("type", json_string(e.id));
    where[path] = row_at;
    where[path + ".type"] = type_at;
    bool ok = true;
    for (const auto& [col, cell] : cells) {
        const Place at{g.file, g.table.name, row.number, cell.column};
        switch (col->kind) {
        case ColumnKind::date:
            where[path + ".date"] = at;
            if (auto d = read_date(cell, cell.text, year_, bad)) fields.emplace_back("date", json_string(*d));
            else cell_problem(at, bad, person), ok = false;
            break;
        case ColumnKind::amount: {
            where[path + ".amount"] = at;
            auto n = read_number(cell, cell.text, bad);
            if (n && !e.has_amount) bad = {diag::Code::S005, "事件「" + event_name + "」不填分值"}, n.reset();
            else if (n && (*n < e.amount_min || *n > e.amount_max))
                bad = {diag::Code::S005, "分值 " + quoted(cell.text) + " 超出「" + event_name + "」的范围（" +
                                             e.amount_min.to_string() + "至" + e.amount_max.to_string() + "）"},
                n.reset();
            if (n) fields.emplace_back("amount", n->to_string());
            else cell_problem(at, bad, person), ok = false;
            break;
        }
        case ColumnKind::count: {
            where[path + ".count"] = at;
            auto n = read_number(cell, cell.text, bad);
            if (n && !n->is_integer()) bad = {diag::Code::S004, quoted(cell.text) + " 不是整数"}, n.reset();
            else if (n && (*n < *col->min || *n > *col->max))
                bad = {diag::Code::S005, "次数 " + quoted(cell.text) + " 超出范围（1至1000000）"}, n.reset();
            if (n) fields.emplace_back("count", n->to_string());
            else cell_problem(at, bad, person), ok = false;
            break;
        }
        case ColumnKind::attribute: {
            const ir::Attribute& a = program_.attributes[col->index];
            where[path + "." + a.id] = at;
            bool declared = false;
            for (auto slot : e.attributes) declared = declared || slot.index() == col->index;
            if (!declared) {
                cell_problem(at, CellProblem{diag::Code::S005, "事件「" + event_name + "」没有「" + col->header + "」这一项：请留空"}, person);
                ok = false;
                break;
            }
            if (auto v = read_name(cell.text, a.value_labels, a.values, col->header, bad)) fields.emplace_back(a.id, json_string(a.values[*v]));
            else cell_problem(at, bad, person), ok = false;
            break;
        }
        case ColumnKind::note:
            where[path + ".note"] = at;
            fields.emplace_back("note", json_string(cell.text));
            break;
        default: break;
        }
    }
    // The cells of the row left empty, for the record reader's errors about them (R004: an
    // amount or an attribute a rule reads).
    for (std::size_t c = 0; c < current_columns_.size(); ++c) {
        const Column* col = current_columns_[c];
        if (!col) continue;
        const Place at{g.file, g.table.name, row.number, c};
        if (col->kind == ColumnKind::amount) where.emplace(path + ".amount", at);
        if (col->kind == ColumnKind::date) where.emplace(path + ".date", at);
        if (col->kind == ColumnKind::attribute) where.emplace(path + "." + program_.attributes[col->index].id, at);
    }
    if (ok) events.push_back(json_object(fields));
}

void Importer::read_rating(const Given& g, const Row& row, const std::vector<std::pair<const Column*, Cell>>& cells, Person& person) {
    const Place row_at{g.file, g.table.name, row.number, 0};
    const Cell* rating = cell_of(cells, ColumnKind::rating);
    if (!rating) {
        person.bad = true;
        problem(empty_cell(g, row, ColumnKind::rating), diag::Code::S004, "测评项目必须填写", person.id);
        return;
    }
    std::vector<std::string> labels, ids;
    std::vector<const ir::Measure*> ratings;
    for (const auto& m : program_.measures)
        if (m.rating || m.kind == ir::Measure::Kind::votes)
            ratings.push_back(&m), labels.push_back(m.label.empty() ? m.id : m.label), ids.push_back(m.id);
    CellProblem bad;
    auto which = read_name(rating->text, labels, ids, "测评项目", bad);
    if (!which) return cell_problem(Place{g.file, g.table.name, row.number, rating->column}, bad, &person);
    const ir::Measure& m = *ratings[*which];
    const bool votes = m.kind == ir::Measure::Kind::votes;
    RatingInputs* into = &person.ratings;
    std::string path = "ratings." + m.id;
    const Cell* period = cell_of(cells, ColumnKind::period);
    if (m.period != ir::PeriodKind::year) {
        if (!period) return person.bad = true, problem(empty_cell(g, row, ColumnKind::period), diag::Code::S004, "「" + labels[*which] + "」按期测评：期间必须填写", person.id);
        std::vector<std::string> choices;
        for (int i = 1; i <= ir::periods_in_year(m.period); ++i) choices.push_back(ir::period_name(year_, ir::Period{m.period, i}));
        auto p = period_of(period->text, choices, bad);
        if (!p) return cell_problem(Place{g.file, g.table.name, row.number, period->column}, bad, &person);
        into = &person.periods[*p].ratings;
        path = "periods." + *p + ".ratings." + m.id;
    } else if (period) {
        return cell_problem(Place{g.file, g.table.name, row.number, period->column},
                            CellProblem{diag::Code::S005, "「" + labels[*which] + "」按年度测评：期间不填"}, &person);
    }
    const Cell* mark = cell_of(cells, ColumnKind::mark);
    const Cell* grade = cell_of(cells, ColumnKind::vote_grade);
    const Cell* count = cell_of(cells, ColumnKind::votes);
    if (!votes) {
        if (!mark) return person.bad = true, problem(empty_cell(g, row, ColumnKind::mark), diag::Code::S004, "评分必须填写", person.id);
        const Place at{g.file, g.table.name, row.number, mark->column};
        auto v = measure_value(m, *mark, mark->text, bad);
        if (!v) return cell_problem(at, bad, &person);
        std::vector<std::string>* marks = nullptr;
        for (auto& r : into->marks)
            if (r.first == m.id) marks = &r.second;
        if (!marks) marks = &into->marks.emplace_back(m.id, std::vector<std::string>()).second;
        person.where[path + "[" + std::to_string(marks->size()) + "]"] = at;
        person.where[path] = at;
        marks->push_back(*v);
        return;
    }
    if (!grade || !count) return person.bad = true, problem(row_at, diag::Code::S004, "投票测评须填写等次和票数", person.id);
    const Place grade_at{g.file, g.table.name, row.number, grade->column}, count_at{g.file, g.table.name, row.number, count->column};
    auto g_index = read_name(grade->text, m.value_labels, m.values, "等次", bad);
    if (!g_index) return cell_problem(grade_at, bad, &person);
    auto n = read_number(*count, count->text, bad);
    if (n && !n->is_integer()) bad = {diag::Code::S004, quoted(count->text) + " 不是整数"}, n.reset();
    else if (n && (n->is_negative() || *n > Number(1000000))) bad = {diag::Code::S005, "票数 " + quoted(count->text) + " 超出范围（0至1000000）"}, n.reset();
    if (!n) return cell_problem(count_at, bad, &person);
    Members* grades = nullptr;
    for (auto& r : into->votes)
        if (r.first == m.id) grades = &r.second;
    if (!grades) grades = &into->votes.emplace_back(m.id, Members()).second;
    for (const auto& existing : *grades)
        if (existing.first == m.values[*g_index])
            return cell_problem(grade_at, CellProblem{diag::Code::S006, "编号 " + quoted(person.id) + " 的「" + labels[*which] + "」等次 `" +
                                                                        m.value_labels[*g_index] + "` 重复"}, &person);
    person.where[path] = row_at;
    person.where[path + "." + m.values[*g_index]] = count_at;
    grades->emplace_back(m.values[*g_index], n->to_string());
}

// A period of the year as records name it ("2022-03", "2022-Q1"), from what a clerk types:
// the name itself, a month as a date's month (2022年3月, 2022/3), a quarter as 2022Q1 or 2022年第1季度.
std::optional<std::string> Importer::period_of(const std::string& text, const std::vector<std::string>& choices, CellProblem& bad) {
    std::string s = ascii_forms(text);
    for (char& c : s) c = static_cast<char>(c == 'q' ? 'Q' : c);
    std::string name = s;
    if (s.size() == 6 && s[4] == 'Q') name = s.substr(0, 4) + "-" + s.substr(4);
    const std::string quarter_prefix = std::to_string(year_) + "年第";
    if (s.starts_with(quarter_prefix) && s.size() == quarter_prefix.size() + 1 + std::string("季度").size() && s.ends_with("季度"))
        name = std::to_string(year_) + "-Q" + s.substr(quarter_prefix.size(), 1);
    if (name.find('Q') == std::string::npos) {
        CellProblem ignored;
        Cell as_text;
        if (auto date = read_date(as_text, s, year_, ignored); date && date->size() == 7) name = *date;
    }
    for (const auto& c : choices)
        if (c == name) return c;
    if (auto i = read_name(text, choices, choices, "期间", bad)) return choices[*i];
    return std::nullopt;
}

void Importer::read_period(const Given& g, const Row& row, const std::vector<std::pair<const Column*, Cell>>& cells, Person& person) {
    const Place row_at{g.file, g.table.name, row.number, 0};
    const Cell* period = cell_of(cells, ColumnKind::period);
    if (!period) return person.bad = true, problem(empty_cell(g, row, ColumnKind::period), diag::Code::S004, "期间必须填写", person.id);
    CellProblem bad;
    auto name = period_of(period->text, g.layout->columns[1].choices, bad);
    if (!name) return cell_problem(Place{g.file, g.table.name, row.number, period->column}, bad, &person);
    PeriodInputs& in = person.periods[*name];
    if (in.row)
        return cell_problem(Place{g.file, g.table.name, row.number, period->column},
                            CellProblem{diag::Code::S006, "编号 " + quoted(person.id) + " 的期间 " + *name + " 已在第" +
                                                              std::to_string(in.row) + "行填写"}, &person);
    in.row = row.number;
    const bool quarter = name->find('Q') != std::string::npos;
    for (const auto& [col, cell] : cells) {
        if (col->kind != ColumnKind::measure && col->kind != ColumnKind::fact) continue;
        const ir::Measure& m = program_.measures[col->index];
        const Place at{g.file, g.table.name, row.number, cell.column};
        if ((m.period == ir::PeriodKind::quarter) != quarter) {
            cell_problem(at, CellProblem{diag::Code::S005, "「" + col->header + "」按" + (quarter ? "月" : "季度") + "填写，不填在" +
                                                               (quarter ? "季度" : "月份") + "的行"}, &person);
            continue;
        }
        if (auto v = measure_value(m, cell, cell.text, bad)) {
            member(in.measures, m.id) = *v;
            person.where["periods." + *name + ".measures." + m.id] = at;
        } else {
            cell_problem(at, bad, &person);
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
                                                 "单位事件不能读取（" + error.where + "）：" + error.message, ""});
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
                                             "记录不能评分（" + e.error().where + "）：" + e.error().message, p.id});
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
    // People first: the other sheets join them by 编号.
    std::stable_sort(sheets.begin(), sheets.end(), [](const Given& a, const Given& b) {
        return (a.layout->kind == SheetKind::people) > (b.layout->kind == SheetKind::people);
    });
    if (sheets.empty() || sheets[0].layout->kind != SheetKind::people) {
        if (!unreadable_)
            problem(Place{"", kPeopleSheet, 0, 0}, diag::Code::S002, "缺少「人员名单」表");
    } else {
        for (const Given& g : sheets) read_sheet(g);
    }
    out_.people = people_.size();
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
    if (structure_bad_ || (!out_.problems.empty() && !options_.skip_bad)) {
        out_.unit.clear();
        return std::move(out_);
    }
    for (const Person& p : people_)
        if (!p.bad) out_.records.push_back(record_json(p, year_, program_.one_card));
    return std::move(out_);
}

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
