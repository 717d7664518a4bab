// kaohe._kaohe — the Python module's compiled part (pybind11), over the C++ API.
//
// Exactness both ways, with no binary floating point in this file:
//  - a record given as a dict is written as JSON text here, each number from its decimal text:
//    int by str(), decimal.Decimal by str(), and a Python binary fraction by repr(), its
//    shortest round-trip text (93.7 → "93.7", read by kaohe as 937/10);
//  - a result is read back with json.loads(parse_int=Decimal, parse_float=Decimal), so every
//    number in it is a Decimal holding exactly the digits kaohe wrote.
// Scoring runs with the GIL released; evaluate_many scores on its own threads and takes the GIL
// back every 50 ms to let Python handle signals, so that Ctrl-C stops a long batch at once.
//
// A Python value that cannot be a JSON record (NaN, a set, a key that is not a str, a lone
// surrogate, an int of a thousand digits, an object whose own code raises) is a record error like
// any other: kaohe.RecordError from evaluate, an error result in its place from evaluate_many.
#include <pybind11/pybind11.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kaohe/batch.hpp"
#include "kaohe/workbook.hpp"
#include "kaohe/kaohe.hpp"

namespace py = pybind11;

namespace {

// A record's JSON text is at most this long (kaohe::kMaxRecordBytes), plus a byte-order mark that
// the reader skips. A record is refused by its size as soon as it is surely past it: a str by its
// length in characters (before it is encoded as UTF-8), a dict while it is written, so that a
// gigabyte string or a list of a billion items costs no more than the limit.
constexpr std::size_t kMaxJsonBytes = kaohe::kMaxRecordBytes + 3;

[[noreturn]] void unwritable(const char* code, std::string message, std::string where, py::object cause = {});

// R008 for a record of at least `bytes` bytes (`exact`: exactly), in the record reader's words.
[[noreturn]] void too_large(std::size_t bytes, bool exact, const std::string& where) {
    unwritable("R008", kaohe::record_too_large((exact ? "" : "at least ") + std::to_string(bytes) + " bytes"), where);
}

// Containers nested deeper than this are not written out: kaohe rejects records nested deeper
// than 8 levels anyway (naming the limit), and this keeps a self-containing list from recursing
// forever. What stands in for the cut-off part cannot change that error.
constexpr int kMaxWriteDepth = 32;

[[noreturn]] void raise(PyObject* type, const std::string& message) {
    PyErr_SetString(type, message.c_str());
    throw py::error_already_set();
}

py::object errors() { return py::module_::import("kaohe._errors"); }

// `cause`, when given, becomes the RecordError's __cause__ (the exception that stood in the way).
[[noreturn]] void raise_record_error(const kaohe::RecordError& e, py::handle cause = py::handle()) {
    py::object cls = errors().attr("RecordError");
    py::object exc = cls(e.message, e.where, e.id, e.code);
    if (cause) PyException_SetCause(exc.ptr(), py::reinterpret_borrow<py::object>(cause).release().ptr());
    PyErr_SetObject(cls.ptr(), exc.ptr());
    throw py::error_already_set();
}

// A record that cannot be written as JSON text, thrown by JsonWriter: the same fields as a
// RecordError from kaohe, and the Python exception behind it, if any.
struct Unwritable {
    kaohe::RecordError error;
    py::object cause;
};

[[noreturn]] void unwritable(const char* code, std::string message, std::string where, py::object cause) {
    kaohe::RecordError e;
    e.code = code;
    e.message = std::move(message);
    e.where = std::move(where);
    throw Unwritable{std::move(e), std::move(cause)};
}

// The record is handed to the reader as JSON text: the library's own quoting (valid UTF-8 JSON).
void append_json_string(std::string& out, std::string_view s) { out += kaohe::json_quote(s); }

std::string_view utf8(py::handle s) {
    Py_ssize_t size = 0;
    const char* p = PyUnicode_AsUTF8AndSize(s.ptr(), &size);
    if (!p) throw py::error_already_set();
    return {p, static_cast<std::size_t>(size)};
}

std::string type_name(py::handle v) { return Py_TYPE(v.ptr())->tp_name; }

// A str of a record as UTF-8; a lone surrogate (which UTF-8 cannot hold) is a record error, R001
// as for a record text that is not valid UTF-8. `what` names the string in the message.
std::string_view record_utf8(py::handle s, const std::string& what, const std::string& where) {
    // Each character is at least one byte of UTF-8: a str longer than the limit in characters is
    // refused before its UTF-8 form (as long again, or up to four times) is made.
    if (const auto n = static_cast<std::size_t>(PyUnicode_GET_LENGTH(s.ptr())); n > kMaxJsonBytes)
        too_large(n, PyUnicode_IS_ASCII(s.ptr()), where);
    Py_ssize_t size = 0;
    if (const char* p = PyUnicode_AsUTF8AndSize(s.ptr(), &size)) return {p, static_cast<std::size_t>(size)};
    if (!PyErr_ExceptionMatches(PyExc_UnicodeEncodeError)) throw py::error_already_set();
    PyErr_Clear();
    std::string at;
    const Py_ssize_t n = PyUnicode_GetLength(s.ptr());
    for (Py_ssize_t i = 0; i < n; ++i) {
        const Py_UCS4 c = PyUnicode_ReadChar(s.ptr(), i);
        if (c >= 0xD800 && c <= 0xDFFF) {
            char buf[40];
            std::snprintf(buf, sizeof buf, "U+%04X at character %zd", static_cast<unsigned>(c), i + 1);
            at = buf;
            break;
        }
    }
    unwritable("R001", what + " is not valid text: it holds a lone surrogate" + (at.empty() ? "" : ", " + at) +
                           ", which UTF-8 cannot encode",
               where);
}

// The id of a record given as a dict, for an error result ("" when it has none that is usable).
std::string record_id(py::handle record) {
    if (!PyDict_Check(record.ptr())) return "";
    PyObject* id = PyDict_GetItemString(record.ptr(), "id");  // borrowed; no code of the record's runs
    if (!id) return "";
    if (PyUnicode_Check(id)) {
        Py_ssize_t size = 0;
        if (const char* p = PyUnicode_AsUTF8AndSize(id, &size)) return std::string(p, static_cast<std::size_t>(size));
        PyErr_Clear();
    } else if (PyLong_CheckExact(id)) {
        long long overflow = 0;
        int big = 0;
        overflow = PyLong_AsLongLongAndOverflow(id, &big);
        if (!big && !PyErr_Occurred()) return std::to_string(overflow);
        PyErr_Clear();
    }
    return "";
}

// Writes a record given as Python objects as JSON text; throws Unwritable for a value that
// cannot be a record's (naming its field), and lets KeyboardInterrupt, SystemExit and
// MemoryError through as they are.
class JsonWriter {
public:
    JsonWriter()
        : decimal_(py::module_::import("decimal").attr("Decimal")),
          mapping_(py::module_::import("collections.abc").attr("Mapping")) {}

