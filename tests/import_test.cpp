// Records from spreadsheets (kaohe/workbook.hpp): sheets by name, headers by label or id, cells
// read as a clerk means them, every problem at its sheet!cell with its code and exact message, and
// the records checked by the record reader. Tables are built in code here, as a reader gives
// them; the CSV reader and the command are tested on files (tests/sheets/, tests/bad-input/sheets/).
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "kaohe/workbook.hpp"
#include "sheet/import.hpp"
#include "sheet/read.hpp"
#include "support.hpp"

using kaohe::sheet::Cell;
using kaohe::sheet::NamedTable;
using kaohe::sheet::Table;
using kaohe::testing::has;

namespace {

const std::string kRules = R"(policy "t" year 2022
role clerk "科员"
role head "主任"
group leadership "领导"
attribute issuer "颁发" { unit "本单位", county "县", province "省" }
event late "迟到"
event mistake "失误" amount 3..5
event award "获奖" { issuer }
event honour "单位荣誉" unit
measure notes "笔记" whole >= 0
measure target "目标" decimal 0..100 default 0
measure rating "民主测评" scale { 优秀: 95, 良好: 85 } default 85
fact has_plan "工作计划" yes/no default no
standing level "单位类型" { model "示范单位", other "其他" } default other
section s "考核" 100 {
  clause a "纪律" 60 { deduct 1 each late
                      deduct amount each mistake }
  clause b "学习" 20 { deduct 5 when notes < 3000 }
  clause c "加分" 20 from 0 { add each award by issuer { county: 1, province: 2, otherwise: 0 }
                             add 1 each honour
                             add 1 when has_plan
                             add 1 when level = model
                             add 0.01 * target
                             add 0.01 * rating }
}
)";

const kaohe::Ruleset& rules() {
    static const kaohe::CompileResult c = kaohe::testing::compile_whole(kRules);
    REQUIRE_MESSAGE(c.ruleset, kaohe::render(c.diagnostics));
    return *c.ruleset;
}

// A table from rows of texts, row 1 first; "" is an empty cell. A text starting with `#` is a
// number cell ("#45000"), with `@` a number cell formatted as a date ("@44634").
Table table(const std::string& name, const std::vector<std::vector<std::string>>& rows) {
    Table t;
    t.name = name;
    for (std::size_t r = 0; r < rows.size(); ++r) {
        kaohe::sheet::Row row;
        row.number = r + 1;
        for (std::size_t c = 0; c < rows[r].size(); ++c) {
            std::string text = rows[r][c];
            if (text.empty()) continue;
            Cell cell;
            cell.column = c + 1;
            if (text[0] == '#' || text[0] == '@') {
                cell.type = Cell::Type::number;
                cell.date_format = text[0] == '@';
                text.erase(0, 1);
            }
            cell.text = text;
            row.cells.push_back(cell);
        }
        if (!row.cells.empty()) t.rows.push_back(row);
    }
    return t;
}

const std::vector<std::string> kPeopleHeader = {"编号", "姓名", "岗位", "笔记"};
const std::vector<std::string> kEventsHeader = {"编号", "姓名", "事件类型", "日期", "分值", "次数", "颁发", "备注"};

// Every column of the template's 人员名单 (label, id): a sheet must have them all.
const std::vector<std::pair<std::string, std::string>> kPeopleColumns = {
    {"编号", ""}, {"姓名", ""}, {"单位", ""}, {"岗位", ""}, {"领导", "leadership"}, {"笔记", "notes"},
    {"目标", "target"}, {"民主测评", "rating"}, {"工作计划", "has_plan"}, {"单位类型", "level"}};

// 人员名单 with `header`, and after it every other column of the template's, left empty.
Table people(std::vector<std::vector<std::string>> rows, std::vector<std::string> header = kPeopleHeader) {
    for (const auto& [label, id] : kPeopleColumns)
        if (std::find(header.begin(), header.end(), label) == header.end() && (id.empty() || std::find(header.begin(), header.end(), id) == header.end()))
            header.push_back(label);
    rows.insert(rows.begin(), header);
    return table("人员名单", rows);
}
Table events(std::vector<std::vector<std::string>> rows) {
    rows.insert(rows.begin(), kEventsHeader);
    return table("事件登记", rows);
}

kaohe::Import import(std::vector<Table> tables, kaohe::ImportOptions options = {}) {
    std::vector<NamedTable> named;
    for (auto& t : tables) named.push_back(NamedTable{"", std::move(t)});
    return kaohe::sheet::import_tables(rules(), named, options);
}

// Every problem rendered, one a line.
std::string problems(const kaohe::Import& in) {
    std::string out;
    for (const auto& p : in.problems) out += kaohe::render(p) + "\n";
    return out;
}

// The one problem of an events sheet holding one row with `cell` at column `column` (from 1).
std::string event_problem(std::size_t column, const std::string& cell) {
    std::vector<std::string> row = {"1", "", "失误", "2022-03-14", "4", "", "", ""};
    row[column - 1] = cell;
    return problems(import({people({{"1", "张三", "科员", "#4000"}}), events({row})}));
}

}  // namespace

