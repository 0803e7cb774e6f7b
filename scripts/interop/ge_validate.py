#!/usr/bin/env python3
"""Validate Parquet data with Great Expectations 1.x on pandas and print the results as JSON.

    ge_validate.py FILE [FILE ...] --suite SUITE.json [--complete] [--all-columns]
    ge_validate.py --version

The files are read with pyarrow (concatenated in the order given; they must share a schema)
and converted to one pandas DataFrame the way `pandas.read_parquet` does by default (integer
columns with nulls become float64, strings pandas' `str` dtype, timestamps datetime64 with
their time zone). Only the columns the suite names are loaded, unless it has a table-level
column expectation (column count, columns match list / set) or `--all-columns` is given.

The suite is GE JSON in the 1.x form `{"name": ..., "expectations": [{"type": ..., "kwargs":
{...}}]}` or the 0.x form (`expectation_suite_name`, `expectation_type`); the kwargs GE 1.x no
longer takes per expectation (`result_format`, `include_config`, `catch_exceptions`) are
dropped. GE runs in an ephemeral context: nothing is written to disk, no network, no usage
statistics, no progress bars. An expectation GE cannot evaluate (say, on a column the data lacks)
is reported with success false and its "exception"; a suite GE refuses outright (an unknown
expectation type, bad kwargs) stops the script.

Output: one JSON document on stdout,

    {"suite": NAME, "files": [...], "rows": N, "columns_loaded": [...],
     "result_format": "SUMMARY" | "COMPLETE", "success": BOOL,
     "evaluated": N, "successful": N, "exceptions": N,
     "load_seconds": S, "setup_seconds": S, "validate_seconds": S, "peak_rss_mb": MB,
     "versions": {"great_expectations": ..., "pandas": ..., "numpy": ..., "pyarrow": ...},
     "results": [ per expectation, in suite order:
        {"index", "type", "kwargs" (as the suite gave them), "success", "observed_value",
         "element_count", "missing_count", "unexpected_count", "unexpected_percent",
         "unexpected_percent_nonmissing", "partial_unexpected_list", "partial_missing_list",
         "details", "exception" (GE's message when the expectation raised, else null),
         and with --complete "unexpected_list", "unexpected_index_list"} ]}

A key GE does not report for an expectation (aggregates have no element_count) is null. For
the distinct-values expectations GE 1.x reports the distinct values outside the set as
unexpected_count / partial_unexpected_list and the set's values absent from the data as
missing_count / partial_missing_list.
`validate_seconds` is the wall time of GE's validation alone; `setup_seconds` is the context,
data source and batch (GE fingerprints the DataFrame there); `load_seconds` is the Parquet read
and the pandas conversion. Values become JSON this way: numpy scalars and arrays become numbers,
booleans and lists; NaN, NaT and pandas' NA become null; infinities the strings "inf" / "-inf";
timestamps and dates ISO 8601 strings (with the offset when the column has a time zone); bytes
lowercase hex; sets sorted lists.

Exit status: 0 when GE ran (whether or not the suite passed), 1 when a file or the suite cannot
be read or GE refuses the suite (the reason on stderr), 2 on bad arguments.
"""

from __future__ import annotations

import argparse
import datetime as dt
import decimal
import json
import math
import os
import resource
import sys
import time

# Before GE is imported: no usage statistics (the context turns progress bars off).
os.environ["GX_ANALYTICS_ENABLED"] = "false"

RESULT_KEYS = (
    "observed_value", "element_count", "missing_count", "unexpected_count",
    "unexpected_percent", "unexpected_percent_nonmissing", "partial_unexpected_list",
    "partial_missing_list", "details",
)
COMPLETE_KEYS = ("unexpected_list", "unexpected_index_list")
# Kwargs of 0.x suites that GE 1.x no longer takes per expectation.
DROPPED_KWARGS = ("result_format", "include_config", "catch_exceptions", "batch_id")
# The meta key that carries an expectation's index in the suite through GE, which reorders results.
INDEX_KEY = "larder_index"
# Expectations that look at the table's columns, so every column must be loaded.
TABLE_COLUMN_TYPES = (
    "expect_table_column_count_to_equal", "expect_table_column_count_to_be_between",
    "expect_table_columns_to_match_ordered_list", "expect_table_columns_to_match_set",
)


class InputError(Exception):
    """A file or suite that cannot be used; the message names it."""


# ---------------------------------------------------------------------------------------------
# Suite


