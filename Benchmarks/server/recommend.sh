#!/usr/bin/env bash
# The /recommend latency benchmark: `larder serve --recommender ranker` (release build) on
# loopback, driven by wrk at fixed request rates. BENCHMARKS.md ("Recommendations over HTTP")
# describes it.
#
#   Benchmarks/server/recommend.sh [--scale small|medium] [--rates 200,1000] [--seconds 20] [--k 10]
#                                  [--production als] [--challenger itemknn]
#
# 1. Installs wrk (Debian's package) when missing (as root, or through sudo -n).
# 2. Builds the larder tool in release mode (scratch path .build-server-release).
# 3. Generates the marketplace (default medium: 50,000 users, 5,000 classes, 1M interactions,
#    seed 42; reused from .bench-data/ingest-<scale>/gen when the ingest benchmark made it),
#    ingests interactions, user_stats and item_stats, materializes user_stats.
# 4. Trains and registers model `ranker` twice with `larder recommend train`: the production
#    version (default ALS) and a challenger in staging (default item-kNN), so every request goes
#    through the bandit (Thompson sampling) as in production.
# 5. Starts `larder serve --recommender ranker`, times the first /recommend (it loads both
#    artifacts and the interactions view's bookings), checks a sample answer, then for each rate
#    runs wrk (one thread, paced like Benchmarks/server/run.sh: each connection waits 10 ms
#    before each request, rate / 100 connections) with Benchmarks/server/recommend.lua:
#    GET /recommend?user_id=U&k=K, U uniform in 1..users (every user known to the data; the
#    ones ALS never saw get its popularity fallback).
# 6. Prints a Markdown table (also in .bench-data/recommend-<scale>/results.md).
#
# Timings are only meaningful on a quiet machine: run it when `cat /proc/loadavg` is below 1.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"

scale=medium
rates=200,1000
seconds=20
k=10
production=als
challenger=itemknn
usage() { sed -n '2,27p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
while [[ $# -gt 0 ]]; do
    case "$1" in
        --scale) scale=$2; shift 2 ;;
        --rates) rates=$2; shift 2 ;;
        --seconds) seconds=$2; shift 2 ;;
        --k) k=$2; shift 2 ;;
        --production) production=$2; shift 2 ;;
        --challenger) challenger=$2; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "recommend bench: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
    esac
done
case "$scale" in
    tiny) users=200 ;;
    small) users=5000 ;;
    medium) users=50000 ;;
    *) echo "recommend bench: --scale must be tiny, small or medium" >&2; exit 2 ;;
esac

# 1. wrk.
if ! command -v wrk >/dev/null 2>&1; then
    if ((EUID == 0)); then sudo=()
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo=(sudo -n)
    else
        echo "recommend bench: wrk is missing; run as root: apt-get install -y wrk" >&2
        exit 1
    fi
    echo "recommend bench: installing wrk" >&2
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get update -q >/dev/null
    "${sudo[@]}" apt-get install -y -q --no-install-recommends wrk >/dev/null
fi

# 2. Release build.
scratch="${SCRATCH:-.build-server-release}"   # SCRATCH=path reuses another release build
swift build -c release --scratch-path "$scratch" --product larder >&2
larder="$(swift build -c release --scratch-path "$scratch" --show-bin-path)/larder"

# 3. Data.
gen=".bench-data/ingest-$scale/gen"
data=".bench-data/recommend-$scale"
rm -rf "$data"
mkdir -p "$data"
if [[ ! -f "$gen/definitions.yaml" ]]; then
    echo "recommend bench: generating the $scale marketplace into $gen" >&2
    mkdir -p "$(dirname "$gen")"
    "$larder" generate marketplace --out "$gen" --scale "$scale" --seed 42 >/dev/null
fi
db="$data/db"
"$larder" init --db "$db" >/dev/null
"$larder" apply --db "$db" "$gen/definitions.yaml" >/dev/null
for view in interactions user_stats item_stats; do
    "$larder" ingest --db "$db" "$view" "$gen/$view.parquet" >/dev/null
done
"$larder" materialize --db "$db" --view user_stats >/dev/null

