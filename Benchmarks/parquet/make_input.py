#!/usr/bin/env python3
"""Make the shared input of the Parquet benchmark: a deterministic 10-column feature table.

    make_input.py --rows 10000000 --out .bench-data/input-10000000.parquet

Writes PATH (uncompressed Parquet, written by pyarrow, so Larder and pyarrow start from
identical data) and PATH.json, the table's digest (row count, decoded bytes, one checksum per
column; see common.py), which both harnesses check their reads against.

Columns (rows sorted by user_id, then event_ts, as Larder lays out a feature view):
  user_id     int64, 1M users, skewed (a few users have many rows)
  item_id     int64, 0..<100k, skewed
  event_ts    timestamp[us, UTC], uniform over 2025
  created_ts  timestamp[us, UTC], event_ts + 0..48 h
  spend       float64, log-normal, rounded to cents
  score       float64 in [0, 1), about 1% null
  ratio       float32 in [0, 1)
  visits      int64, 0..1000
  category    string, 50 distinct values, Zipf-like frequencies
  is_member   bool, about 30% true
"""

import argparse
import json
import os
import sys
import time

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import table_digest  # noqa: E402

SEED = 20251123
USERS = 1_000_000
ITEMS = 100_000
YEAR_START_US = 1_735_689_600 * 1_000_000  # 2025-01-01T00:00:00Z
YEAR_US = 365 * 86_400 * 1_000_000
TWO_DAYS_US = 48 * 3_600 * 1_000_000
WORDS = ["books", "garden", "kitchen", "toys", "sports", "music", "video", "games", "office",
         "pets", "beauty", "health", "baby", "auto", "tools", "grocery", "shoes", "jewelry",
         "travel", "outdoor", "camera", "phone", "laptop", "tablet", "watch", "bags", "crafts",
         "party", "wine", "coffee", "tea", "snacks", "fitness", "cycling", "running", "yoga",
         "fishing", "hiking", "lighting", "bedding", "bath", "storage", "decor", "paint",
         "software", "courses", "tickets", "gifts", "vintage", "electronics"]


def make_table(rows: int) -> pa.Table:
    rng = np.random.default_rng(SEED)
    # Skewed ids: rank = floor(n * u^k) puts more mass on low ranks; a permutation then
    # spreads the popular ranks over the id space.
    user_rank = (USERS * rng.random(rows) ** 2.5).astype(np.int64)
    user_id = rng.permutation(USERS).astype(np.int64)[user_rank] + 1
    item_rank = (ITEMS * rng.random(rows) ** 2.0).astype(np.int64)
    item_id = rng.permutation(ITEMS).astype(np.int64)[item_rank]
    event_ts = YEAR_START_US + rng.integers(0, YEAR_US, rows, dtype=np.int64)
    order = np.lexsort((event_ts, user_id))
    user_id = user_id[order]
    event_ts = event_ts[order]
    item_id = item_id[order]
    created_ts = event_ts + rng.integers(0, TWO_DAYS_US + 1, rows, dtype=np.int64)
    spend = np.round(rng.lognormal(3.0, 1.0, rows), 2)
    score = rng.random(rows)
    score_valid = rng.random(rows) >= 0.01
    ratio = rng.random(rows, dtype=np.float32)
    visits = rng.integers(0, 1001, rows, dtype=np.int64)
    names = np.array([f"{word}-{i:02d}" for i, word in enumerate(WORDS)], dtype=object)
    weights = 1.0 / np.arange(1, len(names) + 1)
    category_codes = rng.choice(len(names), rows, p=weights / weights.sum()).astype(np.int32)
    is_member = rng.random(rows) < 0.3

    ts = pa.timestamp("us", tz="UTC")
    schema = pa.schema([
        pa.field("user_id", pa.int64(), nullable=False),
        pa.field("item_id", pa.int64(), nullable=False),
        pa.field("event_ts", ts, nullable=False),
        pa.field("created_ts", ts, nullable=False),
        pa.field("spend", pa.float64(), nullable=False),
        pa.field("score", pa.float64(), nullable=True),
        pa.field("ratio", pa.float32(), nullable=False),
        pa.field("visits", pa.int64(), nullable=False),
        pa.field("category", pa.string(), nullable=False),
        pa.field("is_member", pa.bool_(), nullable=False),
    ])
    category = pa.DictionaryArray.from_arrays(
        pa.array(category_codes), pa.array(names, pa.string())
    ).cast(pa.string())
    columns = [
        pa.array(user_id),
        pa.array(item_id),
        pa.array(event_ts).cast(ts),
        pa.array(created_ts).cast(ts),
        pa.array(spend),
        pa.array(score, mask=~score_valid),
        pa.array(ratio),
        pa.array(visits),
        category,
        pa.array(is_member),
    ]
    return pa.Table.from_arrays(columns, schema=schema)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    if args.rows <= 0:
        parser.error("--rows must be positive")

    started = time.perf_counter()
    table = make_table(args.rows)
    digest = table_digest(table)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    tmp = args.out + ".tmp"
    pq.write_table(table, tmp, compression="none")
    with open(tmp + ".json", "w") as f:
        json.dump(digest, f, indent=2)
    # Publish the digest first and the data file last: the data file's presence means both are complete.
    os.replace(tmp + ".json", args.out + ".json")
    os.replace(tmp, args.out)
    print(f"wrote {args.out}: {args.rows} rows, {digest['decodedBytes'] / 1e6:.1f} MB decoded, "
          f"{os.path.getsize(args.out) / 1e6:.1f} MB on disk, {time.perf_counter() - started:.1f} s",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