def load_suite(path: str) -> tuple[str, list[dict]]:
    """(name, [{"type", "kwargs"}]) from GE suite JSON in the 1.x or the 0.x form."""
    try:
        with open(path, encoding="utf-8") as handle:
            document = json.load(handle)
    except (OSError, ValueError) as error:
        raise InputError(f"suite {path}: cannot read it as JSON: {error}") from error
    if not isinstance(document, dict):
        raise InputError(f"suite {path}: expected a JSON object, found {type(document).__name__}")
    name = document.get("name", document.get("expectation_suite_name"))
    if not isinstance(name, str) or not name:
        raise InputError(f"suite {path}: no 'name' (1.x) or 'expectation_suite_name' (0.x)")
    raw = document.get("expectations")
    if not isinstance(raw, list):
        raise InputError(f"suite {path}: 'expectations' must be a list")
    expectations = []
    for index, item in enumerate(raw):
        where = f"suite {path}, expectation {index}"
        if not isinstance(item, dict):
            raise InputError(f"{where}: expected an object")
        kind = item.get("type", item.get("expectation_type"))
        if not isinstance(kind, str) or not kind:
            raise InputError(f"{where}: no 'type' (1.x) or 'expectation_type' (0.x)")
        kwargs = item.get("kwargs", {})
        if not isinstance(kwargs, dict):
            raise InputError(f"{where} ({kind}): 'kwargs' must be an object")
        kwargs = {k: v for k, v in kwargs.items() if k not in DROPPED_KWARGS}
        expectations.append({"type": kind, "kwargs": kwargs})
    return name, expectations


def referenced_columns(expectations: list[dict]) -> list[str] | None:
    """The columns the suite names, in first-use order; None when every column is needed."""
    names: list[str] = []
    for expectation in expectations:
        if expectation["type"] in TABLE_COLUMN_TYPES:
            return None
        kwargs = expectation["kwargs"]
        for key in ("column", "column_A", "column_B"):
            if isinstance(kwargs.get(key), str):
                names.append(kwargs[key])
        if isinstance(kwargs.get("column_list"), list):
            names.extend(c for c in kwargs["column_list"] if isinstance(c, str))
    return list(dict.fromkeys(names))


# ---------------------------------------------------------------------------------------------
# Data


def load_frame(paths: list[str], columns: list[str] | None):
    """One pandas DataFrame from the Parquet files, as pandas.read_parquet would make it."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    tables = []
    for path in paths:
        try:
            schema = pq.read_schema(path)
        except (OSError, pa.ArrowException) as error:
            raise InputError(f"{path}: cannot read it as Parquet: {error}") from error
        if columns is not None:
            missing = [c for c in columns if c not in schema.names]
            if missing:
                # GE reports an unknown column as an exception of that expectation; load what
                # exists so it can.
                print(f"ge_validate: {path} has no column(s) {', '.join(missing)}", file=sys.stderr)
            wanted = [c for c in columns if c in schema.names]
        else:
            wanted = None
        try:
            tables.append(pq.read_table(path, columns=wanted))
        except (OSError, pa.ArrowException) as error:
            raise InputError(f"{path}: cannot read it as Parquet: {error}") from error
    if len(tables) == 1:
        return tables[0].to_pandas()

    def shape(schema):
        return [(field.name, str(field.type)) for field in schema]

    for path, table in zip(paths[1:], tables[1:]):
        if shape(table.schema) != shape(tables[0].schema):
            raise InputError(
                f"{path}: its columns {shape(table.schema)} differ from {paths[0]}'s {shape(tables[0].schema)}"
            )
    # Same names and types; nullability may differ between writers, so every field is nullable.
    common = pa.schema([field.with_nullable(True) for field in tables[0].schema])
    return pa.concat_tables([table.cast(common) for table in tables]).to_pandas()


# ---------------------------------------------------------------------------------------------
# JSON


def jsonable(value):
    """A JSON-ready copy of a value from GE's results (see the module docstring)."""
    import numpy as np
    import pandas as pd

    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating, decimal.Decimal)):
        number = float(value)
        if math.isnan(number):
            return None
        if math.isinf(number):
            return "inf" if number > 0 else "-inf"
        return number
    if value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else pd.Timestamp(value).isoformat()
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, pd.Timedelta):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        items = [jsonable(v) for v in value]
        try:
            return sorted(items)
        except TypeError:
            return sorted(items, key=lambda v: json.dumps(v, sort_keys=True))
    if isinstance(value, (list, tuple, np.ndarray, pd.Series, pd.Index)):
        return [jsonable(v) for v in list(value)]
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return str(value)


# ---------------------------------------------------------------------------------------------
# Validation


