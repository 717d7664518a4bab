// UTF-8: the one decoder and the one classification of characters (Unicode general categories,
// utf8proc). Bad bytes are reported where they are instead of parsed; the characters a terminal
// must not be given, and those the parser names as look-alikes or invisible, are told apart here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include <utf8proc.h>

namespace kaohe {

// One code point decoded at byte `i`, with its length in bytes.
struct CodePoint {
    std::uint32_t value = 0;
    std::size_t length = 1;
};

// The code point of the valid UTF-8 sequence at byte `i` of `s`; length 0 when the bytes there are
// not valid UTF-8 (a truncated or overlong sequence, a surrogate, a code point past U+10FFFF, a
// stray continuation byte). The one UTF-8 decoder: text from a file name or a foreign system need
// not be valid, so every reader of bytes goes through it.
inline CodePoint utf8_at(std::string_view s, std::size_t i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) return {c, 1};
    std::size_t len = 0;
    std::uint32_t cp = 0, min = 0;
    if (c >= 0xC2 && c <= 0xDF) len = 2, cp = c & 0x1F, min = 0x80;
    else if (c >= 0xE0 && c <= 0xEF) len = 3, cp = c & 0x0F, min = 0x800;
    else if (c >= 0xF0 && c <= 0xF4) len = 4, cp = c & 0x07, min = 0x10000;
    else return {0, 0};
    if (i + len > s.size()) return {0, 0};
    for (std::size_t k = 1; k < len; ++k) {
        const auto b = static_cast<unsigned char>(s[i + k]);
        if ((b & 0xC0) != 0x80) return {0, 0};
        cp = (cp << 6) | (b & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return {0, 0};
    return {cp, len};
}

// The code point at byte `i` of text already known to be valid UTF-8; a byte that is not (which
// such text never holds) as itself, one byte long, so that a loop always moves on.
inline CodePoint decode_at(std::string_view s, std::size_t i) {
    const CodePoint cp = utf8_at(s, i);
    return cp.length > 0 ? cp : CodePoint{static_cast<unsigned char>(s[i]), 1};
}

// Byte offset of the first byte that does not start a valid UTF-8 sequence (see utf8_at), or
// nullopt when the text is valid.
inline std::optional<std::size_t> first_invalid_utf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        if (static_cast<unsigned char>(s[i]) < 0x80) {
            ++i;
            continue;
        }
        const std::size_t len = utf8_at(s, i).length;
        if (len == 0) return i;
        i += len;
    }
    return std::nullopt;
}

// The UTF-8 byte-order mark. At the very start of a rule file or a record it is skipped.
inline constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// The Unicode general category of `cp` (utf8proc's tables): the one classification of characters,
// behind both what a terminal is shown (non_printing) and what the parser names (unusual).
inline utf8proc_category_t category(std::uint32_t cp) {
    return utf8proc_category(static_cast<utf8proc_int32_t>(cp));
}

// Characters a terminal would obey or hide instead of showing, by category: controls (Cc: C0,
// DEL, C1, where U+009B is a CSI to some terminals), format characters (Cf: bidi overrides and
// isolates, zero-width characters, U+FEFF, tags, the Arabic number signs), line and paragraph
// separators (Zl, Zp), surrogates (Cs) and unassigned code points (Cn: a later Unicode may make one
// a format character that a newer terminal obeys). Private-use characters (Co) are shown: some
// fonts draw them, and GB18030 text maps characters there.
inline bool non_printing_category(utf8proc_category_t c) {
    switch (c) {
        case UTF8PROC_CATEGORY_CC: case UTF8PROC_CATEGORY_CF: case UTF8PROC_CATEGORY_ZL: case UTF8PROC_CATEGORY_ZP:
        case UTF8PROC_CATEGORY_CS: case UTF8PROC_CATEGORY_CN:
            return true;
        default:
            return false;
    }
}

