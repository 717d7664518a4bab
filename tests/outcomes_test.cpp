// What decides a grade beyond the bands (vetoes on one kind of event, vetoes that cap, grade rules,
// runs of days), and the result's account of it: JSON "outcome", Result::outcome(), the scorecard.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include "kaohe/policy.hpp"
#include "support.hpp"

using namespace kaohe;
using kaohe::testing::score;

namespace {
const std::string kCard = "section s \"S\" 10 { clause c \"C\" 10 { deduct 2 each late } }\n";
const std::string kBands = "grades { \"优秀\" >= 8, \"称职\" >= 5, \"不称职\" otherwise }\n";

std::string record(const std::string& events) {
    return R"({"id":"1","role":"clerk","year":2022,"measures":{"notes":1,"target":1},"events":[)" + events + "]}";
}

Outcome outcome_of(const std::string& body, const std::string& events) {
    Evaluation e = score(body, record(events));
    REQUIRE_MESSAGE(e.ok(), std::string(e.error().where + ": " + e.error().message));
    const std::optional<Outcome> o = e.result().outcome();
    REQUIRE(o.has_value());
    return *o;
}
}  // namespace

TEST_CASE("a veto with `where` fires only on events with that attribute value") {
    const std::string body = kBands + "veto award where issuer = province forces \"不称职\"\n" + kCard;
    CHECK(outcome_of(body, R"({"type":"award","issuer":"county"})").grade == std::optional<std::string>("优秀"));
    const Outcome o = outcome_of(body, R"({"type":"award","issuer":"county"},{"type":"award","issuer":"province","date":"2022-04-02"})");
    CHECK(o.grade == std::optional<std::string>("不称职"));
    CHECK(o.by == "veto");
    CHECK(o.event_index == 1);
    CHECK(o.date == "2022-04-02");
}

TEST_CASE("a veto that caps lowers a better grade to its cap and names the band reached") {
    const Outcome o = outcome_of(kBands + "veto late caps \"称职\" cite \"第六条\"\n" + kCard, R"({"type":"late"})");
    CHECK(o.grade == std::optional<std::string>("称职"));
    CHECK(o.by == "cap");
    CHECK(o.band == "优秀 >= 8");
    CHECK(o.event == "late");
    CHECK(o.cite == "第六条");
    CHECK(o.rule == "t.kh:12");
}

TEST_CASE("a veto that caps leaves a lower grade as the band gave it") {
    const Outcome o = outcome_of(kBands + "veto late caps \"称职\"\n" + kCard, R"({"type":"late","count":3})");
    CHECK(o.grade == std::optional<std::string>("不称职"));
    CHECK(o.by == "band");
    CHECK(o.band == "不称职 otherwise");
    CHECK(o.event.empty());
}

TEST_CASE("a grade rule gives its grade when its condition holds, whatever the band") {
    const std::string body = kBands + "grade \"不称职\" when count(late) >= 2\n" + kCard;
    const Outcome o = outcome_of(body, R"({"type":"late","count":2})");  // 6: 称职 by its band
    CHECK(o.grade == std::optional<std::string>("不称职"));
    CHECK(o.by == "condition");
    CHECK(o.condition == "count(late) >= 2");
    CHECK(outcome_of(body, R"({"type":"late"})").by == "band");
}

TEST_CASE("a grade rule with `at most` caps like a veto that caps") {
    const Outcome o = outcome_of(kBands + "grade at most \"称职\" when count(late) >= 1\n" + kCard, R"({"type":"late"})");
    CHECK(o.grade == std::optional<std::string>("称职"));
    CHECK(o.by == "cap");
    CHECK(o.condition == "count(late) >= 1");
}

TEST_CASE("a cap lowers the grade a grade rule gave or a veto forced, not only the band's") {
    const Outcome o = outcome_of(kBands + "grade \"优秀\" when count(late) >= 1\nveto late caps \"称职\"\n" + kCard,
                                 R"({"type":"late","count":3})");  // 4: 不称职 by its band
    CHECK(o.grade == std::optional<std::string>("称职"));
    CHECK(o.by == "cap");
    CHECK(o.event == "late");
    CHECK(o.band.empty());
    CHECK(o.capped == "优秀 by condition count(late) >= 1 at t.kh:12");
    const Outcome f = outcome_of(kBands + "veto award forces \"优秀\"\ngrade at most \"称职\" when count(award) >= 1\n" + kCard,
                                 R"({"type":"award","issuer":"county"})");
    CHECK(f.grade == std::optional<std::string>("称职"));
    CHECK(f.by == "cap");
    CHECK(f.condition == "count(award) >= 1");
    CHECK(f.capped == "优秀 forced by veto award at t.kh:12");
    Evaluation e = score(kBands + "veto award forces \"优秀\"\ngrade at most \"称职\" when count(award) >= 1\n" + kCard,
                         record(R"({"type":"award","issuer":"county"})"));
    REQUIRE(e.ok());
    CHECK(e.result().json().find(R"("capped":"优秀 forced by veto award at t.kh:12")") != std::string::npos);
    CHECK(e.result().text().find("称职 (capped by condition: count(award) = 1 >= 1, veto award forced 优秀)  t.kh:13\n") !=
          std::string::npos);
}

