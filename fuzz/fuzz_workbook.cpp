// libFuzzer target: any bytes as an .xlsx workbook and as a CSV sheet → import against the seed
// ruleset. Must never crash, hang or leak; every input ends in records or problems.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "kaohe/workbook.hpp"

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
    const std::string bytes(reinterpret_cast<const char*>(data), size);
    for (const char* name : {"登记表.xlsx", "人员名单.csv", "事件登记.csv"}) {
        const kaohe::Import in = kaohe::import_records(seed(), {kaohe::SheetFile{name, bytes}});
        for (const auto& p : in.problems) (void)kaohe::render(p);
    }
    return 0;
}
