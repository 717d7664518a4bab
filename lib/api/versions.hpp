// A scheme's versions, one per assessment year: a manifest (`versions.kh`) names the scheme and,
// for each version, its label, its year and its root rule file. The ruleset compiled from it
// scores each record by the version for the record's `year`.
//
//   # 县科协岗位责任制及效能考核, one version per assessment year
//   versions of "县科协岗位责任制及效能考核"
//   version "2022" year 2022 file "seed.kh"
//   version "2023" year 2023 file "2023/seed.kh"
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kaohe/kaohe.hpp"
#include "record/record.hpp"

namespace kaohe::api {

struct Version {
    std::string label;  // the manifest's `version "2023"`, which is also the file's header's
    int year = 0;
    std::shared_ptr<const ir::Program> program;
    std::string fingerprint;  // the receipt's ruleset hash of this version's files
};

// The file a path names as a ruleset of versions: `path` itself when it is a manifest (its first
// word, after comments, is `versions`), `path/versions.kh` when `path` is a folder holding one;
// else nullopt (a single rule file, compiled as always).
std::optional<std::string> versions_manifest(const std::string& path);

// Compiles the manifest at `manifest` and every version it names (paths relative to the
// manifest), checking that the versions are of one scheme (C057), each for the year and with the
// label the manifest gives (C057), and one per year (C056). `versions` is sorted by year.
std::vector<Version> compile_versions(const std::string& manifest, const CompileOptions& options,
                                      std::vector<Diagnostic>& diagnostics);

// The version of `versions` for the record's `year`, as written. nullptr when the record has no
// whole-number year (the latest version then reports that as for any ruleset). Throws
// record::RecordFailure R007 naming the years there are when no version is for that year.
const Version* version_for(const std::vector<Version>& versions, const record::RawRecord& raw);

// Scores `record_json` by `ruleset` as if it were written for assessment year `year` (of a
// ruleset of versions, by the version for `year`, else its latest): the record's `year`, its
// events' dates and its periods are moved to `year` ("2022-03-14" → "2023-03-14"), the rest read
// as written. A date that does not exist in `year` (29 February) is the record's error (R007), as
// is a record with no whole-number year. For `kaohe diff --as-year`: this year's records under
// next year's rules.
Evaluation evaluate_as_year(const Ruleset& ruleset, std::string_view record_json, int year);

}  // namespace kaohe::api
