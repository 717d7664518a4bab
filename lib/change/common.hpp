// Small helpers shared by lib/change/: rule text on one line, file keys, JSON numbers.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "api/compile.hpp"
#include "ir/program.hpp"
#include "kaohe/diagnostic.hpp"
#include "kaohe/number.hpp"
#include "support/sources.hpp"
#include "support/text.hpp"

namespace kaohe::policy {

// "FILE:LINE:COLUMN" for a report's text(), the file name shown as terminal_text shows it.
inline std::string terminal_place(const Location& l) {
    return terminal_text(l.file) + ":" + std::to_string(l.line) + ":" + std::to_string(l.column);
}

// A rule as written, on one line, its `by` table (if any) shortened to `{ … }`.
inline std::string rule_text(const Sources& s, const ir::Rule& r) {
    const ir::WrittenRule& w = r.written;
    if (!w.has_table || w.table_span.end <= w.table_span.begin) return one_line(s.slice(r.span));
    const Span before{r.span.file, r.span.begin, w.table_span.begin};
    const Span after{r.span.file, w.table_span.end, r.span.end};
    std::string out = one_line(s.slice(before)) + " { … }";
    const std::string rest = one_line(s.slice(after));
    if (!rest.empty()) out += " " + rest;
    return out;
}

// Canonical paths of a compilation's files, computed once per file.
class FileKeys {
public:
    explicit FileKeys(const Sources& s) : s_(s) {}
    const std::string& key(std::uint32_t file) {
        auto it = keys_.find(file);
        if (it == keys_.end()) it = keys_.emplace(file, file_key(s_.name(file))).first;
        return it->second;
    }

private:
    const Sources& s_;
    std::map<std::uint32_t, std::string> keys_;
};

// A number as a JSON number: exact when it has a finite decimal form, else rounded.
inline std::string json_number(const Number& n, int places = 2, Rounding mode = Rounding::half_up) {
    return n.to_string(places, mode);
}

// "+3", "-1.5", "0"
inline std::string signed_text(const Number& n, int places = 2, Rounding mode = Rounding::half_up) {
    return (n.is_negative() || n.is_zero() ? "" : "+") + n.to_string(places, mode);
}

}  // namespace kaohe::policy