TEST_CASE("a grade a veto forced below the cap stays") {
    const Outcome o = outcome_of(kBands + "veto award forces \"不称职\"\nveto late caps \"称职\"\n" + kCard,
                                 R"({"type":"late"},{"type":"award","issuer":"county"})");
    CHECK(o.grade == std::optional<std::string>("不称职"));
    CHECK(o.by == "veto");
    CHECK(o.event == "award");
    CHECK(o.capped.empty());
}

TEST_CASE("longest_run counts consecutive calendar days across a month's end, once per day") {
    const std::string body = kBands + "grade \"不称职\" when longest_run(award where issuer = unit) >= 3\n" + kCard;
    auto award = [](const char* date) { return std::string(R"({"type":"award","issuer":"unit","date":")") + date + "\"}"; };
    CHECK(outcome_of(body, award("2022-02-28") + "," + award("2022-03-01") + "," + award("2022-03-01") + "," + award("2022-03-02")).by ==
          "condition");
    CHECK(outcome_of(body, award("2022-02-27") + "," + award("2022-03-01") + "," + award("2022-03-02")).by == "band");
}

TEST_CASE("an event without a full date that longest_run reads is a record error naming it") {
    Evaluation e = score(kBands + "grade \"不称职\" when longest_run(late) >= 3\n" + kCard, record(R"({"type":"late","date":"2022-03"})"));
    REQUIRE(!e.ok());
    CHECK(e.error().code == "R004");
    CHECK(e.error().where == "events[0].date");
}

TEST_CASE("a veto in a scheme without grades is the outcome, with no grade") {
    Evaluation e = score("veto late cite \"第五条\"\n" + kCard, record(R"({"type":"late","note":"迟到两小时"})"));
    REQUIRE(e.ok());
    CHECK(!e.result().grade());
    const std::optional<Outcome> o = e.result().outcome();
    REQUIRE(o.has_value());
    CHECK(!o->grade);
    CHECK(o->by == "veto");
    CHECK(o->note == "迟到两小时");
    CHECK(e.result().json().find(R"("outcome":{"by":"veto","event":"late","note":"迟到两小时","event_index":0,"rule":"t.kh:11","cite":"第五条"})") !=
          std::string::npos);
    CHECK(!score("veto late\n" + kCard, record("")).result().outcome());
}

TEST_CASE("the result JSON carries the outcome after the grade, and the scorecard says the same") {
    Evaluation e = score(kBands + "veto late caps \"称职\"\n" + kCard, record(R"({"type":"late"})"));
    REQUIRE(e.ok());
    CHECK(e.result().json().find(R"("grade":"称职","outcome":{"grade":"称职","by":"cap","band":"优秀 >= 8","event":"late","event_index":0,"rule":"t.kh:12"})") !=
          std::string::npos);
    CHECK(e.result().text().find("称职 (capped by veto: 迟到 late, band 优秀)  t.kh:12\n") != std::string::npos);
}

TEST_CASE("the scorecard's Grade and Veto lines name the event, its date and note, the citation and file:line") {
    const std::string late = record(R"({"type":"late","date":"2022-08-09","note":"迟到两小时"})");
    Evaluation e = score(kBands + "veto late forces \"不称职\" cite \"第五条\"\n" + kCard, late);
    REQUIRE(e.ok());
    CHECK(e.result().text().find("不称职 (veto: 迟到 late 2022-08-09 “迟到两小时”)  [第五条]  t.kh:12\n") != std::string::npos);
    Evaluation v = score("veto late cite \"第五条\"\n" + kCard, late);
    REQUIRE(v.ok());
    CHECK(v.result().text().find(" 迟到 late 2022-08-09 “迟到两小时”  [第五条]  t.kh:11\n") != std::string::npos);
    Evaluation g = score(kBands + "grade \"不称职\" when count(late) >= 2 cite \"第七条\"\n" + kCard,
                         record(R"({"type":"late","count":2})"));
    REQUIRE(g.ok());
    CHECK(g.result().text().find("不称职 (condition: count(late) = 2 >= 2)  [第七条]  t.kh:12\n") != std::string::npos);
    CHECK(g.result().json().find(R"("why":"count(late) = 2 >= 2")") != std::string::npos);
    Evaluation run = score(kBands + "grade \"不称职\" when longest_run(late) >= 3\n" + kCard,
                           record(R"({"type":"late","date":"2022-01-05"},{"type":"late","date":"2022-01-31"},)"
                                  R"({"type":"late","date":"2022-02-01"},{"type":"late","date":"2022-02-02"})"));
    REQUIRE(run.ok());
    CHECK(run.result().json().find(R"("why":"longest_run(late) = 3 (2022-01-31 .. 2022-02-02) >= 3")") != std::string::npos);
}