    // `where` prefixes every field named in an error ("unit" for a unit record).
    std::string write(py::handle v, const std::string& where = "") {
        std::string out;
        path_ = where;
        root_ = where;
        try {
            value(out, v, 0);
        } catch (py::error_already_set& e) {
            // Code of the record's own objects raised (a Mapping's items(), a list's __getitem__):
            // the record cannot be read; anything that is not an ordinary error goes on up.
            if (!e.matches(PyExc_Exception) || e.matches(PyExc_MemoryError)) throw;
            std::string why = "an exception";
            if (e.type() && PyType_Check(e.type().ptr())) why = reinterpret_cast<PyTypeObject*>(e.type().ptr())->tp_name;
            std::string detail;
            try {
                detail = py::str(e.value());
            } catch (py::error_already_set&) {
            }
            unwritable("R002", field() + " cannot be read: reading it raised " + why + (detail.empty() ? "" : ": " + detail),
                       path_, e.value());
        }
        return out;
    }

private:
    py::object decimal_, mapping_;
    std::string path_;  // the field being written: "measures.x", "events[3].amount"
    std::string root_;  // where the record is ("unit" for a unit record): a record too large is said there

    // Numbers longer than this are refused by kaohe anyway; an int past it is not even turned into
    // text (Python takes quadratic time for that, or refuses past 4300 digits).
    static constexpr std::size_t kMaxNumberChars = 400;

    std::string field() const { return path_.empty() ? std::string("the record") : "`" + path_ + "`"; }

    [[noreturn]] void type_error(py::handle v) {
        unwritable("R002", field() + " is of type " + type_name(v) +
                               "; a record holds dict, list, tuple, str, int, decimal.Decimal, float, bool and None",
                   path_);
    }

