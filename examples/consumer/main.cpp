// Scoring a record with the installed kaohe package (C++ API).
//
//   consumer [RULES RECORD]      default: the shipped seed ruleset and the chair's record
//
// Prints the result JSON (docs/records.md) and, on stderr, the total.
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include <kaohe/kaohe.hpp>

#ifndef KAOHE_DATA_DIR
#define KAOHE_DATA_DIR "share/kaohe"
#endif

int main(int argc, char** argv) {
    const std::string rules = argc > 2 ? argv[1] : KAOHE_DATA_DIR "/rulesets/seed/seed.kh";
    const std::string record = argc > 2 ? argv[2] : KAOHE_DATA_DIR "/examples/records/chair.json";

    kaohe::CompileResult compiled = kaohe::Ruleset::compile_file(rules);  // compile once...
    if (!compiled.ruleset) {
        std::cerr << kaohe::render(compiled.diagnostics);
        return 2;
    }
    std::ifstream in(record, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();

    kaohe::Evaluation e = compiled.ruleset->evaluate(text.str());  // ...score many times, from any thread
    std::cout << e.json() << "\n";
    if (!e.ok()) {
        std::cerr << record << ": " << e.error().where << ": " << e.error().message << "\n";
        return 1;
    }
    std::cerr << e.result().id() << " " << e.result().name() << ": " << e.result().total().to_string() << "\n";
    return 0;
}
