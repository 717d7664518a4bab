// kaohe._kaohe — the Python module's compiled part (pybind11), over the C++ API.
//
// Exactness both ways, with no binary floating point in this file:
//  - a record given as a dict is written as JSON text here, each number from its decimal text:
//    int by str(), decimal.Decimal by str(), and a Python binary fraction by repr(), its
//    shortest round-trip text (93.7 → "93.7", read by kaohe as 937/10);
//  - a result is read back with json.loads(parse_int=Decimal, parse_float=Decimal), so every
//    number in it is a Decimal holding exactly the digits kaohe wrote.
// Scoring runs with the GIL released; evaluate_many scores on its own threads.
#include <pybind11/pybind11.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "kaohe/kaohe.hpp"

namespace py = pybind11;

namespace {

// Containers nested deeper than this are not written out: kaohe rejects records nested deeper
// than 8 levels anyway (naming the limit), and this keeps a self-containing list from recursing
// forever. What stands in for the cut-off part cannot change that error.
constexpr int kMaxWriteDepth = 32;

[[noreturn]] void raise(PyObject* type, const std::string& message) {
    PyErr_SetString(type, message.c_str());
    throw py::error_already_set();
}

py::object errors() { return py::module_::import("kaohe._errors"); }

[[noreturn]] void raise_record_error(const kaohe::RecordError& e) {
    py::object cls = errors().attr("RecordError");
    py::object exc = cls(e.message, e.where, e.id, e.code);
    PyErr_SetObject(cls.ptr(), exc.ptr());
    throw py::error_already_set();
}

void append_json_string(std::string& out, std::string_view s) {
    out += '"';
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        switch (ch) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            default:
                if (c < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", c);
                    out += buf;
                } else {
                    out += ch;
                }
        }
    }
    out += '"';
}

std::string_view utf8(py::handle s) {
    Py_ssize_t size = 0;
    const char* p = PyUnicode_AsUTF8AndSize(s.ptr(), &size);
    if (!p) throw py::error_already_set();
    return {p, static_cast<std::size_t>(size)};
}

std::string type_name(py::handle v) { return Py_TYPE(v.ptr())->tp_name; }

// Writes a record given as Python objects as JSON text.
class JsonWriter {
public:
    JsonWriter()
        : decimal_(py::module_::import("decimal").attr("Decimal")),
          mapping_(py::module_::import("collections.abc").attr("Mapping")) {}

    std::string write(py::handle v) {
        std::string out;
        std::string path;
        value(out, v, path, 0);
        return out;
    }

private:
    py::object decimal_, mapping_;

    [[noreturn]] static void type_error(const std::string& path, py::handle v) {
        raise(PyExc_TypeError, "kaohe: " + (path.empty() ? std::string("a record") : path) +
                                   " is a " + type_name(v) +
                                   "; a record holds dicts, lists, str, int, decimal.Decimal, "
                                   "Python's binary fractions, bool and None");
    }

    [[noreturn]] static void not_finite(const std::string& path, const std::string& text) {
        raise(PyExc_ValueError, "kaohe: " + (path.empty() ? std::string("the value") : path) + " is " + text +
                                    ", not a finite number");
    }

    void number_text(std::string& out, const std::string& text, const std::string& path) {
        // Python writes non-finite values as nan, inf, NaN, Infinity, sNaN: none is a number here.
        if (text.find_first_of("nNiI") != std::string::npos) not_finite(path, text);
        out += text;
    }