namespace detail {
// non_printing() for the Basic Multilingual Plane, one bit per code point (8 KiB), computed once
// from the categories: the text writers ask about every character of every label they write.
struct BmpNonPrinting {
    std::uint64_t bits[0x10000 / 64] = {};
    BmpNonPrinting() {
        for (std::uint32_t cp = 0; cp < 0x10000; ++cp)
            if (non_printing_category(category(cp))) bits[cp >> 6] |= std::uint64_t{1} << (cp & 63);
    }
};
inline const BmpNonPrinting& bmp_non_printing() {
    static const BmpNonPrinting table;
    return table;
}
}  // namespace detail

inline bool non_printing(std::uint32_t cp) {
    if (cp < 0x80) return cp < 0x20 || cp == 0x7F;
    if (cp < 0x10000) return (detail::bmp_non_printing().bits[cp >> 6] >> (cp & 63)) & 1;
    return non_printing_category(category(cp));
}

// Characters that look like syntax, or like nothing at all, but are neither, classified by their
// Unicode properties (utf8proc's tables) rather than by a list: everything outside ASCII that is not
// a name character. Names hold letters and combining marks of any script (see `name_start` and
// `name_continue`); everything else is unusual and is named where it stands: forms that NFKC maps
// to ASCII (full-width `１` `：`, small and vertical forms, mathematical digits), digits of other
// scripts, look-alikes of the language's operators (`−` `×` `÷`), Unicode spaces, controls,
// default-ignorable and blank-looking characters (zero-width space, bidi controls, variation
// selectors, tags, Hangul fillers), and other punctuation and symbols. ASCII controls other than
// tab, line feed and carriage return are unusual too.
struct Unusual {
    std::string what;      // "full-width colon"
    std::string ascii;     // the ASCII character it stands for ("" when none)
    bool invisible = false;
};

namespace detail {
inline const char* ascii_control_name(std::uint32_t cp) {
    static const char* const names[32] = {"NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "TAB", "LF",
                                          "VT",  "FF",  "CR",  "SO",  "SI",  "DLE", "DC1", "DC2", "DC3", "DC4", "NAK",
                                          "ESC", "SYN", "ETB", "CAN", "EM",  "SUB", "FS",  "GS",  "RS",  "US"};
    return cp < 32 ? names[cp] : "DEL";
}
// The ASCII text NFKC gives for `cp` ("" when it gives anything else): `１` → "1", `﹐` → ",".
inline std::string nfkc_ascii(std::uint32_t cp) {
    utf8proc_int32_t out[18];
    utf8proc_int32_t last = 0;
    const utf8proc_ssize_t n =
        utf8proc_decompose_char(static_cast<utf8proc_int32_t>(cp), out, 18,
                                static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT), &last);
    if (n <= 0 || n > 18) return "";
    std::string s;
    for (utf8proc_ssize_t k = 0; k < n; ++k) {
        if (out[k] < 0x20 || out[k] >= 0x7F) return "";
        s.push_back(static_cast<char>(out[k]));
    }
    return s;
}
// The value of a decimal digit of any script: decimal digits come in runs of ten from 0.
inline int digit_value(std::uint32_t cp) {
    int k = 0;
    while (k < 60 && cp > static_cast<std::uint32_t>(k) &&
           category(cp - static_cast<std::uint32_t>(k) - 1) == UTF8PROC_CATEGORY_ND)
        ++k;
    return k % 10;
}
inline const char* fullwidth_name(char a) {
    if (a >= '0' && a <= '9') return "full-width digit";
    if ((a >= 'a' && a <= 'z') || (a >= 'A' && a <= 'Z')) return "full-width letter";
    switch (a) {
        case ':': return "full-width colon";
        case ',': return "full-width comma";
        case ';': return "full-width semicolon";
        case '(': return "full-width left parenthesis";
        case ')': return "full-width right parenthesis";
        case '{': return "full-width left brace";
        case '}': return "full-width right brace";
        case '=': return "full-width equals sign";
        case '>': return "full-width greater-than sign";
        case '<': return "full-width less-than sign";
        case '.': return "full-width full stop";
        case '"': return "full-width quotation mark";
        case '#': return "full-width number sign";
        case '+': return "full-width plus sign";
        case '-': return "full-width hyphen-minus";
        case '*': return "full-width asterisk";
        case '/': return "full-width slash";
        case '_': return "full-width low line";
        case '!': return "full-width exclamation mark";
        case '~': return "full-width tilde";
        default: return "full-width character";
    }
}
}  // namespace detail

