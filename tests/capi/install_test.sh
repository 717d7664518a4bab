#!/usr/bin/env bash
# The installed package, used from outside the source tree:
#   install_test.sh BUILD_DIR            (from the source tree's root; ctest test `install`)
# Installs the already-built BUILD_DIR to a temporary prefix (no rebuild), checks the layout, then
# against the prefix only: builds examples/consumer with find_package(kaohe 0.1 CONFIG REQUIRED),
# builds a C++ program and the C example with pkg-config, runs the Python example and scores
# every shipped record from Python; every result must equal the installed CLI's.
# Environment: CC, CXX (compilers; default cc, c++), KAOHE_PYTHON (the Python the module was
# built for; the Python part is skipped when the module was not built).
set -euo pipefail
build=$(cd "$1" && pwd)
src=$(pwd)
CC=${CC:-cc}; CXX=${CXX:-c++}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
fails=0
fail() { echo "install_test: FAIL: $*"; fails=$((fails+1)); }
same() {  # same NAME ACTUAL EXPECTED
  if [ "$2" == "$3" ]; then echo "install_test: ok: $1"; else fail "$1"; diff <(echo "$3") <(echo "$2") | head -5; fi
}

cmake --install "$build" --prefix "$prefix" > "$tmp/install.log"

# ---- The layout
for f in include/kaohe/kaohe.h include/kaohe/kaohe.hpp include/kaohe/batch.hpp include/kaohe/number.hpp \
         bin/kaohe share/kaohe/rulesets/seed/seed.kh share/kaohe/examples/records/chair.json \
         lib/cmake/kaohe/kaoheConfig.cmake lib/cmake/kaohe/kaoheConfigVersion.cmake \
         lib/cmake/kaohe/kaohe-targets.cmake lib/pkgconfig/kaohe.pc; do
  [ -e "$prefix/$f" ] || fail "not installed: $f"
