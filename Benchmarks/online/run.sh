#!/usr/bin/env bash
# The online-store benchmark: Larder's LarderOnline against LMDB and SQLite (through their C
# APIs), the same rows into each, in one run. BENCHMARKS.md ("Online store") describes it.
#
#   Benchmarks/online/run.sh [--entities 1000000,10000000] [--repeat 3] [--lookups 1000000]
#                            [--only larder,lmdb,sqlite] [--no-tmpfs]
#
# 1. Installs liblmdb-dev, libsqlite3-dev and pkg-config when missing (as root, or through
#    sudo -n; otherwise it prints the command). Only this benchmark needs them: `make test`
#    does not.
# 2. Builds Benchmarks/ in release mode (the OnlineBench executable; the first build also
#    compiles Larder's modules: minutes on 2 cores).
# 3. Runs it: for each entity count and store, full builds (durable, on the repository's disk
#    in .bench-data/online/work; also on /dev/shm when it is a tmpfs with room, unless
#    --no-tmpfs), single and batch-of-100 reads with checksums, incremental upserts of 1% of
#    the entities, then deletes the store. 10M entities need about 4 GB of free disk (one
#    store at a time) and about 6 GB of memory.
# 4. Prints the Markdown tables (also in .bench-data/online/results/summary.md, with every
#    figure in results.json beside it).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"

args=()
tmpfs=1
usage() { sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
while [[ $# -gt 0 ]]; do
    case "$1" in
        --entities|--repeat|--lookups|--only|--batches) args+=("$1" "$2"); shift 2 ;;
        --no-tmpfs) tmpfs=0; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "online bench: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
    esac
done

# 1. The baselines' C libraries.
packages=(liblmdb-dev libsqlite3-dev pkg-config)
missing=()
for pkg in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done
if ((${#missing[@]})); then
    if ((EUID == 0)); then sudo=()
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo=(sudo -n)
    else
        echo "online bench: missing Debian packages: ${missing[*]}; run as root: apt-get install -y ${missing[*]}" >&2
        exit 1
    fi
    echo "online bench: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get update -q >/dev/null
    "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi

# 2. Release build.
swift build -c release --package-path Benchmarks --scratch-path Benchmarks/.build --product OnlineBench >&2
bench="Benchmarks/.build/release/OnlineBench"

# 3. Run.
data=.bench-data/online
rm -rf "$data/work" "$data/results"
mkdir -p "$data/work" "$data/results"
echo "online bench: free disk in $data: $(df -h --output=avail "$data" | tail -1 | tr -d ' ')" >&2
if ((tmpfs)) && [[ "$(stat -f -c %T /dev/shm 2>/dev/null)" == "tmpfs" ]] \
        && (( $(df --output=avail -k /dev/shm | tail -1) > 8 * 1024 * 1024 )); then
    shm="/dev/shm/larder-online-bench-$$"
    mkdir -p "$shm"
    trap 'rm -rf "$shm"' EXIT
    args+=(--tmpfs "$shm")
fi
machine="$(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(free -g | awk '/^Mem:/ {print $2}') GiB, $(uname -r), $(swift --version 2>/dev/null | head -1 | sed 's/.*Swift version \([^ ]*\).*/Swift \1/'), SQLite $(dpkg-query -W -f='${Version}' libsqlite3-dev), LMDB $(dpkg-query -W -f='${Version}' liblmdb-dev)"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
"$bench" --work "$data/work" --results "$data/results" ${args[@]+"${args[@]}"} > /dev/null
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
rm -rf "$data/work"

# 4. Report.
{
    echo "$machine; commit $(git rev-parse --short HEAD); started $started; load average $load_before at the start, $load_after at the end"
    echo
    cat "$data/results/summary.md"
} > "$data/results/report.md"
cat "$data/results/report.md"
