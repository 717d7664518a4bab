#!/usr/bin/env bash
# Records per second scoring a 100,000-row table in SQLite (SELECT sum(kaohe_total(...))) beside
# `kaohe eval --batch` on the same records (README "In SQL").
#   bench/sql_bench.sh [BUILD_DIR] [COUNT]      (default: build 100000; from the source root)
# Needs a build with the SQLite extension (the default when libsqlite3-dev is installed).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
count=${2:-100000}
rules=rulesets/seed/seed.kh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$build/tests/sql/kaohe_gen_test" "$count" 2022 > "$tmp/records.jsonl"

now() { date +%s%N; }
rate() { awk -v n="$count" -v ns="$1" 'BEGIN { printf "%.0f records/s (%.2f s)", n / (ns / 1e9), ns / 1e9 }'; }

t0=$(now); "$build/cli/kaohe" eval "$rules" --batch "$tmp/records.jsonl" --threads 1 > /dev/null || true; t1=$(now)
echo "kaohe eval --batch, 1 thread:   $(rate $((t1 - t0)))"
t0=$(now); "$build/cli/kaohe" eval "$rules" --batch "$tmp/records.jsonl" > /dev/null || true; t1=$(now)
echo "kaohe eval --batch, $(nproc) threads:  $(rate $((t1 - t0)))"

/usr/bin/python3 - "$build/sql/kaohe" "$tmp/records.jsonl" "$rules" "$count" <<'PY'
import sqlite3, sys, time
ext, path, rules, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
db = sqlite3.connect(":memory:")
db.enable_load_extension(True)
db.load_extension(ext)
db.execute("CREATE TABLE r(record TEXT)")
with open(path, encoding="utf-8") as f:
    db.executemany("INSERT INTO r VALUES (?)", ((line,) for line in f))
db.execute("SELECT kaohe_total(?, record) FROM r LIMIT 1", (rules,)).fetchall()  # compile once
t = time.perf_counter()
db.execute("SELECT sum(kaohe_total(?, record)) FROM r", (rules,)).fetchone()
s = time.perf_counter() - t
print(f"SQLite sum(kaohe_total(...)):   {count / s:.0f} records/s ({s:.2f} s)")
PY

# PostgreSQL (as root, with postgresql-15 and postgresql-server-dev-15): a throwaway cluster as
# in tests/sql/postgres_test.sh; serial, then with 2 parallel workers.
[ "$(id -u)" = 0 ] && [ -x /usr/lib/postgresql/15/bin/initdb ] || exit 0
bin=/usr/lib/postgresql/15/bin
src=$(pwd); build=$(cd "$build" && pwd)
rm -rf "$build/sql/postgres-build"; cp -r sql/postgres "$build/sql/postgres-build"
make -s -C "$build/sql/postgres-build" KAOHE_BUILD="$build" KAOHE_SRC="$src" with_llvm=no install >/dev/null
id kaohe_pg >/dev/null 2>&1 || useradd -m kaohe_pg
chmod 755 "$tmp"; chown kaohe_pg "$tmp"; chmod a+r "$tmp/records.jsonl"
mkdir -p "$tmp/rules"; cp -r rulesets/seed "$tmp/rules/"; chmod -R a+rX "$tmp/rules"
as_pg() { runuser -u kaohe_pg -- "$@"; }
trap 'as_pg "$bin/pg_ctl" -D "$tmp/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
as_pg "$bin/initdb" -D "$tmp/data" -A trust -U postgres >/dev/null
as_pg "$bin/pg_ctl" -D "$tmp/data" -o "-k $tmp -c listen_addresses='' -c kaohe.rulesets_dir=$tmp/rules" \
  -l "$tmp/log" -w start >/dev/null
psql() { as_pg /usr/bin/psql -h "$tmp" -U postgres -d postgres -X -q -v ON_ERROR_STOP=1 "$@"; }
psql -c "CREATE EXTENSION kaohe" -c "CREATE TABLE r(record jsonb)" \
     -c "\\copy r FROM PROGRAM 'sed -e s/\\\\\\\\/\\\\\\\\\\\\\\\/g $tmp/records.jsonl' WITH (FORMAT text)" -c "VACUUM ANALYZE r"
pg_rate() {  # label, settings
    psql -c "$2 SELECT sum(kaohe_total('seed/seed.kh', record)) FROM r LIMIT 1" >/dev/null  # warm the cache
    local t0 t1; t0=$(now); psql -c "$2 SELECT sum(kaohe_total('seed/seed.kh', record)) FROM r" >/dev/null; t1=$(now)
    echo "$1 $(rate $((t1 - t0)))"
}
pg_rate "PostgreSQL, serial:             " "SET max_parallel_workers_per_gather = 0;"
pg_rate "PostgreSQL, 2 parallel workers: " "SET max_parallel_workers_per_gather = 2; SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;"