done
ls "$prefix"/lib/libkaohe.* > /dev/null 2>&1 || fail "no libkaohe in $prefix/lib"
# The public headers include only the standard library and each other.
leaks=$(grep -h '^#include' "$prefix"/include/kaohe/* | grep -v -E '^#include (<[a-z_]+(\.h)?>|"kaohe/[a-z_]+\.hpp?")$' || true)
[ -z "$leaks" ] || fail "installed headers include more than the standard library: $leaks"
# The exported target asks for no private dependency but simdjson, and that only to link.
if grep -E 'Boost|pegtl|CLI11|doctest|benchmark' "$prefix"/lib/cmake/kaohe/kaohe-targets*.cmake; then
  fail "the exported targets name a private dependency"
fi

share=$prefix/share/kaohe
rules=$share/rulesets/seed/seed.kh
chair=$share/examples/records/chair.json
expected=$("$prefix/bin/kaohe" eval "$rules" "$chair" --format json)
same "the installed CLI scores the chair" "$(echo "$expected" | grep -o '"total":94.5')" '"total":94.5'

# ---- 1. CMake: find_package(kaohe 0.1 CONFIG REQUIRED), from a copy outside the source tree
cp -r "$src/examples/consumer" "$tmp/consumer-src"
cp "$src/examples/c_example.c" "$tmp/c_example.c"
CC=$CC CXX=$CXX cmake -S "$tmp/consumer-src" -B "$tmp/consumer" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_EXPORT_COMPILE_COMMANDS=ON > "$tmp/consumer.log" 2>&1 \
  || { cat "$tmp/consumer.log"; fail "configuring the consumer"; }
grep -q "^kaohe_DIR:PATH=$prefix/lib/cmake/kaohe$" "$tmp/consumer/CMakeCache.txt" \
  || fail "the consumer did not find the package in the prefix"
cmake --build "$tmp/consumer" > "$tmp/consumer-build.log" 2>&1 || { cat "$tmp/consumer-build.log"; fail "building the consumer"; }
if grep -E -i 'pegtl|boost|simdjson|'"$src"'/include' "$tmp/consumer/compile_commands.json"; then
  fail "a private dependency or the source tree is on the consumer's compile line"
fi
same "find_package consumer (C++) equals the CLI" "$("$tmp/consumer/consumer" "$rules" "$chair" 2>/dev/null)" "$expected"
same "find_package consumer, default arguments from kaohe_DATA_DIR" "$("$tmp/consumer/consumer" 2>/dev/null)" "$expected"
same "find_package consumer (C) equals the CLI" "$("$tmp/consumer/consumer_c" "$rules" "$chair")" "$expected"

# ---- 2. pkg-config: a C++ program and the C example
export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
same "pkg-config --modversion" "$(pkg-config --modversion kaohe)" "0.1.0"
cflags=$(pkg-config --cflags kaohe); libs=$(pkg-config --libs kaohe)
# A shared libkaohe in a prefix the loader does not search needs a run path (no-op when static).
libs="$libs -Wl,-rpath,$(pkg-config --variable=libdir kaohe)"
echo "install_test: pkg-config --cflags --libs kaohe: $cflags $libs"
# shellcheck disable=SC2086
$CXX -std=c++20 "$tmp/consumer-src/main.cpp" $cflags $libs -o "$tmp/pc_consumer" || fail "pkg-config C++ build"
same "pkg-config C++ program equals the CLI" "$("$tmp/pc_consumer" "$rules" "$chair" 2>/dev/null)" "$expected"
# shellcheck disable=SC2086
$CC -std=c99 -Wall -Wextra -pedantic "$tmp/c_example.c" $cflags $libs -o "$tmp/pc_c_example" || fail "pkg-config C build"
same "pkg-config C example equals the CLI" "$("$tmp/pc_c_example" "$rules" "$chair")" "$expected"
# Every shipped record, from C, against the installed CLI.
for record in "$share"/examples/records/*.json; do
  [ "$(basename "$record")" = unit.json ] && continue
  [ "$("$tmp/pc_c_example" "$rules" "$record")" == "$("$prefix/bin/kaohe" eval "$rules" "$record" --format json)" ] \
    || fail "C example differs from the CLI on $record"
done

# ---- 3. Python, with the installed package on PYTHONPATH
pydir=$(ls -d "$prefix"/lib/python3*/site-packages 2>/dev/null | head -1 || true)
if [ -n "${KAOHE_PYTHON:-}" ] && [ -n "$pydir" ]; then
  out=$(cd "$tmp" && PYTHONPATH=$pydir PYTHONDONTWRITEBYTECODE=1 "$KAOHE_PYTHON" "$src/examples/python_example.py" "$rules" "$chair")
  same "Python example" "$(echo "$out" | head -1)" "2022-001 94.5 33"
  (cd "$tmp" && PYTHONPATH=$pydir PYTHONDONTWRITEBYTECODE=1 "$KAOHE_PYTHON" - "$prefix" <<'EOF') || fail "Python results differ from the CLI"
import decimal, glob, json, os, subprocess, sys
import kaohe
prefix = sys.argv[1]
assert kaohe.__file__.startswith(prefix), kaohe.__file__
share = prefix + "/share/kaohe"
rules = kaohe.compile(share + "/rulesets/seed/seed.kh")
records = sorted(p for p in glob.glob(share + "/examples/records/*.json") if not p.endswith("unit.json"))
D = decimal.Decimal
for path in records:
    cli = subprocess.run([prefix + "/bin/kaohe", "eval", share + "/rulesets/seed/seed.kh", path, "--format", "json"],
                         capture_output=True, text=True, check=True).stdout
    with open(path, encoding="utf-8") as f:
        got = rules.evaluate(json.load(f))
    assert got == json.loads(cli, parse_int=D, parse_float=D), path
    assert type(got["total"]) is D
print("install_test: ok: Python scores %d shipped records as the CLI does" % len(records))
EOF
else
  echo "install_test: the Python module was not built: its part is skipped"
fi

[ "$fails" -eq 0 ] && echo "install_test: all passed" || { echo "install_test: $fails failed"; exit 1; }
