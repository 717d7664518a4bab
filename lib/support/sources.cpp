#include "support/sources.hpp"

#include <algorithm>


namespace kaohe {

unsigned count_chars(std::string_view text) {
    unsigned n = 0;
    for (unsigned char c : text) n += (c & 0xC0) != 0x80;
    return n;
}

std::uint32_t Sources::add(std::string name, std::string text) {
    File f{std::move(name), std::move(text), {0}, {0}};
    std::uint32_t chars = 0;
    for (std::uint32_t i = 0; i < f.text.size(); ++i) {
        if (f.text[i] == '\n') f.line_starts.push_back(i + 1);
        chars += (static_cast<unsigned char>(f.text[i]) & 0xC0) != 0x80;
        if ((i + 1) % kBlock == 0) f.block_chars.push_back(chars);
    }
    files_.push_back(std::move(f));
    return static_cast<std::uint32_t>(files_.size() - 1);
}

std::size_t Sources::chars_before(const File& f, std::size_t offset) const {
    const std::size_t block = offset / kBlock;
    return f.block_chars[block] + count_chars(std::string_view(f.text).substr(block * kBlock, offset - block * kBlock));
}

std::size_t Sources::line_of(const File& f, std::size_t offset) const {
    auto it = std::upper_bound(f.line_starts.begin(), f.line_starts.end(), offset);
    return static_cast<std::size_t>(it - f.line_starts.begin()) - 1;
}

Location Sources::locate(Span span) const {
    Location loc;
    if (span.file >= files_.size()) return loc;
    const File& f = files_[span.file];
    loc.file = f.name;
    const std::size_t begin = std::min<std::size_t>(span.begin, f.text.size());
    const std::size_t line_index = line_of(f, begin);
    std::size_t line_start = f.line_starts[line_index];
    std::size_t line_end = f.text.find('\n', line_start);
    if (line_end == std::string::npos) line_end = f.text.size();
    if (line_end > line_start && f.text[line_end - 1] == '\r') --line_end;
    loc.line = static_cast<unsigned>(line_index + 1);
    // A byte-order mark opening the file is no column of its own (the parser skips it).
    if (line_start == 0 && std::string_view(f.text).starts_with("\xEF\xBB\xBF") && begin >= 3) line_start = 3;
    const std::size_t first_char = chars_before(f, line_start);
    const std::size_t column = chars_before(f, std::max(begin, line_start)) - first_char;  // 0-based
    loc.column = static_cast<unsigned>(column + 1);
    const std::size_t end = std::clamp<std::size_t>(span.end, begin, std::max(begin, line_end));
    loc.length = static_cast<unsigned>(std::max<std::size_t>(1, chars_before(f, end) - chars_before(f, begin)));
    // Only the window that rendering shows is kept (kWindow, sources.hpp): a diagnostic's cost does
    // not grow with the length of its line.
    const std::size_t chars = chars_before(f, line_end) - first_char;
    const LineWindow window = window_around(chars, column);
    const std::size_t first = window.first, last = window.last;
    const std::string_view line(f.text.data() + line_start, line_end - line_start);
    // Byte offsets of characters `first` and `last`, found from the place, not the line's start.
    auto offset_of = [&](std::size_t ch) {
        std::size_t at = std::clamp(begin, line_start, line_end) - line_start;
        std::size_t c = chars_before(f, line_start + at) - first_char;
        while (c > ch) {
            --at;
            c -= (static_cast<unsigned char>(line[at]) & 0xC0) != 0x80;
        }
        while (c < ch && at < line.size()) {
            ++at;
            while (at < line.size() && (static_cast<unsigned char>(line[at]) & 0xC0) == 0x80) ++at;
            ++c;
        }
        return at;
    };
    const std::size_t b = offset_of(first), e = offset_of(last);
    loc.line_text = std::string(line.substr(b, e - b));
    loc.line_text_column = static_cast<unsigned>(first + 1);
    loc.line_text_cut = last < chars;
    return loc;
}

std::string Sources::file_line(Span span) const {
    if (span.file >= files_.size()) return ":0";
    const File& f = files_[span.file];
    return f.name + ":" + std::to_string(line_of(f, std::min<std::size_t>(span.begin, f.text.size())) + 1);
}

std::string_view Sources::slice(Span span) const {
    const std::string& t = files_[span.file].text;
    const std::size_t b = std::min<std::size_t>(span.begin, t.size());
    const std::size_t e = std::clamp<std::size_t>(span.end, b, t.size());
    return std::string_view(t).substr(b, e - b);
}

}  // namespace kaohe
