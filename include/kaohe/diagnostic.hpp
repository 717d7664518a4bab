// Diagnostics are data: a stable code, a severity, a location, a message and notes.
// They are rendered to text in one place (render()), and to JSON for the C ABI.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kaohe {

enum class Severity { error, warning, note };

// A place in a source file. line and column are 1-based (column counts characters, not
// bytes); line == 0 means "no place" (a diagnostic about a whole file or about the command).
struct Location {
    std::string file;
    unsigned line = 0;
    unsigned column = 0;
    unsigned length = 1;    // characters to underline
    // The source line, for the caret display. Of a long line only a window around the place is
    // kept: line_text then starts at column line_text_column, and line_text_cut says that the
    // line goes on after it.
    std::string line_text;
    unsigned line_text_column = 1;
    bool line_text_cut = false;
};

struct Note {
    Location where;
    std::string message;
};

struct Diagnostic {
    std::string code;  // stable: P… parse, C… check, W… warning, R… record, T… test
    Severity severity = Severity::error;
    Location where;
    std::string message;
    std::vector<Note> notes;
};

const char* to_string(Severity s);

// "file:line:col: error[C101]: message", then the line and a caret under the place, then notes.
std::string render(const Diagnostic& d);
std::string render(const std::vector<Diagnostic>& ds);

// The JSON array of the C ABI: [{"code", "severity", "file", "line", "column", "message"}, ...]
std::string to_json(const std::vector<Diagnostic>& ds);

bool has_errors(const std::vector<Diagnostic>& ds);

// `s` made safe to show on a terminal, as every text output of kaohe shows input: control and
// invisible format characters as `\u{1b}`, bytes that are not UTF-8 as `\xbf`.
std::string terminal_text(std::string_view s);

// A text of several lines as terminal_text shows each line, the line breaks kept.
std::string terminal_lines(std::string_view text);

// `s` as a JSON string literal, with quotes: always valid UTF-8 JSON (bytes that are not UTF-8,
// as in a file name in GBK, become U+FFFD; control and invisible format characters are escaped).
std::string json_quote(std::string_view s);

}  // namespace kaohe
