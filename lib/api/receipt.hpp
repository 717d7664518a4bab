// The hashes of a result's receipt (docs/records.md, "The receipt"): the compiled ruleset's, once
// per compile, and the record's, once per record.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "record/record.hpp"
#include "support/sources.hpp"

namespace kaohe::api {

// Each file's path relative to the main file's directory ('/'-separated), in the order read.
std::vector<std::string> relative_names(const Sources& sources);

// "sha256:…" over every file of the ruleset in the order it was read (the main file, then each
// include where it is first reached): each file's path relative to the main file's directory
// ('/'-separated), a NUL byte, its length in bytes in decimal, a NUL byte, its bytes. Where the
// files lie on disk does not enter it.
std::string fingerprint(const Sources& sources);

// The record's canonical form (docs/records.md, "The receipt"): the record as the JSON reader took
// it (a RawRecord), written as JSON with each object's members sorted by key, strings escaped as
// Python's json.dumps(ensure_ascii=False) does, numbers as their exact decimal value in plain
// notation, the id always a string, and a field left out when it holds nothing. Written from the
// RawRecord, so that no text is parsed a second time; the same for every JSON spelling of the
// same record.
std::string canonical_record(const record::RawRecord& raw);
// "sha256:…" of the record's canonical form.
std::string record_hash(const record::RawRecord& raw);

// The same from a person record's JSON text, read with a reader of this thread's own; "" when
// the reader refuses the text (as it would refuse it for scoring).
std::string canonical_record(std::string_view json);
std::string record_hash(std::string_view json);

}  // namespace kaohe::api
