// Writing workbooks: the entry workbook (登记表.xlsx) and the results workbook (考核结果.xlsx), read
// back with libzip and expat as any reader of .xlsx files would.
#include <doctest/doctest.h>
#include <expat.h>
#include <zip.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "kaohe/workbook.hpp"
#include "support.hpp"

namespace {

using namespace kaohe;

// One file of a workbook's zip ("xl/workbook.xml"); "" when it is not there.
std::string entry(const std::string& xlsx, const std::string& name) {
    zip_error_t err;
    zip_error_init(&err);
    zip_source_t* src = zip_source_buffer_create(xlsx.data(), xlsx.size(), 0, &err);
    REQUIRE(src);
    zip_t* z = zip_open_from_source(src, ZIP_RDONLY, &err);
    REQUIRE(z);
    std::string out;
    if (zip_file_t* f = zip_fopen(z, name.c_str(), 0)) {
        char buf[8192];
        zip_int64_t n;
        while ((n = zip_fread(f, buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
        zip_fclose(f);
    }
    zip_close(z);
    zip_error_fini(&err);
    return out;
}

// The elements of an XML text, each with its attributes and its text, in document order.
struct Element {
    std::string name;
    std::map<std::string, std::string> attributes;
    std::string text;
    std::size_t depth = 0;
};

std::vector<Element> elements(const std::string& xml) {
    struct State {
        std::vector<Element> out;
        std::vector<std::size_t> open;
    } state;
    XML_Parser p = XML_ParserCreate("UTF-8");
    XML_SetUserData(p, &state);
    XML_SetElementHandler(
        p,
        [](void* data, const XML_Char* name, const XML_Char** attrs) {
            auto* s = static_cast<State*>(data);
            Element e;
            e.name = name;
            for (int i = 0; attrs[i]; i += 2) e.attributes[attrs[i]] = attrs[i + 1];
            e.depth = s->open.size();
            s->open.push_back(s->out.size());
            s->out.push_back(std::move(e));
        },
        [](void* data, const XML_Char*) { static_cast<State*>(data)->open.pop_back(); });
    XML_SetCharacterDataHandler(p, [](void* data, const XML_Char* text, int len) {
        auto* s = static_cast<State*>(data);
        if (!s->open.empty()) s->out[s->open.back()].text.append(text, static_cast<std::size_t>(len));
    });
    REQUIRE(XML_Parse(p, xml.data(), static_cast<int>(xml.size()), 1) == XML_STATUS_OK);
    XML_ParserFree(p);
    return std::move(state.out);
}

struct Sheet {
    std::string name, state;                 // state: "" or "hidden"
    std::map<std::string, std::string> cells;  // "A1" -> the cell's text (a number as written)
    std::map<std::string, std::string> kinds;  // "A1" -> "s" (text), "n" (number)
    std::vector<Element> validations;        // dataValidation elements; their formula1 in `text`, formula2 as "formula2"
    std::string xml;
};

struct Workbook {
    std::vector<Sheet> sheets;
    std::vector<std::string> comments;  // every comment's text, across sheets
    const Sheet& operator[](const std::string& name) const {
        for (const auto& s : sheets)
            if (s.name == name) return s;
        FAIL("no sheet " << name);
        return sheets.front();
    }
    std::vector<std::string> names() const {
        std::vector<std::string> out;
        for (const auto& s : sheets) out.push_back(s.name);
        return out;
    }
};

Workbook read(const std::string& xlsx) {
    Workbook wb;
    std::vector<std::string> shared;
    {
        const auto es = elements(entry(xlsx, "xl/sharedStrings.xml"));
        for (const auto& e : es) {
            if (e.name == "si") shared.emplace_back();
            if (e.name == "t" && !shared.empty()) shared.back() += e.text;
        }
    }
    std::map<std::string, std::string> targets;
    for (const auto& e : elements(entry(xlsx, "xl/_rels/workbook.xml.rels")))
        if (e.name == "Relationship") targets[e.attributes.at("Id")] = e.attributes.at("Target");
    for (const auto& e : elements(entry(xlsx, "xl/workbook.xml"))) {
        if (e.name != "sheet") continue;
        Sheet s;
        s.name = e.attributes.at("name");
        if (e.attributes.count("state")) s.state = e.attributes.at("state");
        s.xml = entry(xlsx, "xl/" + targets.at(e.attributes.at("r:id")));
        const auto es = elements(s.xml);
        for (std::size_t i = 0; i < es.size(); ++i) {
            if (es[i].name == "c") {
                const std::string ref = es[i].attributes.at("r");
                const bool text = es[i].attributes.count("t") && es[i].attributes.at("t") == "s";
                for (std::size_t j = i + 1; j < es.size() && es[j].depth > es[i].depth; ++j)
                    if (es[j].name == "v") s.cells[ref] = text ? shared.at(std::stoul(es[j].text)) : es[j].text;
                s.kinds[ref] = text ? "s" : "n";
            }
            if (es[i].name == "dataValidation") {
                Element v = es[i];
                for (std::size_t j = i + 1; j < es.size() && es[j].depth > es[i].depth; ++j)
                    if (es[j].name == "formula1") v.text = es[j].text;
                    else if (es[j].name == "formula2") v.attributes["formula2"] = es[j].text;  // the upper bound
                s.validations.push_back(std::move(v));
            }
        }
        wb.sheets.push_back(std::move(s));
    }
    for (int i = 1; i < 10; ++i)
        for (const auto& e : elements([&] {
                 std::string x = entry(xlsx, "xl/comments" + std::to_string(i) + ".xml");
                 return x.empty() ? std::string("<none/>") : x;
             }()))
            if (e.name == "t") wb.comments.push_back(e.text);
    return wb;
}

const Ruleset& seed() {
    static const Ruleset rules = *Ruleset::compile_file("rulesets/seed/seed.kh").ruleset;
    return rules;
}

// The value of a key of the instructions' event rows: column C of the row whose column B is `id`.
std::string instructions_for(const Sheet& s, const std::string& id) {
    for (const auto& [ref, text] : s.cells)
        if (ref[0] == 'B' && text == id) return s.cells.count("C" + ref.substr(1)) ? s.cells.at("C" + ref.substr(1)) : "";
    return "";
}

const Element* validation_at(const Sheet& s, const std::string& column) {
    for (const auto& v : s.validations)
        if (v.attributes.at("sqref") == column + "2:" + column + "1000") return &v;
    return nullptr;
}

}  // namespace

TEST_CASE("the entry workbook has the layout's sheets in order, then the instructions, then two hidden sheets") {
    const Workbook wb = read(entry_workbook(seed()));
    CHECK(wb.names() == std::vector<std::string>{"人员名单", "事件登记", "单位事件", "填表说明", "选项", "_kaohe"});
    CHECK(wb["人员名单"].state == "");
    CHECK(wb["选项"].state == "hidden");
    CHECK(wb["_kaohe"].state == "hidden");
}

TEST_CASE("each entry sheet's header row is bold, frozen and commented with the column's help") {
    const Workbook wb = read(entry_workbook(seed()));
    const Sheet& people = wb["人员名单"];
    CHECK(people.cells.at("A1") == "编号");
    CHECK(people.cells.at("B1") == "姓名");
    CHECK(people.cells.at("D1") == "岗位");
    CHECK(people.xml.find("<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>") != std::string::npos);
    CHECK(people.xml.find("<c r=\"A1\" s=\"1\" t=\"s\">") != std::string::npos);  // the bold format
    bool help = false;
    for (const auto& c : wb.comments) help = help || c == "每人一个，不得重复（必填）";
    CHECK(help);
}

TEST_CASE("a column of choices is a drop-down drawn from the hidden list sheet") {
    const Workbook wb = read(entry_workbook(seed()));
    const Element* role = validation_at(wb["人员名单"], "D");
    REQUIRE(role);
    CHECK(role->attributes.at("type") == "list");
    CHECK(role->text == "'选项'!$A$2:$A$11");  // the seed's ten roles
    CHECK(wb["选项"].cells.at("A1") == "岗位");
    CHECK(wb["选项"].cells.at("A2") == "党组书记、主席");
    CHECK(role->attributes.at("errorTitle") == "“岗位”填写有误");
    CHECK(role->attributes.at("error") == "请从下拉列表中选择岗位。");
}

TEST_CASE("a number column is validated by its domain and a date column within the year") {
    const Workbook wb = read(entry_workbook(seed()));
    const Sheet& people = wb["人员名单"];
    std::string target_col, notes_col;
    for (const auto& [ref, text] : people.cells) {
        if (text == "县年度综合目标考核得分") target_col = ref.substr(0, ref.size() - 1);
        if (text == "读书笔记字数") notes_col = ref.substr(0, ref.size() - 1);
    }
    const Element* target = validation_at(people, target_col);
    REQUIRE(target);
    CHECK(target->attributes.at("type") == "decimal");
    CHECK(target->attributes.at("error") == "请填写0至100之间的数字。");
    CHECK(target->text == "0");  // the bounds as the rules write them: `decimal 0..100`
    CHECK(target->attributes.at("formula2") == "100");
    const Element* notes = validation_at(people, notes_col);
    REQUIRE(notes);
    CHECK(notes->attributes.at("type") == "whole");
    CHECK(notes->attributes.at("operator") == "greaterThanOrEqual");
    CHECK(notes->attributes.at("error") == "请填写不小于0的整数。");
    CHECK(notes->text == "0");

    const Sheet& events = wb["事件登记"];
    CHECK(events.cells.at("D1") == "日期");
    const Element* date = validation_at(events, "D");
    REQUIRE(date);
    CHECK(date->attributes.at("type") == "date");
    CHECK(date->attributes.at("error") == "请填写2022年内的日期，如 2022-03-14。");
    CHECK(date->text == "44562");  // 2022-01-01 as Excel counts days
}

TEST_CASE("the hidden _kaohe sheet says what the workbook was made from") {
    const Workbook wb = read(entry_workbook(seed()));
    const Sheet& about = wb["_kaohe"];
    CHECK(about.cells.at("A2") == "policy");
    CHECK(about.cells.at("B2") == "县科协岗位责任制及效能考核");
    CHECK(about.cells.at("A3") == "version");
    CHECK(about.cells.at("B3") == "2022");
    CHECK(about.cells.at("A4") == "year");
    CHECK(about.cells.at("B4") == "2022");
    CHECK(about.cells.at("A5") == "ruleset");
    CHECK(about.cells.at("B5") == seed().fingerprint());
}

TEST_CASE("the instructions say each event's rules in words, with the clause and its citation") {
    const Workbook wb = read(entry_workbook(seed()));
    const Sheet& how = wb["填表说明"];
    CHECK(instructions_for(how, "study_absence") == "集体学习（一(一)1）：每次扣2分");
    CHECK(instructions_for(how, "work_mistake") == "分值栏填写3至5之间的数。\n工作纪律（一(二)1）：视其情节每次扣3—5分（分值栏填写）");
    CHECK(instructions_for(how, "reading_notes_chars") ==
          "个人学习（一(一)2）：读书笔记字数不足5000的，每缺1000扣1分（不足1000的按1000计）");
}

TEST_CASE("a rule that takes a measure's figure says so") {
    const Workbook wb = read(entry_workbook(seed()));
    const Sheet& how = wb["填表说明"];
    CHECK(instructions_for(how, "archive_standard_gap") ==
          "文书档案管理与保密（二、科技馆管理员（青少年科普、财务、档案） 3 文书档案）［科技馆管理员（青少年科普、财务、档案）］："
          "“文书档案距省级合格标准差分”每1分扣2分");
    CHECK(instructions_for(how, "science_pop_points_lost") ==
          "科普（二、党组成员、副主席 3 科普工作）［党组成员、副主席］：扣除“科普工作据实扣分”所填的分数");
}

TEST_CASE("a rule too complex to say in words is given as written, with its file:line") {
    auto c = testing::compile(R"(
section s "考核" 10 {
  clause c "纪律" 10 cite "第一条" {
    deduct 2 each late when count(late) >= 3 at most 4
  }
}
)");
    REQUIRE(c.ruleset);
    const Workbook wb = read(entry_workbook(*c.ruleset));
    const Sheet& how = wb["填表说明"];
    CHECK(instructions_for(how, "late") == "纪律（第一条）：按规则 `deduct 2 each late when count(late) >= 3 at most 4`（t.kh:14）");
}

TEST_CASE("a cap is said as the most a rule deducts") {
    auto c = testing::compile(R"(
section s "考核" 10 {
  clause c "纪律" 10 { deduct 1 each late at most 4 }
}
)");
    REQUIRE(c.ruleset);
    CHECK(instructions_for(read(entry_workbook(*c.ruleset))["填表说明"], "late") == "纪律：每次扣1分，最多扣4分");
}

TEST_CASE("writing a workbook leaves no file in the temporary directory") {
    const auto dir = std::filesystem::temp_directory_path() / ("kaohe-wb-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const char* old = std::getenv("TMPDIR");
    const std::string saved = old ? old : "";
    ::setenv("TMPDIR", dir.c_str(), 1);
    const std::string xlsx = entry_workbook(seed());
    const std::string results = results_workbook(seed(), {}, {});
    const bool empty = std::filesystem::is_empty(dir);
    if (old) ::setenv("TMPDIR", saved.c_str(), 1);
    else ::unsetenv("TMPDIR");
    CHECK(xlsx.substr(0, 2) == "PK");
    CHECK(results.substr(0, 2) == "PK");
    CHECK(empty);
    std::filesystem::remove_all(dir);
}

TEST_CASE("a temporary directory that cannot be written is an exception, and leaves nothing") {
    const char* old = std::getenv("TMPDIR");
    const std::string saved = old ? old : "";
    ::setenv("TMPDIR", "/nonexistent-kaohe-dir", 1);
    CHECK_THROWS_AS(entry_workbook(seed()), std::runtime_error);
    if (old) ::setenv("TMPDIR", saved.c_str(), 1);
    else ::unsetenv("TMPDIR");
}

TEST_CASE("the results workbook has a row a person whose numbers are the JSON result's") {
    std::vector<Result> results;
    for (const char* who : {"chair", "driver", "office_clerk"}) {
        Evaluation e = seed().evaluate(testing::slurp(std::string("examples/records/") + who + ".json"));
        REQUIRE(e.ok());
        results.push_back(e.result());
    }
    const Workbook wb = read(results_workbook(seed(), results));
    CHECK(wb.names() == std::vector<std::string>{"考核结果", "扣分明细", "未能评分"});
    const Sheet& s = wb["考核结果"];
    CHECK(s.cells.at("A1") == "编号");
    CHECK(s.cells.at("E1") == "总分");
    CHECK(s.cells.at("F1") == "等次");
    CHECK(s.cells.at("H1") == "公共部分");
    CHECK(s.xml.find("state=\"frozen\"") != std::string::npos);
    for (std::size_t i = 0; i < results.size(); ++i) {
        const std::string row = std::to_string(i + 2);
        CHECK(s.cells.at("A" + row) == results[i].id());
        CHECK(s.kinds.at("E" + row) == "n");
        CHECK(*Number::from_decimal(s.cells.at("E" + row)) == results[i].total());
        CHECK(*Number::from_decimal(s.cells.at("H" + row)) == *results[i].score("public"));
        CHECK_FALSE(results[i].grade());  // the seed declares no grades: 等次 is left empty
        CHECK(s.cells.count("F" + row) == 0);
    }
    // Every explanation line is a row of 扣分明细.
    std::size_t lines = 0;
    for (const auto& r : results) lines += r.lines().size();
    std::size_t rows = 0;
    for (const auto& [ref, text] : wb["扣分明细"].cells) rows += ref[0] == 'A' && ref != "A1";
    CHECK(rows == lines);
    CHECK(wb["扣分明细"].cells.at("I1") == "规则位置");
}

TEST_CASE("a policy's reported places are a number format on numbers of the reported value") {
    auto c = Ruleset::compile_text(R"(policy "t" year 2022 report 2 places half_up
measure target "目标" decimal 0..100
role clerk "科员"
section s "考核" 100 {
  clause c "目标" 100 { deduct 100 - target }
}
)", "t.kh");
    REQUIRE(c.ruleset);
    Evaluation e = c.ruleset->evaluate(R"({"id":"p1","role":"clerk","year":2022,"measures":{"target":90.5}})");
    REQUIRE(e.ok());
    CHECK(*e.result().reported("total") == "90.50");
    const std::string xlsx = results_workbook(*c.ruleset, {e.result()});
    const Workbook wb = read(xlsx);
    CHECK(wb["考核结果"].cells.at("E2") == "90.5");
    CHECK(wb["考核结果"].kinds.at("E2") == "n");
    CHECK(entry(xlsx, "xl/styles.xml").find("formatCode=\"0.00\"") != std::string::npos);
}

TEST_CASE("a figure a double cannot hold exactly is written as its decimal text") {
    auto c = testing::compile(R"(
section s "考核" 100 {
  clause c "目标" 100 { deduct 100 - target }
}
)");
    REQUIRE(c.ruleset);
    Evaluation e = c.ruleset->evaluate(R"({"id":"p1","role":"clerk","year":2022,"measures":{"notes":0,"target":99.0000000000000001}})");
    REQUIRE(e.ok());
    const Workbook wb = read(results_workbook(*c.ruleset, {e.result()}));
    CHECK(*e.result().reported("total") == "99.0000000000000001");  // 18 significant digits
    CHECK(wb["考核结果"].cells.at("E2") == "99.0000000000000001");
    CHECK(wb["考核结果"].kinds.at("E2") == "s");
    // The clause's line, -0.9999999999999999, has 16 significant digits: a spreadsheet would show -1.
    CHECK(wb["扣分明细"].cells.at("E2") == "-0.9999999999999999");
    CHECK(wb["扣分明细"].kinds.at("E2") == "s");
}

TEST_CASE("a figure of at most 15 significant digits is a number cell, though its double is not exactly it") {
    auto c = testing::compile(R"(
section s "考核" 100 {
  clause c "目标" 100 { deduct 100 - target }
}
)");
    REQUIRE(c.ruleset);
    std::vector<Result> results;
    for (const char* target : {"91.4", "89.145", "98.955", "12.3456789012345"}) {
        Evaluation e = c.ruleset->evaluate(std::string(R"({"id":"p1","role":"clerk","year":2022,"measures":{"notes":0,"target":)") + target + "}}");
        REQUIRE(e.ok());
        results.push_back(e.result());
    }
    const Workbook wb = read(results_workbook(*c.ruleset, results));
    const Sheet& s = wb["考核结果"];
    for (const char* cell : {"E2", "E3", "E4", "E5"}) CHECK(s.kinds.at(cell) == "n");
    // As libxlsxwriter writes the double nearest 91.4; a spreadsheet shows and sums it as 91.4.
    CHECK(s.cells.at("E2") == "91.40000000000001");
}

TEST_CASE("the records that failed are rows of 未能评分") {
    const Workbook wb = read(results_workbook(seed(), {}, {RecordError{"2022-009", "未知字段", "evnts", "R002"}}));
    const Sheet& s = wb["未能评分"];
    CHECK(s.cells.at("A2") == "2022-009");
    CHECK(s.cells.at("B2") == "evnts");
    CHECK(s.cells.at("C2") == "R002");
    CHECK(s.cells.at("D2") == "未知字段");
}

TEST_CASE("a results column whose label repeats takes its parent's label too") {
    auto c = testing::compile(R"(
section q1 "一季度" 50 {
  clause de "德" 25 { deduct 1 each late }
  clause neng "能" 25 { deduct 1 each late }
}
section q2 "二季度" 50 {
  clause de "德" 25 { deduct 1 each late }
}
)");
    REQUIRE(c.ruleset);
    const Workbook wb = read(results_workbook(*c.ruleset, {}));
    const Sheet& s = wb["考核结果"];
    CHECK(s.cells.at("H1") == "一季度");
    CHECK(s.cells.at("I1") == "一季度·德");
    CHECK(s.cells.at("J1") == "能");  // said once: left as it is
    CHECK(s.cells.at("K1") == "二季度");
    CHECK(s.cells.at("L1") == "二季度·德");
}

TEST_CASE("a measure one role's card reads is marked required for that role alone") {
    const Workbook wb = read(entry_workbook(seed()));
    bool named = false, everyone = false;
    for (const auto& c : wb.comments) {
        named = named || c.find("（岗位为 党组成员、副主席 的必填，其他岗位可不填）") != std::string::npos;
        everyone = everyone || (c.find("科普工作据实扣分") == std::string::npos && c.find("数字，不小于0（必填）") != std::string::npos);
    }
    CHECK(named);
    CHECK_FALSE(everyone);
    const std::string sheets = instructions_for(wb["填表说明"], "science_pop_points_lost");
    CHECK(sheets.find("党组成员、副主席") != std::string::npos);
}

TEST_CASE("the instructions give each event's own range of 分值, the column's one validation their union") {
    const Workbook wb = read(entry_workbook(seed()));
    CHECK(instructions_for(wb["填表说明"], "work_mistake").rfind("分值栏填写3至5之间的数。\n", 0) == 0);
    bool said = false;
    for (const auto& c : wb.comments) said = said || c.find("本列只有一个数据验证，取各范围的并集1至40") != std::string::npos;
    CHECK(said);
}

TEST_CASE("a by table over an attribute is said in words, with the values the rules refuse") {
    const Workbook wb = read(entry_workbook(seed()));
    CHECK(instructions_for(wb["填表说明"], "individual_award") ==
          "个人获奖（三 个人获奖）：每次按颁发机关加：本单位1分，县委政府2分，市科协2分，省科协3分，国家科协5分；"
          "颁发机关为“市委市政府”、“省委省政府”的，规则不予受理（该人记录不能评分）");
}

TEST_CASE("a rating on a scale: 评分 is a warning drop-down of its labels and scores, the scale and the mean said") {
    auto c = Ruleset::compile_text(R"(policy "t" year 2022
rating de "德" marks scale { 优秀: 95, 称职: 80 } mean
rating neng "能" marks scale { 优秀: 95, 称职: 80 } mean dropping highest and lowest
role clerk "科员"
section s "考核" 200 {
  clause de "德" 100 { add de }
  clause neng "能" 100 { add neng }
}
)", "t.kh");
    REQUIRE(c.ruleset);
    const Workbook wb = read(entry_workbook(*c.ruleset));
    const Sheet& marks = wb["测评打分"];
    const Element* v = validation_at(marks, "C");
    REQUIRE(v);
    CHECK(v->attributes.at("errorStyle") == "warning");
    CHECK(wb["选项"].cells.at("C1") == "评分");
    CHECK(wb["选项"].cells.at("C2") == "优秀");
    CHECK(wb["选项"].cells.at("C4") == "95");
    const Sheet& how = wb["填表说明"];
    CHECK(instructions_for(how, "de") == "评分填写等次或其分数：优秀（95分），称职（80分）。\n德：加上“德”的评分（取各评分的平均值）");
    CHECK(instructions_for(how, "neng").find("加上“能”的评分（去掉一个最高分和一个最低分后取平均值）") != std::string::npos);
}

TEST_CASE("a by table in a rule too complex to say in words is still said in words after the rule") {
    const Workbook wb = read(entry_workbook(seed()));
    CHECK(instructions_for(wb["填表说明"], "work_item_award") ==
          "单项工作获奖（三 单项工作获奖）：按规则 `add each work_item_award by issuer { … } times 1/2 if leadership`（bonus.kh:18），"
          "其中 { … } 为按颁发机关：县委政府3分，市科协3分，省科协5分，国家科协10分；"
          "颁发机关为“本单位”、“市委市政府”、“省委省政府”的，规则不予受理（该人记录不能评分）");
}
