#!/usr/bin/env python3
"""Write a Parquet file with pyarrow from a canonical JSON table (format: canonical.py).

    write_parquet.py INPUT.json OUTPUT.parquet [options]

Types written: int32, int64, float32, float64, bool, string, binary, timestamp ->
timestamp[us, tz=UTC], date -> date32, array<float32> -> list<float32>, and
array<float32>[D] -> fixed_size_list<float32, D>. A column object may carry
"nullable": false, which makes the Parquet column REQUIRED.

Options (pyarrow.parquet.write_table's, with pyarrow's defaults unless given):
    --compression none|snappy|gzip|zstd|lz4|brotli   (lz4 writes LZ4_RAW, codec 7)
    --compression-level N
    --data-page-version 1.0|2.0
    --use-dictionary true|false
    --row-group-size ROWS
    --data-page-size BYTES        (pages are cut between write batches)
    --write-batch-size ROWS
    --dictionary-pagesize-limit BYTES   (small values force a fallback to PLAIN)
    --statistics true|false
    --int96                       (timestamps as deprecated INT96)
    --timestamp-unit ms|us        (coerce_timestamps)
    --format-version 1.0|2.4|2.6  (Parquet logical-type vocabulary)
    --no-arrow-schema             (omit the ARROW:schema key/value metadata)
"""

from __future__ import annotations

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import canonical  # noqa: E402


def boolean(text: str) -> bool:
    lowered = text.lower()
    if lowered in ("true", "1", "yes", "on"):
        return True
    if lowered in ("false", "0", "no", "off"):
        return False
    raise argparse.ArgumentTypeError(f"expected true or false, got {text!r}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input")
    parser.add_argument("output")
    parser.add_argument("--compression", default="snappy",
                        choices=["none", "snappy", "gzip", "zstd", "lz4", "brotli"])
    parser.add_argument("--compression-level", type=int)
    parser.add_argument("--data-page-version", choices=["1.0", "2.0"], default="1.0")
    parser.add_argument("--use-dictionary", type=boolean, default=True)
    parser.add_argument("--row-group-size", type=int)
    parser.add_argument("--data-page-size", type=int)
    parser.add_argument("--write-batch-size", type=int)
    parser.add_argument("--dictionary-pagesize-limit", type=int)
    parser.add_argument("--statistics", type=boolean, default=True)
    parser.add_argument("--int96", action="store_true")
    parser.add_argument("--timestamp-unit", choices=["ms", "us"])
    parser.add_argument("--format-version", choices=["1.0", "2.4", "2.6"], default="2.6")
    parser.add_argument("--no-arrow-schema", action="store_true")
    args = parser.parse_args(argv)

    import pyarrow.parquet as pq

    try:
        table = canonical.to_pyarrow(canonical.load(args.input))
    except Exception as error:
        print(f"write_parquet.py: {args.input}: {type(error).__name__}: {error}", file=sys.stderr)
        return 1

    options = dict(
        compression=args.compression,
        data_page_version=args.data_page_version,
        use_dictionary=args.use_dictionary,
        write_statistics=args.statistics,
        use_deprecated_int96_timestamps=args.int96,
        version=args.format_version,
        store_schema=not args.no_arrow_schema,
    )
    for key, value in (
        ("compression_level", args.compression_level),
        ("row_group_size", args.row_group_size),
        ("data_page_size", args.data_page_size),
        ("write_batch_size", args.write_batch_size),
        ("dictionary_pagesize_limit", args.dictionary_pagesize_limit),
        ("coerce_timestamps", args.timestamp_unit),
    ):
        if value is not None:
            options[key] = value
    try:
        pq.write_table(table, args.output, **options)
    except Exception as error:
        print(f"write_parquet.py: writing {args.output}: {type(error).__name__}: {error}",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