TEST_CASE("diff shows several grade rules of one grade each on its own, at its line, with its numbers") {
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / ("kaohe_outcomes_pairs_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const std::string head = "policy \"t\" year 2022\nevent absent \"旷工\"\n" + kBands;
    const std::string card = "section s \"S\" 10 { clause c \"C\" 10 { deduct 1 each absent } }\n";
    std::ofstream(dir / "old.kh") << head << "grade \"不称职\" when count(absent) > 15\ngrade \"不称职\" when longest_run(absent) >= 5\n" << card;
    std::ofstream(dir / "new.kh") << head << "grade \"不称职\" when count(absent) > 12\ngrade \"不称职\" when longest_run(absent) >= 3\n" << card;
    const policy::StructuralDiff d = policy::structural_diff((dir / "old.kh").string(), (dir / "new.kh").string());
    fs::remove_all(dir);
    REQUIRE(d.ok());
    REQUIRE(d.changes.size() == 2);
    CHECK(d.changes[0].old_where.line == 4);
    CHECK(d.changes[1].old_where.line == 5);
    CHECK(d.changes[1].new_where.line == 5);
    CHECK(d.changes[0].numbers == std::vector<std::pair<std::string, std::string>>{{"15", "12"}});
    CHECK(d.changes[1].numbers == std::vector<std::pair<std::string, std::string>>{{"5", "3"}});
}

TEST_CASE("diff --batch names the people whose grade changed, also when their total did not") {
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / ("kaohe_outcomes_regraded_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const std::string head = "policy \"t\" year 2022\nevent warning \"警告\"\nevent late \"迟到\"\n" + kBands;
    const std::string card = "section s \"S\" 10 { clause c \"C\" 10 { deduct 1 each late } }\n";
    std::ofstream(dir / "old.kh") << head << "veto warning caps \"称职\"\n" << card;
    std::ofstream(dir / "new.kh") << head << "veto warning caps \"不称职\"\n" << card;
    std::istringstream in(R"({"id":"a","year":2022,"events":[]})" "\n" R"({"id":"b","year":2022,"events":[{"type":"warning"}]})" "\n");
    const policy::ImpactReport r = policy::diff_batch((dir / "old.kh").string(), (dir / "new.kh").string(), in, {},
                                                      [](const policy::RecordDiff&) {});
    fs::remove_all(dir);
    REQUIRE(r.ok());
    CHECK(r.regraded == 1);
    CHECK(r.regraded_records == std::vector<std::string>{"b (line 2): 称职 -> 不称职"});
    CHECK(r.text().find("grades changed (1):\n  b (line 2): 称职 -> 不称职\n") != std::string::npos);
}

TEST_CASE("diff lists vetoes and grade rules changed, added and removed, each as written") {
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / ("kaohe_outcomes_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const std::string head = "policy \"t\" year 2022\nattribute level \"等级\" { major \"重大\", minor \"一般\" }\n"
                             "event accident \"事故\" { level }\nevent absent \"旷工\"\nevent warning \"警告\"\n" + kBands;
    const std::string card = "section s \"S\" 10 { clause c \"C\" 10 { deduct 1 each absent } }\n";
    std::ofstream(dir / "old.kh") << head << "veto accident forces \"不称职\"\nveto warning caps \"称职\"\n"
                                  << "grade \"不称职\" when count(absent) > 15\n" << card;
    std::ofstream(dir / "new.kh") << head << "veto accident where level = major forces \"不称职\"\n"
                                  << "grade \"不称职\" when count(absent) > 10\ngrade at most \"称职\" when count(warning) >= 1\n" << card;
    const policy::StructuralDiff d = policy::structural_diff((dir / "old.kh").string(), (dir / "new.kh").string());
    fs::remove_all(dir);
    REQUIRE(d.ok());
    std::vector<std::string> got;
    for (const auto& c : d.changes) got.push_back(c.change + " " + c.what + " " + c.path + ": " + c.old_text + " | " + c.new_text);
    CHECK(got == std::vector<std::string>{
                     "changed veto accident: veto accident forces \"不称职\" | veto accident where level = major forces \"不称职\"",
                     "removed veto warning: veto warning caps \"称职\" | ",
                     "changed grade rule 不称职: grade \"不称职\" when count(absent) > 15 | grade \"不称职\" when count(absent) > 10",
                     "added grade rule at most 称职:  | grade at most \"称职\" when count(warning) >= 1",
                 });
}