TEST_CASE("import: a person's row and events become one record, in docs/records.md's form") {
    const auto in = import({people({{"2022-001", "张三", "科员", "#4000"}}),
                            events({{"2022-001", "张三", "迟到", "2022-03-14", "", "", "", "迟到十分钟"},
                                    {"2022-001", "", "失误", "2022-05", "#4", "#2", "", ""},
                                    {"2022-001", "", "获奖", "", "", "", "县", ""}})});
    REQUIRE_MESSAGE(in.ok(), problems(in));
    REQUIRE(in.records.size() == 1);
    CHECK(in.people == 1);
    CHECK(in.records[0] ==
          R"({"id":"2022-001","name":"张三","role":"clerk","groups":[],"year":2022,"measures":{"notes":4000},)"
          R"("events":[{"type":"late","date":"2022-03-14","note":"迟到十分钟"},{"type":"mistake","date":"2022-05","amount":4,"count":2},)"
          R"({"type":"award","issuer":"county"}]})");
    CHECK(rules().evaluate(in.records[0]).ok());
}

TEST_CASE("import: labels and ids are both accepted, in headers and in cells") {
    const auto in = import({people({{"1", "", "head", "#4000", "是", "示范单位", "优秀"}, {"2", "", "主任", "#4000", "yes", "model", "#95"}},
                                   {"编号", "姓名", "role_not_a_header_but", "notes", "has_plan", "单位类型", "rating"})});
    CHECK(has(problems(in), "人员名单!C1: [S002] 未知的列 `role_not_a_header_but`"));
    const auto ok = import({people({{"1", "", "head", "#4000", "是", "示范单位", "优秀"}, {"2", "", "主任", "#4000", "yes", "model", "#95"}},
                                   {"编号", "姓名", "岗位", "notes", "has_plan", "单位类型", "rating"})});
    REQUIRE_MESSAGE(ok.ok(), problems(ok));
    CHECK(ok.records[0] == ok.records[1].substr(0, 7) + "1" + ok.records[1].substr(8));
    CHECK(has(ok.records[0], R"("measures":{"notes":4000,"rating":95},"facts":{"has_plan":true,"level":"model"})"));
}

TEST_CASE("import: an unknown event type is S003 at its cell, with the nearest label") {
    CHECK(event_problem(3, "迟道") == "事件登记!C2: [S003] 未知的事件类型 `迟道`，是否为 `迟到`？\n");
    CHECK(event_problem(3, "请假") == "事件登记!C2: [S003] 未知的事件类型 `请假`：可填 迟到、失误、获奖、单位荣誉\n");
}

TEST_CASE("import: an unknown role or attribute value is S003 with the nearest") {
    CHECK(problems(import({people({{"1", "", "科圆", "#4000"}})})) == "人员名单!C2: [S003] 未知的岗位 `科圆`，是否为 `科员`？\n");
    CHECK(problems(import({people({{"1", "", "科员", "#4000"}}), events({{"1", "", "获奖", "", "", "", "市", ""}})})) ==
          "事件登记!G2: [S003] 未知的颁发 `市`：可填 本单位、县、省\n");
}

TEST_CASE("import: headers match after trimming, in any order; unknown, missing and repeated headers are S002") {
    const auto moved = import({table("人员名单", {{"笔记 ", "　岗位", "编号", "姓名", "单位", "领导", "目标", "民主测评", "工作计划", "单位类型"}, {"#4000", "科员", "1"}})});
    REQUIRE_MESSAGE(moved.ok(), problems(moved));
    CHECK(has(moved.records[0], R"("id":"1","role":"clerk")"));
    CHECK(problems(import({people({{"1", "", "科员", "#4000"}}, {"编号", "姓名", "岗位", "笔迹", "notes"})})) ==
          "人员名单!D1: [S002] 未知的列 `笔迹`，是否为 `笔记`？\n");
    CHECK(problems(import({table("人员名单", {{"编号", "姓名", "单位", "领导", "笔记", "目标", "民主测评", "工作计划", "单位类型"}, {"1"}})})) ==
          "人员名单: [S002] 缺少列 `岗位`（第1行是表头）\n");
    CHECK(problems(import({people({{"1", "", "科员", "#4000", "#4000"}}, {"编号", "姓名", "岗位", "笔记", "notes"})})) ==
          "人员名单!E1: [S002] 列 `笔记` 重复（已在 D 列）\n");
}

TEST_CASE("import: 人员名单 is required; sheets the layout does not know are ignored, hidden ones it knows are read") {
    CHECK(problems(import({events({})})) == "人员名单: [S002] 缺少「人员名单」表\n");
    Table hidden = people({{"1", "", "科员", "#4000"}});
    hidden.hidden = true;
    const auto in = import({hidden, table("填表说明", {{"随便什么"}}), table("lists", {{"科员", "主任"}})});
    REQUIRE_MESSAGE(in.ok(), problems(in));
    CHECK(in.records.size() == 1);
}

