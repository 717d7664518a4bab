// The receipt at the end of every result (which rules scored which record: docs/records.md, "The
// receipt"), its two hashes, and Ruleset::verify.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>
#include <vector>

#include <unistd.h>

#include "api/receipt.hpp"
#include "kaohe/batch.hpp"
#include "support.hpp"
#include "support/sha256.hpp"

using namespace kaohe;
namespace fs = std::filesystem;

namespace {

const std::string kMain = "policy \"考核\" version \"2023\" year 2022\ninclude \"parts/card.kh\"\nrole clerk \"科员\"\n";
const std::string kCard = "event late \"迟到\"\nmeasure notes \"笔记\" whole >= 0\n"
                          "section s \"S\" 10 { clause c \"C\" 10 { deduct 2 each late } }\n";
const std::string kRecord = R"({"id":"1","role":"clerk","year":2022,"events":[{"type":"late","note":"迟到"}]})";

// A ruleset written into `dir` (the main file and parts/card.kh), compiled.
Ruleset written(const fs::path& dir, const std::string& main = kMain, const std::string& card = kCard) {
    fs::create_directories(dir / "parts");
    std::ofstream(dir / "main.kh", std::ios::binary) << main;
    std::ofstream(dir / "parts" / "card.kh", std::ios::binary) << card;
    CompileResult c = Ruleset::compile_file((dir / "main.kh").string());
    REQUIRE_MESSAGE(c.ruleset.has_value(), render(c.diagnostics));
    return *c.ruleset;
}

struct TempDir {
    fs::path path = fs::temp_directory_path() / ("kaohe-receipt-" + std::to_string(::getpid()));
    TempDir() { fs::remove_all(path); }
    ~TempDir() { fs::remove_all(path); }
};

std::string result_json(const Ruleset& r, const std::string& record) {
    Evaluation e = r.evaluate(record);
    REQUIRE_MESSAGE(e.ok(), e.error().message);
    return e.result().json();
}

}  // namespace

TEST_CASE("SHA-256 is the standard one") {
    CHECK(sha256("abc") == "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    Sha256 h;
    h.update("a");
    h.update("bc");
    CHECK(h.finish() == sha256("abc"));
}

TEST_CASE("every result ends with a receipt naming the policy, its version and both hashes") {
    TempDir tmp;
    const Ruleset r = written(tmp.path);
    const std::string json = result_json(r, kRecord);
    const std::string tail = ",\"receipt\":{\"policy\":\"考核\",\"version\":\"2023\",\"ruleset\":\"" + r.fingerprint() +
                             "\",\"record\":\"" + record_hash(kRecord) + "\"}}";
    CHECK(json.size() > tail.size());
    CHECK(json.substr(json.size() - tail.size()) == tail);
    CHECK(r.fingerprint().rfind("sha256:", 0) == 0);
    CHECK(r.fingerprint().size() == 7 + 64);
}

TEST_CASE("the ruleset hash is SHA-256 over each file's relative path, length and text, in include order") {
    TempDir tmp;
    const Ruleset r = written(tmp.path);
    const std::string nul(1, '\0');
    const std::string input = "main.kh" + nul + std::to_string(kMain.size()) + nul + kMain + "parts/card.kh" + nul +
                              std::to_string(kCard.size()) + nul + kCard;
    CHECK(r.fingerprint() == sha256(input));
}

TEST_CASE("moving the rule files to another folder keeps the ruleset hash") {
    TempDir tmp;
    const std::string here = written(tmp.path / "a").fingerprint();
    CHECK(written(tmp.path / "b" / "deeper").fingerprint() == here);
}

TEST_CASE("a one-character change in the main file or in an included file changes the ruleset hash") {
    TempDir tmp;
    const std::string before = written(tmp.path / "a").fingerprint();
    std::string main = kMain, card = kCard;
    main[main.find("2023") + 3] = '4';
    card[card.find("deduct 2") + 7] = '3';
    CHECK(written(tmp.path / "b", main, kCard).fingerprint() != before);
    CHECK(written(tmp.path / "c", kMain, card).fingerprint() != before);
}

TEST_CASE("two JSON spellings of the same record share the record hash") {
    const std::string same = " {\"year\" : 2022.0, \"role\":\"clerk\",\"id\":1,\n \"events\":[{\"note\":\"\\u8fdf\\u5230\",\"type\":\"late\"}],\"groups\":[]}\n";
    CHECK(record_hash(same) == record_hash(kRecord));
    CHECK(record_hash(R"({"id":"1","measures":{"a":93.70,"b":1e1,"c":-0.0}})") ==
          record_hash(R"({"measures":{"c":0,"b":10,"a":93.7},"id":"1"})"));
}

TEST_CASE("a one-character change in any value the engine reads changes the record hash") {
    const std::string before = record_hash(kRecord);
    for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
             {"\"1\"", "\"2\""}, {"clerk", "clerc"}, {"2022", "2023"}, {"late", "lata"}, {"迟到", "迟去"}}) {
        std::string changed = kRecord;
        changed.replace(changed.find(from), from.size(), to);
        CHECK_MESSAGE(record_hash(changed) != before, changed);
    }
    CHECK(record_hash(R"({"id":"1","measures":{"a":93.7}})") != record_hash(R"({"id":"1","measures":{"a":93.8}})"));
}

TEST_CASE("the unit a quota counts a person in is part of the record hash") {
    const std::string in_office = R"({"id":"1","unit":"办公室"})";
    CHECK(record_hash(in_office) != record_hash(R"({"id":"1","unit":"业务科"})"));
    CHECK(record_hash(in_office) != record_hash(R"({"id":"1"})"));
    CHECK(api::canonical_record(R"({"year":2022,"unit":"一科","role":"r","id":7})") ==
          R"({"id":"7","role":"r","unit":"一科","year":2022})");
}