    [[noreturn]] void not_finite(const std::string& text) {
        unwritable("R002", field() + " is " + text + ", not a finite number (JSON has no NaN or infinity)", path_);
    }

    void integer(std::string& out, py::handle v) {
        int overflow = 0;
        const long long small = PyLong_AsLongLongAndOverflow(v.ptr(), &overflow);
        if (small == -1 && PyErr_Occurred()) throw py::error_already_set();
        if (!overflow) {
            out += std::to_string(small);
            return;
        }
        // 2^1330 > 10^400: an int this wide has more digits than any number may have.
        const auto bits = PyLong_AsSize_t(py::reinterpret_steal<py::object>(PyObject_CallMethod(v.ptr(), "bit_length", nullptr)).ptr());
        if (bits == static_cast<std::size_t>(-1) && PyErr_Occurred()) throw py::error_already_set();
        if (bits >= 1330)
            unwritable("R008", field() + ": number with more than " + std::to_string(kMaxNumberChars) + " characters", path_);
        auto text = py::reinterpret_steal<py::object>(PyNumber_ToBase(v.ptr(), 10));
        if (!text) throw py::error_already_set();
        out += utf8(text);
    }

    void value(std::string& out, py::handle v, int depth) {
        value_of(out, v, depth);
        if (out.size() > kMaxJsonBytes) too_large(out.size(), false, root_);
    }