TEST_CASE("import: empty rows are skipped, and cells are trimmed of spaces a clerk cannot see") {
    const auto in = import({people({{"", "", "", ""}, {" 1\xE3\x80\x80", "张三 ", "\xE2\x80\x8B科员", " 4000\t"}, {" ", "\xE3\x80\x80"}})});
    REQUIRE_MESSAGE(in.ok(), problems(in));
    REQUIRE(in.records.size() == 1);
    CHECK(has(in.records[0], R"({"id":"1","name":"张三","role":"clerk")"));
}

TEST_CASE("import: full-width digits and numbers typed as text read as numbers, exactly") {
    const auto in = import({people({{"1", "", "科员", "４０００"}, {"2", "", "科员", "4000", "", "１２．５"}, {"3", "", "科员", "#4000", "", "#33.3333333333333333333"}},
                                   {"编号", "姓名", "岗位", "笔记", "单位", "目标"})});
    REQUIRE_MESSAGE(in.ok(), problems(in));
    CHECK(has(in.records[0], R"("measures":{"notes":4000})"));
    CHECK(has(in.records[1], R"("measures":{"notes":4000,"target":12.5})"));
    CHECK(has(in.records[2], R"("target":33.3333333333333333333)"));
}

TEST_CASE("import: a cell that is not a number, not whole, or outside its range") {
    CHECK(problems(import({people({{"1", "", "科员", "四千"}})})) == "人员名单!D2: [S004] `四千` 不是数字\n");
    CHECK(problems(import({people({{"1", "", "科员", "#4000.5"}})})) == "人员名单!D2: [S004] `4000.5` 不是整数\n");
    CHECK(problems(import({people({{"1", "", "科员", "#-1"}})})) == "人员名单!D2: [S005] `-1` 超出范围（不小于0）\n");
    CHECK(problems(import({people({{"1", "", "科员", "#4000", "#88"}}, {"编号", "姓名", "岗位", "笔记", "民主测评"})})) ==
          "人员名单!E2: [S005] `88` 不在等次之中（优秀 95, 良好 85）\n");
    CHECK(event_problem(5, "#6") == "事件登记!E2: [S005] 分值 `6` 超出「失误」的范围（3至5）\n");
    CHECK(event_problem(6, "#1.5") == "事件登记!F2: [S004] `1.5` 不是整数\n");
    CHECK(event_problem(6, "#0") == "事件登记!F2: [S005] 次数 `0` 超出范围（1至1000000）\n");
}

TEST_CASE("import: dates typed as dates, as text, or as serials; outside the year S005, else S004") {
    auto date_of = [](const std::string& cell) {
        const auto in = import({people({{"1", "", "科员", "#4000"}}), events({{"1", "", "迟到", cell}})});
        if (!in.ok()) return problems(in);
        const auto at = in.records[0].find(R"("date":")");
        return in.records[0].substr(at + 8, in.records[0].find('"', at + 8) - at - 8);
    };
    CHECK(date_of("@44634") == "2022-03-14");         // Excel's serial of 2022-03-14
    CHECK(date_of("@44634.75") == "2022-03-14");      // with its time of day
    CHECK(date_of("#44634") == "2022-03-14");         // a serial that lost its format, inside the year
    CHECK(date_of("44634") == "2022-03-14");          // and typed as text
    CHECK(date_of("2022-03-14") == "2022-03-14");
    CHECK(date_of("2022/3/14") == "2022-03-14");
    CHECK(date_of("2022.3.14") == "2022-03-14");
    CHECK(date_of("2022年3月14日") == "2022-03-14");
    CHECK(date_of("２０２２－０３－１４") == "2022-03-14");
    CHECK(date_of("2022-03-14 08:30") == "2022-03-14");
    CHECK(date_of("2022-03") == "2022-03");
    CHECK(date_of("2022年3月") == "2022-03");
    CHECK(date_of("2021-12-31") == "事件登记!D2: [S005] 日期 2021-12-31 不在考核年度 2022 年内\n");
    CHECK(date_of("@44561") == "事件登记!D2: [S005] 日期 2021-12-31 不在考核年度 2022 年内\n");
    CHECK(date_of("@60") == "事件登记!D2: [S004] 1900-02-29 不是真实的日期（Excel 的日期序号 60）：请填写日期（如 2022-03-14、"
                           "2022/3/14、2022年3月14日）或月份（如 2022-03、2022年3月）\n");
    CHECK(date_of("@0.5") == "事件登记!D2: [S004] 只有时间，没有日期：请填写日期（如 2022-03-14、2022/3/14、2022年3月14日）或月份（如 "
                             "2022-03、2022年3月）\n");
    CHECK(date_of("#12") == "事件登记!D2: [S004] `12` 不是日期：请填写日期（如 2022-03-14、2022/3/14、2022年3月14日）或月份（如 "
                            "2022-03、2022年3月）\n");
    CHECK(date_of("2022-02-30") == "事件登记!D2: [S004] `2022-02-30` 不是真实的日期：请填写日期（如 2022-03-14、2022/3/14、"
                                   "2022年3月14日）或月份（如 2022-03、2022年3月）\n");
    CHECK(date_of("三月") == "事件登记!D2: [S004] `三月` 不是日期：请填写日期（如 2022-03-14、2022/3/14、2022年3月14日）或月份（如 "
                             "2022-03、2022年3月）\n");
}

