// UTF-8 validation, so that bad bytes are reported where they are instead of parsed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

namespace kaohe {

// Byte offset of the first byte that does not start a valid UTF-8 sequence (overlong forms,
// surrogates and code points past U+10FFFF are invalid), or nullopt when the text is valid.
inline std::optional<std::size_t> first_invalid_utf8(std::string_view s) {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const std::size_t n = s.size();
    std::size_t i = 0;
    while (i < n) {
        const unsigned c = p[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t len;
        unsigned lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) len = 2;
        else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            if (c == 0xE0) lo = 0xA0;
            if (c == 0xED) hi = 0x9F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            if (c == 0xF0) lo = 0x90;
            if (c == 0xF4) hi = 0x8F;
        } else {
            return i;
        }
        if (i + len > n) return i;
        if (p[i + 1] < lo || p[i + 1] > hi) return i;
        for (std::size_t k = 2; k < len; ++k)
            if ((p[i + k] & 0xC0) != 0x80) return i;
        i += len;
    }
    return std::nullopt;
}

// The UTF-8 byte-order mark. At the very start of a rule file or a record it is skipped.
inline constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// One code point decoded at byte `i` of valid UTF-8 text, with its length in bytes.
struct CodePoint {
    std::uint32_t value = 0;
    std::size_t length = 1;
};
inline CodePoint decode_at(std::string_view s, std::size_t i) {
    const auto c = static_cast<unsigned char>(s[i]);
    CodePoint cp{c, 1};
    if (c < 0x80) return cp;
    cp.length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    if (i + cp.length > s.size()) return CodePoint{c, 1};
    cp.value = cp.length == 2 ? (c & 0x1Fu) : cp.length == 3 ? (c & 0x0Fu) : (c & 0x07u);
    for (std::size_t k = 1; k < cp.length; ++k) cp.value = (cp.value << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3Fu);
    return cp;
}

// Characters that look like syntax, or like nothing at all, but are neither: full-width ASCII
// forms and the ideographic space that an input method types (`１`, `：`, `（`, U+3000), CJK and
// typographic punctuation (`、` `。` `“` `—`), no-break and other Unicode spaces, and invisible
// format characters (zero-width space, joiners, bidi controls, U+FEFF inside the text). They are
// not name characters and not whitespace; the grammar (grammar/kaohe.hpp, `unusual_char`) lists
// the same ranges.
struct Unusual {
    const char* what;      // "full-width colon"
    std::string ascii;     // the ASCII character it stands for ("" when none)
    bool invisible = false;
};

