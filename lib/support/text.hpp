// Small text helpers shared by the writers: JSON string escaping, text made safe for a terminal,
// and terminal display width. Decoding and which characters are escaped come from utf8.hpp.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "support/utf8.hpp"

namespace kaohe {

// Appends `s` for a terminal: every non-printing character as `\u{1b}` (its code point in hex)
// and every byte that is not valid UTF-8 as `\xbf`, so that nothing from an input can move the
// cursor, recolour, retitle or reorder what is shown, and the output is valid UTF-8. The one
// helper of every text writer (scorecards, rendered diagnostics, record errors, test output).
inline void append_printable(std::string& out, std::string_view s) {
    static constexpr char hex[] = "0123456789abcdef";
    std::size_t run = 0;  // start of the bytes not yet copied
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c < 0x7F) {
            ++i;
            continue;
        }
        const CodePoint u = utf8_at(s, i);
        if (u.length > 0 && !non_printing(u.value)) {
            i += u.length;
            continue;
        }
        out.append(s.data() + run, i - run);
        if (u.length == 0) {
            out += "\\x";
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 15]);
            i += 1;
        } else {
            out += "\\u{";
            bool digits = false;
            for (int shift = 20; shift >= 0; shift -= 4) {
                const unsigned d = (u.value >> shift) & 15;
                if (d || digits || shift == 0) out.push_back(hex[d]), digits = true;
            }
            out += "}";
            i += u.length;
        }
        run = i;
    }
    out.append(s.data() + run, s.size() - run);
}

inline std::string printable(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    append_printable(out, s);
    return out;
}

// Appends `s` as a JSON string literal (with quotes), always valid UTF-8 JSON: control
// characters, DEL, C1 controls and the invisible format characters of non_printing() are
// escaped as \u00XX (a terminal showing the JSON obeys none of them); bytes that are not valid
// UTF-8 (a file name in GBK) become U+FFFD, the replacement character. Other UTF-8 is kept as is.
inline void append_json_string(std::string& out, std::string_view s) {
    static constexpr char hex[] = "0123456789abcdef";
    out.push_back('"');
    std::size_t run = 0;  // start of the current run of bytes that need no escape
    for (std::size_t i = 0; i < s.size();) {
        // Eight bytes at a time while all are printable ASCII other than a quote or a backslash.
        while (i + 8 <= s.size()) {
            std::uint64_t w;
            std::memcpy(&w, s.data() + i, 8);
            constexpr std::uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
            const std::uint64_t q = w ^ (ones * '"'), b = w ^ (ones * '\\');
            const std::uint64_t special = (((w - ones * 0x20) | (q - ones) | (b - ones)) & ~w & high) | (w & high);
            if (special) break;
            i += 8;
        }
        if (i >= s.size()) break;
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
            ++i;
            continue;
        }
        const CodePoint u = utf8_at(s, i);
        if (c >= 0x80 && u.length > 0 && !non_printing(u.value)) {
            i += u.length;
            continue;
        }
        out.append(s.data() + run, i - run);
        i += u.length > 0 ? u.length : 1;
        run = i;
        if (u.length == 0) {
            out += "\xEF\xBF\xBD";  // U+FFFD
            continue;
        }
        switch (u.value) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (u.value > 0xFFFF) {  // past the Basic Multilingual Plane (tags): a surrogate pair
                const std::uint32_t v = u.value - 0x10000, pair[2] = {0xD800 + (v >> 10), 0xDC00 + (v & 0x3FF)};
                for (std::uint32_t unit : pair) {
                    out += "\\u";
                    for (int shift = 12; shift >= 0; shift -= 4) out.push_back(hex[(unit >> shift) & 15]);
                }
            } else {
                out += "\\u";
                for (int shift = 12; shift >= 0; shift -= 4) out.push_back(hex[(u.value >> shift) & 15]);
            }
        }
    }
    out.append(s.data() + run, s.size() - run);
    out.push_back('"');
}

// Columns a terminal gives `s`: East Asian wide characters (Chinese among them) take two.
inline unsigned display_width(std::string_view s) {
    unsigned width = 0;
    for (std::size_t i = 0; i < s.size();) {
        const CodePoint at = decode_at(s, i);
        const std::uint32_t cp = at.value;
        i += at.length;
        const bool wide = (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
                          (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
                          (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
                          (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
        width += wide ? 2 : 1;
    }
    return width;
}

// `s` padded with spaces to `width` display columns.
inline std::string pad_right(std::string_view s, unsigned width) {
    std::string out(s);
    for (unsigned w = display_width(s); w < width; ++w) out.push_back(' ');
    return out;
}

// Source text on one line, as reports quote a rule, a condition or an expectation: comments
// dropped, runs of spaces and newlines made one space, quoted text kept as written.
inline std::string one_line(std::string_view text) {
    std::string out;
    bool space = false, quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (!quoted && c == '#') {
            while (i < text.size() && text[i] != '\n') ++i;
            space = !out.empty();
            continue;
        }
        if (!quoted && (c == ' ' || c == '\t' || c == '\n' || c == '\r')) {
            space = !out.empty();
            continue;
        }
        if (space) out += ' ';
        space = false;
        out += c;
        if (c == '"' && (i == 0 || text[i - 1] != '\\')) quoted = !quoted;
    }
    return out;
}

}  // namespace kaohe