TEST_CASE("import: 是/否 columns take 是, 否, Y/N, yes/no, √, 1/0; blank is 否 for a group") {
    const std::vector<std::string> header = {"编号", "岗位", "笔记", "领导", "工作计划"};
    const auto in = import({people({{"1", "科员", "#4000", "是", "√"}, {"2", "科员", "#4000", "Y", "0"}, {"3", "科员", "#4000", "", "no"}}, header)});
    REQUIRE_MESSAGE(in.ok(), problems(in));
    CHECK(has(in.records[0], R"("groups":["leadership"],"year":2022,"measures":{"notes":4000},"facts":{"has_plan":true})"));
    CHECK(has(in.records[1], R"("groups":["leadership"],"year":2022,"measures":{"notes":4000},"facts":{"has_plan":false})"));
    CHECK(has(in.records[2], R"("groups":[],"year":2022,"measures":{"notes":4000},"facts":{"has_plan":false})"));
    CHECK(problems(import({people({{"1", "科员", "#4000", "也许"}}, header)})) == "人员名单!D2: [S004] `也许` 不是“是”或“否”：请填 是 或 否\n");
}

TEST_CASE("import: rows join 人员名单 by 编号; an unknown 编号, a 姓名 not the person's, a 编号 twice are S006") {
    CHECK(problems(import({people({{"2022-001", "张三", "科员", "#4000"}}), events({{"2022-010", "", "迟到"}})})) ==
          "事件登记!A2: [S006] 人员名单中没有编号 `2022-010`，是否为 `2022-001`？\n");
    CHECK(problems(import({people({{"1", "张三", "科员", "#4000"}}), events({{"1", "李四", "迟到"}})})) ==
          "事件登记!B2: [S006] 编号 `1` 是 张三，不是 `李四`\n");
    CHECK(problems(import({people({{"1", "张三", "科员", "#4000"}, {"1", "李四", "科员", "#4000"}})})) ==
          "人员名单!A3: [S006] 编号 `1` 重复（已在第2行）\n");
}

TEST_CASE("import: a record the record reader refuses is a problem at the cell it came from, with the record's code") {
    // 笔记 left empty: the rule on it needs it (R004), at the person's 笔记 cell.
    const auto in = import({people({{"1", "张三", "科员", ""}})});
    REQUIRE(in.problems.size() == 1);
    CHECK(in.problems[0].code == "R004");
    CHECK(kaohe::cell_name(in.problems[0].row, in.problems[0].column) == "D2");
    CHECK(in.problems[0].person == "1");
    // 失误 needs its 分值 (R004), at the event's 分值 cell.
    const auto amount = import({people({{"1", "张三", "科员", "#4000"}}), events({{"1", "", "失误", "2022-03-14"}})});
    REQUIRE(amount.problems.size() == 1);
    CHECK(amount.problems[0].code == "R004");
    CHECK(amount.problems[0].sheet == "事件登记");
    CHECK(kaohe::cell_name(amount.problems[0].row, amount.problems[0].column) == "E2");
}

TEST_CASE("import: every problem at once, in sheet, row and column order") {
    const auto in = import({events({{"1", "", "迟道", "三月"}, {"9", "", "迟到"}}), people({{"1", "", "科圆", "四千"}})});
    CHECK(problems(in) ==
          "人员名单!C2: [S003] 未知的岗位 `科圆`，是否为 `科员`？\n"
          "人员名单!D2: [S004] `四千` 不是数字\n"
          "事件登记!C2: [S003] 未知的事件类型 `迟道`，是否为 `迟到`？\n"
          "事件登记!A3: [S006] 人员名单中没有编号 `9`\n");
    CHECK(in.records.empty());
}

TEST_CASE("import: with skip_bad the people without problems keep their records; by default nobody does") {
    const auto rows = people({{"1", "张三", "科员", "#4000"}, {"2", "李四", "科圆", "#4000"}});
    const auto strict = import({rows});
    CHECK(strict.problems.size() == 1);
    CHECK(strict.records.empty());
    kaohe::ImportOptions skip;
    skip.skip_bad = true;
    const auto kept = import({rows}, skip);
    CHECK(kept.problems.size() == 1);
    CHECK(kept.problems[0].person == "2");
    REQUIRE(kept.records.size() == 1);
    CHECK(has(kept.records[0], R"("id":"1")"));
    CHECK(kept.people == 2);
}

