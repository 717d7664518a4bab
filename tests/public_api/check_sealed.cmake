# ctest `sealed`: the public headers (include/kaohe/) expose no internals.
#
#   cmake -DSOURCE_DIR=. -DCXX=c++ -DWORK_DIR=... -P check_sealed.cmake
#
# 1. No header names an internal: no `Impl`, `detail`, `Big`, `ir::`, `record::` or `eval::`.
# 2. A program that uses the public API builds with include/ alone on its include path.
# 3. Each way a user might reach an internal through the public classes fails to build.
cmake_minimum_required(VERSION 3.20)
foreach(v SOURCE_DIR CXX WORK_DIR)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "check_sealed: -D${v}=... is missing")
  endif()
endforeach()
set(failures 0)
macro(fail msg)
  message(SEND_ERROR "${msg}")
  math(EXPR failures "${failures} + 1")
endmacro()

# ---- 1.
file(GLOB headers ${SOURCE_DIR}/include/kaohe/*)
foreach(h IN LISTS headers)
  file(STRINGS ${h} lines)
  set(number 0)
  foreach(line IN LISTS lines)
    math(EXPR number "${number} + 1")
    if(line MATCHES "(^|[^A-Za-z0-9_])(Impl|detail|Big)([^A-Za-z0-9_]|$)" OR line MATCHES "(^|[^A-Za-z0-9_])(ir|record|eval)::")
      file(RELATIVE_PATH rel ${SOURCE_DIR} ${h})
      fail("${rel}:${number}: names an internal: ${line}")
    endif()
  endforeach()
endforeach()

# ---- 2. and 3.
file(MAKE_DIRECTORY ${WORK_DIR})
function(try_compile_snippet name body out)
  set(src ${WORK_DIR}/${name}.cpp)
  file(WRITE ${src} "#include \"kaohe/batch.hpp\"\n#include \"kaohe/kaohe.hpp\"\n#include \"kaohe/policy.hpp\"\n#include \"kaohe/testing.hpp\"\n${body}\n")
  execute_process(COMMAND ${CXX} -std=c++20 -fsyntax-only -I ${SOURCE_DIR}/include ${src}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE o ERROR_VARIABLE e)
  set(${out} ${rc} PARENT_SCOPE)
  set(${out}_ERR "${e}" PARENT_SCOPE)
endfunction()

try_compile_snippet(uses "
int main() {
    auto c = kaohe::Ruleset::compile_text(\"\");
    if (!c.ruleset) return 1;
    const kaohe::Ruleset& r = *c.ruleset;
    kaohe::Evaluation e = r.evaluate(\"{}\");
    std::string s = r.format(kaohe::Number(1)) + std::to_string(r.source_bytes());
    if (e.ok()) for (const kaohe::Line& l : e.result().lines()) s += l.from_unit && l.amount ? l.amount->to_string() : l.path;
    std::vector<std::string_view> records{\"{}\"};
    kaohe::evaluate_many(r, records, [](std::size_t, const kaohe::Evaluation&) {});
    kaohe::TestOptions t;
    return static_cast<int>(s.size() + t.only.size());
}" rc)
if(NOT rc EQUAL 0)
  fail("a program using the public API does not build with include/ alone:\n${rc_ERR}")
endif()

# A way to an internal: it must not build.
function(reach name body)
  try_compile_snippet(reach_${name} "${body}" rc)
  if(rc EQUAL 0)
    fail("a user reaches an internal (${name}): this builds against include/ alone: ${body}")
  endif()
  set(failures ${failures} PARENT_SCOPE)
endfunction()
reach(ruleset_program "auto f(const kaohe::Ruleset& r) { return &r.program(); }")
reach(ruleset_state "kaohe::Ruleset::State* p = nullptr;")
reach(ruleset_from_state "kaohe::Ruleset f(std::shared_ptr<const kaohe::Ruleset::State> s) { return kaohe::Ruleset(s); }")
reach(ruleset_from_pointer "kaohe::Ruleset f() { return kaohe::Ruleset(nullptr); }")
reach(result_state "kaohe::Result::State* p = nullptr;")
reach(result_from_pointer "kaohe::Result f() { return kaohe::Result(nullptr); }")
reach(unit_state "kaohe::Unit::State* p = nullptr;")
reach(unit_from_pointer "kaohe::Unit f() { return kaohe::Unit(nullptr); }")
reach(number_wide "kaohe::Number::Wide* p = nullptr;")
reach(test_observer "void f(kaohe::TestOptions& o) { o.observe = nullptr; }")

if(failures GREATER 0)
  message(FATAL_ERROR "sealed: ${failures} failure(s)")
endif()
message(STATUS "sealed: include/ names no internal; the public API builds alone; no way to an internal builds")