    void value_of(std::string& out, py::handle v, int depth) {
        if (v.is_none()) {
            out += "null";
        } else if (PyBool_Check(v.ptr())) {
            out += v.ptr() == Py_True ? "true" : "false";
        } else if (PyLong_Check(v.ptr())) {
            integer(out, v);  // int, and its subclasses (IntEnum...) by their value, in decimal
        } else if (PyFloat_Check(v.ptr())) {
            // float's own repr, even for a subclass that redefines __repr__: its shortest
            // round-trip text, and nothing a subclass could put into the JSON.
            auto text = py::reinterpret_steal<py::object>(PyFloat_Type.tp_repr(v.ptr()));
            if (!text) throw py::error_already_set();
            const std::string_view t = utf8(text);
            if (t.find_first_of("ni") != std::string_view::npos) not_finite(std::string(t));
            out += t;
        } else if (PyUnicode_Check(v.ptr())) {
            if (const auto n = static_cast<std::size_t>(PyUnicode_GET_LENGTH(v.ptr())); out.size() + n > kMaxJsonBytes)
                too_large(out.size() + n, false, root_);
            append_json_string(out, record_utf8(v, field(), path_));
        } else if (py::isinstance(v, decimal_)) {
            if (!decimal_.attr("is_finite")(v).cast<bool>()) not_finite(py::str(decimal_.attr("__str__")(v)));
            // Decimal's own str (finite: digits, a point, an exponent), even for a subclass.
            auto text = decimal_.attr("__str__")(v);
            const std::string_view t = utf8(text);
            if (t.size() > kMaxNumberChars + 1)
                unwritable("R008", field() + ": number with more than " + std::to_string(kMaxNumberChars) + " characters",
                           path_);
            out += t;
        } else if (PyDict_Check(v.ptr()) || py::isinstance(v, mapping_)) {
            if (depth >= kMaxWriteDepth) {
                out += "{}";
                return;
            }
            out += '{';
            bool first = true;
            auto items = py::reinterpret_borrow<py::object>(v).attr("items")();
            for (py::handle item : items) {
                auto kv = py::reinterpret_borrow<py::object>(item);
                if (!PyTuple_Check(kv.ptr()) || PyTuple_GET_SIZE(kv.ptr()) != 2)
                    unwritable("R002", field() + " is of type " + type_name(v) + ", whose items() does not give (key, value) pairs",
                               path_);
                py::handle key = PyTuple_GET_ITEM(kv.ptr(), 0);
                if (!PyUnicode_Check(key.ptr())) {
                    std::string shown;
                    try {
                        shown = py::repr(key);
                    } catch (py::error_already_set&) {
                    }
                    if (shown.size() > 64) shown = shown.substr(0, 64) + "...";
                    unwritable("R002", "a key of " + field() + " is of type " + type_name(key) +
                                           (shown.empty() ? "" : " (" + shown + ")") + ", not str",
                               path_);
                }
                const std::string_view k = record_utf8(key, "a key of " + field(), path_);
                if (!first) out += ',';
                first = false;
                append_json_string(out, k);
                out += ':';
                const std::size_t mark = path_.size();
                if (!path_.empty()) path_ += '.';
                path_ += k;
                value(out, PyTuple_GET_ITEM(kv.ptr(), 1), depth + 1);
                path_.resize(mark);
            }
            out += '}';
        } else if (PyList_Check(v.ptr()) || PyTuple_Check(v.ptr())) {
            if (depth >= kMaxWriteDepth) {
                out += "[]";
                return;
            }
            out += '[';
            auto seq = py::reinterpret_borrow<py::sequence>(v);
            const std::size_t n = seq.size();
            for (std::size_t i = 0; i < n; ++i) {
                if (i) out += ',';
                const std::size_t mark = path_.size();
                path_ += "[" + std::to_string(i) + "]";
                value(out, seq[i], depth + 1);
                path_.resize(mark);
            }
            out += ']';
        } else {
            type_error(v);
        }
    }
};

// A record argument as JSON text: str and bytes are JSON text already, viewed in place (the
// caller keeps the object alive); a dict is written into `storage`. `where` names a unit record.
std::string_view record_text(JsonWriter& writer, py::handle record, std::string& storage, const std::string& where = "") {
    if (PyUnicode_Check(record.ptr()))
        return record_utf8(record, where.empty() ? "the record (a str)" : "the unit record (a str)", where);
    if (PyBytes_Check(record.ptr())) {
        char* p = nullptr;
        Py_ssize_t n = 0;
        if (PyBytes_AsStringAndSize(record.ptr(), &p, &n) != 0) throw py::error_already_set();
        return {p, static_cast<std::size_t>(n)};
    }
    if (PyDict_Check(record.ptr()) || py::isinstance(record, py::module_::import("collections.abc").attr("Mapping"))) {
        storage = writer.write(record, where);
        return storage;
    }
    unwritable("R002", std::string(where.empty() ? "a record" : "a unit record") +
                           " is a dict or JSON text (str or bytes), not of type " + type_name(record),
               where);
}

// The result JSON as Python objects, every number a Decimal.
py::object loads_exact(const std::string& json) {
    py::object decimal = py::module_::import("decimal").attr("Decimal");
    return py::module_::import("json").attr("loads")(py::str(json), py::arg("parse_int") = decimal,
                                                     py::arg("parse_float") = decimal);
}

py::object loads(const std::string& json) { return py::module_::import("json").attr("loads")(py::str(json)); }

// evaluate_many's threads= at most (0: one per core).
constexpr long long kMaxThreads = 1024;

// Takes the GIL back every this often while evaluate_many scores, to let Python handle signals.
constexpr auto kSignalCheck = std::chrono::milliseconds(50);
// While records are turned into text and results into dicts: signals checked every this many.
constexpr std::size_t kSignalEvery = 256;

void check_signals() {
    if (PyErr_CheckSignals() != 0) throw py::error_already_set();
}

class PyRuleset {
public:
    PyRuleset(kaohe::Ruleset rules, std::vector<kaohe::Diagnostic> warnings)
        : rules_(std::move(rules)), warnings_(std::move(warnings)) {}

    const std::string& policy_name() const { return rules_.policy_name(); }
    int year() const { return rules_.year(); }
    py::object warnings() const { return loads(kaohe::to_json(warnings_)); }

