#!/usr/bin/env python3
"""Driver of the data-quality benchmark (run.sh calls it; see there).

    bench.py --data USER_STATS.parquet --work WORK_DIR [--definitions DEFS.yaml --larder BIN]
             [--repeat N] [--skip-ge]

1. Writes WORK/suite.json: the 12-expectation GE 1.x suite of issue 7 over user_stats.
2. Great Expectations 1.x on pandas (scripts/interop/ge_validate.py, its own process): the
   Parquet read and pandas conversion, GE's batch setup and GE's validation are timed apart by
   the script; the process's wall time and peak RSS come from os.wait4. Best of N by
   validation time.
3. Larder (when `larder validate` exists): WORK/definitions.yaml = the generated definitions
   plus the suite (`file: suite.json`), `init`, `apply` and `ingest` of user_stats into WORK/db
   (ungated and gated with the suite, alternating, best of N each; reported apart), then `larder validate user_stats --suite user_stats_checks`,
   its own process, N times (best by its reported validation time; it also reports the table
   scan), and once with `--json` for the results.
4. Both must agree on every expectation's success flag and unexpected count (where GE reports
   one); any difference fails the run (exit 1).

Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
GE_VALIDATE = os.path.join(ROOT, "scripts", "interop", "ge_validate.py")
SUITE_NAME = "user_stats_checks"


def suite() -> dict:
    """The issue's 12 expectations: not null x2, between x2, in set, compound unique, mean,
    median, value lengths, row count, mostly-not-null, regex."""
    def expect(kind, **kwargs):
        return {"type": kind, "kwargs": kwargs}
    return {
        "name": SUITE_NAME,
        "expectations": [
            expect("expect_column_values_to_not_be_null", column="user_id"),
            expect("expect_column_values_to_not_be_null", column="event_ts"),
            expect("expect_column_values_to_be_between", column="visits_7d", min_value=0, max_value=1000),
            expect("expect_column_values_to_be_between", column="spend_30d", min_value=0, max_value=10000, mostly=0.999),
            expect("expect_column_values_to_be_in_set", column="region", value_set=["north", "south", "east", "west"]),
            expect("expect_compound_columns_to_be_unique", column_list=["user_id", "event_ts"]),
            expect("expect_column_mean_to_be_between", column="spend_30d", min_value=0, max_value=2000),
            expect("expect_column_median_to_be_between", column="visits_7d", min_value=0, max_value=50),
            expect("expect_column_value_lengths_to_be_between", column="fav_category", min_value=3, max_value=8),
            expect("expect_table_row_count_to_be_between", min_value=1, max_value=100_000_000),
            expect("expect_column_values_to_not_be_null", column="spend_30d", mostly=0.95),
            expect("expect_column_values_to_match_regex", column="fav_category", regex="^[a-z]+$"),
        ],
    }


def timed(argv: list[str], ok: tuple[int, ...] = (0,)) -> tuple[float, float, str]:
    """Runs argv; returns (wall seconds, peak RSS in MB, stdout). Exits on a status not in ok."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=err)
        out = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)   # this child's own rusage
        seconds = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        if code not in ok:
            err.seek(0)
            raise SystemExit(f"{' '.join(argv)} exited with {code}:\n{err.read().decode(errors='replace')}")
    return seconds, usage.ru_maxrss / 1024, out.decode()   # ru_maxrss is KiB on Linux


def run_ge(data: str, suite_path: str, repeat: int) -> dict:
    best = None
    for _ in range(repeat):
        seconds, peak, out = timed([sys.executable, "-B", GE_VALIDATE, data, "--suite", suite_path])
        report = json.loads(out)
        report["process_seconds"], report["process_peak_mb"] = seconds, peak
        if best is None or report["validate_seconds"] < best["validate_seconds"]:
            best = report
    return best


def larder_has_validate(larder: str) -> bool:
    return subprocess.run([larder, "validate", "--help"], stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL).returncode == 0


