// The source texts of one compilation, and the mapping from byte offsets to Locations.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "kaohe/diagnostic.hpp"

namespace kaohe {

// A source line is quoted as a window of at most kWindow characters, kBefore of them before the
// place (fewer at the line's start, more at its end); a Location keeps only that window, so a
// diagnostic's cost does not grow with the length of its line.
inline constexpr std::size_t kWindow = 100;
inline constexpr std::size_t kBefore = 40;

// The characters [first, last) of a line of `chars` characters that are shown around the 0-based
// character `column`: the one rule for the window, used where a Location is made and where it is
// rendered (a Location made by hand may still hold a whole line).
struct LineWindow {
    std::size_t first = 0, last = 0;
};
inline LineWindow window_around(std::size_t chars, std::size_t column) {
    std::size_t first = 0;
    if (chars > kWindow && column > kBefore) first = std::min(column - kBefore, chars - kWindow);
    return {first, std::min(chars, first + kWindow)};
}

// A byte range in one source file. Spans are what the AST and IR carry; they become
// Locations (line, column, a window of the line's text) only when a diagnostic or explanation
// needs one.
struct Span {
    std::uint32_t file = 0;
    std::uint32_t begin = 0;
    std::uint32_t end = 0;
};

class Sources {
public:
    // Adds a file's text; returns its index.
    std::uint32_t add(std::string name, std::string text);
    const std::string& name(std::uint32_t file) const { return files_[file].name; }
    const std::string& text(std::uint32_t file) const { return files_[file].text; }
    std::size_t size() const { return files_.size(); }

    Location locate(Span span) const;
    // "file:line", for the `rule` field of explanation lines.
    std::string file_line(Span span) const;
    // The source text a span covers.
    std::string_view slice(Span span) const;

private:
    struct File {
        std::string name;
        std::string text;
        std::vector<std::uint32_t> line_starts;
        // Characters before each kBlock-byte block: a column is counted from the nearest block,
        // not from the start of a line that may be megabytes long.
        std::vector<std::uint32_t> block_chars;
    };
    static constexpr std::size_t kBlock = 4096;
    std::size_t chars_before(const File& f, std::size_t offset) const;
    std::size_t line_of(const File& f, std::size_t offset) const;
    std::vector<File> files_;
};

// Characters (UTF-8 code points) in a byte range; invalid bytes count one each.
unsigned count_chars(std::string_view text);

}  // namespace kaohe
