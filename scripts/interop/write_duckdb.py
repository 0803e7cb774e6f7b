#!/usr/bin/env python3
"""Write a Parquet file with DuckDB's own writer (its RLE, dictionary and page choices).

    write_duckdb.py OUT ROWS

Columns: user_id BIGINT (i % 200), v INT (nullable, every 7th null), score DOUBLE (every 5th
null), name VARCHAR (30 distinct), flag BOOLEAN, ts TIMESTAMPTZ. DuckDB pads the last
bit-packed RLE run of a page to a whole run, well past the 7 values most writers stop at.
"""

import sys

import duckdb


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    out, rows = sys.argv[1], int(sys.argv[2])
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute(
        f"""
        COPY (
          SELECT (i % 200)::BIGINT AS user_id,
                 CASE WHEN i % 7 = 0 THEN NULL ELSE (i * 3)::INTEGER END AS v,
                 CASE WHEN i % 5 = 0 THEN NULL ELSE i / 8.0 END AS score,
                 'name-' || (i % 30)::VARCHAR AS name,
                 i % 3 = 0 AS flag,
                 TIMESTAMPTZ '2026-01-01 00:00:00+00' + to_microseconds(i * 1000) AS ts
          FROM range({rows}) t(i)
        ) TO '{out}' (FORMAT PARQUET)
        """
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
