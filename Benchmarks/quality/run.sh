#!/usr/bin/env bash
# Data-quality benchmark: the 12-expectation suite of issue 7 (not null x2, between x2, in set,
# compound unique (user_id, event_ts), mean between, median between, value lengths, row count,
# mostly-not-null, regex) over user_stats of the generated marketplace (medium: 10M rows),
# validated by Great Expectations 1.x on pandas and by `larder validate` (release build), each
# as its own process, on the same data in the same run. Both must agree on every success flag
# and unexpected count.
#
#   Benchmarks/quality/run.sh [--scale tiny|small|medium] [--rows N] [--repeat N] [--ge-only]
#
# --rows N validates the first N rows of user_stats (a slice file written once) instead of all
# of it; --ge-only skips the release build and Larder's side. The suite is written to
# .bench-data/quality-SCALE/suite.json. GE's figures: validation alone (GE's batch.validate),
# the Parquet read + pandas conversion and GE's batch setup apart, the whole process and its
# peak RSS (wait4). Larder's: `larder validate`'s own validation and table-scan times, the whole
# process and its peak RSS; the one-off ingest into a fresh database is reported apart. Without
# `larder validate` (an older build) Larder's side is skipped with a message.
#
# Environment: LARDER_BIN=/path/to/larder uses that binary instead of building one;
# SCRATCH=path is the SwiftPM scratch path of the release build (default .build).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
scale=medium; rows=""; repeat=1; ge_only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --scale) scale="$2"; shift 2 ;;
    --rows) rows="$2"; shift 2 ;;
    --repeat) repeat="$2"; shift 2 ;;
    --ge-only) ge_only=1; shift ;;
    *) echo "usage: $0 [--scale tiny|small|medium] [--rows N] [--repeat N] [--ge-only]" >&2; exit 2 ;;
  esac
done
bash scripts/setup-python.sh >/dev/null

# The generated data is shared with the ingest and point-in-time benchmarks' cache.
gen=".bench-data/ingest-$scale/gen"
larder=""
if [ -z "$ge_only" ] || [ ! -f "$gen/definitions.yaml" ]; then
  if [ -n "${LARDER_BIN:-}" ]; then
    larder="$LARDER_BIN"
  else
    scratch="${SCRATCH:-.build}"
    swift build -c release --product larder --scratch-path "$scratch" >/dev/null
    larder="$(swift build -c release --scratch-path "$scratch" --show-bin-path)/larder"
  fi
fi
if [ ! -f "$gen/definitions.yaml" ]; then
  rm -rf "$gen"; mkdir -p "$gen"
  "$larder" generate marketplace --out "$gen" --scale "$scale" --seed 42 >/dev/null
fi

work=".bench-data/quality-$scale"
mkdir -p "$work"
data="$gen/user_stats.parquet"
if [ -n "$rows" ]; then
  data="$work/user_stats-$rows.parquet"
  if [ ! -f "$data" ]; then
    .venv/bin/python -c '
import sys, pyarrow as pa, pyarrow.parquet as pq
source, rows, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
batches, have = [], 0
for batch in pq.ParquetFile(source).iter_batches(batch_size=65536):
    batches.append(batch.slice(0, rows - have))
    have += batches[-1].num_rows
    if have >= rows:
        break
pq.write_table(pa.Table.from_batches(batches), out + ".tmp", compression="zstd")
' "$gen/user_stats.parquet" "$rows" "$data"
    mv "$data.tmp" "$data"
  fi
fi

echo "Data-quality validation, $scale marketplace$([ -n "$rows" ] && echo ", first $rows rows") ($(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
echo
larder_args=()
if [ -z "$ge_only" ]; then
  larder_args=(--larder "$larder" --definitions "$gen/definitions.yaml")
fi
status=0
.venv/bin/python -B Benchmarks/quality/bench.py --data "$data" --work "$work" --repeat "$repeat" "${larder_args[@]}" || status=$?
rm -rf "$work/db"
exit $status
