// The importer's parts, shared by its files: import.cpp reads the files, finds each sheet and
// its headers, and checks each record with the library's own record reader; rows.cpp reads one
// row of a sheet into a person's record; person.cpp writes a person's record as JSON.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kaohe/workbook.hpp"
#include "sheet/cells.hpp"
#include "sheet/import.hpp"
#include "sheet/layout.hpp"
#include "sheet/table.hpp"

namespace kaohe::sheet {

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
std::string json_string(std::string_view s);
std::string json_object(const Members& members);
std::string json_array(const std::vector<std::string>& values);
// The value of `key` in `members`, added empty when not there.
std::string& member(Members& members, const std::string& key);

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

// The person's record (docs/records.md) as one line of JSON.
std::string record_json(const Person& p, int year, bool one_card);

// "`迟道`": a clerk's text quoted in a message, shown so that it cannot drive a terminal.
std::string quoted(std::string_view s);

// The cell of `kind` among a row's cells, or null.
const Cell* cell_of(const std::vector<std::pair<const Column*, Cell>>& cells, ColumnKind kind);

class Importer {
public:
    Importer(const Ruleset& ruleset, const ImportOptions& options);

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
    std::string workbook_policy_;  // the policy the workbook was made for (its `_kaohe` sheet), or ""
    // A workbook's sheets the layout does not know, by file: told of when a sheet it needs is missing.
    struct Workbook {
        std::string file;
        std::vector<Table> unknown;  // only the header row kept
    };
    std::vector<Workbook> workbooks_;
    Import out_;
    std::vector<Given> given_;
    std::vector<Person> people_;
    std::map<std::string, std::size_t> person_index_;
    std::vector<std::string> unit_events_;
    std::map<std::string, Place> unit_where_;
    bool structure_bad_ = false;  // a file, sheet or column problem: nothing can be trusted whole
    bool unreadable_ = false;     // a file could not be read, or not told which sheet it is
    std::vector<const Column*> current_columns_;  // the sheet being read: its columns by number
    const Table* current_table_ = nullptr;        // the sheet being read, for its merged ranges

    // Where a cell of `kind` left empty in `row` is: its column's cell, or the row when the sheet has no such column.
    Place empty_cell(const Given& g, const Row& row, ColumnKind kind) const {
        for (std::size_t c = 0; c < current_columns_.size(); ++c)
            if (current_columns_[c] && current_columns_[c]->kind == kind) return Place{g.file, g.table.name, row.number, c};
        return Place{g.file, g.table.name, row.number, 0};
    }

    void problem(const Place& at, diag::Code code, std::string message, const std::string& person = "") {
        // A merged range shows its first cell's value beside every row it spans, but the other
        // cells are empty: say so, rather than that a value the clerk can see is missing.
        if (current_table_ && at.row > 1 && at.column > 0 && at.sheet == current_table_->name)
            for (const Merge& m : current_table_->merged)
                if (m.holds(at.row, at.column) && (at.row != m.first_row || at.column != m.first_column)) {
                    message = cell_name(m.first_row, m.first_column) + ":" + cell_name(m.last_row, m.last_column) +
                              " 是合并单元格：请取消合并，每行填写（" + message + "）";
                    break;
                }
        out_.problems.push_back(SheetProblem{at.file, at.sheet, at.row, at.column, diag::name(code), std::move(message), person});
        if (at.row <= 1) structure_bad_ = true;
    }
    void cell_problem(const Place& at, const CellProblem& p, Person* person) {
        if (person) person->bad = true;
        problem(at, p.code, p.message, person ? person->id : "");
    }

    Import finish();
    void add_sheet(const std::string& file, Table table, Workbook* workbook = nullptr);
    void check_workbook_sheets();
    void read_file(const SheetFile& file);
    const SheetLayout* sheet_for_csv(const SheetFile& file, const Table& table);
    std::vector<const Column*> headers(const Given& g);
    void read_sheet(const Given& g, const std::vector<const Column*>& by_column);
    void read_person(const Given& g, const Row& row, const std::vector<std::pair<const Column*, Cell>>& cells);
    Person* person_of(const Given& g, const Row& row, const std::vector<std::pair<const Column*, Cell>>& cells);
    void read_event(const Given& g, const Row& row, const std::vector<std::pair<const Column*, Cell>>& cells, Person* person);
    void read_rating(const Given& g, const Row& row, const std::vector<std::pair<const Column*, Cell>>& cells, Person& person);
    void read_period(const Given& g, const Row& row, const std::vector<std::pair<const Column*, Cell>>& cells, Person& person);
    std::optional<std::string> measure_value(const ir::Measure& m, const Cell& cell, const std::string& text, CellProblem& problem);
    std::optional<std::string> period_of(const std::string& text, const std::vector<std::string>& choices, CellProblem& problem);
    void validate();
};

}  // namespace kaohe::sheet
