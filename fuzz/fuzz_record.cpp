// libFuzzer target: any bytes as a record → read, validate and score against the seed ruleset.
// Must never crash or hang; every input ends in a result or an error result.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "kaohe/kaohe.hpp"

namespace {
const kaohe::Ruleset& seed() {
    static const kaohe::Ruleset rules = [] {
        const char* root = std::getenv("KAOHE_FUZZ_RULES");
        auto c = kaohe::Ruleset::compile_file(root ? root : "rulesets/seed/seed.kh");
        if (!c.ruleset) std::abort();  // the harness itself is misconfigured
        return *c.ruleset;
    }();
    return rules;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    kaohe::Evaluation e = seed().evaluate(text);
    (void)e.json();
    if (e.ok()) (void)e.result().text();
    kaohe::RecordError err;
    (void)seed().read_unit(text, &err);
    return 0;
}
