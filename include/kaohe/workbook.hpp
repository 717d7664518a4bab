// kaohe workbooks — records from spreadsheets, results to spreadsheets.
//
//   auto compiled = kaohe::Ruleset::compile_file("rulesets/seed/seed.kh");
//   std::string xlsx = kaohe::entry_workbook(*compiled.ruleset);     // the clerks' 登记表.xlsx
//   kaohe::Import in = kaohe::import_records(*compiled.ruleset, {{"登记表.xlsx", filled_in_bytes}});
//   for (const auto& p : in.problems) std::cerr << kaohe::render(p) << "\n";     // 事件登记!C14: …
//   // in.records: one JSON record a person (docs/records.md), scored as any other record
//
// The entry workbook is generated from the ruleset, so that what a clerk can type is exactly
// what the scheme knows: a sheet of people (人员名单), of events (事件登记), of the unit's events
// (单位事件), of raters' marks (测评打分), of the inputs given per month or quarter (分期数据), and
// the instructions (填表说明), each column with a drop-down list or a validation by its domain.
// Which sheets and columns there are is docs/workbooks.md.
//
// Every function here may be called from any number of threads at once, with one Ruleset.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "kaohe/kaohe.hpp"

namespace kaohe {

// One problem found in a workbook or a CSV file, where the clerk sees it. Problems are data:
// render() gives the one way they are said.
struct SheetProblem {
    std::string file;     // the file's name as given ("登记表.xlsx"); "" when none was given
    std::string sheet;    // the sheet ("事件登记"); for a CSV file, the sheet it stands for; "" for the file itself
    std::size_t row = 0;  // from 1, as the spreadsheet numbers rows; 0: the sheet or the file as a whole
    std::size_t column = 0;  // from 1 (A is 1); 0: the whole row
    std::string code;     // "S003", or a record code ("R004") when the record built from the rows is refused
    std::string message;  // in Chinese, as a clerk reads it: what is wrong and what to type instead
    std::string person;   // the person's 编号 the row belongs to, when known
};

// "C14", "AA3": a cell's name from its row and column (both from 1); "C" for a whole column
// (row 0), "14" for a whole row (column 0), "" for neither.
std::string cell_name(std::size_t row, std::size_t column);

// "登记表.xlsx: 事件登记!C14: [S003] 未知的事件类型 `迟道`，是否为 `迟到`？"
std::string render(const SheetProblem& problem);

// A file handed to import_records: its name (which says its kind: `.xlsx`, or `.csv` for one
// sheet, whose name then says which: `事件登记.csv`, `登记表-事件登记.csv`) and its bytes.
struct SheetFile {
    std::string name;
    std::string bytes;
};

struct ImportOptions {
    // Keep the people with no problem when others have some: their records are in `records`, and
    // the problems are still all reported. Otherwise (the default) a workbook with any problem
    // gives no records at all, so that nothing is scored from a workbook with errors unless asked.
    bool skip_bad = false;
    // The year of the records; 0: the workbook's own (written by entry_workbook), else the ruleset's.
    int year = 0;
};

struct Import {
    std::vector<std::string> records;  // one JSON record a person (docs/records.md), in the order of 人员名单
    std::string unit;                  // the unit record (单位事件), JSON; "" when the workbook has no unit event
    std::vector<SheetProblem> problems;  // every problem at once, in sheet, row, column order
    std::size_t people = 0;            // people listed, with or without problems
    int year = 0;                      // the year of the records (and of an empty unit record); 0 when none was read
    bool ok() const { return problems.empty(); }
};

// Reads a workbook (.xlsx) or CSV files (UTF-8, UTF-8 with a byte-order mark, or GB18030) into
// records, against `ruleset`'s vocabulary: labels and ids are both accepted. Never throws for
// bad input: every problem is in the result.
Import import_records(const Ruleset& ruleset, const std::vector<SheetFile>& files, const ImportOptions& options = {});

// The entry workbook for `ruleset`, as the bytes of an .xlsx file. Throws std::runtime_error
// only when the workbook cannot be written (no space for its temporary file).
std::string entry_workbook(const Ruleset& ruleset);

// A results workbook: one row a person (total, grade and every section and clause as columns,
// labels as headers), a sheet of every explanation line, and a sheet of the records that failed
// (`failed`: their errors). As the bytes of an .xlsx file; throws as entry_workbook does.
std::string results_workbook(const Ruleset& ruleset, const std::vector<Result>& results,
                             const std::vector<RecordError>& failed = {});

}  // namespace kaohe
