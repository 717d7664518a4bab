// Diagnostics, rendered: the one place where a Diagnostic becomes text or JSON.
#include <string>

#include "diag/codes.hpp"
#include "diag/limits.hpp"
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

std::size_t count_chars_of(std::string_view s) {
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

// Shown on a terminal: tabs as spaces, every other control character visibly (append_printable).
std::string shown_text(std::string_view s) {
    std::string spaced(s);
    for (char& c : spaced)
        if (c == '\t') c = ' ';
    return printable(spaced);
}

// "  12 | the line\n     |     ^~~~\n": the caret sits under the place, in display columns.
// A long line is shown as a window of kWindow characters around the place, cut with "…"; a
// Location from Sources::locate holds that window already (line_text_column, line_text_cut).
void quote_source(std::string& out, const Location& at) {
    if (at.line == 0) return;
    const std::string number = std::to_string(at.line);
    const std::string gutter(number.size(), ' ');
    const std::string_view full = at.line_text;
    const std::size_t chars = count_chars_of(at.line_text);
    const std::size_t origin = at.line_text_column > 0 ? at.line_text_column - 1 : 0;
    const std::size_t column = at.column > origin + 1 ? at.column - 1 - origin : 0;
    const LineWindow window = window_around(chars, column);
    const std::size_t first = window.first, last = window.last;
    const std::size_t b = char_offset(full, first), e = char_offset(full, last);
    const std::string_view shown = full.substr(b, e - b);
    const std::size_t from = char_offset(full, std::max(column, first)) - b;
    const std::size_t to = char_offset(shown, count_chars_of(std::string(shown.substr(0, from))) + at.length);
    const std::string before = shown_text(shown.substr(0, from)), under = shown_text(shown.substr(from, to - from));
    const bool cut_before = origin + first > 0, cut_after = last < chars || at.line_text_cut;
    out += " " + number + " | " + (cut_before ? "…" : "") + before + under + shown_text(shown.substr(to)) +
           (cut_after ? "…" : "") + "\n";
    const unsigned indent = display_width(before) + (cut_before ? 1 : 0);
    const unsigned width = std::max(1u, display_width(under));
    out += " " + gutter + " | " + std::string(indent, ' ') + "^" + std::string(width - 1, '~') + "\n";
}

std::string place(const Location& at) {
    if (at.file.empty()) return "kaohe";
    if (at.line == 0) return printable(at.file);
    return printable(at.file) + ":" + std::to_string(at.line) + ":" + std::to_string(at.column);
}

}  // namespace

std::string render(const Diagnostic& d) {
    std::string out = place(d.where) + ": " + to_string(d.severity) + "[" + printable(d.code) + "]: " + printable(d.message) + "\n";
    quote_source(out, d.where);
    for (const Note& n : d.notes) {
        out += place(n.where) + ": note: " + printable(n.message) + "\n";
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

std::string terminal_text(std::string_view s) { return printable(s); }

std::string terminal_lines(std::string_view text) {
    std::string out;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        const bool last = end == std::string_view::npos;
        if (last) end = text.size();
        out += printable(text.substr(start, end - start));
        if (!last) out += '\n';
        start = end + 1;
    }
    return out;
}

std::string json_quote(std::string_view s) {
    std::string out;
    append_json_string(out, s);
    return out;
}

namespace diag {
namespace {
const char* const kTooManyErrors = "too many errors: stopping after the first ";
const char* const kTooManyWarnings = "too many warnings: not showing more than ";
bool is_stop(const Diagnostic& d, const char* message) {
    return d.code == name(Code::P004) && d.message.starts_with(message);
}
}  // namespace

bool admit(std::vector<Diagnostic>& ds, Severity severity, const std::string& file) {
    if (!ds.empty() && is_stop(ds.back(), kTooManyErrors)) return false;
    if (severity == Severity::note) return true;
    std::size_t errors = 0, warnings = 0;
    bool warnings_stopped = false;
    for (const auto& d : ds) {
        errors += d.severity == Severity::error;
        warnings += d.severity == Severity::warning;
        warnings_stopped = warnings_stopped || is_stop(d, kTooManyWarnings);
        if (is_stop(d, kTooManyErrors)) return false;
    }
    const bool error = severity == Severity::error;
    if (error ? errors < kMaxErrors : warnings < kMaxWarnings) return true;
    if (!error && warnings_stopped) return false;
    Location where;
    where.file = file;
    Diagnostic stop = make(Code::P004, std::move(where),
                           std::string(error ? kTooManyErrors : kTooManyWarnings) +
                               std::to_string(error ? kMaxErrors : kMaxWarnings) + " (the limit of one compile)");
    if (!error) stop.severity = Severity::note;  // past the warnings' limit the compile goes on
    ds.push_back(std::move(stop));
    return false;
}
}  // namespace diag

}  // namespace kaohe