    // A filled-in workbook or CSV sheets into records: {"records": [dict], "unit": dict or None,
    // "problems": [dict], "people": int}; the records' numbers are Decimal, as evaluate takes them.
    // `data` is one file's bytes (then `name` is its name), or several files: a list of
    // (name, bytes) pairs or a dict of name → bytes (then `name` is None).
    py::object import_workbook(const py::object& data, const py::object& name, bool skip_bad) const {
        std::vector<kaohe::SheetFile> files;
        if (py::isinstance<py::bytes>(data)) {
            if (name.is_none()) throw py::type_error("import_workbook: one file's bytes need its name (name=\"登记表.xlsx\")");
            files.push_back({name.cast<std::string>(), data.cast<std::string>()});
        } else {
            if (!name.is_none()) throw py::type_error("import_workbook: several files are given with their names, (name, bytes) pairs or a dict; name= is for one file");
            const py::object pairs = py::isinstance<py::dict>(data) ? py::object(data.attr("items")()) : data;
            for (const py::handle pair : pairs) {
                const auto t = pair.cast<py::tuple>();
                if (t.size() != 2 || !py::isinstance<py::str>(t[0]) || !py::isinstance<py::bytes>(t[1]))
                    throw py::type_error("import_workbook: each file is a (name: str, data: bytes) pair");
                files.push_back({t[0].cast<std::string>(), t[1].cast<std::string>()});
            }
        }
        kaohe::ImportOptions options;
        options.skip_bad = skip_bad;
        kaohe::Import in;
        {
            py::gil_scoped_release nogil;
            in = kaohe::import_records(rules_, files, options);
        }
        py::list records, problems;
        for (const auto& r : in.records) records.append(loads_exact(r));
        for (const auto& p : in.problems) {
            py::dict d;
            d["file"] = p.file;
            d["sheet"] = p.sheet;
            d["row"] = p.row;
            d["column"] = p.column;
            d["cell"] = kaohe::cell_name(p.row, p.column);
            d["code"] = p.code;
            d["message"] = p.message;
            d["person"] = p.person;
            d["text"] = kaohe::render(p);
            problems.append(d);
        }
        py::dict out;
        out["records"] = records;
        out["unit"] = in.unit.empty() ? py::object(py::none()) : loads_exact(in.unit);
        out["problems"] = problems;
        out["people"] = in.people;
        return out;
    }

    py::object evaluate(py::handle record, py::handle unit) const {
        py::object cause;
        const kaohe::Evaluation ev = score_record(record, unit, cause);
        if (!ev.ok()) raise_record_error(ev.error(), cause);
        return loads_exact(ev.result().json());
    }

    std::string evaluate_json(py::handle record, py::handle unit) const {
        py::object cause;
        return score_record(record, unit, cause).json();
    }

    // One record, a dict or JSON text, scored; one that cannot even be written as JSON is an
    // error Evaluation, with the Python exception behind it (if any) in `cause`.
    kaohe::Evaluation score_record(py::handle record, py::handle unit, py::object& cause) const {
        JsonWriter writer;
        const std::optional<kaohe::Unit> u = read_unit(writer, unit);
        std::string storage;
        std::string_view text;
        try {
            text = record_text(writer, record, storage);
        } catch (Unwritable& e) {
            e.error.id = record_id(record);
            cause = std::move(e.cause);
            return kaohe::Evaluation(std::move(e.error));
        }
        return score(text, u);
    }

    py::list evaluate_many(py::iterable records, py::handle unit, py::handle threads) const {
        const unsigned n_threads = thread_count(threads);
        if (PyUnicode_Check(records.ptr()) || PyBytes_Check(records.ptr()) || PyDict_Check(records.ptr()))
            raise(PyExc_TypeError, "kaohe: evaluate_many takes an iterable of records (use evaluate for one)");
        JsonWriter writer;
        const std::optional<kaohe::Unit> u = read_unit(writer, unit);
        // Each record's text: a view into a str or bytes record (kept alive in `keep`) or into the
        // text written for a dict. A record that cannot be written gets its error result at once.
        std::vector<std::string_view> texts;
        std::vector<std::size_t> at;  // texts[k] is the record at position at[k]
        std::vector<std::string> out;
        std::vector<std::unique_ptr<std::string>> written;
        py::list keep;
        for (py::handle r : records) {
            if (out.size() % kSignalEvery == kSignalEvery - 1) check_signals();
            auto storage = std::make_unique<std::string>();
            try {
                texts.push_back(record_text(writer, r, *storage));
                at.push_back(out.size());
                out.emplace_back();
            } catch (Unwritable& e) {
                e.error.id = record_id(r);
                out.push_back(kaohe::Evaluation(std::move(e.error)).json());
                continue;
            }
            if (!storage->empty()) written.push_back(std::move(storage));
            else keep.append(r);
        }
        score_all(texts, at, u ? &*u : nullptr, n_threads, out);
        py::list results;
        for (std::size_t i = 0; i < out.size(); ++i) {
            if (i % kSignalEvery == kSignalEvery - 1) check_signals();
            results.append(loads_exact(out[i]));
            std::string().swap(out[i]);
        }
        return results;
    }

private:
    kaohe::Ruleset rules_;
    std::vector<kaohe::Diagnostic> warnings_;

