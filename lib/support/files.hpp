// Reading a whole file: the one way the library reads any file it is given (rule files and their
// includes, records named by tests, unit records, files rewritten by `test --update`). The public
// entry point is kaohe::read_file (include/kaohe/kaohe.hpp); this header only adds the limits'
// internal names.
#pragma once

#include <string>

#include "kaohe/kaohe.hpp"

namespace kaohe {

// The caller's message for a failed read: "cannot read WHAT PATH: REASON".
inline std::string cannot_read(const std::string& what, const std::string& path, const FileText& f) {
    return "cannot read " + what + " " + path + ": " + f.reason;
}

}  // namespace kaohe
