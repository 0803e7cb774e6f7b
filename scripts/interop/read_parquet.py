#!/usr/bin/env python3
"""Read a Parquet file with one engine and print its contents as canonical JSON.

    read_parquet.py FILE --engine pyarrow|duckdb|polars [--no-engine-info]

Each engine uses its own Parquet reader: pyarrow.parquet.read_table, DuckDB
`read_parquet(?)`, polars.read_parquet (Rust reader). The output format, canonical types and
the float scheme (every float is a JSON string holding Python repr() of the value as a double:
"0.1", "-0.0", "nan", "inf", "-inf") are documented in canonical.py beside this file.

The output also has "engine": {"name", "version", "native_types"}, the engine's own type for
each column (e.g. DuckDB's SQL type); it is informational and never compared. `--no-engine-info`
leaves it out (that is the form of Fixtures/parquet/*.expected.json).

Exit status: 0 on success, 1 if the engine cannot read the file (its error on stderr),
2 on bad arguments.
"""

from __future__ import annotations

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import canonical  # noqa: E402

ENGINES = ("pyarrow", "duckdb", "polars")


def read(path: str, engine: str) -> dict:
    """Canonical table with engine info."""
    if engine == "pyarrow":
        import pyarrow
        import pyarrow.parquet as pq
        arrow_table = pq.read_table(path)
        table = canonical.from_pyarrow(arrow_table)
        native = [str(f.type) for f in arrow_table.schema]
        version = pyarrow.__version__
    elif engine == "duckdb":
        import duckdb
        table, native = canonical.from_duckdb(path)
        version = duckdb.__version__
    elif engine == "polars":
        import polars
        table, native = canonical.from_polars(path)
        version = polars.__version__
    else:
        raise ValueError(f"unknown engine {engine!r}; use one of {', '.join(ENGINES)}")
    table["engine"] = {"name": engine, "version": version, "native_types": native}
    return table


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file")
    parser.add_argument("--engine", choices=ENGINES, required=True)
    parser.add_argument("--no-engine-info", action="store_true")
    args = parser.parse_args(argv)
    try:
        table = read(args.file, args.engine)
    except Exception as error:  # report any engine failure as one line on stderr
        print(f"read_parquet.py: {args.engine} could not read {args.file}: "
              f"{type(error).__name__}: {error}", file=sys.stderr)
        return 1
    if args.no_engine_info:
        table = canonical.without_engine(table)
    sys.stdout.buffer.write(canonical.dumps(table).encode("utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
