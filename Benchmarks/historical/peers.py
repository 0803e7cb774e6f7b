#!/usr/bin/env python3
"""The point-in-time join of the benchmark, done by a peer tool from the same Parquet inputs.

    peers.py duckdb|polars SPEC.json

SPEC.json is the format of scripts/interop/asof_duckdb.py (spine, spine_timestamp, out, views
with name, path, keys, timestamp, created, ttl_us, features). Both peers implement Larder's
contract with each view's file as one commit:

- dedup per (keys, event time): the greatest created time (null lowest), then the later row
  of the file;
- the latest remaining row at or before the spine time (ASOF JOIN / join_asof backward);
- within the ttl, both bounds inclusive (DuckDB: a condition on the joined row; Polars:
  `tolerance`), else nulls;
- output: the spine's columns, then `view__feature`, in the spine's order.

Prints a JSON summary (tool, version, rows, matched per view, seconds measured inside the
process, imports excluded).
"""

from __future__ import annotations

import json
import os
import sys
import time
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "scripts", "interop"))

DAY_US = 86_400_000_000


def ranker_v1_spec(data: str, out: str) -> dict:
    """The ranker_v1 service of the generated marketplace (MarketplaceDefinitions.rankerV1 and
    the views' keys, created columns and ttls: 30d, 7d, 90d). bench.py checks it against the
    lineage `larder historical --json` reports."""
    def path(name):
        return os.path.join(data, name + ".parquet")
    return {
        "spine": path("interactions"),
        "spine_timestamp": "event_ts",
        "out": out,
        "views": [
            {"name": "user_stats", "path": path("user_stats"), "keys": ["user_id"], "timestamp": "event_ts",
             "created": "created_ts", "ttl_us": 30 * DAY_US,
             "features": ["visits_7d", "spend_30d", "fav_category", "is_member", "region"]},
            {"name": "item_stats", "path": path("item_stats"), "keys": ["item_id"], "timestamp": "event_ts",
             "created": "created_ts", "ttl_us": 7 * DAY_US,
             "features": ["bookings_7d", "rating", "price", "category", "region", "popularity"]},
            {"name": "user_item", "path": path("user_item"), "keys": ["user_id", "item_id"], "timestamp": "event_ts",
             "created": "created_ts", "ttl_us": 90 * DAY_US,
             "features": ["times_booked", "times_viewed", "last_rating"]},
        ],
    }


def run_duckdb(spec: dict) -> dict:
    import asof_duckdb
    return asof_duckdb.run(spec, check_duplicates=False)


def run_polars(spec: dict) -> dict:
    from datetime import timedelta

    import polars as pl

    start = time.perf_counter()
    ts = spec["spine_timestamp"]
    out = pl.read_parquet(spec["spine"]).with_row_index("__rid").sort(ts)
    flags = []
    for view in spec["views"]:
        name, keys, vts, created = view["name"], view["keys"], view["timestamp"], view.get("created")
        extra = [created] if created else []
        rows = pl.read_parquet(view["path"], columns=keys + [vts] + extra + view["features"]).with_row_index("__frn")
        # Ascending with nulls first: the winner of each (keys, event time) group is its last row.
        rows = rows.sort(keys + [vts] + extra + ["__frn"], nulls_last=False)
        rows = rows.unique(subset=keys + [vts], keep="last", maintain_order=True)
        flag = f"__m_{name}"
        rows = rows.select(keys + [pl.col(vts).alias(f"__ts_{name}"), pl.lit(True).alias(flag)]
                           + [pl.col(f).alias(f"{name}__{f}") for f in view["features"]]).sort(f"__ts_{name}")
        ttl = view.get("ttl_us")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")   # "sortedness cannot be checked when 'by' groups are given"
            out = out.join_asof(rows, left_on=ts, right_on=f"__ts_{name}", by=keys, strategy="backward",
                                tolerance=timedelta(microseconds=ttl) if ttl is not None else None)
        out = out.drop(f"__ts_{name}", strict=False)
        flags.append(flag)
    matched = out.select([pl.col(f).fill_null(False).sum() for f in flags]).row(0)
    out = out.sort("__rid").drop(["__rid"] + flags)
    out.write_parquet(spec["out"], compression="zstd")
    return {
        "tool": "polars",
        "version": pl.__version__,
        "rows": out.height,
        "matched": {v["name"]: int(m) for v, m in zip(spec["views"], matched)},
        "seconds": time.perf_counter() - start,
    }


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("duckdb", "polars"):
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1]) as f:
        spec = json.load(f)
    summary = run_duckdb(spec) if argv[0] == "duckdb" else run_polars(spec)
    json.dump(summary, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
