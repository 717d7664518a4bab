// Reading a whole file, for the library's own small files (records named by tests, rule files
// being rewritten, unit records). Rule files go through the parser, which applies its size limit.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

namespace kaohe {

// The whole content of `path` into `out`; false when it cannot be read.
inline bool read_file(const std::string& path, std::string& out) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    std::ostringstream s;
    s << in.rdbuf();
    out = s.str();
    return true;
}

}  // namespace kaohe
