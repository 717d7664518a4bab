// How much of a compile's diagnostics is kept, so that a file full of errors costs bounded time
// and memory: a bounded number of diagnostics, each quoting a bounded window of its line.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "kaohe/diagnostic.hpp"
#include "support/sources.hpp"

namespace kaohe::diag {

// A compile reports at most this many errors, then one more saying it stopped (P004), and nothing
// after it; warnings past their own limit are dropped, with one note saying so.
inline constexpr std::size_t kMaxErrors = 100;
inline constexpr std::size_t kMaxWarnings = 100;

// Each quotes a bounded window of its line: kaohe::kWindow (support/sources.hpp).

// Whether one more diagnostic of `severity` may join `ds`. The first error over the limit adds
// the final "too many errors" error and the first warning over it a note (about `file`), instead.
// Call it before building the diagnostic: what is not kept costs nothing.
bool admit(std::vector<Diagnostic>& ds, Severity severity, const std::string& file);

}  // namespace kaohe::diag
