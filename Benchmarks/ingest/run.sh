#!/usr/bin/env bash
# Ingest benchmark: generate the marketplace (default: medium), then time `larder ingest` of
# each feature view into a fresh database, in release mode. Each ingest is checked: the
# view's table must hold exactly the input's rows afterwards.
#
#   Benchmarks/ingest/run.sh [--scale tiny|small|medium] [--repeat N]
#
# Reports rows/s and MB/s per view. MB is the input's decoded size (the Arrow in-memory size
# pyarrow reports for the file's table, 10^6 bytes), so it is comparable with BENCHMARKS.md's
# Parquet figures. Timings are wall clock of the whole command (read, check, sort, write
# zstd Parquet with fsync, commit), best of N.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
scale=medium; repeat=3
while [ $# -gt 0 ]; do
  case "$1" in
    --scale) scale="$2"; shift 2 ;;
    --repeat) repeat="$2"; shift 2 ;;
    *) echo "usage: $0 [--scale tiny|small|medium] [--repeat N]" >&2; exit 2 ;;
  esac
done
bash scripts/setup-python.sh >/dev/null
swift build -c release --product larder >/dev/null
larder="$(swift build -c release --show-bin-path)/larder"
work=".bench-data/ingest-$scale"
if [ ! -f "$work/gen/definitions.yaml" ]; then
  rm -rf "$work"; mkdir -p "$work"
  "$larder" generate marketplace --out "$work/gen" --scale "$scale" --seed 42 >/dev/null
fi
echo "Ingest of the $scale marketplace ($(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)), best of $repeat:"
echo
echo "| view | rows | input MB (decoded) | seconds | rows/s | MB/s |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
for view in user_stats item_stats user_item interactions; do
  input="$work/gen/$view.parquet"
  read -r rows mb < <(.venv/bin/python -c "import pyarrow.parquet as pq,sys; t=pq.read_table(sys.argv[1]); print(t.num_rows, t.nbytes/1e6)" "$input")
  best=""
  for _ in $(seq "$repeat"); do
    db="$work/db"; rm -rf "$db"
    "$larder" init --db "$db" >/dev/null
    "$larder" apply --db "$db" "$work/gen/definitions.yaml" >/dev/null
    start=$(date +%s.%N)
    "$larder" ingest --db "$db" "$view" "$input" --json > "$work/ingest.json"
    end=$(date +%s.%N)
    got=$(.venv/bin/python -c "import json,sys; print(json.load(open(sys.argv[1]))['rows'])" "$work/ingest.json")
    if [ "$got" != "$rows" ]; then echo "ingest of $view committed $got rows, expected $rows" >&2; exit 1; fi
    "$larder" export --db "$db" "$view" --out "$work/check.parquet" >/dev/null
    back=$(.venv/bin/python -c "import pyarrow.parquet as pq,sys; print(pq.ParquetFile(sys.argv[1]).metadata.num_rows)" "$work/check.parquet")
    if [ "$back" != "$rows" ]; then echo "$view holds $back rows after ingest, expected $rows" >&2; exit 1; fi
    best=$(.venv/bin/python -c "import sys; t=float(sys.argv[2])-float(sys.argv[1]); b=sys.argv[3]; print(min(t, float(b)) if b else t)" "$start" "$end" "$best")
  done
  .venv/bin/python -c "import sys; v,r,mb,t=sys.argv[1],int(sys.argv[2]),float(sys.argv[3]),float(sys.argv[4]); print(f'| {v} | {r:,} | {mb:.1f} | {t:.2f} | {r/t/1e6:.2f}M | {mb/t:.0f} |')" "$view" "$rows" "$mb" "$best"
done
rm -rf "$work/db" "$work/check.parquet" "$work/ingest.json"
