#!/usr/bin/env python3
"""Driver of the point-in-time benchmark (run.sh calls it; see there).

    bench.py --data GEN_DIR --work WORK_DIR --larder BIN [--repeat N] [--skip-ingest]

1. Ingest: `larder init`, `apply`, `ingest` of user_stats, item_stats and user_item into
   WORK/db (a one-off cost, timed and reported apart).
2. Each tool joins ranker_v1 over interactions.parquet, as its own process, N times:
   Larder (`larder historical --service ranker_v1 --out ... --json`), DuckDB and Polars
   (peers.py). Wall time and peak RSS are those of the child process (os.wait4's rusage, so
   each tool's own peak, Python's interpreter and imports included for the peers); the best
   run's time is reported, with the peak RSS of that run.
3. The outputs must be equal to Larder's: same columns, same rows in the spine's order, every
   value equal (floats bit for bit, nulls where nulls). Any difference fails the run (exit 1).

Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import peers  # noqa: E402


def timed(argv: list[str]) -> tuple[float, float, str]:
    """Runs argv; returns (seconds, peak RSS in MB, stdout). Raises on a non-zero exit."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=err)
        # communicate() would reap the child itself: read stdout, then reap with wait4, whose
        # rusage is this child's alone.
        out = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            raise SystemExit(f"{' '.join(argv)} exited with {proc.returncode}:\n{err.read().decode(errors='replace')}")
    return seconds, usage.ru_maxrss / 1024, out.decode()   # ru_maxrss is in KiB on Linux


def ingest(larder: str, data: str, db: str) -> list[tuple[str, int, float]]:
    subprocess.run(["rm", "-rf", db], check=True)
    subprocess.run([larder, "init", "--db", db], check=True, stdout=subprocess.DEVNULL)
    subprocess.run([larder, "apply", "--db", db, os.path.join(data, "definitions.yaml")], check=True, stdout=subprocess.DEVNULL)
    rows = []
    for view in ("user_stats", "item_stats", "user_item"):
        seconds, _, out = timed([larder, "ingest", "--db", db, view, os.path.join(data, view + ".parquet"), "--json"])
        rows.append((view, json.loads(out)["rows"], seconds))
    return rows


def compare(reference: str, other: str) -> list[str]:
    """Differences between two result files (empty when equal)."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    a, b = pq.read_table(reference), pq.read_table(other)
    problems = []
    if a.schema.names != b.schema.names:
        problems.append(f"columns {a.schema.names} vs {b.schema.names}")
    if a.num_rows != b.num_rows:
        problems.append(f"{a.num_rows} rows vs {b.num_rows}")
        return problems
    for name in a.schema.names:
        if name not in b.schema.names:
            continue
        x, y = a[name].combine_chunks(), b[name].combine_chunks()
        if x.type != y.type:
            try:
                y = y.cast(x.type)
            except Exception as e:   # noqa: BLE001
                problems.append(f"{name}: type {x.type} vs {y.type} ({e})")
                continue
        if x.equals(y):
            continue
        # Where exactly: nulls in different places, or different values.
        null_diff = pc.sum(pc.xor(pc.is_null(x), pc.is_null(y))).as_py() or 0
        value_diff = pc.sum(pc.fill_null(pc.not_equal(x, y), False)).as_py() if not str(x.type).startswith("list") else None
        first = next(i for i, (p, q) in enumerate(zip(x.to_pylist(), y.to_pylist())) if p != q and not (p != p and q != q))
        problems.append(f"{name}: {null_diff} rows null on one side only, {value_diff} values differ; "
                        f"first at row {first}: {x[first].as_py()!r} vs {y[first].as_py()!r}")
    return problems


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--larder", required=True)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-larder", action="store_true", help="only the peers (an engine-less build)")
    args = parser.parse_args(argv)
    os.makedirs(args.work, exist_ok=True)
    python = sys.executable
    db = os.path.join(args.work, "db")

    tools = []
    if not args.skip_larder:
        larder_out = os.path.join(args.work, "larder.parquet")
        tools.append(("Larder", [args.larder, "historical", "--db", db, "--spine", os.path.join(args.data, "interactions.parquet"),
                                 "--service", "ranker_v1", "--out", larder_out, "--json"], larder_out))
    for tool in ("duckdb", "polars"):
        out = os.path.join(args.work, f"{tool}.parquet")
        spec_path = os.path.join(args.work, f"{tool}.spec.json")
        with open(spec_path, "w") as f:
            json.dump(peers.ranker_v1_spec(args.data, out), f)
        tools.append(({"duckdb": "DuckDB", "polars": "Polars"}[tool], [python, os.path.join(HERE, "peers.py"), tool, spec_path], out))

    if not args.skip_larder:
        loaded = ingest(args.larder, args.data, db)
        total = sum(s for _, _, s in loaded)
        print(f"One-off ingest into a fresh database: {total:.2f} s ("
              + ", ".join(f"{v} {r:,} rows {s:.2f} s" for v, r, s in loaded) + ")")
        print()

    results = []
    for name, argv_, out in tools:
        best = None
        for _ in range(args.repeat):
            seconds, rss, stdout = timed(argv_)
            summary = json.loads(stdout)
            if best is None or seconds < best[0]:
                best = (seconds, rss, summary)
        results.append((name, out, *best))

    # Lineage check: the peers' spec is the service Larder resolved.
    expected_views = [(v["name"], v["features"], v["ttl_us"]) for v in peers.ranker_v1_spec(args.data, "")["views"]]
    status = 0
    if not args.skip_larder:
        lineage = [(v["view"], v["features"], v["ttl"]) for v in results[0][4]["views"]]
        if lineage != expected_views:
            print(f"peers.py's ranker_v1 spec {expected_views} differs from Larder's lineage {lineage}", file=sys.stderr)
            status = 1

    reference = results[0]
    verdicts = {reference[0]: "reference"}
    for name, out, *_ in results[1:]:
        problems = compare(reference[1], out)
        verdicts[name] = "equal" if not problems else f"{len(problems)} columns differ"
        for p in problems:
            print(f"{name} vs {reference[0]}: {p}", file=sys.stderr)
        status |= 1 if problems else 0

    views = [v[0] for v in expected_views]
    def matched_of(summary):
        if "views" in summary:
            return {v["view"]: v["matched"] for v in summary["views"]}
        return summary["matched"]
    for name, _, _, _, summary in results[1:]:
        if matched_of(summary) != matched_of(reference[4]):
            print(f"{name} matched {matched_of(summary)}, {reference[0]} {matched_of(reference[4])}", file=sys.stderr)
            verdicts[name] += ", matched counts differ"
            status = 1
    print(f"ranker_v1 over {os.path.join(args.data, 'interactions.parquet')} ({os.cpu_count()} cores, "
          f"load {os.getloadavg()[0]:.2f}), best of {args.repeat}, each tool its own process:")
    print()
    print("| tool | seconds | peak MB | rows | " + " | ".join(f"matched {v}" for v in views) + " | output |")
    print("| --- | ---: | ---: | ---: | " + " | ".join("---:" for _ in views) + " | --- |")
    for name, out, seconds, rss, summary in results:
        rows = summary["rows"]
        matched = matched_of(summary)
        print(f"| {name} | {seconds:.2f} | {rss:,.0f} | {rows:,} | "
              + " | ".join(f"{matched.get(v, 0):,}" for v in views) + f" | {verdicts[name]} |")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
