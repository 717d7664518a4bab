// Reading a whole file: the one way the library reads any file it is given (rule files and their
// includes, records named by tests, unit records, files rewritten by `test --update`). The public
// entry point is kaohe::read_file (include/kaohe/kaohe.hpp); this header only adds the limits'
// internal names.
#pragma once

#include <map>
#include <string>

#include "kaohe/kaohe.hpp"

namespace kaohe {

// Texts that stand in for files on disk, keyed by file_key() of each file's path. Mutation
// testing compiles changed copies of rule files this way (parse/ reads them, api/compile.hpp
// passes them through).
using Overlay = std::map<std::string, std::string>;

// The key of `path` in an Overlay: its canonical path (std::filesystem::weakly_canonical), or the
// path as given when it has none.
std::string file_key(const std::string& path);

// The caller's message for a failed read: "cannot read WHAT PATH: REASON".
inline std::string cannot_read(const std::string& what, const std::string& path, const FileText& f) {
    return "cannot read " + what + " " + path + ": " + f.reason;
}

}  // namespace kaohe
