// Small text helpers shared by the writers: JSON string escaping and terminal display width.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace kaohe {

// Appends `s` as a JSON string literal (with quotes). Control characters are escaped; UTF-8 is
// kept as is.
inline void append_json_string(std::string& out, std::string_view s) {
    static constexpr char hex[] = "0123456789abcdef";
    out.push_back('"');
    std::size_t run = 0;  // start of the current run of bytes that need no escape
    for (std::size_t i = 0; i < s.size(); ++i) {
        // Eight bytes at a time while none is a control character, a quote or a backslash.
        while (i + 8 <= s.size()) {
            std::uint64_t w;
            std::memcpy(&w, s.data() + i, 8);
            constexpr std::uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
            const std::uint64_t q = w ^ (ones * '"'), b = w ^ (ones * '\\');
            const std::uint64_t special = ((w - ones * 0x20) | (q - ones) | (b - ones)) & ~w & high;
            if (special) break;
            i += 8;
        }
        if (i >= s.size()) break;
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        out.append(s.data() + run, i - run);
        run = i + 1;
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            out += "\\u00";
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 15]);
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
