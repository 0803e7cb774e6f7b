#!/usr/bin/env python3
"""Read one version of a Delta Lake table with one engine and print it as canonical JSON.

    read_delta.py TABLE_DIR --engine deltalake|polars [--version N] [--sort-by COL,COL]
                  [--filter SQL] [--no-engine-info]

The engines, each a different Parquet reader on top of delta-rs's log replay:

  deltalake  delta-rs end to end: `DeltaTable(path, version=N).scan()`, the DataFusion scan
             (arrow-rs Parquet reader; honours deletion vectors and column mapping). Not
             `to_pyarrow_table()`, which hands the files to pyarrow's Parquet reader.
  polars     `polars.read_delta(path, version=N)`: delta-rs lists the version's files
             (`DeltaTable.file_uris()`), Polars reads them with its own Rust Parquet reader
             (`scan_parquet`), cast to the Delta schema.

So the two share the log replay (delta-rs) but not the Parquet decoding.

Output: the canonical JSON of read_parquet.py (types and value encoding in canonical.py:
Delta long -> int64, integer -> int32, float -> float32, double -> float64, boolean -> bool,
string, binary, timestamp / timestamp_ntz -> timestamp (microseconds), date,
array<float> -> array<float32>), plus "version": the table version read, and "engine":
{"name", "version" (the library's), "native_types", "delta_types", "protocol"}, which is
informational and never compared.

Delta defines no row order across files, so rows are sorted: by the --sort-by columns, then
by every column in order (canonical.sort_rows: nulls first, floats by value with NaN last,
strings by code point), which makes the order total and the same for every engine.

--filter keeps only the rows matching a SQL predicate (e.g. "id >= 10 AND ts IS NOT NULL"):
delta-rs evaluates it in its scan (`scan(predicate=...)`), Polars as `pl.sql_expr` on
`scan_delta`. Both skip whole files by their `add.stats` min/max/nullCount first, so wrong
stats written into a log lose rows here: this is how to test a writer's statistics.

Exit status: 0 on success, 1 if the engine cannot read the table (its error on stderr),
2 on bad arguments.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import canonical  # noqa: E402

ENGINES = ("deltalake", "polars")


def delta_type_name(t) -> str:
    """A Delta schema type as text: "long", "timestamp", "array<float>", "struct<...>"."""
    kind = getattr(t, "type", None)
    if isinstance(kind, str) and not hasattr(t, "element_type") and not hasattr(t, "fields"):
        return kind
    if hasattr(t, "element_type"):
        return f"array<{delta_type_name(t.element_type)}>"
    if hasattr(t, "key_type"):
        return f"map<{delta_type_name(t.key_type)},{delta_type_name(t.value_type)}>"
    if hasattr(t, "fields"):
        return "struct<" + ",".join(f"{f.name}:{delta_type_name(f.type)}" for f in t.fields) + ">"
    return str(t)


def open_table(path: str, version: int | None):
    """The delta-rs table at `version` (latest when None), with a clear error when `path` is
    not a Delta table."""
    from deltalake import DeltaTable
    if not os.path.isdir(path):
        raise FileNotFoundError(f"no such directory: {path}")
    if not os.path.isdir(os.path.join(path, "_delta_log")):
        raise FileNotFoundError(f"{path} has no _delta_log directory: not a Delta table")
    latest = DeltaTable(path)
    if version is None or version == latest.version():
        return latest
    if version > latest.version():
        raise LookupError(f"{path} has no version {version}: its latest version is "
                          f"{latest.version()}")
    return DeltaTable(path, version=version)


def table_info(dt) -> dict:
    p = dt.protocol()
    protocol = {"minReaderVersion": p.min_reader_version, "minWriterVersion": p.min_writer_version}
    if p.reader_features is not None:
        protocol["readerFeatures"] = sorted(p.reader_features)
    if p.writer_features is not None:
        protocol["writerFeatures"] = sorted(p.writer_features)
    return {"delta_types": [delta_type_name(f.type) for f in dt.schema().fields],
            "protocol": protocol}


def read(path: str, engine: str, version: int | None = None,
         sort_by: list[str] | None = None, where: str | None = None) -> dict:
    """Canonical table with "version" and engine info, rows sorted (see the module doc);
    only the rows matching the SQL predicate `where`, when given."""
    dt = open_table(path, version)
    resolved = dt.version()
    if engine == "deltalake":
        import deltalake
        import pyarrow as pa
        arrow_table = pa.RecordBatchReader.from_stream(dt.scan(predicate=where)).read_all()
        table = canonical.from_pyarrow(arrow_table)
        native = [str(f.type) for f in arrow_table.schema]
        library_version = deltalake.__version__
    elif engine == "polars":
        import polars
        if where is None:
            frame = polars.read_delta(os.path.abspath(path), version=resolved)
        else:
            frame = polars.scan_delta(os.path.abspath(path), version=resolved) \
                .filter(polars.sql_expr(where)).collect()
        table, native = canonical.from_polars_frame(frame)
        library_version = polars.__version__
    else:
        raise ValueError(f"unknown engine {engine!r}; use one of {', '.join(ENGINES)}")
    table = canonical.sort_rows(table, sort_by)
    table["version"] = resolved
    table["engine"] = {"name": engine, "version": library_version, "native_types": native,
                       **table_info(dt)}
    return table


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("table", help="the table's directory (holding _delta_log/)")
    parser.add_argument("--engine", choices=ENGINES, required=True)
    parser.add_argument("--version", type=int, default=None,
                        help="the table version to read (default: the latest)")
    parser.add_argument("--sort-by", default=None,
                        help="comma-separated columns to sort rows by first")
    parser.add_argument("--filter", default=None, metavar="SQL",
                        help="keep only the rows matching this SQL predicate")
    parser.add_argument("--no-engine-info", action="store_true")
    args = parser.parse_args(argv)
    if args.version is not None and args.version < 0:
        parser.error("--version must be >= 0")
    sort_by = [c for c in args.sort_by.split(",") if c] if args.sort_by else None
    try:
        table = read(args.table, args.engine, args.version, sort_by, args.filter)
    except Exception as error:  # report any engine failure as one line on stderr
        at = "latest version" if args.version is None else f"version {args.version}"
        message = " ".join(str(error).split())
        print(f"read_delta.py: {args.engine} could not read {args.table} ({at}): "
              f"{type(error).__name__}: {message}", file=sys.stderr)
        return 1
    if args.no_engine_info:
        table = canonical.without_engine(table)
    sys.stdout.buffer.write(canonical.dumps(table).encode("utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
