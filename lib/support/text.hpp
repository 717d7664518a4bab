// Small text helpers shared by the writers: JSON string escaping, text made safe for a terminal,
// and terminal display width.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace kaohe {

// The code point of the valid UTF-8 sequence at byte `i` of `s`, with its length; length 0 when
// the bytes there are not valid UTF-8 (a truncated or overlong sequence, a surrogate, a stray
// continuation byte). Text from a file name or a foreign system need not be valid.
struct Utf8At {
    std::uint32_t cp = 0;
    std::size_t length = 0;
};
inline Utf8At utf8_at(std::string_view s, std::size_t i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) return {c, 1};
    std::size_t len = 0;
    std::uint32_t cp = 0, min = 0;
    if (c >= 0xC2 && c <= 0xDF) len = 2, cp = c & 0x1F, min = 0x80;
    else if (c >= 0xE0 && c <= 0xEF) len = 3, cp = c & 0x0F, min = 0x800;
    else if (c >= 0xF0 && c <= 0xF4) len = 4, cp = c & 0x07, min = 0x10000;
    else return {};
    if (i + len > s.size()) return {};
    for (std::size_t k = 1; k < len; ++k) {
        const auto b = static_cast<unsigned char>(s[i + k]);
        if ((b & 0xC0) != 0x80) return {};
        cp = (cp << 6) | (b & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return {};
    return {cp, len};
}

// Characters a terminal would obey or hide instead of showing: C0 controls, DEL, C1 controls
// (U+0080-U+009F: U+009B is a CSI to some terminals), and the invisible format characters that
// reorder or hide text (bidi overrides and isolates, zero-width characters, U+FEFF, tags).
inline bool non_printing(std::uint32_t cp) {
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0xAD || cp == 0x61C || cp == 0x180E ||
           (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x206F) ||
           cp == 0xFEFF || (cp >= 0xFFF9 && cp <= 0xFFFB) || (cp >= 0xE0000 && cp <= 0xE007F);
}

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
        const Utf8At u = utf8_at(s, i);
        if (u.length > 0 && !non_printing(u.cp)) {
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
                const unsigned d = (u.cp >> shift) & 15;
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
        const Utf8At u = utf8_at(s, i);
        if (c >= 0x80 && u.length > 0 && !non_printing(u.cp)) {
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
        switch (u.cp) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (u.cp > 0xFFFF) {  // the tag characters: a surrogate pair
                const std::uint32_t v = u.cp - 0x10000, pair[2] = {0xD800 + (v >> 10), 0xDC00 + (v & 0x3FF)};
                for (std::uint32_t unit : pair) {
                    out += "\\u";
                    for (int shift = 12; shift >= 0; shift -= 4) out.push_back(hex[(unit >> shift) & 15]);
                }
            } else {
                out += "\\u";
                for (int shift = 12; shift >= 0; shift -= 4) out.push_back(hex[(u.cp >> shift) & 15]);
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
        const auto c = static_cast<unsigned char>(s[i]);
        unsigned cp = c;
        std::size_t len = 1;
        if (c >= 0xF0) cp = c & 0x07, len = 4;
        else if (c >= 0xE0) cp = c & 0x0F, len = 3;
        else if (c >= 0xC0) cp = c & 0x1F, len = 2;
        for (std::size_t k = 1; k < len && i + k < s.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
        i += len;
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

}  // namespace kaohe
