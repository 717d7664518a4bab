// Did-you-mean: the known name nearest to a misspelt one.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "support/utf8.hpp"

namespace kaohe {

// The code points of `s`; a byte that does not start a valid sequence counts as one character.
// Distances are measured in characters, so that one wrong Chinese character (three bytes) is
// one edit, as one wrong ASCII letter is.
inline std::vector<std::uint32_t> code_points(std::string_view s) {
    std::vector<std::uint32_t> out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t len = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        if (i + len > s.size()) len = 1;
        std::uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1Fu) : len == 3 ? (c & 0x0Fu) : (c & 0x07u);
        for (std::size_t k = 1; k < len; ++k) {
            const auto b = static_cast<unsigned char>(s[i + k]);
            if ((b & 0xC0) != 0x80) {
                len = 1, cp = c;
                break;
            }
            cp = (cp << 6) | (b & 0x3Fu);
        }
        out.push_back(cp);
        i += len;
    }
    return out;
}

// Levenshtein distance between a and b in characters (code points), or limit + 1 when it
// exceeds `limit`.
inline std::size_t edit_distance(std::string_view a_text, std::string_view b_text, std::size_t limit) {
    std::vector<std::uint32_t> a = code_points(a_text), b = code_points(b_text);
    if (a.size() > b.size()) std::swap(a, b);
    if (b.size() - a.size() > limit) return limit + 1;
    std::vector<std::size_t> row(a.size() + 1);
    for (std::size_t i = 0; i <= a.size(); ++i) row[i] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
        std::size_t diagonal = row[0];
        row[0] = j;
        std::size_t row_min = row[0];
        for (std::size_t i = 1; i <= a.size(); ++i) {
            const std::size_t above = row[i];
            row[i] = std::min({row[i] + 1, row[i - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0u : 1u)});
            diagonal = above;
            row_min = std::min(row_min, row[i]);
        }
        if (row_min > limit) return limit + 1;  // every later row is at least this
    }
    return std::min(row[a.size()], limit + 1);
}

// The candidate nearest to `word` within edit distance max(2, characters of word / 3), keeping at
// least one character; failing
// that, the one candidate that `word` is a prefix of or extends; or "" when there is none. Ties
// go to the alphabetically first candidate, so the answer does not depend on the order of
// `candidates` (callers often collect them from a hash map). `word` itself, when it is a
// candidate, is not suggested.
inline std::string_view nearest(std::string_view word, const std::vector<std::string_view>& candidates) {
    const std::size_t chars = code_points(word).size();
    const std::size_t limit = std::max<std::size_t>(2, chars / 3);
    std::string_view best;
    std::size_t best_distance = limit + 1;
    for (const std::string_view c : candidates) {
        if (c.empty() || c == word) continue;
        const std::size_t d = edit_distance(word, c, limit);
        // Every character changed is no spelling of it (`迟道` is not `早退`).
        if (d >= std::max(chars, code_points(c).size())) continue;
        if (d < best_distance || (d == best_distance && d <= limit && c < best)) {
            best = c;
            best_distance = d;
        }
    }
    if (best_distance <= limit) return best;
    // No near spelling: a name the word is a clipped or extended form of ("province" for
    // "province_assoc", "chairman" for "chair"), when there is exactly one.
    std::string_view affix;
    int found = 0;
    for (const std::string_view c : candidates) {
        if (code_points(c).size() < 3 || chars < 3 || c == word) continue;
        if (c.starts_with(word) || word.starts_with(c)) affix = c, ++found;
    }
    return found == 1 ? affix : std::string_view();
}

// What follows an unknown name in its error: " (did you mean `迟到`?)", and, when the name holds
// a character no name can hold (typed by an input method, or invisible), that character:
// ": it contains an invisible zero-width space (U+200B)". The name as its author meant it (see
// as_meant) is looked up first, so `ｃｈａｉｒ` suggests `chair`.
inline std::string did_you_mean(std::string_view word, const std::vector<std::string_view>& candidates) {
    std::string out;
    // The same text in another normalisation form prints identically: say so, naming the
    // combining mark, rather than suggest what looks like the word itself. Names are compared as
    // written (code point by code point).
    if (std::any_of(word.begin(), word.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; })) {
        const std::string composed = nfc(word);
        for (const std::string_view c : candidates) {
            if (c == word || nfc(c) != composed) continue;
            std::string mark;
            for (const std::string_view t : {word, c}) {
                for (std::size_t i = 0; i < t.size() && mark.empty();) {
                    const CodePoint cp = decode_at(t, i);
                    const auto cat = category(cp.value);
                    if (cat >= UTF8PROC_CATEGORY_MN && cat <= UTF8PROC_CATEGORY_ME) mark = code_point_text(cp.value);
                    i += cp.length;
                }
                if (!mark.empty()) {
                    mark = (t == word ? "this one writes a combining mark " : "the declared one writes a combining mark ") +
                           mark + " where the other has a precomposed letter";
                    break;
                }
            }
            return " (did you mean `" + std::string(c) +
                   "`?): the two differ only in Unicode normalisation" + (mark.empty() ? "" : " (" + mark + ")") +
                   ", and names are compared as written: retype one of them";
        }
    }
    const auto odd = first_unusual(word);
    std::string_view best;
    if (odd) {
        const std::string meant = as_meant(word);
        for (const std::string_view c : candidates)
            if (c == meant) best = c;
        if (best.empty()) best = nearest(meant, candidates);
    }
    if (best.empty()) best = nearest(word, candidates);
    if (!best.empty()) out = " (did you mean `" + std::string(best) + "`?)";
    if (odd) {
        const bool vowel = std::string_view("aeiouAEIOU").find(odd->description.front()) != std::string_view::npos;
        out += std::string(": it contains ") + (vowel ? "an " : "a ") + odd->description;
    }
    return out;
}

}  // namespace kaohe