inline std::optional<Unusual> unusual(std::uint32_t cp) {
    auto in = [cp](std::uint32_t lo, std::uint32_t hi) { return cp >= lo && cp <= hi; };
    if (in(0xFF01, 0xFF5E)) {
        const char a = static_cast<char>(cp - 0xFEE0);
        const char* what = "full-width character";
        if (a >= '0' && a <= '9') what = "full-width digit";
        else if ((a >= 'a' && a <= 'z') || (a >= 'A' && a <= 'Z')) what = "full-width letter";
        else switch (a) {
            case ':': what = "full-width colon"; break;
            case ',': what = "full-width comma"; break;
            case ';': what = "full-width semicolon"; break;
            case '(': what = "full-width left parenthesis"; break;
            case ')': what = "full-width right parenthesis"; break;
            case '{': what = "full-width left brace"; break;
            case '}': what = "full-width right brace"; break;
            case '=': what = "full-width equals sign"; break;
            case '>': what = "full-width greater-than sign"; break;
            case '<': what = "full-width less-than sign"; break;
            case '.': what = "full-width full stop"; break;
            case '"': what = "full-width quotation mark"; break;
            case '#': what = "full-width number sign"; break;
            case '+': what = "full-width plus sign"; break;
            case '-': what = "full-width hyphen-minus"; break;
            case '*': what = "full-width asterisk"; break;
            case '/': what = "full-width slash"; break;
            case '_': what = "full-width low line"; break;
            case '!': what = "full-width exclamation mark"; break;
            case '~': what = "full-width tilde"; break;
            default: break;
        }
        return Unusual{what, std::string(1, a)};
    }
    switch (cp) {
        case 0x3000: return Unusual{"ideographic (full-width) space", " "};
        case 0x3001: return Unusual{"ideographic comma", ","};
        case 0x3002: return Unusual{"ideographic full stop", "."};
        case 0x00A0: return Unusual{"no-break space", " "};
        case 0x202F: return Unusual{"narrow no-break space", " "};
        case 0x2018: case 0x2019: case 0x201C: case 0x201D: return Unusual{"curly quotation mark", "\""};
        case 0x300C: case 0x300D: case 0x300E: case 0x300F: return Unusual{"CJK corner bracket", "\""};
        case 0x2013: return Unusual{"en dash", "-"};
        case 0x2014: return Unusual{"em dash", "-"};
        case 0x200B: return Unusual{"zero-width space", "", true};
        case 0x200C: return Unusual{"zero-width non-joiner", "", true};
        case 0x200D: return Unusual{"zero-width joiner", "", true};
        case 0x200E: return Unusual{"left-to-right mark", "", true};
        case 0x200F: return Unusual{"right-to-left mark", "", true};
        case 0x2060: return Unusual{"word joiner", "", true};
        case 0xFEFF: return Unusual{"byte-order mark away from the start of the file", "", true};
        case 0x00AD: return Unusual{"soft hyphen", "", true};
        case 0x180E: return Unusual{"Mongolian vowel separator", "", true};
        default: break;
    }
    if (in(0x2000, 0x200A) || cp == 0x205F) return Unusual{"Unicode space", " "};
    if (in(0x202A, 0x202E) || in(0x2066, 0x2069)) return Unusual{"bidirectional text control", "", true};
    if (in(0x2061, 0x2064) || in(0xFE00, 0xFE0F) || in(0xFFF9, 0xFFFB)) return Unusual{"invisible format character", "", true};
    if (in(0x0080, 0x009F)) return Unusual{"C1 control character", "", true};
    if (in(0x2010, 0x206F)) return Unusual{"typographic punctuation", ""};
    if (in(0x3003, 0x301F)) return Unusual{"CJK punctuation", ""};
    if (in(0xFF5F, 0xFF65)) return Unusual{"half-width CJK punctuation", ""};
    return std::nullopt;
}

inline std::string code_point_text(std::uint32_t cp) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
    return buf;
}

// "full-width colon `：` (U+FF1A) where the ASCII `:` was meant", "invisible zero-width space
// (U+200B)": the character `ch` (its UTF-8 text), named, with what the author probably meant.
inline std::string describe_unusual(std::uint32_t cp, std::string_view ch, const Unusual& u) {
    std::string out;
    if (u.invisible) return std::string("invisible ") + u.what + " (" + code_point_text(cp) + ")";
    out = std::string(u.what) + " `" + std::string(ch) + "` (" + code_point_text(cp) + ")";
    if (u.ascii == " ") out += " where an ASCII space was meant";
    else if (!u.ascii.empty()) out += " where the ASCII `" + u.ascii + "` was meant";
    return out;
}

// The first unusual character of `s`: its byte offset and description, or nullopt.
struct UnusualAt {
    std::size_t offset = 0;
    std::size_t length = 1;
    std::string description;
};
inline std::optional<UnusualAt> first_unusual(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        if (static_cast<unsigned char>(s[i]) < 0x80) {
            ++i;
            continue;
        }
        const CodePoint cp = decode_at(s, i);
        if (auto u = unusual(cp.value)) return UnusualAt{i, cp.length, describe_unusual(cp.value, s.substr(i, cp.length), *u)};
        i += cp.length;
    }
    return std::nullopt;
}

// `s` as its author meant it: full-width forms as ASCII, unusual spaces as spaces, invisible
// characters dropped. For looking a misspelt name up, never for accepting it.
inline std::string as_meant(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size();) {
        const CodePoint cp = decode_at(s, i);
        const auto u = cp.value >= 0x80 ? unusual(cp.value) : std::nullopt;
        if (u && (u->invisible || !u->ascii.empty())) out += u->ascii;
        else out.append(s.substr(i, cp.length));
        i += cp.length;
    }
    return out;
}

}  // namespace kaohe
