// The entry workbook's sheets and columns, derived from a ruleset's vocabulary: the one
// description that the template writer (sheet/template.cpp) lays out and the importer
// (sheet/import.cpp) reads back, so that the two cannot disagree.
//
// Which measure goes where: a year's number measure, a yes/no fact or a standing is a column
// of 人员名单 (one row a person); a measure given per month or quarter a column of 分期数据 (one row a
// person and period); a rating's marks or votes are rows of 测评打分 (one row a mark, or a grade's
// votes); every group is a 是/否 column of 人员名单. A person's events are rows of 事件登记, the
// unit's events (events declared `unit`) rows of 单位事件; an attribute read by any of them is a
// column there. A sheet with no column beyond its fixed ones is left out (no 分期数据 in a scheme
// with no input per period).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "ir/program.hpp"
#include "kaohe/number.hpp"

namespace kaohe::sheet {

enum class SheetKind { people, events, unit_events, ratings, periods };

enum class ColumnKind {
    id,          // 编号: the person's id (人员名单), or whose row it is (the other sheets)
    name,        // 姓名
    unit,        // 单位: the record's `unit` (quotas rank each unit apart)
    role,        // 岗位: a role, by label or id
    group,       // a group: 是 or 否 (blank: 否)
    measure,     // a number measure: a number in its domain, or a scale's label
    fact,        // a yes/no fact (是/否) or a standing (one of its values)
    event_type,  // 事件类型: an event, by label or id
    date,        // 日期: a date of the year, or a month of it
    amount,      // 分值: the event's amount, inside its range
    count,       // 次数: how many occurrences the row stands for (blank: 1)
    attribute,   // an attribute of the event, by its value's label or id
    note,        // 备注
    rating,      // 测评项目: a rating, by label or id
    period,      // 期间: a month ("2022-03") or a quarter ("2022-Q1") of the year
    mark,        // 评分: one rater's mark (a number, or a scale's label)
    vote_grade,  // 等次: the grade a vote rating's votes are for
    votes,       // 票数: a grade's votes, a whole number
};

struct Column {
    ColumnKind kind = ColumnKind::note;
    std::string header;       // what the clerk sees: a fixed word (编号) or the declared label
    std::string id;           // the declared id for group, measure, fact and attribute columns; else ""
    std::size_t index = 0;    // the declaration's index in the program (measures, groups, attributes)
    bool required = false;    // a row must fill it
    // The drop-down: labels a cell may hold (roles, event types, 是/否, a standing's values, a
    // scale's labels, attribute values, ratings, periods). Empty: any value of the column's kind.
    std::vector<std::string> choices;
    // A number column's validation: its bounds (none: open) and whether it takes whole numbers.
    std::optional<Number> min, max;
    bool whole = false;
    std::string help;         // a line for the header's comment: what to type
};

struct SheetLayout {
    SheetKind kind = SheetKind::people;
    std::string name;              // 人员名单, 事件登记, ...
    std::vector<Column> columns;   // in order, from column A
};

struct Layout {
    int year = 0;
    std::vector<SheetLayout> sheets;  // people first; only the sheets the scheme needs

    const SheetLayout* find(SheetKind kind) const;
};

// The fixed words: sheet names and the headers of the fixed columns.
inline constexpr const char* kPeopleSheet = "人员名单";
inline constexpr const char* kEventsSheet = "事件登记";
inline constexpr const char* kUnitEventsSheet = "单位事件";
inline constexpr const char* kRatingsSheet = "测评打分";
inline constexpr const char* kPeriodsSheet = "分期数据";
inline constexpr const char* kInstructionsSheet = "填表说明";
// Hidden: what the workbook was made from, as key/value rows (policy, version, year, ruleset);
// the importer reads the year from it.
inline constexpr const char* kAboutSheet = "_kaohe";
inline constexpr const char* kYes = "是";
inline constexpr const char* kNo = "否";

Layout layout_of(const ir::Program& program);

// The header a fixed column kind has (编号, 姓名, ...); "" for the kinds named by a declaration.
const char* fixed_header(ColumnKind kind);

}  // namespace kaohe::sheet
