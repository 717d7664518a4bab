// The grammar: PEGTL's analysis, and parse errors in the author's words.
#include <doctest/doctest.h>

#include <tao/pegtl/contrib/analyze.hpp>

#include "grammar/kaohe.hpp"
#include "support.hpp"

using namespace kaohe;
using kaohe::testing::kHeader;

namespace {
std::string first_message(const std::string& text) {
    CompileResult c = Ruleset::compile_text(text, "t.kh");
    return c.diagnostics.empty() ? "" : c.diagnostics.front().message;
}
}  // namespace

TEST_CASE("the grammar has no rule that can loop without consuming input") {
    CHECK(tao::pegtl::analyze<kaohe::grammar::file>(-1) == 0);
}

TEST_CASE("a missing point value after deduct is reported in words") {
    const auto m = first_message(kHeader + "section s \"s\" 10 { clause c \"c\" 10 { deduct } }");
    CHECK(m.find("expected what to deduct or add") != std::string::npos);
}

TEST_CASE("a parse error names file, line and column and shows the line with a caret") {
    CompileResult c = Ruleset::compile_text("policy \"t\" year 2022\nsection s \"s\" 10 {\n  clause c 10 { }\n}\n", "t.kh");
    REQUIRE(c.diagnostics.size() == 1);
    CHECK(render(c.diagnostics) ==
          "t.kh:3:12: error[P001]: expected a label in quotes, such as \"集体学习\"\n"
          " 3 |   clause c 10 { }\n"
          "   |            ^\n");
}

TEST_CASE("an unterminated string is reported at the end of its line") {
    const auto m = first_message("policy \"t year 2022\n");
    CHECK(m.find("unterminated string") != std::string::npos);
}

TEST_CASE("a per rule without a rounding choice parses, and the checker asks for one") {
    const auto m = first_message(kHeader + "section s \"s\" 10 { clause c \"c\" 10 { deduct 1 per 1000 short of 5000 in notes } }");
    CHECK(m.find("say how a partial step counts") != std::string::npos);
}

TEST_CASE("an unknown declaration keyword lists what may stand there") {
    const auto m = first_message("policy \"t\" year 2022\nsecton s \"s\" 10 {}\n");
    CHECK(m.find("expected a declaration") != std::string::npos);
}

TEST_CASE("comments and Chinese identifiers are accepted") {
    CompileResult c = Ruleset::compile_text(kHeader + "# 注释\nevent 迟到 \"迟到\"\nsection 公共 \"公共部分\" 10 { clause 学习 \"学习\" 10 { deduct 1 each 迟到 } }\n", "t.kh");
    CHECK(c.ruleset.has_value());
}

TEST_CASE("invalid UTF-8 in a rule file is an error with its place") {
    const auto m = first_message("policy \"t\xff\" year 2022\n");
    CHECK(m.find("invalid UTF-8") != std::string::npos);
}

TEST_CASE("deeply nested parentheses are an error naming the limit, not a crash") {
    std::string deep(5000, '(');
    const auto m = first_message(kHeader + "section s \"s\" 10 { clause c \"c\" 10 { deduct " + deep + "1 } }");
    CHECK(m.find("nested too deeply") != std::string::npos);
}
