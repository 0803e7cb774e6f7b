#!/usr/bin/env python3
"""Writes the Great Expectations interop fixtures in this folder: small Parquet files, GE suites
and manifest.json, which lists the cases (files + suite) that GreatExpectationsInteropTests runs
through GE (scripts/interop/ge_validate.py, live, every run) and through Larder's SuiteValidator.

    .venv/bin/python -B Tests/LarderQualityTests/Fixtures/ge/make_fixtures.py

Deterministic: the same pyarrow version writes byte-identical files, so the committed files are
what this script makes. Only the inputs are committed, never GE's answers: the test asks GE.

Data (events.parquet, 48 rows; events-part-0/1.parquet are the same rows split 20 + 28):
  id          int64 not null, 0..47: unique and strictly increasing
  user_id     int64 not null, repeats; (user_id, event_ts) repeats in rows 10/11 and 30/31
  event_ts    timestamp[us, UTC] not null, one hour apart except the planted repeats
  created_ts  timestamp[us, UTC], nulls; after event_ts except one row equal, one row before
  visits      int64, 6 nulls (mostly boundary 42/48 = 0.875), 0 and 1000 present exactly
  spend       float64, nulls, no NaN; 0.0 and 250.5 present exactly
  ratio       float64, nulls AND NaN (pandas counts both as missing; Arrow only the nulls)
  category    string, nulls; yoga/hiit/dance/boxing, plus "Yoga" and "café"
  name        string, nulls; unicode: combining accent, emoji with skin tone, a flag, CJK, ""
  code        string, nulls; mostly "AB-123" shaped, some not
  is_member   bool, nulls
  level       int32 not null, non-decreasing with repeats
  countdown   int64 not null, strictly decreasing
  lonely      float64, one value (2.5) and 47 nulls: a sample stdev of one value
empty.parquet: the same schema, no rows. all_null.parquet: 12 rows, every nullable column null.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random

import pyarrow as pa
import pyarrow.parquet as pq

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = 20261123
ROWS = 48
UTC = dt.timezone.utc
BASE = dt.datetime(2026, 1, 1, tzinfo=UTC)

SCHEMA = pa.schema([
    pa.field("id", pa.int64(), nullable=False),
    pa.field("user_id", pa.int64(), nullable=False),
    pa.field("event_ts", pa.timestamp("us", tz="UTC"), nullable=False),
    pa.field("created_ts", pa.timestamp("us", tz="UTC")),
    pa.field("visits", pa.int64()),
    pa.field("spend", pa.float64()),
    pa.field("ratio", pa.float64()),
    pa.field("category", pa.string()),
    pa.field("name", pa.string()),
    pa.field("code", pa.string()),
    pa.field("is_member", pa.bool_()),
    pa.field("level", pa.int32(), nullable=False),
    pa.field("countdown", pa.int64(), nullable=False),
    pa.field("lonely", pa.float64()),
])

NAMES = ["Ann", "Zoë", "日本語", "e\u0301", "👍🏽", "🇫🇷", "", "Bob", "Émile", "Ωmega", "li", "Łukasz"]
CATEGORIES = ["yoga", "hiit", "dance", "boxing"]


def events() -> pa.Table:
    rng = random.Random(SEED)
    rows = []
    for i in range(ROWS):
        event_ts = BASE + dt.timedelta(hours=i, microseconds=rng.randint(0, 999_999))
        user_id = 100 + rng.randint(0, 15)
        rows.append({
            "id": i,
            "user_id": user_id,
            "event_ts": event_ts,
            "created_ts": None if i % 9 == 4 else event_ts + dt.timedelta(minutes=rng.randint(1, 90)),
            "visits": None if i % 8 == 5 else rng.randint(1, 999),
            "spend": None if i % 10 == 3 else rng.randint(0, 20_000) / 8,
            "ratio": None if i % 11 == 2 else (float("nan") if i % 11 == 7 else rng.randint(-400, 400) / 16),
            "category": None if i % 13 == 6 else CATEGORIES[rng.randint(0, 3)],
            "name": None if i % 12 == 11 else NAMES[i % len(NAMES)],
            "code": None if i % 14 == 9 else f"{rng.choice('ABC')}{rng.choice('BXY')}-{rng.randint(100, 999)}",
            "is_member": None if i % 6 == 1 else rng.random() < 0.5,
            "level": i // 3,
            "countdown": 1000 - 7 * i,
            "lonely": 2.5 if i == 0 else None,
        })
    # Planted edges.
    rows[0]["visits"], rows[1]["visits"] = 0, 1000            # between boundaries, inclusive
    rows[2]["spend"], rows[4]["spend"] = 0.0, 250.5          # float boundaries
    rows[8]["spend"] = 250.5                                  # a repeated float
    rows[5]["ratio"], rows[9]["ratio"] = -0.0, 0.0            # equal as numbers, not as bits
    rows[11]["user_id"], rows[11]["event_ts"] = rows[10]["user_id"], rows[10]["event_ts"]
    rows[31]["user_id"], rows[31]["event_ts"] = rows[30]["user_id"], rows[30]["event_ts"]
    rows[12]["created_ts"] = rows[12]["event_ts"]            # equal: fails a strict A > B
    rows[20]["created_ts"] = rows[20]["event_ts"] - dt.timedelta(seconds=1)
    rows[3]["category"], rows[17]["category"] = "Yoga", "café"
    rows[7]["code"], rows[19]["code"], rows[23]["code"] = "ab-123", "AB-1234", "xAB-123"
    rows[25]["code"] = "ÅB-123"
    return pa.Table.from_pylist(rows, schema=SCHEMA)


def empty() -> pa.Table:
    return SCHEMA.empty_table()


def all_null(rows: int = 12) -> pa.Table:
    columns = {}
    for field in SCHEMA:
        if field.nullable:
            columns[field.name] = pa.nulls(rows, type=field.type)
        elif field.name == "event_ts":
            columns[field.name] = pa.array([BASE + dt.timedelta(hours=i) for i in range(rows)], type=field.type)
        else:
            columns[field.name] = pa.array(list(range(rows)), type=field.type)
    return pa.table(columns, schema=SCHEMA)


# ---------------------------------------------------------------------------------------------
# Suites: GE 1.x JSON (one in the 0.x form). Each expectation says in "meta.why" what it probes;
# the test prints it when GE and Larder disagree.


def expect(kind: str, why: str, **kwargs) -> dict:
    return {"type": kind, "kwargs": kwargs, "meta": {"why": why}}


def values_suite(table: pa.Table) -> list[dict]:
    visits = table.column("visits")
    nonnull_visits = (len(visits) - visits.null_count) / len(visits)
    assert nonnull_visits == 0.875, nonnull_visits
    return [
        expect("expect_column_values_to_not_be_null", "no nulls", column="id"),
        expect("expect_column_values_to_not_be_null", "six nulls", column="visits"),
        expect("expect_column_values_to_not_be_null", "mostly exactly the non-null share", column="visits", mostly=0.875),
        expect("expect_column_values_to_not_be_null", "mostly just above it", column="visits", mostly=0.876),
        expect("expect_column_values_to_not_be_null", "NaN is not null in Arrow", column="ratio"),
        expect("expect_column_values_to_be_null", "mostly non-null", column="created_ts"),
        expect("expect_column_values_to_be_null", "null share as mostly", column="visits", mostly=0.125),
        expect("expect_column_values_to_be_between", "boundaries inclusive", column="visits", min_value=0, max_value=1000),
        expect("expect_column_values_to_be_between", "strict min excludes 0", column="visits", min_value=0, max_value=1000, strict_min=True),
        expect("expect_column_values_to_be_between", "strict max excludes 1000", column="visits", min_value=0, max_value=1000, strict_max=True),
        expect("expect_column_values_to_be_between", "only a lower bound", column="visits", min_value=1),
        expect("expect_column_values_to_be_between", "only an upper bound, mostly", column="visits", max_value=999, mostly=0.97),
        expect("expect_column_values_to_be_between", "mostly exactly 40 of 42", column="visits", min_value=1, max_value=999, mostly=40 / 42),
        expect("expect_column_values_to_be_between", "float bounds at the data", column="spend", min_value=0.0, max_value=250.5),
        expect("expect_column_values_to_be_between", "float strict bounds", column="spend", min_value=0.0, max_value=250.5, strict_min=True, strict_max=True),
        expect("expect_column_values_to_be_between", "NaN among floats", column="ratio", min_value=-25, max_value=25),
        expect("expect_column_values_to_be_between", "timestamps against ISO strings", column="created_ts",
               min_value="2026-01-01T00:30:00+00:00", max_value="2026-01-02T12:00:00+00:00"),
        expect("expect_column_values_to_be_in_set", "case and accents count", column="category", value_set=CATEGORIES),
        expect("expect_column_values_to_be_in_set", "mostly", column="category", value_set=CATEGORIES, mostly=0.95),
        expect("expect_column_values_to_be_in_set", "integers", column="level", value_set=list(range(0, 16, 2))),
        expect("expect_column_values_to_not_be_in_set", "unicode value", column="category", value_set=["café", "pilates"]),
        expect("expect_column_values_to_be_unique", "unique ids", column="id"),
        expect("expect_column_values_to_be_unique", "repeats: every repeated row counts", column="user_id"),
        expect("expect_column_values_to_be_unique", "repeated float, nulls ignored", column="spend"),
        expect("expect_column_values_to_be_unique", "strings with nulls", column="name"),
        expect("expect_column_values_to_be_unique", "-0.0 and 0.0, NaN", column="ratio"),
        expect("expect_column_values_to_be_in_set", "-0.0 in {0.0}", column="ratio", value_set=[0.0], mostly=0.01),
        expect("expect_column_values_to_be_in_set", "booleans with nulls", column="is_member", value_set=[True]),
        expect("expect_column_values_to_match_regex", "anchored", column="code", regex="^[A-Z]{2}-[0-9]{3}$"),
        expect("expect_column_values_to_match_regex", "unanchored: a search, not a full match", column="code", regex="[A-Z]{2}-[0-9]{3}"),
        expect("expect_column_values_to_match_regex", "unicode class", column="name", regex="^\\w+$", mostly=0.5),
        expect("expect_column_values_to_not_match_regex", "lowercase anywhere", column="code", regex="[a-z]"),
        expect("expect_column_value_lengths_to_be_between", "lengths in code points", column="name", min_value=1, max_value=3),
        expect("expect_column_value_lengths_to_be_between", "two code points, one grapheme", column="name", min_value=2, max_value=2),
        expect("expect_column_value_lengths_to_be_between", "only a max", column="code", max_value=6),
        expect("expect_column_value_lengths_to_equal", "exact length", column="code", value=6),
        expect("expect_column_values_to_be_of_type", "int64", column="id", type_="int64"),
        expect("expect_column_values_to_be_of_type", "int32", column="level", type_="int32"),
        expect("expect_column_values_to_be_of_type", "float64", column="spend", type_="float64"),
        expect("expect_column_values_to_be_of_type", "wrong type", column="countdown", type_="float64"),
        expect("expect_column_values_to_be_of_type", "ints with nulls", column="visits", type_="int64"),
        expect("expect_column_values_to_be_of_type", "booleans with nulls", column="is_member", type_="bool"),
        expect("expect_column_values_to_be_increasing", "strictly increasing", column="id", strictly=True),
        expect("expect_column_values_to_be_increasing", "non-decreasing", column="level"),
        expect("expect_column_values_to_be_increasing", "repeats fail strictly", column="level", strictly=True),
        expect("expect_column_values_to_be_increasing", "timestamps with a repeat", column="event_ts"),
        expect("expect_column_values_to_be_decreasing", "strictly decreasing", column="countdown", strictly=True),
        expect("expect_column_values_to_be_decreasing", "increasing data", column="id"),
    ]


def aggregates_suite() -> list[dict]:
    return [
        expect("expect_column_min_to_be_between", "min at the bound", column="visits", min_value=0, max_value=0),
        expect("expect_column_max_to_be_between", "max above the bound", column="visits", min_value=0, max_value=999),
        expect("expect_column_min_to_be_between", "min of floats", column="spend", min_value=0.0, max_value=1.0),
        expect("expect_column_max_to_be_between", "max of floats with NaN", column="ratio", min_value=0, max_value=30),
        expect("expect_column_mean_to_be_between", "mean of ints with nulls", column="visits", min_value=0, max_value=1000),
        expect("expect_column_mean_to_be_between", "mean strictly above", column="visits", min_value=0, max_value=100, strict_max=True),
        expect("expect_column_mean_to_be_between", "mean of floats with NaN", column="ratio", min_value=-30, max_value=30),
        expect("expect_column_median_to_be_between", "median of ints", column="visits", min_value=0, max_value=1000),
        expect("expect_column_median_to_be_between", "median, even count", column="level", min_value=0, max_value=7),
        expect("expect_column_median_to_be_between", "median of floats", column="spend", min_value=0, max_value=2500),
        expect("expect_column_stdev_to_be_between", "sample stdev", column="visits", min_value=0, max_value=1000),
        expect("expect_column_stdev_to_be_between", "stdev too low", column="spend", min_value=0, max_value=1),
        expect("expect_column_stdev_to_be_between", "stdev of one value", column="lonely", min_value=0, max_value=1),
        expect("expect_column_mean_to_be_between", "mean of one value", column="lonely", min_value=2.5, max_value=2.5),
        expect("expect_column_median_to_be_between", "median of one value", column="lonely", min_value=2.5, max_value=2.5),
        expect("expect_column_distinct_values_to_equal_set", "booleans", column="is_member", value_set=[False, True]),
        expect("expect_column_sum_to_be_between", "sum of ints", column="countdown", min_value=0, max_value=100000),
        expect("expect_column_sum_to_be_between", "sum of floats", column="spend", min_value=0, max_value=10),
        expect("expect_column_quantile_values_to_be_between", "quartiles of ints", column="visits",
               quantile_ranges={"quantiles": [0.0, 0.25, 0.5, 0.75, 1.0],
                                "value_ranges": [[0, 0], [0, 1000], [0, 1000], [0, 1000], [1000, 1000]]}),
        expect("expect_column_quantile_values_to_be_between", "a failing range", column="countdown",
               quantile_ranges={"quantiles": [0.1, 0.9], "value_ranges": [[None, 700], [900, None]]}),
        expect("expect_column_unique_value_count_to_be_between", "distinct strings", column="category", min_value=6, max_value=6),
        expect("expect_column_unique_value_count_to_be_between", "distinct too many", column="user_id", min_value=1, max_value=5),
        expect("expect_column_proportion_of_unique_values_to_be_between", "unique share", column="user_id", min_value=0, max_value=0.5),
        expect("expect_column_proportion_of_unique_values_to_be_between", "all unique", column="id", min_value=1, max_value=1),
        expect("expect_column_distinct_values_to_be_in_set", "extra values", column="category", value_set=CATEGORIES),
        expect("expect_column_distinct_values_to_be_in_set", "superset", column="category", value_set=CATEGORIES + ["Yoga", "café", "pilates"]),
        expect("expect_column_distinct_values_to_contain_set", "contains", column="category", value_set=["yoga", "café"]),
        expect("expect_column_distinct_values_to_contain_set", "missing one", column="category", value_set=["yoga", "pilates"]),
        expect("expect_column_distinct_values_to_equal_set", "equal", column="category", value_set=CATEGORIES + ["Yoga", "café"]),
        expect("expect_column_distinct_values_to_equal_set", "not equal", column="category", value_set=CATEGORIES),
        expect("expect_column_most_common_value_to_be_in_set", "mode", column="level", value_set=[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]),
        expect("expect_column_most_common_value_to_be_in_set", "tied modes, ties_okay", column="level", value_set=[3], ties_okay=True),
        expect("expect_column_most_common_value_to_be_in_set", "mode of strings", column="category", value_set=["yoga"]),
        expect("expect_column_min_to_be_between", "min of timestamps", column="event_ts",
               min_value="2026-01-01T00:00:00+00:00", max_value="2026-01-01T01:00:00+00:00"),
    ]


def table_suite(table: pa.Table) -> list[dict]:
    names = table.column_names
    return [
        expect("expect_table_row_count_to_be_between", "exact bounds", min_value=ROWS, max_value=ROWS),
        expect("expect_table_row_count_to_be_between", "one too few", min_value=ROWS + 1),
        expect("expect_table_row_count_to_equal", "equal", value=ROWS),
        expect("expect_table_column_count_to_equal", "columns", value=len(names)),
        expect("expect_table_column_count_to_be_between", "too many columns", min_value=1, max_value=len(names) - 1),
        expect("expect_table_columns_to_match_ordered_list", "in order", column_list=names),
        expect("expect_table_columns_to_match_ordered_list", "two swapped", column_list=[names[1], names[0]] + names[2:]),
        expect("expect_table_columns_to_match_set", "same set, other order", column_set=list(reversed(names))),
        expect("expect_table_columns_to_match_set", "subset, exact", column_set=names[:3]),
        expect("expect_table_columns_to_match_set", "subset, not exact", column_set=names[:3], exact_match=False),
    ]


def multicolumn_suite() -> list[dict]:
    return [
        expect("expect_compound_columns_to_be_unique", "two repeated pairs", column_list=["user_id", "event_ts"]),
        expect("expect_compound_columns_to_be_unique", "unique pairs", column_list=["id", "user_id"]),
        expect("expect_compound_columns_to_be_unique", "pairs with nulls", column_list=["category", "is_member"]),
        expect("expect_column_pair_values_a_to_be_greater_than_b", "created after event", column_A="created_ts", column_B="event_ts"),
        expect("expect_column_pair_values_a_to_be_greater_than_b", "or equal", column_A="created_ts", column_B="event_ts", or_equal=True),
        expect("expect_column_pair_values_a_to_be_greater_than_b", "mostly", column_A="created_ts", column_B="event_ts", mostly=0.9),
        expect("expect_column_pair_values_a_to_be_greater_than_b", "ints", column_A="countdown", column_B="level"),
    ]


def empty_suite() -> list[dict]:
    return [
        expect("expect_table_row_count_to_be_between", "zero rows", min_value=0, max_value=0),
        expect("expect_column_values_to_not_be_null", "vacuous", column="id"),
        expect("expect_column_values_to_be_between", "vacuous", column="visits", min_value=0, max_value=1),
        expect("expect_column_values_to_be_in_set", "vacuous", column="category", value_set=["yoga"]),
        expect("expect_column_values_to_be_unique", "vacuous", column="id"),
        expect("expect_column_values_to_match_regex", "vacuous", column="code", regex="^x$"),
        expect("expect_compound_columns_to_be_unique", "vacuous", column_list=["user_id", "event_ts"]),
        expect("expect_column_distinct_values_to_be_in_set", "no values", column="category", value_set=["yoga"]),
        expect("expect_column_unique_value_count_to_be_between", "none", column="category", min_value=0, max_value=0),
        expect("expect_column_mean_to_be_between", "mean of nothing", column="visits", min_value=0, max_value=1),
        expect("expect_column_min_to_be_between", "min of nothing", column="spend", min_value=0, max_value=1),
        expect("expect_column_sum_to_be_between", "sum of nothing", column="countdown", min_value=0, max_value=0),
        expect("expect_column_median_to_be_between", "median of nothing", column="level", min_value=0, max_value=1),
        expect("expect_column_stdev_to_be_between", "stdev of nothing", column="spend", min_value=0, max_value=1),
        expect("expect_column_proportion_of_unique_values_to_be_between", "share of nothing", column="id", min_value=0, max_value=1),
        expect("expect_column_most_common_value_to_be_in_set", "mode of nothing", column="category", value_set=["yoga"]),
    ]


def all_null_suite() -> list[dict]:
    return [
        expect("expect_column_values_to_not_be_null", "all null", column="visits"),
        expect("expect_column_values_to_be_null", "all null", column="visits"),
        expect("expect_column_values_to_be_between", "no non-null value", column="visits", min_value=0, max_value=1),
        expect("expect_column_values_to_be_between", "no non-null value, mostly", column="spend", min_value=0, max_value=1, mostly=0.5),
        expect("expect_column_values_to_be_in_set", "strings all null", column="category", value_set=["yoga"]),
        expect("expect_column_values_to_be_unique", "all null", column="name"),
        expect("expect_column_values_to_match_regex", "all null", column="code", regex="."),
        expect("expect_column_unique_value_count_to_be_between", "no distinct value", column="category", min_value=0, max_value=0),
        expect("expect_table_row_count_to_equal", "rows", value=12),
        expect("expect_column_value_lengths_to_be_between", "all null strings", column="name", min_value=1, max_value=2),
        expect("expect_column_mean_to_be_between", "mean of nulls", column="visits", min_value=0, max_value=1),
        expect("expect_column_max_to_be_between", "max of nulls", column="spend", min_value=0, max_value=1),
        expect("expect_column_sum_to_be_between", "sum of nulls", column="visits", min_value=0, max_value=0),
        expect("expect_column_median_to_be_between", "median of nulls", column="spend", min_value=0, max_value=1),
        expect("expect_column_stdev_to_be_between", "stdev of nulls", column="spend", min_value=0, max_value=1),
        expect("expect_column_proportion_of_unique_values_to_be_between", "share of nulls", column="category", min_value=0, max_value=1),
        expect("expect_column_distinct_values_to_equal_set", "no distinct value", column="category", value_set=[]),
        expect("expect_compound_columns_to_be_unique", "null pairs are skipped", column_list=["category", "name"]),
        expect("expect_column_pair_values_a_to_be_greater_than_b", "both null: skipped", column_A="visits", column_B="spend"),
        expect("expect_column_pair_values_a_to_be_greater_than_b", "one null: unexpected", column_A="countdown", column_B="visits"),
    ]


def v0_suite() -> dict:
    """The 0.x form: expectation_suite_name, expectation_type, per-expectation result_format."""
    def old(kind, **kwargs):
        return {"expectation_type": kind, "kwargs": kwargs, "meta": {}}
    return {
        "expectation_suite_name": "events.v0",
        "data_asset_type": "Dataset",
        "ge_cloud_id": None,
        "meta": {"great_expectations_version": "0.18.8"},
        "expectations": [
            old("expect_column_values_to_not_be_null", column="user_id", result_format="BASIC"),
            old("expect_column_values_to_be_between", column="visits", min_value=1, max_value=999, mostly=0.9),
            old("expect_column_values_to_be_in_set", column="category", value_set=CATEGORIES, catch_exceptions=True),
            old("expect_column_mean_to_be_between", column="spend", min_value=0, max_value=2500),
            old("expect_table_row_count_to_be_between", min_value=1, max_value=100),
        ],
    }


# ---------------------------------------------------------------------------------------------


def write_parquet(table: pa.Table, name: str) -> None:
    pq.write_table(table, os.path.join(HERE, name), compression="snappy", row_group_size=16)


def write_json(document, name: str) -> None:
    with open(os.path.join(HERE, name), "w", encoding="utf-8") as handle:
        json.dump(document, handle, ensure_ascii=False, indent=1)
        handle.write("\n")


def suite(name: str, expectations: list[dict]) -> dict:
    return {"name": name, "expectations": expectations, "meta": {"made_by": "make_fixtures.py"}}


def main() -> None:
    table = events()
    write_parquet(table, "events.parquet")
    write_parquet(table.slice(0, 20), "events-part-0.parquet")
    write_parquet(table.slice(20), "events-part-1.parquet")
    write_parquet(empty(), "empty.parquet")
    write_parquet(all_null(), "all_null.parquet")

    suites = {
        "events_values.json": suite("events.values", values_suite(table)),
        "events_aggregates.json": suite("events.aggregates", aggregates_suite()),
        "events_table.json": suite("events.table", table_suite(table)),
        "events_multicolumn.json": suite("events.multicolumn", multicolumn_suite()),
        "events_v0.json": v0_suite(),
        "empty.json": suite("empty", empty_suite()),
        "all_null.json": suite("all_null", all_null_suite()),
    }
    for name, document in suites.items():
        write_json(document, name)

    parts = ["events-part-0.parquet", "events-part-1.parquet"]
    cases = [
        {"name": "events-values", "files": ["events.parquet"], "suite": "events_values.json"},
        {"name": "events-aggregates", "files": ["events.parquet"], "suite": "events_aggregates.json"},
        {"name": "events-table", "files": ["events.parquet"], "suite": "events_table.json"},
        {"name": "events-multicolumn", "files": ["events.parquet"], "suite": "events_multicolumn.json"},
        {"name": "events-v0", "files": ["events.parquet"], "suite": "events_v0.json"},
        {"name": "parts-values", "files": parts, "suite": "events_values.json"},
        {"name": "parts-aggregates", "files": parts, "suite": "events_aggregates.json"},
        {"name": "parts-multicolumn", "files": parts, "suite": "events_multicolumn.json"},
        {"name": "empty", "files": ["empty.parquet"], "suite": "empty.json"},
        {"name": "all-null", "files": ["all_null.parquet"], "suite": "all_null.json"},
    ]
    write_json({"made_by": "make_fixtures.py", "pyarrow": pa.__version__, "cases": cases}, "manifest.json")
    print(f"wrote {len(cases)} cases in {HERE}")


if __name__ == "__main__":
    main()
