// Helpers shared by the CLI's command files.
#pragma once

#include <CLI/CLI.hpp>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "kaohe/kaohe.hpp"
#include "kaohe/testing.hpp"

namespace kaohe::cli {

// A record or unit record named on the command line, read as the library reads files
// (kaohe::read_file: regular files only, never more than the record limit + 1 bytes).
inline kaohe::FileText read_record_file(const std::string& path) { return kaohe::read_file(path, kaohe::kMaxRecordBytes); }

// The record error for a record file over the limit: the same words as a record over the limit.
inline kaohe::RecordError record_too_large(const kaohe::FileText& f) {
    return kaohe::RecordError{"", kaohe::record_too_large(f.size ? std::to_string(f.size) + " bytes" : ""), "", "R008"};
}

// Opens the input of a batch (`--batch FILE`): a stream by design, so a pipe or a FIFO is fine,
// but a directory or a missing file is refused at once with the reason; "" on success.
inline std::string open_batch_input(const std::string& path, std::ifstream& file) {
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (ec) return "cannot read " + path + ": " + ec.message();
    if (std::filesystem::is_directory(status)) return "cannot read " + path + ": it is a directory";
    file.open(path, std::ios::binary);
    if (!file) return "cannot read " + path + ": " + std::strerror(errno);
    return {};
}

// A text of several lines for a terminal (labels, notes and rule text inside it come from rule
// files and records).

// "record ID: WHERE: [CODE] MESSAGE", the one way a record error is said on standard error;
// a whole-record error (no field) has no WHERE part.
inline std::string record_error_text(const kaohe::RecordError& e) {
    // Ids, fields and messages quote the record: shown so that it cannot drive the terminal.
    std::string out = "record " + (e.id.empty() ? std::string("(no id)") : kaohe::terminal_text(e.id)) + ": ";
    if (!e.where.empty()) out += kaohe::terminal_text(e.where) + ": ";
    return out + "[" + kaohe::terminal_text(e.code) + "] " + kaohe::terminal_text(e.message);
}

// --threads N of every command: 0 (the default) is one thread per core, as in the C ABI and
// Python; more than 1024 is refused rather than clamped, since it is surely a typo.
inline constexpr unsigned kMaxThreads = 1024;
inline CLI::Validator thread_count() {
    return CLI::Validator(
        [](std::string& s) -> std::string {
            const bool digits = !s.empty() && s.size() <= 5 && s.find_first_not_of("0123456789") == std::string::npos;
            if (digits && std::stoul(s) <= kMaxThreads) return {};
            return "takes 0 (one thread per core) or a number of threads from 1 to " + std::to_string(kMaxThreads) +
                   ", not `" + s + "`";
        },
        "0.." + std::to_string(kMaxThreads));
}

// Test paths as given: files as they are, folders as the *.test.kh files under them; with
// `scheme_folders`, a folder holding a `versions.kh` also as itself (its versions' own tests).
inline std::vector<std::string> expand_test_paths(const std::vector<std::string>& paths, bool scheme_folders = false) {
    std::vector<std::string> files;
    for (const auto& p : paths) {
        if (std::filesystem::is_directory(p)) {
            auto found = kaohe::find_test_files(p);
            // A scheme's folder of versions: its versions' own tests, and any *.test.kh under it.
            const bool versions = scheme_folders && std::filesystem::is_regular_file(std::filesystem::path(p) / "versions.kh");
            if (versions) files.push_back(p);
            else if (found.empty()) std::cerr << "kaohe: no *.test.kh files under " << p << "\n";
            files.insert(files.end(), found.begin(), found.end());
        } else {
            files.push_back(p);
        }
    }
    return files;
}

}  // namespace kaohe::cli
