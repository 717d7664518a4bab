// libFuzzer target: any bytes as a rule file → parse and check. Must never crash or hang; every
// input ends in a ruleset or in diagnostics, which are rendered to exercise that code too.
#include <cstddef>
#include <cstdint>
#include <string>

#include "kaohe/kaohe.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    kaohe::CompileResult c = kaohe::Ruleset::compile_text(std::move(text), "fuzz.kh");
    (void)kaohe::render(c.diagnostics);
    (void)kaohe::to_json(c.diagnostics);
    if (c.ruleset) {
        // A ruleset that compiles is scored against a small record, to exercise evaluation.
        (void)c.ruleset->evaluate(R"({"id":"f","role":"chair","year":2022,"events":[]})").json();
    }
    return 0;
}
