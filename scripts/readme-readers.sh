#!/usr/bin/env bash
# Runs the README's "Reading Larder tables from other tools" block (the python block between the
# <!-- readers:begin --> and <!-- readers:end --> markers) against a database made here with the
# given `larder` binary, and prints Larder's own counts beside what the readers print, so a test
# (Tests/LarderCLITests/ReadmeReadersTests.swift) can check they agree and the README cannot
# drift from what the tools read.
#
# The database: the tiny marketplace's user_stats ingested twice (two seeds: versions 1 and 2),
# then compacted (version 3), so the table folder holds files the log has removed and a raw glob
# of its Parquet files reads every row twice.
#
#   scripts/readme-readers.sh PATH/TO/larder [README.md]
#
# Python: $LARDER_PYTHON, else .venv/bin/python (scripts/setup-python.sh installs pyarrow, polars,
# duckdb and deltalake there).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
binary="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
readme="$(cd "$(dirname "${2:-$root/README.md}")" && pwd)/$(basename "${2:-$root/README.md}")"
python="${LARDER_PYTHON:-$root/.venv/bin/python}"
if [ ! -x "$python" ]; then echo "readme-readers: no Python at $python (run scripts/setup-python.sh)" >&2; exit 2; fi

block="$(awk '/<!-- readers:begin -->/{on=1; next} /<!-- readers:end -->/{on=0} on && !/^```/' "$readme")"
if [ -z "$block" ]; then echo "readme-readers: no readers block in $readme" >&2; exit 2; fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
larder() { "$binary" "$@"; }
run() { echo "\$ $*"; "$@"; }

run larder generate marketplace --out market --scale tiny > /dev/null
run larder generate marketplace --out market-next --scale tiny --seed 7 > /dev/null
run larder init --db features.larder
run larder apply --db features.larder market/definitions.yaml > /dev/null
run larder ingest --db features.larder user_stats market/user_stats.parquet
run larder ingest --db features.larder user_stats market-next/user_stats.parquet
run larder compact --db features.larder user_stats

# What Larder itself says: the latest version and its rows, the rows of version 1, and the rows
# in every Parquet file of the folder (what a raw glob reads).
"$python" - "$binary" <<'EOF'
import json, subprocess, sys
larder = sys.argv[1]
def run(*args):
    return json.loads(subprocess.run([larder, *args], check=True, capture_output=True, text=True).stdout)
table = run("inspect", "--json", "features.larder/tables/user_stats")
v1 = run("export", "--db", "features.larder", "user_stats", "--version", "1", "--out", "v1.parquet", "--json")
ingested = sum(h["rowsAdded"] for h in table["history"] if h["operation"] == "WRITE")
print(f"larder: version {table['version']}, rows {table['rows']}, v1 rows {v1['rows']}, "
      f"files {len(table['files'])}, rows in every file {ingested + table['rows']}")
EOF
echo "--- the README's readers block"
printf '%s\n' "$block" > readers.py
"$python" readers.py
echo "readme-readers: every reader ran"
