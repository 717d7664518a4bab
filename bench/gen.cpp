// kaohe_gen — writes a generated population of seed-scheme records as JSON Lines.
//
//   kaohe_gen COUNT [SEED]      COUNT records (default seed 2022), one per line, to stdout
//
// The same COUNT and SEED give the same bytes on every platform (bench/generator.hpp).
#include <cstdio>
#include <cstdlib>
#include <string>

#include "generator.hpp"

int main(int argc, char** argv) {
    if (argc < 2 || argc > 3) {
        std::fprintf(stderr, "usage: kaohe_gen COUNT [SEED]\n");
        return 2;
    }
    char* end = nullptr;
    const unsigned long long count = std::strtoull(argv[1], &end, 10);
    if (*end != '\0') {
        std::fprintf(stderr, "kaohe_gen: COUNT must be a whole number\n");
        return 2;
    }
    const unsigned long long seed = argc == 3 ? std::strtoull(argv[2], nullptr, 10) : 2022;
    kaohe_bench::Generator gen(seed);
    std::string buf;
    buf.reserve(1 << 20);
    for (unsigned long long i = 0; i < count; ++i) {
        kaohe_bench::append_json(buf, gen.next());
        buf += '\n';
        if (buf.size() > (1 << 20) - 8192) {
            if (std::fwrite(buf.data(), 1, buf.size(), stdout) != buf.size()) return 1;
            buf.clear();
        }
    }
    if (std::fwrite(buf.data(), 1, buf.size(), stdout) != buf.size()) return 1;
    return std::fflush(stdout) == 0 ? 0 : 1;
}