def validate(frame, suite_name: str, expectations: list[dict], complete: bool):
    """Runs GE; returns (suite result dict, setup seconds, validate seconds)."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    setup_start = time.perf_counter()
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    suite = gx.ExpectationSuite(name=suite_name)
    for index, expectation in enumerate(expectations):
        try:
            configuration = ExpectationConfiguration(
                type=expectation["type"], kwargs=expectation["kwargs"], meta={INDEX_KEY: index}
            )
            suite.add_expectation(configuration.to_domain_obj())
        except Exception as error:  # GE raises many types for unknown types and bad kwargs
            raise InputError(
                f"suite {suite_name}, expectation {index} ({expectation['type']}): GE refuses it: {error}"
            ) from error
    if len(suite.expectations) != len(expectations):
        raise InputError(f"suite {suite_name}: GE merged duplicate expectations; remove the repeats")
    source = context.data_sources.add_pandas("larder")
    asset = source.add_dataframe_asset("data")
    definition = asset.add_batch_definition_whole_dataframe("whole")
    batch = definition.get_batch(batch_parameters={"dataframe": frame})
    validate_start = time.perf_counter()
    result = batch.validate(suite, result_format="COMPLETE" if complete else "SUMMARY")
    end = time.perf_counter()
    return result, validate_start - setup_start, end - validate_start


def summarize(result, expectations: list[dict], complete: bool) -> list[dict]:
    """Per expectation, in suite order, the fields of the module docstring. GE returns its
    results in its own order, so each is matched to its expectation by the index in its meta."""
    by_index = {}
    for item in result.results:
        index = (item.expectation_config.meta or {}).get(INDEX_KEY)
        if not isinstance(index, int) or index in by_index or not 0 <= index < len(expectations):
            raise InputError(f"GE returned a result that matches no expectation: {item.expectation_config}")
        by_index[index] = item
    if len(by_index) != len(expectations):
        raise InputError(f"GE returned {len(by_index)} results for {len(expectations)} expectations")
    out = []
    for index, expectation in enumerate(expectations):
        item = by_index[index]
        reported_type = item.expectation_config.type
        if reported_type != expectation["type"]:
            raise InputError(f"GE's result {index} is for {reported_type}, expected {expectation['type']}")
        details = item.result or {}
        exception = exception_message(item.exception_info)
        entry = {
            "index": index,
            "type": expectation["type"],
            "kwargs": jsonable(expectation["kwargs"]),
            "success": bool(item.success),
        }
        for key in RESULT_KEYS + (COMPLETE_KEYS if complete else ()):
            entry[key] = jsonable(details.get(key))
        entry["exception"] = exception
        out.append(entry)
    return out


def exception_message(info) -> str | None:
    """GE's message when an expectation raised, else None. GE puts the exception either at the
    top of exception_info or, when a metric failed, under that metric's id."""
    if not isinstance(info, dict):
        return None
    if info.get("raised_exception"):
        return info.get("exception_message") or "raised an exception"
    for value in info.values():
        if isinstance(value, dict) and value.get("raised_exception"):
            return value.get("exception_message") or "raised an exception"
    return None


def versions() -> dict:
    import importlib.metadata as metadata

    names = ("great_expectations", "pandas", "numpy", "pyarrow")
    return {name: metadata.version(name) for name in names}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", metavar="FILE")
    parser.add_argument("--suite", help="GE suite JSON (1.x or 0.x form)")
    parser.add_argument("--complete", action="store_true", help="result_format COMPLETE (default SUMMARY)")
    parser.add_argument("--all-columns", action="store_true", help="load every column, not only the suite's")
    parser.add_argument("--version", action="store_true", help="print the tool versions as JSON and exit")
    args = parser.parse_args(argv)
    if args.version:
        import great_expectations  # noqa: F401  (fails here when GE is missing)

        print(json.dumps(versions()))
        return 0
    if not args.files or not args.suite:
        parser.error("give one or more Parquet files and --suite SUITE.json")

    try:
        suite_name, expectations = load_suite(args.suite)
        columns = None if args.all_columns else referenced_columns(expectations)
        load_start = time.perf_counter()
        frame = load_frame(args.files, columns)
        load_seconds = time.perf_counter() - load_start
        result, setup_seconds, validate_seconds = validate(frame, suite_name, expectations, args.complete)
        results = summarize(result, expectations, args.complete)
    except InputError as error:
        print(f"ge_validate: {error}", file=sys.stderr)
        return 1

    document = {
        "suite": suite_name,
        "files": args.files,
        "rows": int(len(frame)),
        "columns_loaded": [str(c) for c in frame.columns],
        "result_format": "COMPLETE" if args.complete else "SUMMARY",
        "success": bool(result.success),
        "evaluated": len(results),
        "successful": sum(1 for r in results if r["success"]),
        "exceptions": sum(1 for r in results if r["exception"] is not None),
        "load_seconds": round(load_seconds, 6),
        "setup_seconds": round(setup_seconds, 6),
        "validate_seconds": round(validate_seconds, 6),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "versions": versions(),
        "results": results,
    }
    json.dump(document, sys.stdout, ensure_ascii=False, allow_nan=False, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