TEST_CASE("the canonical form of a record is as docs/records.md says") {
    CHECK(api::canonical_record(
              R"( {"year":2022, "role":"r", "id":7, "name":"", "groups":[], "measures":{"b":1.50, "a":1e2, "c":-0.0, "d":5E-2, "e":"良好"},)"
              R"( "facts":{"y":"x\u0001\n\"", "x":true}, "ratings":{"v":{"z":1,"y":2}, "m":[0.5e1,"优"]},)"
              R"( "events":[{"type":"late","note":"n","count":2,"amount":12.340,"date":"2022-01-02","issuer":"hr"}],)"
              R"( "periods":{"2022-Q1":{"ratings":{"m":[1]},"measures":{"o":9}}}} )") ==
          R"({"events":[{"amount":12.34,"count":2,"date":"2022-01-02","issuer":"hr","note":"n","type":"late"}],)"
          R"("facts":{"x":true,"y":"x\u0001\n\""},"id":"7","measures":{"a":100,"b":1.5,"c":0,"d":0.05,"e":"良好"},)"
          R"("periods":{"2022-Q1":{"measures":{"o":9},"ratings":{"m":[1]}}},"ratings":{"m":[5,"优"],"v":{"y":2,"z":1}},)"
          R"("role":"r","year":2022})");
    CHECK(api::canonical_record(R"({"a":1})").empty());  // not a record: the reader refuses it
}

TEST_CASE("a batch result carries the same receipt as the same record scored alone") {
    TempDir tmp;
    const Ruleset r = written(tmp.path);
    std::istringstream in(std::string(kRecord) + "\r\n");
    std::ostringstream out;
    evaluate_batch(r, in, out);
    CHECK(out.str() == result_json(r, kRecord) + "\n");
}

TEST_CASE("verify finds a stored result to be what the rules give for the record") {
    TempDir tmp;
    const Ruleset r = written(tmp.path);
    const Verification v = r.verify(kRecord, result_json(r, kRecord) + "\n");
    CHECK(v.same);
    CHECK(v.has_receipt);
    CHECK(v.differences.empty());
    CHECK_FALSE(v.error.has_value());
}

TEST_CASE("verify compares numbers by exact value and strings as strings, as a JSON library writes them back") {
    TempDir tmp;
    const Ruleset r = written(tmp.path);
    std::string stored = result_json(r, kRecord);
    const auto replace = [&](const std::string& from, const std::string& to) {
        const std::size_t at = stored.find(from);
        REQUIRE_MESSAGE(at != std::string::npos, from);
        stored.replace(at, from.size(), to);
    };
    replace("\"total\":8,", "\"total\": 8.000,");
    replace("\"迟到\"", "\"\\u8fdf\\u5230\"");
    const Verification same = r.verify(kRecord, stored);
    CHECK_MESSAGE(same.same, stored);
    CHECK(same.differences.empty());
    replace("8.000", "8.001");
    const Verification differs = r.verify(kRecord, stored);
    CHECK_FALSE(differs.same);
    REQUIRE(differs.differences.size() == 1);
    CHECK(differs.differences[0] == "the total: the result has 8.001, these rules give 8");
}

TEST_CASE("verify names the ruleset hash and the clause score when an included rule changed") {
    TempDir tmp;
    const std::string stored = result_json(written(tmp.path / "a"), kRecord);
    std::string card = kCard;
    card[card.find("deduct 2") + 7] = '3';
    const Verification v = written(tmp.path / "b", kMain, card).verify(kRecord, stored);
    CHECK_FALSE(v.same);
    REQUIRE(v.differences.size() >= 3);
    CHECK(v.differences[0].rfind("the ruleset hash: the result has \"sha256:", 0) == 0);
    CHECK(v.differences[1] == "the total: the result has 8, these rules give 7");
    CHECK(v.differences[2] == "the score of s: the result has 8, these rules give 7");
}

TEST_CASE("verify names the record hash when one character of the record changed") {
    TempDir tmp;
    const Ruleset r = written(tmp.path);
    std::string changed = kRecord;
    changed.replace(changed.find("迟到"), std::string("迟到").size(), "迟了");
    const Verification v = r.verify(changed, result_json(r, kRecord));
    CHECK_FALSE(v.same);
    REQUIRE_FALSE(v.differences.empty());
    CHECK(v.differences[0].rfind("the record hash: ", 0) == 0);
    CHECK(v.differences.back() == "`lines` differs");
}

TEST_CASE("verify says that a result written before receipts has none") {
    TempDir tmp;
    const Ruleset r = written(tmp.path);
    std::string old = result_json(r, kRecord);
    old = old.substr(0, old.find(",\"receipt\":")) + "}";
    const Verification v = r.verify(kRecord, old);
    CHECK_FALSE(v.same);
    CHECK_FALSE(v.has_receipt);
    REQUIRE(v.differences.size() == 1);
    CHECK(v.differences[0] == "the result has no receipt (it was written before results carried one)");
}

TEST_CASE("verify reports a stored result that is not a JSON object, and a record it cannot score") {
    TempDir tmp;
    const Ruleset r = written(tmp.path);
    const Verification bad_result = r.verify(kRecord, "[1, 2");
    REQUIRE(bad_result.error.has_value());
    CHECK(bad_result.error->message == "the stored result is not a JSON object");
    const Verification bad_record = r.verify(R"({"id":"1","role":"clerk","year":2021})", result_json(r, kRecord));
    REQUIRE(bad_record.error.has_value());
    CHECK(bad_record.error->code == "R007");
    CHECK_FALSE(bad_record.same);
}
