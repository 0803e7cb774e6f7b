#!/usr/bin/env bash
# The recommender benchmark: training time and test-window metrics of every model on the
# generated marketplace (default: medium: 50k users, 5k classes, 1M interactions), and the
# comparison with the implicit library's ALS (PyPI, pinned in scripts/requirements-interop.txt)
# on the same training rows, with the same parameters, thread count and NDCG@10 code.
#
#   Benchmarks/recommender/run.sh [--scale tiny|small|medium] [--repeat N] [ALS options]
#
# ALS options go to RecommenderBench: --factors N --regularization X --alpha X
# --iterations N --cg-steps N --threads N --seed N (defaults: 64, 0.01, 10, 15, 3, 2, 42).
#
# 1. Builds Benchmarks/ in release mode (RecommenderBench; the first build compiles Larder's
#    modules: minutes on 2 cores). SCRATCH=path sets the SwiftPM scratch path
#    (default Benchmarks/.build).
# 2. Generates the marketplace (seed 42) into .bench-data/ingest-<scale>/gen unless the
#    ingest or historical benchmark already did (the same files).
# 3. RecommenderBench: ingests it into a fresh database, loads the training data (time split
#    80/10/10 by event time, point-in-time features), then per model fits on every row
#    before T2, evaluates on the test window and encodes the artifact (ALS fitted N times,
#    the best time reported). Exports the training pairs, the test users' relevant items and
#    Larder's ALS top-10 lists as Parquet.
# 4. implicit_als.py: fits implicit's ALS N times on the exported pairs (confidence 1 + α·r,
#    BLAS on one thread, num_threads as Larder's), recommends the top 10 leaving out the
#    training items, checks that its NDCG code reproduces Larder's own figure on Larder's
#    lists, and prints both models' metrics over the users with history.
#
# Timings are only meaningful on a quiet machine: the script prints the load average before
# and after; run it when `cat /proc/loadavg` starts below 1.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
scale=medium; repeat=3; als=()
while [ $# -gt 0 ]; do
  case "$1" in
    --scale) scale="$2"; shift 2 ;;
    --repeat) repeat="$2"; shift 2 ;;
    --factors|--regularization|--alpha|--iterations|--cg-steps|--threads|--seed) als+=("$1" "$2"); shift 2 ;;
    -h|--help) sed -n '2,28p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "recommender bench: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
bash scripts/setup-python.sh >/dev/null
scratch="${SCRATCH:-Benchmarks/.build}"
swift build -c release --package-path Benchmarks --scratch-path "$scratch" --product RecommenderBench >&2
bench="$scratch/release/RecommenderBench"

gen=".bench-data/ingest-$scale/gen"
results=".bench-data/recommender-$scale/results"
work=".bench-data/recommender-$scale/work"
rm -rf "$results"
machine="$(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(free -g | awk '/^Mem:/ {print $2}') GiB, $(uname -r), $(swift --version 2>/dev/null | head -1 | sed 's/.*Swift version \([^ ]*\).*/Swift \1/')"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
"$bench" --data "$gen" --generate "$scale" --work "$work" --results "$results" --repeat "$repeat" ${als[@]+"${als[@]}"}
rm -rf "$work"
echo
echo "Recommender on the $scale marketplace; $machine; commit $(git rev-parse --short HEAD)"
echo
.venv/bin/python Benchmarks/recommender/implicit_als.py --results "$results" --repeat "$repeat"
echo
echo "Load average $load_before at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end."
