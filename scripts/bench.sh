#!/usr/bin/env bash
# The Parquet benchmark: Larder against pyarrow, measured in one run on one shared input.
#
#   scripts/bench.sh [--rows N] [--repeat N] [--codecs "zstd lz4_raw uncompressed"]
#                    [--only larder|pyarrow]
#
# --only runs one side and keeps the other side's results from an earlier run of the same size.
# The files written along the way are deleted at the end; the input stays cached.
#
# 1. Ensures .venv (scripts/setup-python.sh) and numpy in it (Benchmarks/parquet/requirements.txt).
# 2. Makes the input once per row count and generator version, cached in .bench-data/
#    (Benchmarks/parquet/make_input.py: 10 columns, deterministic).
# 3. Runs pyarrow's harness (Benchmarks/parquet/pyarrow_bench.py), one codec after another.
# 4. Runs Larder's package-benchmark targets (Benchmarks/, release build) on the same input.
# 5. Prints both side by side (Benchmarks/parquet/report.py); the table is also saved as
#    .bench-data/results-<rows>/summary.md.
# Defaults: 10,000,000 rows, 3 measured runs after one warm-up, all three codecs.
# Every run checks its result (row count, a checksum of every column) before its time counts.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
rows=10000000
repeat=3
codecs="zstd lz4_raw uncompressed"
only=""

usage() { sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
while [[ $# -gt 0 ]]; do
    case "$1" in
        --rows) rows=$2; shift 2 ;;
        --repeat) repeat=$2; shift 2 ;;
        --codecs) codecs=$2; shift 2 ;;
        --only) only=$2; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "bench: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
    esac
done
[[ "$rows" =~ ^[1-9][0-9]*$ ]] || { echo "bench: --rows must be a positive integer" >&2; exit 2; }
[[ "$repeat" =~ ^[1-9][0-9]*$ ]] || { echo "bench: --repeat must be a positive integer" >&2; exit 2; }
case "$only" in ""|larder|pyarrow) ;; *) echo "bench: --only takes larder or pyarrow" >&2; exit 2 ;; esac
for codec in $codecs; do
    case "$codec" in zstd|lz4_raw|uncompressed) ;; *) echo "bench: unknown codec '$codec' (zstd, lz4_raw, uncompressed)" >&2; exit 2 ;; esac
done

data="$root/.bench-data"
harness="$root/Benchmarks/parquet"
python="$root/.venv/bin/python"

# 1. Python.
bash "$root/scripts/setup-python.sh"
if ! "$python" -c 'import numpy, pyarrow' 2>/dev/null; then
    echo "bench: installing Benchmarks/parquet/requirements.txt into .venv"
    PIP_NO_INPUT=1 PIP_DISABLE_PIP_VERSION_CHECK=1 "$python" -m pip install --quiet --requirement "$harness/requirements.txt"
fi

# 2. The input, keyed by row count and a hash of the generator so a changed generator remakes it.
generator=$(cat "$harness/make_input.py" "$harness/common.py" | sha256sum | cut -c1-12)
input="$data/input-$rows-$generator.parquet"
if [[ ! -f "$input" || ! -f "$input.json" ]]; then
    echo "bench: making the input ($rows rows) at ${input#"$root/"}"
    "$python" -B "$harness/make_input.py" --rows "$rows" --out "$input"
fi
work="$data/work-$rows"
results="$data/results-$rows"
# A full run starts clean; --only replaces that tool's results and keeps the other's.
if [[ -z "$only" ]]; then
    rm -rf "$work" "$results"
else
    rm -f "$work/$only"-* "$results/$only"-*.json "$results/summary.md"
fi
mkdir -p "$work" "$results"

echo "bench: $rows rows, $repeat measured runs after one warm-up, codecs: $codecs"
echo "bench: machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1), load average $(cut -d' ' -f1-3 /proc/loadavg)"

# 3. pyarrow. (Each result the report must find goes in `expect`.)
expect=()
if [[ "$only" != larder ]]; then
    for codec in $codecs; do
        echo "bench: pyarrow $codec"
        "$python" -B "$harness/pyarrow_bench.py" --input "$input" --work "$work" --codec "$codec" --repeat "$repeat" \
            > "$results/pyarrow-$codec.json.tmp"
        mv "$results/pyarrow-$codec.json.tmp" "$results/pyarrow-$codec.json"
        expect+=("pyarrow-$codec")
    done
fi

# 4. Larder (package-benchmark builds the benchmark targets in release mode).
if [[ "$only" != pyarrow ]]; then
    filters=()
    for codec in $codecs; do
        label=$codec
        if [[ "$codec" == zstd ]]; then
            label=zstd-1
            # The extra zstd runs: one encoding thread, and a scan into one batch (read()).
            expect+=("larder-write-$label-t1" "larder-scan-$label")
        fi
        filters+=(--filter "parquet (write|scan) $label .*")
        # The headline scan returns one batch per row group, like pyarrow's read_table.
        expect+=("larder-write-$label" "larder-scan-$label-batches")
    done
    foreign=""
    if [[ -f "$work/pyarrow-zstd-1.parquet" ]]; then
        foreign="$work/pyarrow-zstd-1.parquet"
        filters+=(--filter "parquet scan pyarrow file .*")
        expect+=("larder-scan-pyarrow-file")
    fi
    echo "bench: larder (swift package benchmark, release)"
    LARDER_BENCH_INPUT="$input" LARDER_BENCH_WORK="$work" LARDER_BENCH_RESULTS="$results" \
    LARDER_BENCH_REPEAT="$repeat" LARDER_BENCH_FOREIGN="$foreign" \
        swift package --package-path "$root/Benchmarks" --disable-sandbox benchmark \
            --target ParquetBenchmarks "${filters[@]}" --no-progress --time-units milliseconds
fi

# 5. Side by side.
echo
"$python" -B "$harness/report.py" "$results" --repeat "$repeat" --expect "${expect[@]}" > "$results/summary.md" \
    || { cat "$results/summary.md"
# The written files are several GB at 10M rows: keep only the results.
rm -rf "$work"; echo "bench: FAILED: a benchmark did not finish or its check failed" >&2; exit 1; }
cat "$results/summary.md"
# The written files are several GB at 10M rows: keep only the results.
rm -rf "$work"