    void value(std::string& out, py::handle v, std::string& path, int depth) {
        if (v.is_none()) {
            out += "null";
        } else if (PyBool_Check(v.ptr())) {
            out += v.ptr() == Py_True ? "true" : "false";
        } else if (PyLong_Check(v.ptr())) {
            // int, and its subclasses (IntEnum...) by their value, in decimal.
            auto text = py::reinterpret_steal<py::object>(PyNumber_ToBase(v.ptr(), 10));
            if (!text) throw py::error_already_set();
            out += utf8(text);
        } else if (PyFloat_Check(v.ptr())) {
            number_text(out, std::string(utf8(py::repr(v))), path);
        } else if (PyUnicode_Check(v.ptr())) {
            append_json_string(out, utf8(v));
        } else if (py::isinstance(v, decimal_)) {
            number_text(out, std::string(utf8(py::str(v))), path);
        } else if (PyDict_Check(v.ptr()) || py::isinstance(v, mapping_)) {
            if (depth >= kMaxWriteDepth) {
                out += "{}";
                return;
            }
            out += '{';
            bool first = true;
            auto items = py::reinterpret_borrow<py::object>(v).attr("items")();
            for (py::handle item : items) {
                auto kv = py::reinterpret_borrow<py::tuple>(item);
                py::handle key = kv[0];
                if (!PyUnicode_Check(key.ptr()))
                    raise(PyExc_TypeError, "kaohe: a key of " + (path.empty() ? std::string("the record") : path) +
                                               " is a " + type_name(key) + ", not a str");
                if (!first) out += ',';
                first = false;
                const std::string_view k = utf8(key);
                append_json_string(out, k);
                out += ':';
                const std::size_t mark = path.size();
                if (!path.empty()) path += '.';
                path += k;
                value(out, kv[1], path, depth + 1);
                path.resize(mark);
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
                const std::size_t mark = path.size();
                path += "[" + std::to_string(i) + "]";
                value(out, seq[i], path, depth + 1);
                path.resize(mark);
            }
            out += ']';
        } else {
            type_error(path, v);
        }
    }
};

// A record argument as JSON text: str and bytes are JSON text already.
std::string record_text(JsonWriter& writer, py::handle record) {
    if (PyUnicode_Check(record.ptr())) return std::string(utf8(record));
    if (PyBytes_Check(record.ptr())) return std::string(py::reinterpret_borrow<py::bytes>(record));
    if (PyDict_Check(record.ptr()) || py::isinstance(record, py::module_::import("collections.abc").attr("Mapping")))
        return writer.write(record);
    raise(PyExc_TypeError, "kaohe: a record is a dict or JSON text (str or bytes), not a " + type_name(record));
}

// The result JSON as Python objects, every number a Decimal.
py::object loads_exact(const std::string& json) {
    py::object decimal = py::module_::import("decimal").attr("Decimal");
    return py::module_::import("json").attr("loads")(py::str(json), py::arg("parse_int") = decimal,
                                                     py::arg("parse_float") = decimal);
}

py::object loads(const std::string& json) { return py::module_::import("json").attr("loads")(py::str(json)); }

class PyRuleset {
public:
    PyRuleset(kaohe::Ruleset rules, std::vector<kaohe::Diagnostic> warnings)
        : rules_(std::move(rules)), warnings_(std::move(warnings)) {}

    const std::string& policy_name() const { return rules_.policy_name(); }
    int year() const { return rules_.year(); }
    py::object warnings() const { return loads(kaohe::to_json(warnings_)); }

    py::object evaluate(py::handle record, py::handle unit) const {
        const kaohe::Evaluation e = score(record, unit);
        if (!e.ok()) raise_record_error(e.error());
        return loads_exact(e.result().json());
    }

    std::string evaluate_json(py::handle record, py::handle unit) const { return score(record, unit).json(); }

    py::list evaluate_many(py::iterable records, py::handle unit, int threads) const {
        if (threads < 0) raise(PyExc_ValueError, "kaohe: threads must be 0 (one per core) or more");
        if (PyUnicode_Check(records.ptr()) || PyBytes_Check(records.ptr()) || PyDict_Check(records.ptr()))
            raise(PyExc_TypeError, "kaohe: evaluate_many takes an iterable of records (use evaluate for one)");
        JsonWriter writer;
        std::vector<std::string> texts;
        for (py::handle r : records) texts.push_back(record_text(writer, r));
        const std::optional<kaohe::Unit> u = read_unit(writer, unit);
        std::vector<std::string> out(texts.size());
        {
            py::gil_scoped_release nogil;
            score_all(texts, u ? &*u : nullptr, static_cast<unsigned>(threads), out);
        }
        py::list results;
        for (const auto& json : out) results.append(loads_exact(json));
        return results;
    }

private:
    kaohe::Ruleset rules_;
    std::vector<kaohe::Diagnostic> warnings_;