# 4. Models: version 1 in production, version 2 in staging.
train_start=$(date +%s.%N)
"$larder" recommend train --db "$db" --name ranker --model "$production" --interactions interactions \
    --stage production --reason benchmark --quiet >&2
"$larder" recommend train --db "$db" --name ranker --model "$challenger" --interactions interactions \
    --stage staging --reason "benchmark challenger" --quiet >&2
train_seconds=$(awk -v a="$train_start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')

# 5. Serve and load.
"$larder" serve --db "$db" --port 0 --recommender ranker --log-level warning > "$data/serve.out" 2> "$data/serve.err" &
server=$!
trap 'kill -TERM $server 2>/dev/null || true; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 300); do grep -q '^listening on' "$data/serve.out" 2>/dev/null && break; sleep 0.1; done
port=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$data/serve.out")
[[ -n "$port" ]] || { echo "recommend bench: larder serve did not start: $(cat "$data/serve.err")" >&2; exit 1; }
url="http://127.0.0.1:$port"
first=$(curl -s -o "$data/first.json" -w '%{time_total}' "$url/recommend?user_id=1&k=$k")
check=$(cat "$data/first.json")
echo "recommend bench: first request (loads the models) took ${first} s: $check" >&2
case "$check" in *'"items"'*'"item_id"'*) ;; *) echo "recommend bench: unexpected answer" >&2; exit 1 ;; esac
unknown=$(curl -s "$url/recommend?user_id=999999999&k=$k")
case "$unknown" in *'"fallback":true'*) ;; *) echo "recommend bench: an unknown user did not get the fallback: $unknown" >&2; exit 1 ;; esac

machine="$(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(free -g | awk '/^Mem:/ {print $2}') GiB, $(uname -r), $(swift --version 2>/dev/null | head -1 | sed 's/.*Swift version \([^ ]*\).*/Swift \1/'), $( (wrk --version 2>&1 || true) | head -1 | cut -d' ' -f1-2)"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
rows=()
IFS=, read -ra rate_list <<< "$rates"
for rate in "${rate_list[@]}"; do
    connections=$(( rate / 100 ))
    (( connections >= 1 )) || connections=1
    USERS=$users K=$k DELAY_MS=10 wrk -t1 -c"$connections" -d3s -s Benchmarks/server/recommend.lua "$url" >/dev/null 2>&1 || true
    out=$(USERS=$users K=$k DELAY_MS=10 wrk -t1 -c"$connections" -d"${seconds}s" -s Benchmarks/server/recommend.lua "$url" 2>&1)
    line=$(grep '^RESULT' <<< "$out")
    get() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<< "$line"; }
    requests=$(get requests); secs=$(get seconds)
    achieved=$(awk -v r="$requests" -v s="$secs" 'BEGIN { printf "%.0f", r / s }')
    us() { awk -v v="$1" 'BEGIN { printf "%.3f", v / 1000 }'; }
    rows+=("| $k | $rate | $achieved | $connections | $(us "$(get p50_us)") | $(us "$(get p99_us)") | $(us "$(get p999_us)") | $(us "$(get max_us)") | $(get errors) |")
    echo "recommend bench: $rate/s: $line" >&2
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
arms=$(curl -s "$url/recommend/arms")

# 6. Report.
{
    echo "The $scale marketplace ($users users); production $production (ranker@1), challenger $challenger (ranker@2) in staging, Thompson sampling. Commit $(git rev-parse --short HEAD)."
    echo "Machine: $machine. Load average before/after: $load_before / $load_after. ${seconds} s per row after a 3 s warm-up; wrk and the server share the machine."
    echo "Training both models: ${train_seconds} s. First /recommend (loads both models and the bookings): ${first} s."
    echo
    echo "| k | target req/s | achieved req/s | connections | p50 ms | p99 ms | p99.9 ms | max ms | errors |"
    echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    printf '%s\n' "${rows[@]}"
    echo
    echo "Arms after the run (the bandit's own counts; no feedback was sent, so it routes on the prior): $arms"
} | tee "$data/results.md"