TEST_CASE("import: a sheet or column problem gives no records, even with skip_bad") {
    kaohe::ImportOptions skip;
    skip.skip_bad = true;
    const auto in = import({people({{"1", "", "科员", "#4000"}}, {"编号", "姓名", "岗位", "笔迹", "notes"})}, skip);
    CHECK(in.problems.size() == 1);
    CHECK(in.records.empty());
}

TEST_CASE("import: 单位事件 rows become the unit record") {
    const auto in = import({people({{"1", "", "科员", "#4000"}}), table("单位事件", {{"事件类型", "日期", "备注", "次数"}, {"单位荣誉", "2022-12", "文明单位"}})});
    REQUIRE_MESSAGE(in.ok(), problems(in));
    CHECK(in.unit == R"({"year":2022,"events":[{"type":"honour","date":"2022-12","note":"文明单位"}]})");
    CHECK(problems(import({people({{"1", "", "科员", "#4000"}}), table("单位事件", {{"事件类型", "日期", "次数", "备注"}, {"迟到"}})})) ==
          "单位事件!A2: [S003] 未知的事件类型 `迟到`：可填 单位荣誉\n");
}

TEST_CASE("import: an attribute filled for an event without it, or an amount for an event without one, is S005") {
    CHECK(event_problem(7, "县") == "事件登记!G2: [S005] 事件「失误」没有「颁发」这一项：请留空\n");
    const auto in = import({people({{"1", "", "科员", "#4000"}}), events({{"1", "", "迟到", "", "#3"}})});
    CHECK(problems(in) == "事件登记!E2: [S005] 事件「迟到」不填分值\n");
}

TEST_CASE("read_csv: UTF-8 with or without a byte-order mark, GB18030, RFC 4180 quoting, CRLF or LF") {
    using kaohe::sheet::read_csv;
    const Table plain = read_csv("编号,备注\r\n1,\"说\"\"好\"\",\n两行\"\n\n2,x\n", "人员名单");
    REQUIRE(plain.rows.size() == 3);
    CHECK(plain.rows[1].number == 2);
    CHECK(plain.rows[1].cells[1].text == "说\"好\",\n两行");
    CHECK(plain.rows[2].number == 4);  // the empty record 3 is left out, its number kept
    CHECK(read_csv("\xEF\xBB\xBF编号\n", "s").rows[0].cells[0].text == "编号");
    CHECK(read_csv("\xB1\xE0\xBA\xC5,\xB3\xD9\xB5\xBD\n", "s").rows[0].cells[1].text == "迟到");  // 编号,迟到 in GB18030
}

TEST_CASE("read_csv: text in neither UTF-8 nor GB18030, an unfinished quote or broken UTF-16 is S001") {
    using kaohe::sheet::read_csv;
    using kaohe::sheet::ReadFailure;
    auto failure = [](const std::string& bytes) {
        try {
            read_csv(bytes, "s");
        } catch (const ReadFailure& f) {
            return std::string(kaohe::diag::name(f.code)) + " " + f.message;
        }
        return std::string("read");
    };
    CHECK(failure("a\nb\n\xFF\xFF\n") == "S001 第3行有既不是 UTF-8 也不是 GB18030 的字符：请将文件另存为“CSV UTF-8”");
    CHECK(failure("a,\"b\n") == "S001 第1行的引号没有结束");
    CHECK(failure(std::string("\xFF\xFE" "a\0" "\n", 5)) == "S001 文件像是 UTF-16 编码，但字节数是单数：请将文件另存为“CSV UTF-8”");
}

TEST_CASE("import: a CSV file's sheet is the one its name holds, else the one its header row matches") {
    const auto named = kaohe::import_records(rules(), {{"登记表-人员名单.csv", "编号,姓名,单位,岗位,领导,笔记,目标,民主测评,工作计划,单位类型\n1,,,科员,,4000\n"}});
    REQUIRE_MESSAGE(named.ok(), problems(named));
    const auto by_header = kaohe::import_records(rules(), {{"people.csv", "编号,姓名,单位,岗位,领导,笔记,目标,民主测评,工作计划,单位类型\n1,,,科员,,4000\n"},
                                                           {"ev.csv", "编号,姓名,事件类型,日期,分值,次数,颁发,备注\n1,,迟到,2022-03-14\n"}});
    REQUIRE_MESSAGE(by_header.ok(), problems(by_header));
    CHECK(has(by_header.records[0], R"("events":[{"type":"late","date":"2022-03-14"}])"));
    CHECK(problems(kaohe::import_records(rules(), {{"x.csv", "a,b\n"}})) ==
          "x.csv: [S002] 无法从文件名或表头判断这是哪张表：请在文件名中写明表名（人员名单、事件登记、单位事件）\n");
    CHECK(problems(kaohe::import_records(rules(), {{"x.txt", "a,b\n"}})) ==
          "x.txt: [S001] 不认识的文件类型：请给出 .xlsx 工作簿，或每张表一个 .csv 文件\n");
}

