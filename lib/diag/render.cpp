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

// "  12 | the line\n     |     ^~~~\n": the caret sits under the place, in display columns.
void quote_source(std::string& out, const Location& at) {
    if (at.line == 0 || at.line_text.empty()) return;
    const std::string number = std::to_string(at.line);
    const std::string gutter(number.size(), ' ');
    std::string line;
    for (char c : at.line_text) line.push_back(c == '\t' ? ' ' : c);
    out += " " + number + " | " + line + "\n";
    // Prefix up to the column, measured in characters, shown in display columns.
    std::size_t byte = 0;
    for (unsigned chars = 1; chars < at.column && byte < line.size(); ++chars) {
        ++byte;
        while (byte < line.size() && (static_cast<unsigned char>(line[byte]) & 0xC0) == 0x80) ++byte;
    }
    const unsigned indent = display_width(std::string_view(line).substr(0, byte));
    std::size_t end = byte;
    for (unsigned chars = 0; chars < at.length && end < line.size(); ++chars) {
        ++end;
        while (end < line.size() && (static_cast<unsigned char>(line[end]) & 0xC0) == 0x80) ++end;
    }
    const unsigned width = std::max(1u, display_width(std::string_view(line).substr(byte, end - byte)));
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
