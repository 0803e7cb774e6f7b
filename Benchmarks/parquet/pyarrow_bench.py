#!/usr/bin/env python3
"""pyarrow's side of the Parquet benchmark, measured in the same run as Larder's.

    pyarrow_bench.py --input PATH --work DIR --codec zstd --level 1 --repeat 3

Loads PATH (made by make_input.py) into memory once, then times, after one warm-up run each:
  write: pq.write_table(table, DIR/pyarrow-<codec>.parquet, compression=codec,
         compression_level=level), pyarrow's defaults otherwise (dictionary on, 1 MiB pages,
         its default row-group size, statistics on);
  scan:  pq.read_table(that file, use_threads=True), i.e. every column, on all cores.
Every write is checked (the footer's row count) and every scan is checked against the input's
digest (PATH.json: row count and one checksum per column) before its time counts.
Prints one JSON object on stdout: rows, decodedBytes, fileBytes, and for write and scan the
best and median seconds, MB/s (decoded bytes / 10^6 / best seconds) and rows/s.
"""

import argparse
import json
import os
import platform
import statistics
import sys
import time

import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import decoded_bytes, table_digest  # noqa: E402

CODECS = {"zstd": "zstd", "lz4_raw": "lz4", "lz4": "lz4", "snappy": "snappy", "uncompressed": "none", "none": "none"}


def summarize(seconds: list[float], rows: int, nbytes: int) -> dict:
    best = min(seconds)
    return {
        "seconds": seconds,
        "bestSeconds": best,
        "medianSeconds": statistics.median(seconds),
        "mbPerSecond": nbytes / 1e6 / best,
        "rowsPerSecond": rows / best,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--input", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--codec", default="zstd", choices=sorted(CODECS))
    parser.add_argument("--level", type=int, default=None, help="compression level (zstd: 1 by default)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    with open(args.input + ".json") as f:
        expected = json.load(f)
    table = pq.read_table(args.input)
    if table_digest(table) != expected:
        print(f"error: {args.input} does not match its digest {args.input}.json; remake the input",
              file=sys.stderr)
        return 1
    rows = table.num_rows
    nbytes = decoded_bytes(table)

    codec = CODECS[args.codec]
    level = args.level if args.level is not None else (1 if codec == "zstd" else None)
    label = args.codec if level is None else f"{args.codec}-{level}"
    os.makedirs(args.work, exist_ok=True)
    path = os.path.join(args.work, f"pyarrow-{label}.parquet")

    write_seconds = []
    for i in range(args.repeat + 1):
        if os.path.exists(path):
            os.remove(path)  # as Larder's harness does: no truncation inside the timed region
        started = time.perf_counter()
        pq.write_table(table, path, compression=codec, compression_level=level)
        elapsed = time.perf_counter() - started
        written = pq.ParquetFile(path).metadata.num_rows
        if written != rows:
            print(f"error: wrote {written} rows, expected {rows}", file=sys.stderr)
            return 1
        if i > 0:
            write_seconds.append(elapsed)
    file_bytes = os.path.getsize(path)
    row_groups = pq.ParquetFile(path).metadata.num_row_groups

    scan_seconds = []
    for i in range(args.repeat + 1):
        started = time.perf_counter()
        scanned = pq.read_table(path, use_threads=True)
        elapsed = time.perf_counter() - started
        if table_digest(scanned) != expected:
            print(f"error: the scan of {path} does not match the input's digest", file=sys.stderr)
            return 1
        del scanned
        if i > 0:
            scan_seconds.append(elapsed)

    result = {
        "tool": "pyarrow",
        "version": pa.__version__,
        "python": platform.python_version(),
        "cpuCount": pa.cpu_count(),
        "codec": label,
        "level": level,
        "rows": rows,
        "decodedBytes": nbytes,
        "fileBytes": file_bytes,
        "rowGroups": row_groups,
        "file": path,
        "write": summarize(write_seconds, rows, nbytes),
        "scan": summarize(scan_seconds, rows, nbytes),
    }
    json.dump(result, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