    // threads=: 0 is one per core, 1 to 1024 as given, anything else a ValueError: the same rule
    // as the CLI's --threads and the C ABI's (a count past 1024 is a mistake, not a wish).
    static unsigned thread_count(py::handle threads) {
        if (!PyLong_Check(threads.ptr()) || PyBool_Check(threads.ptr()))
            raise(PyExc_TypeError, "kaohe: threads is an int (0: one per core), not a " + type_name(threads));
        int overflow = 0;
        const long long n = PyLong_AsLongLongAndOverflow(threads.ptr(), &overflow);
        if (n == -1 && PyErr_Occurred()) throw py::error_already_set();
        if (overflow || n < 0 || n > kMaxThreads) {
            std::string shown;
            try {
                shown = py::str(threads);
            } catch (py::error_already_set&) {
            }
            if (shown.size() > 40) shown = shown.substr(0, 40) + "...";
            raise(PyExc_ValueError, "kaohe: threads takes 0 (one per core) or a number of threads from 1 to " +
                                        std::to_string(kMaxThreads) + ", not " + shown);
        }
        return static_cast<unsigned>(n);
    }

    std::optional<kaohe::Unit> read_unit(JsonWriter& writer, py::handle unit) const {
        if (unit.is_none()) return std::nullopt;
        std::string storage;
        std::string_view text;
        try {
            text = record_text(writer, unit, storage, "unit");
        } catch (Unwritable& e) {
            raise_record_error(e.error, e.cause);
        }
        kaohe::RecordError error;
        std::optional<kaohe::Unit> u;
        {
            py::gil_scoped_release nogil;
            u = rules_.read_unit(text, &error);
        }
        if (!u) {
            if (error.where.empty()) error.where = "unit";
            raise_record_error(error);
        }
        return u;
    }

    kaohe::Evaluation score(std::string_view text, const std::optional<kaohe::Unit>& unit) const {
        py::gil_scoped_release nogil;
        return rules_.evaluate(text, unit ? &*unit : nullptr);
    }

    // Scores texts[k] into out[at[k]] through kaohe::evaluate_many on up to `threads` threads (0:
    // one per core), with the GIL released.
    void score_all(const std::vector<std::string_view>& texts, const std::vector<std::size_t>& at,
                   const kaohe::Unit* unit, unsigned threads, std::vector<std::string>& out) const {
        score_each(texts, unit, threads, [&](std::size_t k, const kaohe::Evaluation& e) { out[at[k]] = e.json(); });
    }

    // Scores texts[k] and hands each evaluation to `sink(k, evaluation)`, in order, on this
    // thread, with the GIL released. Every kSignalCheck this thread takes the GIL to run Python's
    // signal handlers: when one raises (KeyboardInterrupt), the threads stop after the chunk each
    // is on and the exception goes to the caller.
    void score_each(const std::vector<std::string_view>& texts, const kaohe::Unit* unit, unsigned threads,
                    const std::function<void(std::size_t, const kaohe::Evaluation&)>& sink) const {
        struct Interrupted {};
        kaohe::BatchOptions options;
        options.threads = threads;
        options.unit = unit;
        auto until = std::chrono::steady_clock::now() + kSignalCheck;
        try {
            py::gil_scoped_release nogil;
            kaohe::evaluate_many(
                rules_, texts,
                [&](std::size_t k, const kaohe::Evaluation& e) {
                    sink(k, e);
                    if (std::chrono::steady_clock::now() < until) return;
                    py::gil_scoped_acquire gil;
                    if (PyErr_CheckSignals() != 0) throw Interrupted{};
                    until = std::chrono::steady_clock::now() + kSignalCheck;
                },
                options);
        } catch (const Interrupted&) {
            throw py::error_already_set();  // the handler's exception, with the GIL held again
        }
    }

public:
    // The entry workbook (登记表.xlsx) as bytes.
    py::bytes entry_workbook() const {
        std::string bytes;
        {
            py::gil_scoped_release nogil;
            bytes = kaohe::entry_workbook(rules_);
        }
        return py::bytes(bytes);
    }

