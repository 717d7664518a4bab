// Did-you-mean: the known name nearest to a misspelt one.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string_view>
#include <vector>

namespace kaohe {

// Byte-based Levenshtein distance between a and b, or limit + 1 when it exceeds `limit`.
inline std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t limit) {
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

// The candidate nearest to `word` within edit distance max(2, word.size() / 3); failing that, the
// one candidate that `word` is a prefix of or extends; or "" when there is none. Ties go to the alphabetically first candidate, so the answer does not depend on the order
// of `candidates` (callers often collect them from a hash map). `word` itself, when it is a
// candidate, is not suggested.
inline std::string_view nearest(std::string_view word, const std::vector<std::string_view>& candidates) {
    const std::size_t limit = std::max<std::size_t>(2, word.size() / 3);
    std::string_view best;
    std::size_t best_distance = limit + 1;
    for (const std::string_view c : candidates) {
        if (c.empty() || c == word) continue;
        const std::size_t d = edit_distance(word, c, limit);
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
        if (c.size() < 3 || word.size() < 3 || c == word) continue;
        if (c.starts_with(word) || word.starts_with(c)) affix = c, ++found;
    }
    return found == 1 ? affix : std::string_view();
}

}  // namespace kaohe