TEST_CASE("import: the seed scheme's records from CSV files (GB18030 among them) score exactly as the same records as JSON") {
    const auto compiled = kaohe::Ruleset::compile_file("rulesets/seed/seed.kh");
    REQUIRE(compiled.ruleset);
    std::vector<kaohe::SheetFile> files;
    for (const auto& e : std::filesystem::directory_iterator("tests/sheets/seed"))
        if (e.path().extension() == ".csv") files.push_back({e.path().filename().string(), kaohe::testing::slurp(e.path())});
    REQUIRE(files.size() == 3);
    const auto in = kaohe::import_records(*compiled.ruleset, files);
    REQUIRE_MESSAGE(in.ok(), problems(in));
    REQUIRE_FALSE(in.unit.empty());
    auto unit = compiled.ruleset->read_unit(in.unit);
    auto json_unit = compiled.ruleset->read_unit(kaohe::testing::slurp("examples/records/unit.json"));
    REQUIRE(unit);
    REQUIRE(json_unit);
    std::vector<std::string> expected;
    const std::string all = kaohe::testing::slurp("examples/records/all.jsonl");
    for (std::size_t at = 0, end; (end = all.find('\n', at)) != std::string::npos; at = end + 1) expected.push_back(all.substr(at, end - at));
    REQUIRE(in.records.size() == expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const auto from_sheet = compiled.ruleset->evaluate(in.records[i], &*unit);
        const auto from_json = compiled.ruleset->evaluate(expected[i], &*json_unit);
        REQUIRE_MESSAGE(from_sheet.ok(), from_sheet.error().message);
        REQUIRE(from_json.ok());
        INFO(in.records[i]);
        // The whole result: every score, line and the receipt, whose record hash is of the
        // record as read, so the records are the same record.
        CHECK(from_sheet.json() == from_json.json());
    }
}

// tests/bad-input/sheets/CASE/: the CSV files of one filled-in workbook for the seed scheme with
// one kind of bad cell, and CASE.expected: every problem exactly as rendered, one a line.
// KAOHE_UPDATE_GOLDEN=1 rewrites them.
TEST_CASE("import: every kind of bad cell in tests/bad-input/sheets gives exactly its expected problems") {
    namespace fs = std::filesystem;
    const auto compiled = kaohe::Ruleset::compile_file("rulesets/seed/seed.kh");
    REQUIRE(compiled.ruleset);
    const bool update = std::getenv("KAOHE_UPDATE_GOLDEN") != nullptr;
    std::size_t cases = 0;
    for (const auto& dir : fs::directory_iterator("tests/bad-input/sheets")) {
        if (!dir.is_directory()) continue;
        std::vector<fs::path> paths;
        for (const auto& f : fs::directory_iterator(dir.path())) paths.push_back(f.path());
        std::sort(paths.begin(), paths.end());
        std::vector<kaohe::SheetFile> files;
        for (const auto& p : paths) files.push_back({p.filename().string(), kaohe::testing::slurp(p)});
        const auto in = kaohe::import_records(*compiled.ruleset, files);
        const std::string actual = problems(in);
        fs::path expected = dir.path();
        expected += ".expected";
        if (update) kaohe::testing::spit(expected, actual);
        INFO(dir.path().string());
        REQUIRE(fs::exists(expected));
        CHECK_FALSE(actual.empty());
        CHECK(in.records.empty());
        CHECK(actual == kaohe::testing::slurp(expected));
        ++cases;
    }
    CHECK(cases >= 20);
}

namespace {

const std::string kRatingRules = R"(policy "t" year 2022
rating review "民主测评" marks 0..100 mean
rating votes "测评票" votes { good "好", bad "差" }
measure output "季度任务" whole >= 0 each quarter
section s "考核" 60 {
  clause a "测评" 50 from 0 { add 0.5 * review }
  clause v "票" 10 from 0 { add 10 * share(votes for good) }
}
section q "季度" 40 each quarter mean {
  clause o "任务" 40 from 0 { add 2 * output }
}
)";

kaohe::Import import_ratings(std::vector<Table> tables) {
    static const kaohe::CompileResult c = kaohe::testing::compile_whole(kRatingRules);
    REQUIRE_MESSAGE(c.ruleset, kaohe::render(c.diagnostics));
    std::vector<NamedTable> named;
    for (auto& t : tables) named.push_back(NamedTable{"", std::move(t)});
    return kaohe::sheet::import_tables(*c.ruleset, named);
}

}  // namespace