    // Scores the records as evaluate_many does and returns the results workbook as bytes: the
    // people scored in 考核结果 and 扣分明细, the records that failed in 未能评分.
    py::bytes results_workbook(py::iterable records, py::handle unit, py::handle threads) const {
        const unsigned n_threads = thread_count(threads);
        if (PyUnicode_Check(records.ptr()) || PyBytes_Check(records.ptr()) || PyDict_Check(records.ptr()))
            raise(PyExc_TypeError, "kaohe: results_workbook takes an iterable of records");
        JsonWriter writer;
        const std::optional<kaohe::Unit> u = read_unit(writer, unit);
        std::vector<std::string_view> texts;
        std::vector<std::size_t> at;
        std::vector<std::optional<kaohe::Result>> scored;
        std::vector<std::optional<kaohe::RecordError>> errors;
        std::vector<std::unique_ptr<std::string>> written;
        py::list keep;
        for (py::handle r : records) {
            if (scored.size() % kSignalEvery == kSignalEvery - 1) check_signals();
            auto storage = std::make_unique<std::string>();
            scored.emplace_back();
            errors.emplace_back();
            try {
                texts.push_back(record_text(writer, r, *storage));
                at.push_back(scored.size() - 1);
            } catch (Unwritable& e) {
                e.error.id = record_id(r);
                errors.back() = std::move(e.error);
                continue;
            }
            if (!storage->empty()) written.push_back(std::move(storage));
            else keep.append(r);
        }
        score_each(texts, u ? &*u : nullptr, n_threads, [&](std::size_t k, const kaohe::Evaluation& e) {
            if (e.ok()) scored[at[k]] = e.result();
            else errors[at[k]] = e.error();
        });
        std::vector<kaohe::Result> results;
        std::vector<kaohe::RecordError> failed;
        for (std::size_t i = 0; i < scored.size(); ++i) {
            if (scored[i]) results.push_back(std::move(*scored[i]));
            if (errors[i]) failed.push_back(std::move(*errors[i]));
        }
        std::string bytes;
        {
            py::gil_scoped_release nogil;
            bytes = kaohe::results_workbook(rules_, results, failed);
        }
        return py::bytes(bytes);
    }
};

[[noreturn]] void raise_compile_error(const std::vector<kaohe::Diagnostic>& diagnostics) {
    std::vector<kaohe::Diagnostic> errs;
    for (const auto& d : diagnostics)
        if (d.severity == kaohe::Severity::error) errs.push_back(d);
    std::string message = kaohe::render(errs);
    while (!message.empty() && message.back() == '\n') message.pop_back();
    py::object cls = errors().attr("CompileError");
    py::object exc = cls(message, loads(kaohe::to_json(diagnostics)));
    PyErr_SetObject(cls.ptr(), exc.ptr());
    throw py::error_already_set();
}

PyRuleset compiled(kaohe::CompileResult c) {
    if (!c.ruleset) raise_compile_error(c.diagnostics);
    return PyRuleset(std::move(*c.ruleset), std::move(c.diagnostics));
}

}  // namespace