    std::optional<kaohe::Unit> read_unit(JsonWriter& writer, py::handle unit) const {
        if (unit.is_none()) return std::nullopt;
        const std::string text = record_text(writer, unit);
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

    kaohe::Evaluation score(py::handle record, py::handle unit) const {
        JsonWriter writer;
        const std::string text = record_text(writer, record);
        const std::optional<kaohe::Unit> u = read_unit(writer, unit);
        py::gil_scoped_release nogil;
        return rules_.evaluate(text, u ? &*u : nullptr);
    }

    // Scores texts[i] into out[i] on up to `threads` threads (0: one per core).
    void score_all(const std::vector<std::string>& texts, const kaohe::Unit* unit, unsigned threads,
                   std::vector<std::string>& out) const {
        unsigned n = threads ? threads : std::max(1u, std::thread::hardware_concurrency());
        n = static_cast<unsigned>(std::min<std::size_t>({n, texts.size(), 1024}));
        std::atomic<std::size_t> next{0};
        std::atomic<bool> stop{false};
        std::exception_ptr error;
        std::atomic_flag error_set = ATOMIC_FLAG_INIT;
        const auto work = [&] {
            try {
                while (!stop) {
                    const std::size_t i = next.fetch_add(1);
                    if (i >= texts.size()) break;
                    out[i] = rules_.evaluate(texts[i], unit).json();
                }
            } catch (...) {
                if (!error_set.test_and_set()) error = std::current_exception();
                stop = true;
            }
        };
        std::vector<std::thread> helpers;
        try {
            for (unsigned i = 1; i < n; ++i) helpers.emplace_back(work);
        } catch (...) {
            // No more threads to be had: the ones running and this one do the work.
        }
        work();
        for (auto& t : helpers) t.join();
        if (error) std::rethrow_exception(error);
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
             "cannot be scored.")
        .def("evaluate_json", &PyRuleset::evaluate_json, py::arg("record"), py::arg("unit") = py::none(),
             "The result JSON text, or the error result's: what `kaohe eval --format json` prints.")
        .def("evaluate_many", &PyRuleset::evaluate_many, py::arg("records"), py::arg("unit") = py::none(),
             py::arg("threads") = 0,
             "Scores every record of an iterable on `threads` threads (0: one per core) with the GIL\n"
             "released. Returns the results in input order; a record that cannot be scored gives its\n"
             "error result {id, error: {message, where}} in its place.");

    m.def(
        "compile",
        [](py::object path) {
            const std::string p(utf8(py::module_::import("os").attr("fsdecode")(path)));
            kaohe::CompileResult c;
            {
                py::gil_scoped_release nogil;
                c = kaohe::Ruleset::compile_file(p);
            }
            return compiled(std::move(c));
        },
        py::arg("path"),
        "Compiles the ruleset whose root file is `path`; raises kaohe.CompileError (with .diagnostics)\n"
        "when it has errors.");
    m.def(
        "compile_text",
        [](const std::string& text, const std::string& name) {
            kaohe::CompileResult c;
            {
                py::gil_scoped_release nogil;
                c = kaohe::Ruleset::compile_text(text, name);
            }
            return compiled(std::move(c));
        },
        py::arg("text"), py::arg("name") = "<text>",
        "Compiles a ruleset from source text; raises kaohe.CompileError when it has errors.");
    m.def("version", [] { return std::string(kaohe::version()); }, "kaohe's version, \"0.1.0\".");
}
