#!/usr/bin/env bash
# The HTTP feature-server benchmark: `larder serve` (release build) on loopback, driven by wrk
# at fixed request rates. BENCHMARKS.md ("Feature server") describes it.
#
#   Benchmarks/server/run.sh [--rates 1000,5000,10000] [--batches 1,100] [--seconds 20]
#                            [--pacing jitter|fixed] [--pin]
#
# --pacing: each connection's wait before a request is uniform in 0..20 ms (jitter, the default:
# requests spread over time) or exactly 10 ms (fixed: connections that started together stay
# in step and send in bursts; the pacing of the figures before 2026-11-23 23:00).
# --pin runs the server with one event loop on core 1 and wrk on core 0 (taskset), instead of
# both free on every core (the default).
#
# 1. Installs wrk (Debian's package) when missing (as root, or through sudo -n; otherwise it
#    prints the command).
# 2. Builds the larder tool in release mode (scratch path .build-server-release).
# 3. Generates the small marketplace (5,000 users, 1M user_stats rows), ingests user_stats and
#    materializes it, in .bench-data/server.
# 4. Starts `larder serve` on a free loopback port and, for each batch size and rate, runs wrk
#    (one thread) with Benchmarks/server/load.lua: POST /get-online-features for two features of
#    user_stats, user ids uniform in 1..5000. Rates are fixed by pacing: each connection waits
#    10 ms on average before each request, and the rate sets the connection count (rate / 100), so the
#    offered load does not depend on the server's speed as long as responses take well under
#    10 ms. The achieved rate is reported beside the target. wrk times each request from its
#    send to its response; pacing per connection keeps a slow response from hiding the queue it
#    causes only within its own connection (the p99.9 column is the one to watch for that).
# 5. Prints a Markdown table (also in .bench-data/server/results.md).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"

rates=1000,5000,10000
batches=1,100
seconds=20
pin=0
pacing=jitter
usage() { sed -n '2,27p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
while [[ $# -gt 0 ]]; do
    case "$1" in
        --rates) rates=$2; shift 2 ;;
        --batches) batches=$2; shift 2 ;;
        --seconds) seconds=$2; shift 2 ;;
        --pin) pin=1; shift ;;
        --pacing) pacing=$2; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "server bench: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
    esac
done
[[ $pacing == jitter || $pacing == fixed ]] || { echo "server bench: --pacing $pacing: expected jitter or fixed" >&2; exit 2; }

# 1. wrk.
if ! command -v wrk >/dev/null 2>&1; then
    if ((EUID == 0)); then sudo=()
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo=(sudo -n)
    else
        echo "server bench: wrk is missing; run as root: apt-get install -y wrk" >&2
        exit 1
    fi
    echo "server bench: installing wrk" >&2
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get update -q >/dev/null
    "${sudo[@]}" apt-get install -y -q --no-install-recommends wrk >/dev/null
fi

# 2. Release build.
# SCRATCH=path reuses another release build's scratch path (default .build-server-release).
scratch="${SCRATCH:-.build-server-release}"
swift build -c release --scratch-path "$scratch" --product larder >&2
larder="$(swift build -c release --scratch-path "$scratch" --show-bin-path)/larder"

# 3. Data.
data=.bench-data/server
rm -rf "$data"
mkdir -p "$data"
"$larder" generate marketplace --out "$data/gen" --scale small --seed 7 >/dev/null
"$larder" init --db "$data/db" >/dev/null
"$larder" apply --db "$data/db" "$data/gen/definitions.yaml" >/dev/null
"$larder" ingest --db "$data/db" user_stats "$data/gen/user_stats.parquet" >/dev/null
"$larder" materialize --db "$data/db" --view user_stats >/dev/null

# 4. Serve and load.
serve_prefix=() wrk_prefix=() serve_flags=()
if ((pin)); then serve_prefix=(taskset -c 1) wrk_prefix=(taskset -c 0) serve_flags=(--event-loops 1); fi
"${serve_prefix[@]}" "$larder" serve --db "$data/db" --port 0 --log-level warning "${serve_flags[@]}" > "$data/serve.out" 2> "$data/serve.err" &
server=$!
trap 'kill -TERM $server 2>/dev/null || true; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q '^listening on' "$data/serve.out" 2>/dev/null && break; sleep 0.1; done
port=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$data/serve.out")
[[ -n "$port" ]] || { echo "server bench: larder serve did not start: $(cat "$data/serve.err")" >&2; exit 1; }
url="http://127.0.0.1:$port"
check=$(curl -s -X POST "$url/get-online-features" -H 'Content-Type: application/json' \
    -d '{"features": ["user_stats:visits_7d"], "entities": {"user_id": [1, 2, 3]}}')
echo "server bench: sample answer: $check" >&2
case "$check" in *'"results"'*) ;; *) echo "server bench: unexpected answer" >&2; exit 1 ;; esac

machine="$(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(free -g | awk '/^Mem:/ {print $2}') GiB, $(uname -r), $(swift --version 2>/dev/null | head -1 | sed 's/.*Swift version \([^ ]*\).*/Swift \1/'), $( (wrk --version 2>&1 || true) | head -1 | cut -d' ' -f1-2)"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
rows=()
IFS=, read -ra batch_list <<< "$batches"
IFS=, read -ra rate_list <<< "$rates"
for batch in "${batch_list[@]}"; do
    for rate in "${rate_list[@]}"; do
        connections=$(( rate / 100 ))
        (( connections >= 1 )) || connections=1
        # Warm up (connections, caches), then measure.
        USERS=5000 BATCH=$batch DELAY_MS=10 PACING=$pacing "${wrk_prefix[@]}" wrk -t1 -c"$connections" -d3s -s Benchmarks/server/load.lua "$url" >/dev/null 2>&1 || true
        out=$(USERS=5000 BATCH=$batch DELAY_MS=10 PACING=$pacing "${wrk_prefix[@]}" wrk -t1 -c"$connections" -d"${seconds}s" -s Benchmarks/server/load.lua "$url" 2>&1)
        line=$(grep '^RESULT' <<< "$out")
        get() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<< "$line"; }
        requests=$(get requests); secs=$(get seconds)
        achieved=$(awk -v r="$requests" -v s="$secs" 'BEGIN { printf "%.0f", r / s }')
        us() { awk -v v="$1" 'BEGIN { printf "%.3f", v / 1000 }'; }
        rows+=("| $batch | $rate | $achieved | $connections | $(us "$(get p50_us)") | $(us "$(get p99_us)") | $(us "$(get p999_us)") | $(us "$(get max_us)") | $(get errors) |")
        echo "server bench: batch $batch, $rate/s: $line" >&2
    done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
served=$(curl -s "$url/metrics" | sed -n 's/^larder_rows_served_total //p')

# 5. Report.
{
    placement="wrk and the server share the machine"
    ((pin)) && placement="the server on core 1 with one event loop, wrk on core 0 (--pin)"
    echo "Machine: $machine. Load average before/after: $load_before / $load_after. ${seconds} s per row after a 3 s warm-up; pacing $pacing; $placement."
    echo
    echo "| entities per request | target req/s | achieved req/s | connections | p50 ms | p99 ms | p99.9 ms | max ms | errors |"
    echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    printf '%s\n' "${rows[@]}"
    echo
    echo "Rows served in the run (the server's own counter): $served."
} | tee "$data/results.md"