PYBIND11_MODULE(_kaohe, m) {
    m.doc() = "kaohe's compiled part; use the kaohe package";

    py::class_<PyRuleset>(m, "Ruleset", "A compiled ruleset: immutable, shareable between threads.")
        .def_property_readonly("policy_name", &PyRuleset::policy_name, "The policy's name, as declared.")
        .def_property_readonly("year", &PyRuleset::year, "The policy's year.")
        .def_property_readonly("warnings", &PyRuleset::warnings,
                               "The compiler's warnings, as dicts {code, severity, file, line, column, message}.")
        .def("evaluate", &PyRuleset::evaluate, py::arg("record"), py::arg("unit") = py::none(),
             "Scores one record (a dict, or JSON text), with an optional unit record. Returns the result\n"
             "as a dict whose numbers are decimal.Decimal; raises kaohe.RecordError when the record\n"
             "cannot be scored, including for a value no record can hold (NaN, a set, a key that is not\n"
             "a str...).")
        .def("import_workbook", &PyRuleset::import_workbook, py::arg("data"), py::arg("name") = py::none(), py::arg("skip_bad") = false,
             "Reads a filled-in entry workbook (`name` ending in .xlsx) or one sheet as CSV (`name` ending in\n"
             ".csv and holding the sheet's name, 人员名单.csv) from its bytes; or several files at once, the\n"
             "CSV sheets of one workbook: `data` a list of (name, bytes) pairs or a dict name -> bytes, and\n"
             "no `name`. A bad argument is a TypeError. Returns a dict: \"records\",\n"
             "one dict a person (numbers as Decimal, ready for evaluate); \"unit\", the unit record or None;\n"
             "\"problems\", each {file, sheet, row, column, cell, code, message, person, text}, in sheet, row\n"
             "and column order; \"people\", the people listed. With any problem, no records unless skip_bad\n"
             "(then those of the people without one). Never raises for a bad file: it is a problem (S001).")
        .def("evaluate_json", &PyRuleset::evaluate_json, py::arg("record"), py::arg("unit") = py::none(),
             "The result JSON text, or the error result's: what `kaohe eval --format json` prints.")
        .def("entry_workbook", &PyRuleset::entry_workbook,
             "The entry workbook (登记表.xlsx) for the ruleset, as the bytes of an .xlsx file.")
        .def("results_workbook", &PyRuleset::results_workbook, py::arg("records"), py::arg("unit") = py::none(),
             py::arg("threads") = 0,
             "Scores the records as evaluate_many does and returns the results workbook (考核结果.xlsx)\n"
             "as bytes: 考核结果 (one row a person), 扣分明细 (every line) and 未能评分 (the records that failed).")
        .def("evaluate_many", &PyRuleset::evaluate_many, py::arg("records"), py::arg("unit") = py::none(),
             py::arg("threads") = 0,
             "Scores every record of an iterable on `threads` threads (0: one per core, or 1 to 1024;\n"
             "anything else is a ValueError)\n"
             "with the GIL released. Returns the results in input order; a record that cannot be scored\n"
             "(a bad field, or a value no record can hold: NaN, a set...) gives its error result\n"
             "{id, error: {code, message, where}} in its place. Ctrl-C stops it within a fraction of a\n"
             "second (KeyboardInterrupt).");

    m.def(
        "compile",
        [](py::object path) {
            // As open() does: a str (with surrogate escapes for undecodable bytes), bytes or an
            // os.PathLike, given to the OS as its bytes.
            const std::string p = py::module_::import("os").attr("fsencode")(path).cast<py::bytes>();
            kaohe::CompileResult c;
            {
                py::gil_scoped_release nogil;
                c = kaohe::Ruleset::compile_file(p);
            }
            return compiled(std::move(c));
        },
        py::arg("path"),
        "Compiles the ruleset whose root file is `path` (a str, bytes or os.PathLike, as for open()),\n"
        "or a scheme's versions (a folder holding versions.kh, or that manifest: each record is scored\n"
        "by the version for its year, and its result names it, \"version\"); raises kaohe.CompileError\n"
        "(with .diagnostics) when it has errors.");
    m.def(
        "compile_text",
        [](py::str text, const std::string& name) {
            // Measured before it is encoded and copied: text given directly has a rule file's
            // limit (each character is at least one byte).
            const auto chars = static_cast<std::size_t>(PyUnicode_GET_LENGTH(text.ptr()));
            std::string_view source;
            if (chars <= kaohe::kMaxRuleFileBytes) source = utf8(text);
            if (chars > kaohe::kMaxRuleFileBytes || source.size() > kaohe::kMaxRuleFileBytes) {
                // ASCII text's size is its length; other text's is known only once encoded.
                const bool exact = chars <= kaohe::kMaxRuleFileBytes || PyUnicode_IS_ASCII(text.ptr());
                const std::size_t exact_size = chars <= kaohe::kMaxRuleFileBytes ? source.size() : chars;
                kaohe::Diagnostic d;
                d.code = "P004";
                d.message = "rule text " + name + " is larger than " + std::to_string(kaohe::kMaxRuleFileBytes >> 20) +
                            " MiB (the limit), " +
                            (exact ? std::to_string(exact_size) : "at least " + std::to_string(chars)) +
                            " bytes";
                raise_compile_error({d});
            }
            kaohe::CompileResult c;
            {
                py::gil_scoped_release nogil;
                c = kaohe::Ruleset::compile_text(std::string(source), name);
            }
            return compiled(std::move(c));
        },
        py::arg("text"), py::arg("name") = "<text>",
        "Compiles a ruleset from source text; raises kaohe.CompileError when it has errors.");
    m.def("version", [] { return std::string(kaohe::version()); }, "kaohe's version, \"0.1.0\".");
}