def run_larder(larder: str, definitions: str, data: str, suite_path: str, work: str, repeat: int) -> dict:
    """The generated definitions plus the suite (`file: suite.json`, not attached to the view,
    so the ingest is not gated), a fresh database with user_stats ingested, then `larder
    validate` N times as text (its read and validation times) and once as GE JSON (the results
    compared with GE's). `larder validate` exits 1 when the suite fails, as it does here."""
    defs = os.path.join(work, "definitions.yaml")
    with open(definitions, encoding="utf-8") as source, open(defs, "w", encoding="utf-8") as out:
        out.write(source.read())
        out.write(f"\nexpectation_suites:\n  - name: {SUITE_NAME}\n    file: {os.path.basename(suite_path)}\n")
    db = os.path.join(work, "db")
    # Ungated and gated ingests alternate, best of N each, so the page cache and the
    # machine's state treat both alike; the last ungated database is the one validated.
    ingest_seconds = gated_seconds = float("inf")
    for _ in range(repeat):
        subprocess.run(["rm", "-rf", db], check=True)
        subprocess.run([larder, "init", "--db", db], check=True, stdout=subprocess.DEVNULL)
        subprocess.run([larder, "apply", "--db", db, defs], check=True, stdout=subprocess.DEVNULL)
        seconds, _, _ = timed([larder, "ingest", "--db", db, "user_stats", data, "--json"])
        ingest_seconds = min(ingest_seconds, seconds)
        gated_seconds = min(gated_seconds, gated_ingest(larder, defs, data, work))
    command = [larder, "validate", "--db", db, "user_stats", "--suite", SUITE_NAME]
    best = None
    for _ in range(repeat):
        seconds, peak, out = timed(command, ok=(0, 1))
        times = re.search(r"\(read ([0-9.]+) s, validated ([0-9.]+) s\)", out)
        if times is None:
            raise SystemExit(f"larder validate printed no timings:\n{out[:2000]}")
        run = {"process_seconds": seconds, "process_peak_mb": peak,
               "read_seconds": float(times.group(1)), "validate_seconds": float(times.group(2))}
        if best is None or run["validate_seconds"] < best["validate_seconds"]:
            best = run
    _, _, out = timed(command + ["--json"], ok=(0, 1))
    best["report"] = json.loads(out)
    best["ingest_seconds"] = ingest_seconds
    best["gated_ingest_seconds"] = gated_seconds
    return best


def gated_ingest(larder: str, defs: str, data: str, work: str) -> float:
    """The same ingest into a second fresh database whose user_stats view carries the suite
    with `on_invalid: warn` (the suite fails on this data, as GE agrees, so `reject` would
    commit nothing): the gate's cost is this time against the ungated ingest's."""
    with open(defs, encoding="utf-8") as handle:
        text = handle.read()
    anchor = "  - name: user_stats\n"
    if anchor not in text:
        raise SystemExit(f"{defs}: no user_stats feature view to attach the suite to")
    text = text.replace(anchor, anchor + f"    expectation_suite: {SUITE_NAME}\n    on_invalid: warn\n", 1)
    gated_defs = os.path.join(work, "definitions-gated.yaml")
    with open(gated_defs, "w", encoding="utf-8") as handle:
        handle.write(text)
    db = os.path.join(work, "db-gated")
    subprocess.run(["rm", "-rf", db], check=True)
    subprocess.run([larder, "init", "--db", db], check=True, stdout=subprocess.DEVNULL)
    subprocess.run([larder, "apply", "--db", db, gated_defs], check=True, stdout=subprocess.DEVNULL)
    seconds, _, out = timed([larder, "ingest", "--db", db, "user_stats", data, "--json"])
    result = json.loads(out)
    if "quality" not in json.dumps(result):
        raise SystemExit(f"the gated ingest reported no quality result:\n{out[:2000]}")
    subprocess.run(["rm", "-rf", db], check=True)
    return seconds


def larder_results(report: dict) -> list[dict]:
    """(type, success, unexpected_count) per expectation from Larder's JSON, which follows GE's
    shape: results[i] = {"success", "expectation_config": {"type"}, "result": {...}}, or the
    flat form of ge_validate.py."""
    out = []
    for item in report.get("results", []):
        config = item.get("expectation_config", {})
        result = item.get("result", item)
        out.append({
            "type": item.get("type", config.get("type")),
            "success": item.get("success"),
            "unexpected_count": result.get("unexpected_count"),
            "observed_value": result.get("observed_value"),
        })
    return out


