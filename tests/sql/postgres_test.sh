#!/usr/bin/env bash
# The PostgreSQL extension (sql/postgres/) against `kaohe eval --batch`. NOT wired
# into ctest when configured as root (tests/sql/CMakeLists.txt). As root, from the source root:
#   tests/sql/postgres_test.sh BUILD_DIR
# Builds and installs the extension (PGXS), starts a throwaway cluster in a temp dir as the user
# kaohe_pg on a Unix socket there, compares totals row for row serially and with parallel
# workers forced, checks the path-escape cases; always stops the server.
set -euo pipefail
build=$(cd "$1" && pwd)
src=$(pwd)
bin=/usr/lib/postgresql/15/bin
# Built out of the source tree, in BUILD_DIR/sql/postgres-build.
rm -rf "$build/sql/postgres-build"; cp -r sql/postgres "$build/sql/postgres-build"
make -s -C "$build/sql/postgres-build" KAOHE_BUILD="$build" KAOHE_SRC="$src" with_llvm=no install >/dev/null
id kaohe_pg >/dev/null 2>&1 || useradd -m kaohe_pg
tmp=$(mktemp -d); chmod 755 "$tmp"; chown kaohe_pg "$tmp"
as_pg() { runuser -u kaohe_pg -- "$@"; }
cleanup() { as_pg "$bin/pg_ctl" -D "$tmp/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$tmp"; }
trap cleanup EXIT
mkdir -p "$tmp/rules"; cp -r rulesets/seed "$tmp/rules/"; chmod -R a+rX "$tmp/rules"
as_pg "$bin/initdb" -D "$tmp/data" -A trust -U postgres >/dev/null
as_pg "$bin/pg_ctl" -D "$tmp/data" -o "-k $tmp -c listen_addresses='' -c max_worker_processes=8 -c kaohe.rulesets_dir=$tmp/rules" -l "$tmp/log" -w start >/dev/null
psql() { as_pg /usr/bin/psql -h "$tmp" -U postgres -d postgres -X -q -v ON_ERROR_STOP=1 "$@"; }
"$build/tests/sql/kaohe_gen_test" 10000 8 > "$tmp/records.jsonl"
echo '{"id":"bad-1","name":"x","role":"no_such_role","year":2022,"measures":{}}' >> "$tmp/records.jsonl"
"$build/cli/kaohe" eval rulesets/seed/seed.kh --batch "$tmp/records.jsonl" > "$tmp/expected.jsonl" || true
chmod a+r "$tmp"/*.jsonl
psql -c "CREATE EXTENSION kaohe" \
     -c "CREATE TABLE r(n serial PRIMARY KEY, record jsonb)" \
     -c "\\copy r(record) FROM PROGRAM 'sed -e s/\\\\\\\\/\\\\\\\\\\\\\\\/g $tmp/records.jsonl' WITH (FORMAT text)" \
     -c "CREATE TABLE e(n serial PRIMARY KEY, result jsonb)" \
     -c "\\copy e(result) FROM PROGRAM 'sed -e s/\\\\\\\\/\\\\\\\\\\\\\\\/g $tmp/expected.jsonl' WITH (FORMAT text)" \
     -c "ANALYZE r" -c "ANALYZE e"
good="SELECT count(*) FROM r JOIN e USING (n) WHERE NOT e.result ? 'error'"
[ "$(psql -At -c "$good")" = 10000 ] || { echo "postgres: expected 10000 good rows"; exit 1; }
bad=$(psql -At -c "SELECT count(*) FROM r JOIN e USING (n) WHERE NOT e.result ? 'error' AND kaohe_total('seed/seed.kh', r.record) <> (e.result->>'total')::numeric")
[ "$bad" = 0 ] || { echo "postgres: $bad totals differ (serial)"; exit 1; }
plan=$(psql -At -c "SET max_parallel_workers_per_gather=2" -c "SET parallel_setup_cost=0" -c "SET parallel_tuple_cost=0" \
  -c "SET min_parallel_table_scan_size=0" -c "SET force_parallel_mode=on" \
  -c "EXPLAIN SELECT sum(kaohe_total('seed/seed.kh', record)) FROM r WHERE record->>'id' <> 'bad-1'")
echo "$plan" | grep -q "Workers Planned" || { echo "postgres: no parallel plan: $plan"; exit 1; }
bad=$(psql -At -c "SET max_parallel_workers_per_gather=2" -c "SET parallel_setup_cost=0" -c "SET parallel_tuple_cost=0" \
  -c "SET min_parallel_table_scan_size=0" -c "SET force_parallel_mode=on" \
  -c "SELECT count(*) FROM r JOIN e USING (n) WHERE NOT e.result ? 'error' AND kaohe_total('seed/seed.kh', r.record) <> (e.result->>'total')::numeric")
[ "$bad" = 0 ] || { echo "postgres: $bad totals differ (parallel)"; exit 1; }
# kaohe_score of the bad row is its error result; kaohe_total raises naming it.
psql -At -c "SELECT kaohe_score('seed/seed.kh', record) ? 'error' FROM r WHERE record->>'id' = 'bad-1'" | grep -qx t
expect_error() {  # SQL, needle
    if out=$(psql -c "$1" 2>&1); then echo "postgres: no error from: $1"; exit 1; fi
    echo "$out" | grep -qF -- "$2" || { echo "postgres: $1: $out lacks $2"; exit 1; }
}
expect_error "SELECT kaohe_total('seed/seed.kh', record) FROM r WHERE record->>'id' = 'bad-1'" "record bad-1"
expect_error "SELECT kaohe_total('/etc/passwd', '{}')" "must be a relative path"
expect_error "SELECT kaohe_total('../rules/seed/seed.kh', '{}')" "must be a relative path"
expect_error "SELECT kaohe_total('seed/../../x.kh', '{}')" "must be a relative path"
expect_error "SELECT kaohe_total('seed/nope.kh', '{}')" "cannot read rule file $tmp/rules/seed/nope.kh: no such file"
psql -c "CREATE ROLE plain LOGIN" -c "GRANT SELECT ON r TO plain" >/dev/null

# ---- Hostile input, as a non-superuser. Every file a ruleset reads resolves inside
# kaohe.rulesets_dir: an include of /etc/passwd, of ../outside, through a symlink pointing out,
# and a root that is a symlink out are errors that quote nothing of the outside file.
plain() { timeout 120 runuser -u kaohe_pg -- /usr/bin/psql -h "$tmp" -U plain -d postgres -X -q -v ON_ERROR_STOP=1 "$@"; }
expect_plain_error() {  # SQL, needle
    if out=$(plain -c "SET statement_timeout = '10s'" -c "$1" 2>&1); then echo "postgres: no error from: $1"; exit 1; fi
    echo "$out" | grep -qF -- "$2" || { echo "postgres: $1: $out lacks $2"; exit 1; }
    if echo "$out" | grep -qE "root:|SECRET"; then echo "postgres: $1 shows an outside file: $out"; exit 1; fi
}
mkdir -p "$tmp/outside"; echo "SECRET first line" > "$tmp/outside/x.kh"; chmod -R a+rX "$tmp/outside"
printf 'policy "t" year 2022\ninclude "/etc/passwd"\n' > "$tmp/rules/seed/inc_passwd.kh"
printf 'policy "t" year 2022\ninclude "../../outside/x.kh"\n' > "$tmp/rules/seed/inc_up.kh"
ln -s "$tmp/outside/x.kh" "$tmp/rules/seed/link.kh"
printf 'policy "t" year 2022\ninclude "link.kh"\n' > "$tmp/rules/seed/inc_link.kh"
outside="is outside the rulesets directory $tmp/rules"
expect_plain_error "SELECT kaohe_total('seed/inc_passwd.kh', '{}')" "include \"/etc/passwd\" $outside"
expect_plain_error "SELECT kaohe_total('seed/inc_up.kh', '{}')" "include \"../../outside/x.kh\" $outside"
expect_plain_error "SELECT kaohe_total('seed/inc_link.kh', '{}')" "include \"link.kh\" $outside"
expect_plain_error "SELECT kaohe_total('seed/link.kh', '{}')" "rule file $tmp/rules/seed/link.kh $outside"
expect_plain_error "SELECT * FROM kaohe_lines('seed/inc_passwd.kh', '{}')" "$outside"
# A FIFO as a ruleset and as an include answers at once (statement_timeout and a shell timeout
# make a regression fail instead of hanging: a blocked open() ignores both otherwise).
mkfifo "$tmp/rules/seed/fifo.kh"; chown kaohe_pg "$tmp/rules/seed/fifo.kh"
printf 'policy "t" year 2022\ninclude "fifo.kh"\n' > "$tmp/rules/seed/inc_fifo.kh"
expect_plain_error "SELECT kaohe_total('seed/fifo.kh', '{}')" "it is a FIFO (named pipe), not a regular file"
expect_plain_error "SELECT kaohe_total('seed/inc_fifo.kh', '{}')" "it is a FIFO (named pipe), not a regular file"
chmod -R a+rX "$tmp/rules"
# The cache is keyed by the resolved file and bounded: 2,000 spellings of one path, then 300
# distinct rulesets, with the backend's resident memory measured before and after (each used to
# be compiled and kept for the session's life: about 300 KB apiece).
for i in $(seq 300); do cp "$tmp/rules/seed/seed.kh" "$tmp/rules/seed/copy$i.kh"; done
chmod a+r "$tmp/rules/seed/"copy*.kh
mem=$(plain -At <<'SQL'
SELECT pg_backend_pid() AS pid \gset
SELECT kaohe_total('seed/seed.kh', record) FROM r WHERE n = 1 \g /dev/null
\set before `awk '/^VmRSS/ {print $2}' /proc/:pid/status`
SELECT count(DISTINCT kaohe_total('seed/' || repeat('./', i) || repeat('/', j) || 'seed.kh', record))
FROM r, generate_series(0, 49) i, generate_series(0, 39) j WHERE r.n = 1 \g /dev/null
\set spelled `awk '/^VmRSS/ {print $2}' /proc/:pid/status`
SELECT count(kaohe_total('seed/copy' || k || '.kh', record)) FROM r, generate_series(1, 300) k WHERE r.n = 1 \g /dev/null
\set copies `awk '/^VmRSS/ {print $2}' /proc/:pid/status`
SELECT :spelled - :before, :copies - :spelled;
SQL
)
read -r spelled copies <<<"$(tr '|' ' ' <<<"$mem")"
echo "postgres: backend grew $spelled KB for 2,000 spellings, $copies KB more for 300 distinct rulesets"
[ "$spelled" -lt 20000 ] || { echo "postgres: 2,000 spellings grew the backend by $spelled KB"; exit 1; }
[ "$copies" -lt 40000 ] || { echo "postgres: 300 rulesets grew the backend by $copies KB"; exit 1; }

# Arguments are measured before they are read: a ruleset name over 4096 bytes, and a record or
# unit whose jsonb value is over 8 times the record limit, are refused by their size (the record
# is never turned into text). The bound refuses nothing whose text is within the limit: a record
# of one-digit numbers, whose jsonb form is the largest for its text, gets past it.
expect_plain_error "SELECT kaohe_total(repeat('x', 5000), '{}')" "kaohe_total: ruleset name is 5000 bytes long; a name holds at most 4096 (PATH_MAX)"
expect_plain_error "SELECT * FROM kaohe_lines(repeat('x', 5000), '{}')" "kaohe_lines: ruleset name is 5000 bytes long"
big="jsonb_build_object('id', 'big', 'pad', repeat('x', 20000000))"
expect_plain_error "SELECT kaohe_total('seed/seed.kh', $big)" "kaohe_total: record (no id): record is larger than 1048576 bytes (the limit for a record), 20000032 bytes as jsonb [R008]"
expect_plain_error "SELECT * FROM kaohe_lines('seed/seed.kh', $big)" "bytes as jsonb [R008]"
expect_plain_error "SELECT kaohe_total('seed/seed.kh', '{}', $big)" "unit record: record is larger than 1048576 bytes (the limit for a record), 20000032 bytes as jsonb [R008]"
[ "$(plain -At -c "SELECT kaohe_score('seed/seed.kh', $big)->'error'->>'code'")" = R008 ] ||
    { echo "postgres: kaohe_score of a huge jsonb is not R008"; exit 1; }
dense="(SELECT jsonb_build_object('id', 'dense', 'x', jsonb_agg(0)) FROM generate_series(1, 340000))"
sizes=$(plain -At -c "SELECT pg_column_size(j), length(j::text) FROM $dense AS d(j)")
echo "postgres: one-digit numbers: $sizes (jsonb bytes|text bytes)"
out=$(plain -c "SELECT kaohe_total('seed/seed.kh', $dense)" 2>&1 || true)
echo "$out" | grep -qF 'unknown field `x` [R003]' || { echo "postgres: a record under the limit as text: $out"; exit 1; }
if echo "$out" | grep -q "as jsonb"; then echo "postgres: a record under the limit refused by its jsonb size: $out"; exit 1; fi

if as_pg /usr/bin/psql -h "$tmp" -U plain -d postgres -X -q -v ON_ERROR_STOP=1 -c "SELECT kaohe_total(NULL, '{}')" -c "SET kaohe.rulesets_dir = '/'" >/dev/null 2>&1; then
    echo "postgres: a non-superuser could set kaohe.rulesets_dir"; exit 1
fi
[ "$(psql -At -c "SELECT kaohe_total(NULL, '{}') IS NULL")" = t ]
n=$(psql -At -c "SELECT count(*) FROM r, kaohe_lines('seed/seed.kh', r.record) WHERE r.n = 1")
m=$(psql -At -c "SELECT jsonb_array_length(result->'lines') FROM e WHERE n = 1")
[ "$n" = "$m" ] || { echo "postgres: kaohe_lines $n lines, result $m"; exit 1; }

# One card for everyone: a scheme without roles scores a record that names none ("role" is null)
# and rejects one that names a role.
mkdir -p "$tmp/rules/one_card"; cp tests/language/one_card.test.kh "$tmp/rules/one_card/"; chmod -R a+rX "$tmp/rules/one_card"
card='{"id":"v1","year":2022,"groups":["cadre"],"measures":{"meetings":3},"events":[{"type":"absent","count":3},{"type":"award"}]}'
[ "$(psql -At -c "SELECT kaohe_total('one_card/one_card.test.kh', '$card')")" = 44 ] ||
    { echo "postgres: a role-less record's total is not 44"; exit 1; }
[ "$(psql -At -c "SELECT jsonb_typeof(kaohe_score('one_card/one_card.test.kh', '$card')->'role')")" = null ] ||
    { echo "postgres: a role-less result's role is not null"; exit 1; }
expect_error "SELECT kaohe_total('one_card/one_card.test.kh', '{\"id\":\"v2\",\"role\":\"cadre\",\"year\":2022}')" \
    "the scheme declares no roles"

# Every other shipped ruleset and its sample records (examples/records/NAME/): kaohe_score equals
# the CLI's result and kaohe_total its total. They use the language's forms for real schemes.
# And the fixture of every form (tests/hosts/NAME/NAME.kh, its records in records/).
shipped=0
for dir in rulesets/*/ tests/hosts/*/; do
  name=$(basename "$dir")
  [ "$name" = seed ] && continue
  records=examples/records/$name; [ -d "${dir}records" ] && records=${dir}records
  cp -r "$dir" "$tmp/rules/"; chmod -R a+rX "$tmp/rules/$name"
  for record in "$records"/*.json; do
    want=$("$build/cli/kaohe" eval "$dir$name.kh" "$record" --format json)
    want=${want//${dir}/$tmp/rules/$name/}  # the server names rule files under kaohe.rulesets_dir
    got=$(psql -At -v rec="$(cat "$record")" -v want="$want" <<SQL
SELECT kaohe_score('$name/$name.kh', :'rec'::jsonb) = :'want'::jsonb
   AND kaohe_total('$name/$name.kh', :'rec'::jsonb) = (:'want'::jsonb->>'total')::numeric
SQL
)
    [ "$got" = t ] || { echo "postgres: $record under $name differs from the CLI"; exit 1; }
    shipped=$((shipped + 1))
  done
done
[ "$shipped" -ge 11 ] || { echo "postgres: only $shipped records of the shipped rulesets"; exit 1; }
# A population under a quota: kaohe_score_batch scores the rows together as `kaohe eval --batch`
# does (15% of 10 = 1.5, round down = 1: p1 keeps 优秀, p2..p4 reached it and are lowered), one
# jsonb array in the aggregate's order; past 64 MiB of record text, an error.
mkdir -p "$tmp/rules/quota"; cp examples/quota/quota.kh "$tmp/rules/quota/"; chmod -R a+rX "$tmp/rules/quota"
want="[$("$build/cli/kaohe" eval examples/quota/quota.kh --batch examples/quota/ties.jsonl | sed "s#examples/quota/#$tmp/rules/quota/#g" | paste -sd, -)]"
cp examples/quota/ties.jsonl "$tmp/ties.jsonl"; chmod a+r "$tmp/ties.jsonl"
psql -c "CREATE TABLE q(n serial PRIMARY KEY, record jsonb)" -c "\\copy q(record) FROM '$tmp/ties.jsonl' WITH (FORMAT text)"
got=$(psql -At -v want="$want" <<'SQL'
SELECT kaohe_score_batch('quota/quota.kh', record ORDER BY n) = :'want'::jsonb FROM q
SQL
)
[ "$got" = t ] || { echo "postgres: kaohe_score_batch differs from the CLI's batch: $got"; exit 1; }
got=$(psql -At -c "SELECT string_agg(x->>'id' || ' ' || (x->>'grade') || ' ' || (x->'outcome'->>'by'), ', ' ORDER BY x->>'id')
  FROM jsonb_array_elements((SELECT kaohe_score_batch('quota/quota.kh', record ORDER BY n) FROM q)) x WHERE x->>'id' IN ('p1', 'p2', 'p4')")
[ "$got" = "p1 优秀 band, p2 称职 quota, p4 称职 quota" ] || { echo "postgres: quota batch grades: $got"; exit 1; }
[ "$(psql -At -c "SELECT kaohe_score_batch('quota/quota.kh', record) IS NULL FROM q WHERE n > 100")" = t ] ||
    { echo "postgres: kaohe_score_batch over no rows is not NULL"; exit 1; }
expect_error "SELECT kaohe_score_batch('quota/quota.kh', jsonb_build_object('id', i::text, 'pad', repeat('x', 1000000))) FROM generate_series(1, 70) i" \
    "kaohe_score_batch: the records of one batch hold at most 67108864 bytes of text in all; at row 68"
expect_error "SELECT kaohe_score_batch(CASE WHEN n = 1 THEN 'quota/quota.kh' ELSE 'seed/seed.kh' END, record) FROM q" \
    "every row of one batch must name the same ruleset"

echo "postgres: 10,000 records agree with the CLI, serially and in parallel; a role-less scheme scores;" \
     "$shipped records of the other shipped rulesets agree; a quota batch agrees with the CLI's"