inline std::optional<Unusual> unusual(std::uint32_t cp) {
    if (cp < 0x80) {
        if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0x7F)
            return Unusual{std::string("control character ") + detail::ascii_control_name(cp), "", true};
        return std::nullopt;
    }
    auto in = [cp](std::uint32_t lo, std::uint32_t hi) { return cp >= lo && cp <= hi; };
    if (in(0xFF01, 0xFF5E)) {
        const char a = static_cast<char>(cp - 0xFEE0);
        return Unusual{detail::fullwidth_name(a), std::string(1, a)};
    }
    switch (cp) {  // the common ones by their own names
        case 0x3000: return Unusual{"ideographic (full-width) space", " "};
        case 0x3001: return Unusual{"ideographic comma", ","};
        case 0x3002: return Unusual{"ideographic full stop", "."};
        case 0x00A0: return Unusual{"no-break space", " "};
        case 0x202F: return Unusual{"narrow no-break space", " "};
        case 0x1680: return Unusual{"Ogham space mark", " "};
        case 0x2018: case 0x2019: case 0x201C: case 0x201D: return Unusual{"curly quotation mark", "\""};
        case 0x300C: case 0x300D: case 0x300E: case 0x300F: return Unusual{"CJK corner bracket", "\""};
        case 0x2010: case 0x2011: return Unusual{"hyphen", "-"};
        case 0x2013: return Unusual{"en dash", "-"};
        case 0x2014: return Unusual{"em dash", "-"};
        case 0x2212: return Unusual{"minus sign", "-"};
        case 0x00D7: return Unusual{"multiplication sign", "*"};
        case 0x00F7: return Unusual{"division sign", "/"};
        case 0x2215: return Unusual{"division slash", "/"};
        case 0x2217: return Unusual{"asterisk operator", "*"};
        case 0x2236: return Unusual{"ratio sign", ":"};
        case 0x00B7: return Unusual{"middle dot", ""};
        case 0x30FB: return Unusual{"katakana middle dot", ""};
        case 0xFFE5: return Unusual{"full-width yen sign", ""};
        case 0x2800: return Unusual{"Braille pattern blank", "", true};
        case 0x200B: return Unusual{"zero-width space", "", true};
        case 0x200C: return Unusual{"zero-width non-joiner", "", true};
        case 0x200D: return Unusual{"zero-width joiner", "", true};
        case 0x200E: return Unusual{"left-to-right mark", "", true};
        case 0x200F: return Unusual{"right-to-left mark", "", true};
        case 0x061C: return Unusual{"Arabic letter mark", "", true};
        case 0x2060: return Unusual{"word joiner", "", true};
        case 0xFEFF: return Unusual{"byte-order mark away from the start of the file", "", true};
        case 0x00AD: return Unusual{"soft hyphen", "", true};
        case 0x180E: return Unusual{"Mongolian vowel separator", "", true};
        case 0x034F: return Unusual{"combining grapheme joiner", "", true};
        case 0x115F: case 0x1160: case 0x3164: case 0xFFA0: return Unusual{"Hangul filler", "", true};
        case 0xFFFC: return Unusual{"object replacement character", "", true};
        case 0xFFFD: return Unusual{"replacement character", ""};
        default: break;
    }
    if (in(0x202A, 0x202E) || in(0x2066, 0x2069)) return Unusual{"bidirectional text control", "", true};
    if (in(0xFE00, 0xFE0F) || in(0xE0100, 0xE01EF)) return Unusual{"variation selector", "", true};
    if (in(0xE0000, 0xE007F)) return Unusual{"tag character", "", true};
    const auto cat = category(cp);
    if (cat == UTF8PROC_CATEGORY_CC) return Unusual{"control character", "", true};
    if (utf8proc_get_property(static_cast<utf8proc_int32_t>(cp))->ignorable || cat == UTF8PROC_CATEGORY_CF) return Unusual{"format character", "", true};
    if (cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL || cat == UTF8PROC_CATEGORY_ZP)
        return Unusual{"Unicode space", " "};
    if (cat == UTF8PROC_CATEGORY_CO) return Unusual{"private-use character", ""};
    if (cat == UTF8PROC_CATEGORY_CN) return Unusual{"unassigned code point", ""};
    if (std::string a = detail::nfkc_ascii(cp); !a.empty()) {
        const char* what = in(0xFE50, 0xFE6B)                        ? "small form"
                           : in(0xFE10, 0xFE19) || in(0xFE30, 0xFE4F) ? "vertical form"
                           : in(0x1D400, 0x1D7FF)                     ? "mathematical character"
                           : in(0xFF00, 0xFFEF)                       ? "half-width or full-width form"
                           : cat == UTF8PROC_CATEGORY_ND              ? "digit of another form"
                                                                      : "compatibility character";
        return Unusual{what, std::move(a)};
    }
    if (cat == UTF8PROC_CATEGORY_ND)
        return Unusual{"digit of another script", std::string(1, static_cast<char>('0' + detail::digit_value(cp)))};
    switch (cat) {
        case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
        case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
            return std::nullopt;  // a name character
        default: break;
    }
    if (in(0x2010, 0x206F)) return Unusual{"typographic punctuation", ""};
    if (in(0x3003, 0x301F)) return Unusual{"CJK punctuation", ""};
    if (in(0xFF5F, 0xFF65)) return Unusual{"half-width CJK punctuation", ""};
    if (cat >= UTF8PROC_CATEGORY_PC && cat <= UTF8PROC_CATEGORY_PO) return Unusual{"punctuation", ""};
    if (cat >= UTF8PROC_CATEGORY_SM && cat <= UTF8PROC_CATEGORY_SO) return Unusual{"symbol", ""};
    return Unusual{"number character", ""};  // Nl, No: `Ⅻ`, `①`
}