def compare(ge: dict, larder: list[dict]) -> list[str]:
    problems = []
    if len(ge["results"]) != len(larder):
        return [f"GE has {len(ge['results'])} results, Larder {len(larder)}"]
    for mine, theirs in zip(ge["results"], larder):
        where = f"#{mine['index']} {mine['type']}"
        if theirs["type"] not in (None, mine["type"]):
            problems.append(f"{where}: Larder's result is for {theirs['type']}")
        if mine["success"] != theirs["success"]:
            problems.append(f"{where}: success GE {mine['success']} vs Larder {theirs['success']}")
        if mine["unexpected_count"] is not None and mine["unexpected_count"] != theirs["unexpected_count"]:
            problems.append(f"{where}: unexpected_count GE {mine['unexpected_count']} vs Larder {theirs['unexpected_count']}")
    return problems


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--definitions")
    parser.add_argument("--larder")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--skip-ge", action="store_true")
    args = parser.parse_args(argv)

    os.makedirs(args.work, exist_ok=True)
    suite_path = os.path.join(args.work, "suite.json")
    with open(suite_path, "w", encoding="utf-8") as handle:
        json.dump(suite(), handle, indent=1)
    import pyarrow.parquet as pq
    rows = pq.ParquetFile(args.data).metadata.num_rows
    print(f"user_stats: {rows:,} rows ({args.data}); suite: {suite_path} (12 expectations)"
          + (f"; larder: {args.larder}" if args.larder else ""))
    print()

    ge = None if args.skip_ge else run_ge(args.data, suite_path, args.repeat)
    larder = None
    if args.larder and args.definitions:
        if larder_has_validate(args.larder):
            larder = run_larder(args.larder, args.definitions, args.data, suite_path, args.work, args.repeat)
        else:
            print("larder validate not available yet: Larder's side is skipped")
            print()

    print("| tool | validation s | load + setup s | process s | peak RSS MB | suite success |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    if ge:
        print(f"| Great Expectations {ge['versions']['great_expectations']} (pandas {ge['versions']['pandas']}) "
              f"| {ge['validate_seconds']:.2f} | {ge['load_seconds']:.2f} + {ge['setup_seconds']:.2f} "
              f"| {ge['process_seconds']:.2f} | {ge['process_peak_mb']:.0f} | {ge['success']} |")
    if larder:
        report = larder["report"]
        print(f"| Larder (`larder validate`) | {larder['validate_seconds']:.2f} | {larder['read_seconds']:.2f} (table scan) "
              f"| {larder['process_seconds']:.2f} | {larder['process_peak_mb']:.0f} | {report.get('success')} |")
    if ge:
        print()
        print("| # | expectation | GE success | GE unexpected | GE observed |" + (" Larder success | Larder unexpected | Larder observed |" if larder else ""))
        print("| ---: | --- | --- | ---: | --- |" + (" --- | ---: | --- |" if larder else ""))
        mine = larder_results(larder["report"]) if larder else []
        for i, r in enumerate(ge["results"]):
            column = r["kwargs"].get("column") or ",".join(r["kwargs"].get("column_list", [])) or "table"
            observed = "" if r["observed_value"] is None else json.dumps(r["observed_value"])[:40]
            line = f"| {i} | {r['type'][7:]} ({column}) | {r['success']} | {'' if r['unexpected_count'] is None else r['unexpected_count']} | {observed} |"
            if larder and i < len(mine):
                theirs = mine[i]["observed_value"]
                line += (f" {mine[i]['success']} | {'' if mine[i]['unexpected_count'] is None else mine[i]['unexpected_count']}"
                         f" | {'' if theirs is None else json.dumps(theirs)[:40]} |")
            print(line)
    if ge and larder:
        problems = compare(ge, larder_results(larder["report"]))
        if problems:
            print("\nGE and Larder disagree:\n  " + "\n  ".join(problems))
            return 1
        print(f"\nGE and Larder agree on every success flag and unexpected count. Validation alone: GE "
              f"{ge['validate_seconds']:.2f} s, Larder {larder['validate_seconds']:.2f} s "
              f"({ge['validate_seconds'] / max(larder['validate_seconds'], 1e-9):.0f}x); whole processes: GE "
              f"{ge['process_seconds']:.2f} s, Larder {larder['process_seconds']:.2f} s "
              f"({ge['process_seconds'] / larder['process_seconds']:.1f}x). Larder's ingest of the data (best of {args.repeat}): "
              f"{larder['ingest_seconds']:.2f} s; with the suite as its gate (on_invalid: warn): "
              f"{larder['gated_ingest_seconds']:.2f} s (+{100 * (larder['gated_ingest_seconds'] / larder['ingest_seconds'] - 1):.0f}%).")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
