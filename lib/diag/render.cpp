// Diagnostics, rendered: the one place where a Diagnostic becomes text or JSON.
#include <string>

#include "kaohe/diagnostic.hpp"
#include "support/text.hpp"

namespace kaohe {

const char* to_string(Severity s) {
    switch (s) {
    case Severity::error: return "error";
    case Severity::warning: return "warning";
    case Severity::note: return "note";
    }
    return "error";
}

namespace {

std::size_t count_chars_of(const std::string& s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
}

// Byte offset of the `chars`-th character (0-based) of `s`, or s.size().
std::size_t char_offset(std::string_view s, std::size_t chars) {
    std::size_t byte = 0;
    for (std::size_t c = 0; c < chars && byte < s.size(); ++c) {
        ++byte;
        while (byte < s.size() && (static_cast<unsigned char>(s[byte]) & 0xC0) == 0x80) ++byte;
    }
    return byte;
}

// "  12 | the line\n     |     ^~~~\n": the caret sits under the place, in display columns.
// A long line is shown as a window of kWindow characters around the place, cut with "…".
void quote_source(std::string& out, const Location& at) {
    constexpr std::size_t kWindow = 100, kBefore = 40;
    if (at.line == 0) return;
    const std::string number = std::to_string(at.line);
    const std::string gutter(number.size(), ' ');
    std::string full;
    for (char c : at.line_text) full.push_back(c == '\t' ? ' ' : c);
    const std::size_t chars = count_chars_of(full);
    const std::size_t column = at.column > 0 ? at.column - 1 : 0;
    std::size_t first = 0;
    if (chars > kWindow && column > kBefore) first = std::min(column - kBefore, chars - kWindow);
    const std::size_t last = std::min(chars, first + kWindow);
    const std::size_t b = char_offset(full, first), e = char_offset(full, last);
    const std::string lead = first > 0 ? "…" : "";
    const std::string line = lead + full.substr(b, e - b) + (last < chars ? "…" : "");
    out += " " + number + " | " + line + "\n";
    const std::size_t from = char_offset(full, std::max(column, first)) - b;
    const std::string_view shown = std::string_view(full).substr(b, e - b);
    const unsigned indent = display_width(shown.substr(0, from)) + (first > 0 ? 1 : 0);
    const std::size_t to = char_offset(shown, count_chars_of(std::string(shown.substr(0, from))) + at.length);
    const unsigned width = std::max(1u, display_width(shown.substr(from, to - from)));
    out += " " + gutter + " | " + std::string(indent, ' ') + "^" + std::string(width - 1, '~') + "\n";
}

std::string place(const Location& at) {
    if (at.file.empty()) return "kaohe";
    if (at.line == 0) return at.file;
    return at.file + ":" + std::to_string(at.line) + ":" + std::to_string(at.column);
}

}  // namespace

std::string render(const Diagnostic& d) {
    std::string out = place(d.where) + ": " + to_string(d.severity) + "[" + d.code + "]: " + d.message + "\n";
    quote_source(out, d.where);
    for (const Note& n : d.notes) {
        out += place(n.where) + ": note: " + n.message + "\n";
        quote_source(out, n.where);
    }
    return out;
}

std::string render(const std::vector<Diagnostic>& ds) {
    std::string out;
    for (const auto& d : ds) out += render(d);
    return out;
}

std::string to_json(const std::vector<Diagnostic>& ds) {
    std::string out = "[";
    for (std::size_t i = 0; i < ds.size(); ++i) {
        const Diagnostic& d = ds[i];
        if (i) out += ",";
        out += "{\"code\":";
        append_json_string(out, d.code);
        out += ",\"severity\":";
        append_json_string(out, to_string(d.severity));
        out += ",\"file\":";
        append_json_string(out, d.where.file);
        out += ",\"line\":" + std::to_string(d.where.line) + ",\"column\":" + std::to_string(d.where.column);
        out += ",\"message\":";
        append_json_string(out, d.message);
        out += "}";
    }
    return out + "]";
}

bool has_errors(const std::vector<Diagnostic>& ds) {
    for (const auto& d : ds)
        if (d.severity == Severity::error) return true;
    return false;
}

}  // namespace kaohe
