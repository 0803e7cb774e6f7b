#!/usr/bin/env bash
# Point-in-time benchmark: the ranker_v1 training set over the interactions spine of the
# generated marketplace (default: medium, 1M spine rows, 10M/2M/0.5M feature rows), built by
# Larder (`larder historical`, release build), DuckDB (ASOF LEFT JOIN) and Polars (join_asof),
# each from the same Parquet files with the same semantics (ttls 30d/7d/90d, ties on event time
# broken by the later created time, then the later file row), each as its own process.
#
#   Benchmarks/historical/run.sh [--scale tiny|small|medium] [--repeat N] [--peers-only]
#
# Reports the one-off ingest of the three feature views into a fresh Larder database, then per
# tool the best wall time of N runs, that run's peak RSS (the child's own, from wait4), rows
# and matched rows per view, and whether its output equals Larder's row for row in the spine's
# order (any difference fails the run). --peers-only times DuckDB and Polars alone (against
# each other): for a build without the engine.
#
# Environment: LARDER_BIN=/path/to/larder uses that binary instead of building one;
# SCRATCH=path is the SwiftPM scratch path of the release build (default .build).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
scale=medium; repeat=3; peers_only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --scale) scale="$2"; shift 2 ;;
    --repeat) repeat="$2"; shift 2 ;;
    --peers-only) peers_only="--skip-larder"; shift ;;
    *) echo "usage: $0 [--scale tiny|small|medium] [--repeat N] [--peers-only]" >&2; exit 2 ;;
  esac
done
bash scripts/setup-python.sh >/dev/null
PIP_DISABLE_PIP_VERSION_CHECK=1 .venv/bin/python -m pip install --quiet --requirement Benchmarks/historical/requirements.txt
if [ -n "${LARDER_BIN:-}" ]; then
  larder="$LARDER_BIN"
else
  scratch="${SCRATCH:-.build}"
  swift build -c release --product larder --scratch-path "$scratch" >/dev/null
  larder="$(swift build -c release --scratch-path "$scratch" --show-bin-path)/larder"
fi
# The generated data is shared with the ingest benchmark's cache.
gen=".bench-data/ingest-$scale/gen"
if [ ! -f "$gen/definitions.yaml" ]; then
  rm -rf "$gen"; mkdir -p "$gen"
  "$larder" generate marketplace --out "$gen" --scale "$scale" --seed 42 >/dev/null
fi
work=".bench-data/historical-$scale"
rm -rf "$work"; mkdir -p "$work"
echo "Point-in-time join of the $scale marketplace ($(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
echo
status=0
.venv/bin/python Benchmarks/historical/bench.py --data "$gen" --work "$work" --larder "$larder" --repeat "$repeat" $peers_only || status=$?
rm -rf "$work/db"
exit $status