TEST_CASE("import: 测评打分 rows are one rater's mark or a grade's votes; 分期数据 rows a quarter's inputs") {
    const auto in = import_ratings({table("人员名单", {{"编号", "姓名", "单位"}, {"1"}}),
                                    table("测评打分", {{"编号", "测评项目", "评分", "等次", "票数"},
                                                       {"1", "民主测评", "#90"},
                                                       {"1", "review", "80"},
                                                       {"1", "测评票", "", "好", "#3"},
                                                       {"1", "votes", "", "bad", "1"}}),
                                    table("分期数据", {{"编号", "期间", "季度任务"},
                                                       {"1", "2022-Q1", "#5"},
                                                       {"1", "2022Q2", "#6"},
                                                       {"1", "2022年第3季度", "#7"},
                                                       {"1", "2022-Q4", "#8"}})});
    REQUIRE_MESSAGE(in.ok(), problems(in));
    REQUIRE(in.records.size() == 1);
    CHECK(in.records[0] == R"({"id":"1","groups":[],"year":2022,"ratings":{"review":[90,80],"votes":{"good":3,"bad":1}},)"
                           R"("periods":{"2022-Q1":{"measures":{"output":5}},"2022-Q2":{"measures":{"output":6}},)"
                           R"("2022-Q3":{"measures":{"output":7}},"2022-Q4":{"measures":{"output":8}}}})");
}

TEST_CASE("import: a mark out of range, an unknown grade or period, a quarter given twice") {
    const auto in = import_ratings({table("人员名单", {{"编号", "姓名", "单位"}, {"1"}}),
                                    table("测评打分", {{"编号", "测评项目", "评分", "等次", "票数"},
                                                       {"1", "民主测评", "#101"},
                                                       {"1", "测评票", "", "好的", "#3"},
                                                       {"1", "测评票", "", "好", "#-3"}}),
                                    table("分期数据", {{"编号", "期间", "季度任务"},
                                                       {"1", "2022-Q5", "#5"},
                                                       {"1", "2022-Q1", "#6"},
                                                       {"1", "2022-Q1", "#7"}})});
    CHECK(problems(in) ==
          "测评打分!C2: [S005] `101` 超出范围（0至100）\n"
          "测评打分!D3: [S003] 未知的等次 `好的`，是否为 `好`？\n"
          "测评打分!E4: [S005] 票数 `-3` 超出范围（0至1000000）\n"
          "分期数据!B2: [S003] 未知的期间 `2022-Q5`：可填 2022-Q1、2022-Q2、2022-Q3、2022-Q4\n"
          "分期数据!B4: [S006] 编号 `1` 的期间 2022-Q1 已在第3行填写\n");
}

TEST_CASE("import: the records are for the year the entry workbook was made for, and a workbook of another year is refused") {
    const auto about = [](const std::string& year) { return table("_kaohe", {{"key", "value"}, {"policy", "t"}, {"year", year}}); };
    const auto same = import({people({{"1", "张三", "科员", "#4000"}}), about("2022")});
    REQUIRE_MESSAGE(same.ok(), problems(same));
    CHECK(has(same.records.at(0), R"("year":2022)"));
    const auto other = import({people({{"1", "张三", "科员", "#4000"}}), about("2021")});
    CHECK(problems(other) ==
          "[S005] 规则没有 2021 年的版本：这份登记表是按 2021 年的规则生成的（见隐藏的 _kaohe 表），而规则是 2022 年的；"
          "请用本年的规则重新生成登记表，或指定年份（--year）\n");
    CHECK(other.records.empty());
    // Told the year, the importer does not ask the workbook.
    kaohe::ImportOptions options;
    options.year = 2022;
    CHECK(import({people({{"1", "张三", "科员", "#4000"}}), about("2021")}, options).ok());
}

TEST_CASE("import: a 人员名单 that lists nobody (the blank template) is S002, not an empty success") {
    CHECK(problems(import({people({})})) == "人员名单: [S002] 「人员名单」没有填写任何人员：请每人一行填写\n");
}

TEST_CASE("import: a header problem stops every row from being judged against the wrong columns") {
    std::vector<std::string> header = kEventsHeader;
    header[2] = "事件";
    Table renamed = table("事件登记", {header, {"1", "", "迟到"}, {"1", "", "失误"}});
    CHECK(problems(import({people({{"1", "", "科员", "#4000"}}), renamed})) ==
          "事件登记: [S002] 缺少列 `事件类型`（第1行是表头）\n"
          "事件登记!C1: [S002] 未知的列 `事件`，是否为 `事件类型`？\n");
}

TEST_CASE("import: every column of the entry workbook must be there, a deleted 日期 or 备注 too") {
    std::vector<std::vector<std::string>> rows = {{"编号", "姓名", "事件类型", "分值", "次数", "颁发"}, {"1", "", "迟到"}};
    CHECK(problems(import({people({{"1", "", "科员", "#4000"}}), table("事件登记", rows)})) ==
          "事件登记: [S002] 缺少列 `日期`（第1行是表头）\n"
          "事件登记: [S002] 缺少列 `备注`（第1行是表头）\n");
}

