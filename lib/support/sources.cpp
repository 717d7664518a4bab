#include "support/sources.hpp"

#include <algorithm>

namespace kaohe {

unsigned count_chars(std::string_view text) {
    unsigned n = 0;
    for (unsigned char c : text) n += (c & 0xC0) != 0x80;
    return n;
}

std::uint32_t Sources::add(std::string name, std::string text) {
    File f{std::move(name), std::move(text), {0}};
    for (std::uint32_t i = 0; i < f.text.size(); ++i)
        if (f.text[i] == '\n') f.line_starts.push_back(i + 1);
    files_.push_back(std::move(f));
    return static_cast<std::uint32_t>(files_.size() - 1);
}

Location Sources::locate(Span span) const {
    Location loc;
    if (span.file >= files_.size()) return loc;
    const File& f = files_[span.file];
    loc.file = f.name;
    const auto begin = std::min<std::size_t>(span.begin, f.text.size());
    auto it = std::upper_bound(f.line_starts.begin(), f.line_starts.end(), begin);
    const std::size_t line_index = static_cast<std::size_t>(it - f.line_starts.begin()) - 1;
    const std::size_t line_start = f.line_starts[line_index];
    std::size_t line_end = f.text.find('\n', line_start);
    if (line_end == std::string::npos) line_end = f.text.size();
    std::string_view line(f.text.data() + line_start, line_end - line_start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    loc.line = static_cast<unsigned>(line_index + 1);
    // A byte-order mark opening the file is no column of its own (the parser skips it).
    const std::size_t bom = line_start == 0 && line.starts_with("\xEF\xBB\xBF") && begin >= 3 ? 3 : 0;
    loc.column = count_chars(std::string_view(f.text.data() + line_start + bom, begin - line_start - bom)) + 1;
    loc.line_text = std::string(line.substr(bom));
    const std::size_t end = std::clamp<std::size_t>(span.end, begin, line_start + line.size());
    loc.length = std::max(1u, count_chars(std::string_view(f.text.data() + begin, end - begin)));
    return loc;
}

std::string Sources::file_line(Span span) const {
    const Location loc = locate(span);
    return loc.file + ":" + std::to_string(loc.line);
}

std::string_view Sources::slice(Span span) const {
    const std::string& t = files_[span.file].text;
    const std::size_t b = std::min<std::size_t>(span.begin, t.size());
    const std::size_t e = std::clamp<std::size_t>(span.end, b, t.size());
    return std::string_view(t).substr(b, e - b);
}

}  // namespace kaohe
