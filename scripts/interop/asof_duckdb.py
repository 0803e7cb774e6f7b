#!/usr/bin/env python3
"""Point-in-time join with DuckDB's ASOF LEFT JOIN, as an independent check of Larder's.

    asof_duckdb.py SPEC.json [--threads N]

SPEC.json:

    {"spine": "interactions.parquet", "spine_timestamp": "event_ts", "out": "duckdb.parquet",
     "views": [{"name": "user_stats", "path": "user_stats.parquet", "keys": ["user_id"],
                "timestamp": "event_ts", "created": "created_ts", "ttl_us": 2592000000000,
                "features": ["visits_7d", "spend_30d"]}, ...]}

Semantics (Larder's contract, DESIGN.md "Point-in-time semantics"), each view's Parquet file
being one commit:

1. Dedup: per (keys, event time) keep one row, the one with the greatest created time (null
   lowest), then the later row of the file (DuckDB's file_row_number). Exact duplicates of
   (keys, event time, created time) are resolved by file order as Larder does within a commit;
   how many there were is reported.
2. ASOF LEFT JOIN on the keys and `spine.ts >= view.ts`: the latest row at or before the spine
   time.
3. ttl: the joined row counts only if `view.ts >= spine.ts - ttl` (inclusive), else nulls.
   The latest row being too old means every other row is older still, so no candidate is lost.

Output: the spine's columns untouched, then `view__feature` per view and feature, in the
spine's row order. Prints a JSON summary to stdout: rows, matched per view, exact duplicates
per view, seconds.
"""

from __future__ import annotations

import argparse
import json
import sys
import time


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def build_query(spec: dict) -> tuple[str, list[str]]:
    """The SELECT producing the result (with a __rid column and __m_<i> match flags)."""
    ts = quote(spec["spine_timestamp"])
    ctes = [f"spine AS (SELECT * FROM read_parquet({literal(spec['spine'])}, file_row_number = true))"]
    selects = ["s.* EXCLUDE (file_row_number)", "s.file_row_number AS __rid"]
    joins = []
    flags = []
    for i, view in enumerate(spec["views"]):
        alias = f"v{i}"
        keys = [quote(k) for k in view["keys"]]
        vts = quote(view["timestamp"])
        cols = keys + [f"{vts} AS __ts"] + [f"{quote(f)} AS {quote('f_' + f)}" for f in view["features"]]
        order = []
        if view.get("created"):
            order.append(f"{quote(view['created'])} DESC NULLS LAST")
        order.append("file_row_number DESC")
        ctes.append(
            f"{alias} AS (SELECT {', '.join(cols)} FROM read_parquet({literal(view['path'])}, file_row_number = true) "
            f"QUALIFY row_number() OVER (PARTITION BY {', '.join(keys)}, {vts} ORDER BY {', '.join(order)}) = 1)")
        on = " AND ".join([f"s.{k} = {alias}.{k}" for k in keys] + [f"s.{ts} >= {alias}.__ts"])
        joins.append(f"ASOF LEFT JOIN {alias} ON {on}")
        ttl = view.get("ttl_us")
        fresh = f"{alias}.__ts IS NOT NULL"
        if ttl is not None:
            fresh += f" AND epoch_us({alias}.__ts) >= epoch_us(s.{ts}) - {int(ttl)}"
        for f in view["features"]:
            name = quote(f"{view['name']}__{f}")
            selects.append(f"CASE WHEN {fresh} THEN {alias}.{quote('f_' + f)} END AS {name}")
        flag = f"__m_{i}"
        selects.append(f"({fresh}) AS {flag}")
        flags.append(flag)
    query = f"WITH {', '.join(ctes)} SELECT {', '.join(selects)} FROM spine s {' '.join(joins)}"
    return query, flags


def exact_duplicates(con, view: dict) -> int:
    cols = [quote(k) for k in view["keys"]] + [quote(view["timestamp"])]
    if view.get("created"):
        cols.append(quote(view["created"]))
    sql = (f"SELECT count(*) FROM (SELECT {', '.join(cols)} FROM read_parquet({literal(view['path'])}) "
           f"GROUP BY ALL HAVING count(*) > 1)")
    return con.execute(sql).fetchone()[0]


def run(spec: dict, threads: int | None = None, check_duplicates: bool = True) -> dict:
    import duckdb

    start = time.perf_counter()
    con = duckdb.connect()
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    query, flags = build_query(spec)
    con.execute(f"CREATE TEMP TABLE result AS {query}")
    matched = con.execute(f"SELECT {', '.join(f'count(*) FILTER (WHERE {f})' for f in flags)} FROM result").fetchone()
    rows = con.execute("SELECT count(*) FROM result").fetchone()[0]
    con.execute(f"COPY (SELECT * EXCLUDE (__rid, {', '.join(flags)}) FROM result ORDER BY __rid) "
                f"TO {literal(spec['out'])} (FORMAT parquet, COMPRESSION zstd)")
    seconds = time.perf_counter() - start
    summary = {
        "tool": "duckdb",
        "version": duckdb.__version__,
        "rows": rows,
        "matched": {v["name"]: int(m) for v, m in zip(spec["views"], matched)},
        "seconds": seconds,
    }
    if check_duplicates:
        summary["exact_duplicates"] = {v["name"]: exact_duplicates(con, v) for v in spec["views"]}
    return summary


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("spec")
    parser.add_argument("--threads", type=int)
    parser.add_argument("--no-duplicate-check", action="store_true")
    args = parser.parse_args(argv)
    with open(args.spec) as f:
        spec = json.load(f)
    summary = run(spec, args.threads, not args.no_duplicate_check)
    json.dump(summary, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
