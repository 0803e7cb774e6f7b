#!/usr/bin/env bash
# The versioned-table benchmarks (LarderTable): commit latency of small appends, open time
# against the number of commits (with and without checkpoints), scans with and without
# statistics pruning.
#
#   scripts/bench-tables.sh [--filter REGEX] [--fresh]
#
# --filter runs only the benchmarks whose names match (package-benchmark's --filter; the names
#   start with "table commit", "table open", "table scan").
# --fresh rebuilds the prepared tables even when a cached copy is current.
#
# 1. Runs the TableBenchmarks target of Benchmarks/ (package-benchmark, release build). Its
#    setup prepares the tables it reads (not timed). The tables of 100 to 10,000 commits are
#    kept in .bench-data/tables/tables-<key>/, where <key> hashes the sources that shape their
#    log (Sources/LarderTable/Log, BenchRows.swift, CommitLogTable.swift); a changed key rebuilds them
#    (the 10,000-commit ones take over 10 minutes) and deletes the stale copies. The 10M-row
#    scan table is rebuilt every run in .bench-data/tables/scratch/ (seconds) and deleted after.
# 2. Prints the figures as a Markdown table (also saved as .bench-data/tables/results/summary.md).
# Every iteration checks its result (version, file count, rows, Σ key) before its time counts.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
filters=()
fresh=0

usage() { sed -n '2,19p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
while [[ $# -gt 0 ]]; do
    case "$1" in
        --filter) filters+=(--filter "$2"); shift 2 ;;
        --fresh) fresh=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "bench-tables: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
    esac
done

data="$root/.bench-data/tables"
results="$data/results"
key=$(cd "$root" && find Sources/LarderTable/Log Benchmarks/Benchmarks/TableBenchmarks/BenchRows.swift \
        Benchmarks/Benchmarks/TableBenchmarks/CommitLogTable.swift -name '*.swift' | LC_ALL=C sort | xargs cat | sha256sum | cut -c1-12)
mkdir -p "$data"
for stale in "$data"/tables-*; do
    [[ -e "$stale" ]] || continue
    if [[ "$stale" != "$data/tables-$key" || "$fresh" == 1 ]]; then rm -rf "$stale"; fi
done
rm -rf "$results" "$data/scratch"
mkdir -p "$results"

machine="$(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1)"
echo "bench-tables: machine: $machine, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "bench-tables: prepared tables in ${data#"$root/"}/tables-$key"
LARDER_BENCH_TABLES_DATA="$data" LARDER_BENCH_TABLES_KEY="$key" LARDER_BENCH_RESULTS="$results" \
    swift package --package-path "$root/Benchmarks" --disable-sandbox benchmark \
        --target TableBenchmarks ${filters[@]+"${filters[@]}"} --no-progress --time-units milliseconds
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
rm -rf "$data/scratch"   # the scan table (150 MB) and any commit table a failed run left

# The rows, in the order BENCHMARKS.md lists them; a missing row fails the run unless filtered out.
order=(table-commit-100-rows table-commit-100-rows-onto-10000
       table-open-100-checkpoints table-open-100-no-checkpoints
       table-open-1000-checkpoints table-open-1000-no-checkpoints
       table-open-10000-checkpoints table-open-10000-no-checkpoints
       table-scan-key-1pct-pruned table-scan-key-1pct-unpruned table-scan-value-1pct)
{
    echo "$machine; load average after the run: $load_after"
    echo
    echo "| benchmark | iterations | p50 ms | p99 ms | max ms | what it did |"
    echo "| --- | ---: | ---: | ---: | ---: | --- |"
    missing=0
    for id in "${order[@]}"; do
        if [[ -f "$results/$id.md" ]]; then cat "$results/$id.md"; else missing=$((missing + 1)); fi
    done
} > "$results/summary.md"
echo
cat "$results/summary.md"
if [[ ${#filters[@]} -eq 0 && $missing -gt 0 ]]; then
    echo "bench-tables: FAILED: $missing benchmark(s) did not finish or their check failed" >&2
    exit 1
fi