TEST_CASE("import: a problem on more than 20 rows is said 20 times, then once with how many more rows and which") {
    std::vector<std::vector<std::string>> rows;
    for (int i = 0; i < 25; ++i) rows.push_back({"1", "", "迟道"});
    rows.push_back({"1", "", "迟到"});
    for (int i = 0; i < 3; ++i) rows.push_back({"1", "", "迟道"});
    const auto in = import({people({{"1", "", "科员", "#4000"}}), events(rows)});
    REQUIRE(in.problems.size() == 21);
    CHECK(kaohe::render(in.problems[19]) == "事件登记!C21: [S003] 未知的事件类型 `迟道`，是否为 `迟到`？");
    CHECK(kaohe::render(in.problems[20]) ==
          "事件登记!C: [S003] 同样的问题还有 8 行：第22-26、28-30行（未知的事件类型 `迟道`，是否为 `迟到`？）");
}

TEST_CASE("import: one import says at most 1000 problems, then how many there were") {
    std::vector<std::vector<std::string>> rows;
    for (int i = 0; i < 1200; ++i) rows.push_back({"1", "", "迟道" + std::to_string(i)});
    const auto in = import({people({{"1", "", "科员", "#4000"}}), events(rows)});
    REQUIRE(in.problems.size() == 1001);
    CHECK(kaohe::render(in.problems.back()) == "[S007] 问题太多，只列出前 1000 条（共 1200 个问题）：请先改正以上问题，再导入");
}

TEST_CASE("import: a workbook made for another scheme is one S002 saying so; another fingerprint of the same one is silent") {
    const auto about = [](const std::string& policy, const std::string& ruleset) {
        return table("_kaohe", {{"key", "value"}, {"policy", policy}, {"year", "2022"}, {"ruleset", ruleset}});
    };
    const auto other = import({people({{"1", "", "科员", "#4000"}}, {"编号", "职务"}), about("另一方案", "sha256:00")});
    CHECK(problems(other) == "[S002] 这份登记表是为《另一方案》生成的，不是《t》的：请用本方案的规则导入，或用 kaohe template 生成本方案的登记表\n");
    CHECK(other.records.empty());
    const auto changed = import({people({{"1", "", "科员", "#4000"}}), about("t", "sha256:00")});
    CHECK(changed.ok());
}

TEST_CASE("import: a month for a quarterly input is told the quarter it falls in; 一季度 and its kin are quarters") {
    const auto period = [](const std::string& text) {
        return problems(import_ratings({table("人员名单", {{"编号", "姓名", "单位"}, {"1"}}),
                                        table("分期数据", {{"编号", "期间", "季度任务"}, {"1", text, "#5"}})}));
    };
    CHECK(period("2022-03") == "分期数据!B2: [S003] `2022-03` 是月份；本项按季度填写，3月属于 2022-Q1\n");
    CHECK(period("2022年6月") == "分期数据!B2: [S003] `2022年6月` 是月份；本项按季度填写，6月属于 2022-Q2\n");
    CHECK(period("2022-Q0") == "分期数据!B2: [S003] 未知的期间 `2022-Q0`：可填 2022-Q1、2022-Q2、2022-Q3、2022-Q4\n");
    for (const char* q : {"一季度", "第一季度", "2022年第一季度", "Q1", "q1", "1季度", "2022年第1季度", "2022-Q1", "2022Q1"}) {
        INFO(q);
        CHECK_FALSE(has(period(q), "分期数据"));
    }
}

TEST_CASE("read_csv: fields separated by `;` or tabs, as the header row is, are read as by commas") {
    using kaohe::sheet::read_csv;
    for (const std::string sep : {",", ";", "\t"}) {
        const Table t = read_csv("编号" + sep + "备注\n1" + sep + "\"a,b;c\"\n", "s");
        INFO(sep);
        REQUIRE(t.rows.size() == 2);
        REQUIRE(t.rows[1].cells.size() == 2);
        CHECK(t.rows[1].cells[1].text == "a,b;c");
    }
}

TEST_CASE("read_csv: UTF-16, with or without its byte-order mark, is converted") {
    using kaohe::sheet::read_csv;
    const std::string le("\x16\x7f\xf7\x53\x09\x00\x31\x00\x0a\x00", 10);  // 编号<tab>1<LF>, UTF-16LE
    const std::string be("\x7f\x16\x53\xf7\x00\x2c\x00\x32\x00\x0a", 10);  // 编号,2<LF>, UTF-16BE
    for (const std::string& bytes : {le, "\xFF\xFE" + le, "\xFE\xFF" + be}) {
        const Table t = read_csv(bytes, "s");
        REQUIRE(t.rows.size() == 1);
        REQUIRE(t.rows[0].cells.size() == 2);
        CHECK(t.rows[0].cells[0].text == "编号");
    }
}

TEST_CASE("import: several CSV files at once, one of them named with a trailing space; a zip named neither way is a workbook") {
    const auto in = kaohe::import_records(rules(), {{"人员名单.csv ", "编号,姓名,单位,岗位,领导,笔记,目标,民主测评,工作计划,单位类型\n1,,,科员,,4000\n"}, {"upload", "PK\x03\x04"}});
    CHECK(in.people == 1);  // 人员名单.csv, its name trimmed
    CHECK(has(problems(in), "upload: [S001] 无法读取工作簿"));
}
