#!/usr/bin/env python3
"""Print the Parquet benchmark's results side by side, as a Markdown table.

    report.py RESULTS_DIR [--expect NAME ...] [--repeat N]

With --expect, exits 1 (after printing what there is) when RESULTS_DIR/NAME.json is missing or,
with --repeat, holds fewer than N measured runs: a benchmark whose check failed records nothing
more, and package-benchmark itself exits 0 when a benchmark fails.
Reads RESULTS_DIR/pyarrow-*.json (pyarrow_bench.py's output) and RESULTS_DIR/larder-*.json
(written by the Swift benchmarks in Benchmarks/Benchmarks/ParquetBenchmarks). MB/s is decoded
bytes (see common.py) / 10^6 / the best of the measured runs; file MB is 10^6 bytes.
"""

import argparse
import glob
import json
import os
import sys


def load(directory: str, pattern: str) -> list[dict]:
    results = []
    for path in sorted(glob.glob(os.path.join(directory, pattern))):
        with open(path) as f:
            results.append(json.load(f))
    return results


def fmt_rate(value: float | None, scale: float = 1.0, digits: int = 0) -> str:
    return "n/a" if value is None else f"{value / scale:,.{digits}f}"


def fmt_ratio(a: float | None, b: float | None) -> str:
    return "n/a" if not a or not b else f"{a / b:.2f}x"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("directory")
    parser.add_argument("--expect", nargs="*", default=[])
    parser.add_argument("--repeat", type=int, default=None)
    args = parser.parse_args()
    directory = args.directory
    pyarrow = load(directory, "pyarrow-*.json")
    larder = load(directory, "larder-*.json")
    if not pyarrow and not larder:
        print(f"no results in {directory}", file=sys.stderr)
        return 1

    # codec -> tool -> {"write": report, "scan": report, "fileBytes": n}
    rows: dict[str, dict[str, dict]] = {}
    order: list[str] = []

    def slot(codec: str, tool: str) -> dict:
        if codec not in rows:
            rows[codec] = {}
            order.append(codec)
        return rows[codec].setdefault(tool, {})

    for result in pyarrow:
        entry = slot(result["codec"], f"pyarrow {result['version']}")
        entry["write"], entry["scan"], entry["fileBytes"] = result["write"], result["scan"], result["fileBytes"]
        entry["rows"] = result["rows"]
    extras = []
    for result in larder:
        if result["operation"] == "write" and result["threads"] == 1:
            extras.append(result)
            continue
        if result["operation"] == "scan" and (result["fileWrittenBy"] != "larder"
                                              or result.get("result", "one batch") == "one batch"):
            extras.append(result)
            continue
        entry = slot(result["codec"], "larder")
        entry[result["operation"]] = result
        entry["rows"] = result["rows"]
        if result["operation"] == "write" or "fileBytes" not in entry:
            entry["fileBytes"] = result["fileBytes"]

    preferred = ["zstd-1", "lz4_raw", "uncompressed"]
    order.sort(key=lambda c: (preferred.index(c) if c in preferred else len(preferred), c))

    row_counts = {e.get("rows") for tools in rows.values() for e in tools.values()}
    print(f"Parquet write and full scan, {', '.join(f'{n:,}' for n in sorted(r for r in row_counts if r))} rows "
          f"(best of the measured runs; MB = 10^6 bytes of decoded data)")
    print()
    print("| tool | codec | write MB/s | write rows/s | scan MB/s | scan rows/s | file MB |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for codec in order:
        tools = rows[codec]
        for tool in sorted(tools, key=lambda t: (t != "larder", t)):
            e = tools[tool]
            w, s = e.get("write"), e.get("scan")
            print(f"| {tool} | {codec} | {fmt_rate(w and w['mbPerSecond'])} | "
                  f"{fmt_rate(w and w['rowsPerSecond'], 1e6, 2)}M | {fmt_rate(s and s['mbPerSecond'])} | "
                  f"{fmt_rate(s and s['rowsPerSecond'], 1e6, 2)}M | {fmt_rate(e.get('fileBytes'), 1e6, 1)} |")
        larder_entry = tools.get("larder")
        py = next((v for k, v in tools.items() if k.startswith("pyarrow")), None)
        if larder_entry and py:
            lw, ls = larder_entry.get("write"), larder_entry.get("scan")
            print(f"| larder / pyarrow | {codec} | {fmt_ratio(lw and lw['mbPerSecond'], py['write']['mbPerSecond'])} | | "
                  f"{fmt_ratio(ls and ls['mbPerSecond'], py['scan']['mbPerSecond'])} | | "
                  f"{fmt_ratio(larder_entry.get('fileBytes'), py.get('fileBytes'))} |")
    if extras:
        print()
        for e in extras:
            if e["operation"] == "write":
                what = f"larder write {e['codec']}, 1 thread"
            elif e["fileWrittenBy"] != "larder":
                what = f"larder scan of {e['fileWrittenBy']}'s {e['codec']} file"
            else:
                what = f"larder scan {e['codec']} into {e.get('result')} (read(), which also concatenates the row groups)"
            print(f"- {what}: {e['mbPerSecond']:,.0f} MB/s, {e['rowsPerSecond'] / 1e6:,.2f}M rows/s "
                  f"(best {e['bestSeconds']:.3f} s, median {e['medianSeconds']:.3f} s)")
    print()
    print("Seconds per run (best / median):")
    for codec in order:
        for tool, e in sorted(rows[codec].items()):
            parts = []
            for op in ("write", "scan"):
                if e.get(op):
                    parts.append(f"{op} {e[op]['bestSeconds']:.3f} / {e[op]['medianSeconds']:.3f}")
            print(f"- {tool} {codec}: {', '.join(parts)}")
    return check_expected(directory, args.expect, args.repeat)


def check_expected(directory: str, names: list[str], repeat: int | None) -> int:
    problems = []
    for name in names:
        path = os.path.join(directory, f"{name}.json")
        if not os.path.exists(path):
            problems.append(f"{name}: no result (the benchmark failed; see its output above)")
            continue
        with open(path) as f:
            result = json.load(f)
        for op in ("write", "scan"):
            runs = len(result.get(op, {}).get("seconds", [])) if op in result else None
            if runs is not None and repeat is not None and runs < repeat:
                problems.append(f"{name}: {op} has {runs} of {repeat} runs (a check failed; see above)")
        if "seconds" in result and repeat is not None and len(result["seconds"]) < repeat:
            problems.append(f"{name}: {len(result['seconds'])} of {repeat} runs (a check failed; see above)")
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