// Name characters outside ASCII: a letter starts a name, a letter or a combining mark continues
// it; what is unusual (above) does neither.
inline bool name_continue(std::uint32_t cp) { return cp >= 0x80 && !unusual(cp); }
inline bool name_start(std::uint32_t cp) {
    if (!name_continue(cp)) return false;
    const auto cat = category(cp);
    return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO;
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
    if (u.invisible) return "invisible " + u.what + " (" + code_point_text(cp) + ")";
    out = u.what + " `" + std::string(ch) + "` (" + code_point_text(cp) + ")";
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
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80 && c >= 0x20 && c != 0x7F) {
            ++i;
            continue;
        }
        const CodePoint cp = decode_at(s, i);
        if (auto u = unusual(cp.value)) return UnusualAt{i, cp.length, describe_unusual(cp.value, s.substr(i, cp.length), *u)};
        i += cp.length;
    }
    return std::nullopt;
}

// "it contains a full-width `Ｑ` (U+FF31) where the ASCII `Q` was meant": the first unusual
// character of `s`, for a text that looks right on screen but is not; "" when it has none.
inline std::string it_contains_unusual(std::string_view s) {
    const auto odd = first_unusual(s);
    if (!odd) return {};
    const bool vowel = std::string_view("aeiouAEIOU").find(odd->description.front()) != std::string_view::npos;
    return std::string("it contains ") + (vowel ? "an " : "a ") + odd->description;
}

// `s` in Unicode normalisation form C (composed: `é` as U+00E9, not `e` + U+0301).
inline std::string nfc(std::string_view s) {
    utf8proc_uint8_t* out = nullptr;
    const utf8proc_ssize_t n =
        utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(s.data()), static_cast<utf8proc_ssize_t>(s.size()), &out,
                     static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
    if (n < 0 || out == nullptr) return std::string(s);
    std::string r(reinterpret_cast<const char*>(out), static_cast<std::size_t>(n));
    std::free(out);
    return r;
}

// `s` as its author meant it: full-width forms as ASCII, unusual spaces as spaces, invisible
// characters dropped. For looking a misspelt name up, never for accepting it.
inline std::string as_meant(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size();) {
        const CodePoint cp = decode_at(s, i);
        const auto u = unusual(cp.value);
        if (u && (u->invisible || !u->ascii.empty())) out += u->ascii;
        else out.append(s.substr(i, cp.length));
        i += cp.length;
    }
    return out;
}

}  // namespace kaohe
